import { createHash } from 'node:crypto';
import { type WindowsCommandRunner, runWindowsCommand } from './windows-command.ts';
import { type WindowsFolders, windowsFoldersFromEnv } from './windows-folders.ts';
import { parseLoadedUserHives } from './windows-reg-text.ts';
import { MACHINE_UNINSTALL_KEYS, REG_TIMEOUT_MS, USER_KEY_SUFFIXES } from './windows-sources.ts';

/** How often the Uninstall keys are checked by default (issue #3: changes reported within 60 s). */
export const DEFAULT_WINDOWS_CHECK_INTERVAL_MS = 60_000;

export interface UninstallWatchOptions {
  intervalMs?: number;
  run?: WindowsCommandRunner;
  folders?: WindowsFolders;
}

/**
 * A cheap fingerprint of what is installed: per Uninstall key, the subkey names (an install or
 * removal adds or drops one) and every DisplayVersion (an in-place upgrade changes it), plus the
 * list of loaded user hives (a user logging on brings their per-user programs). A few reg.exe
 * runs of milliseconds each, instead of a full capture with PowerShell.
 */
export async function fingerprintUninstallKeys(run: WindowsCommandRunner, folders: WindowsFolders): Promise<string> {
  const reg = `${folders.systemRoot}\\${folders.wow64 ? 'Sysnative' : 'System32'}\\reg.exe`;
  const view = folders.wow64 ? ['/reg:64'] : [];
  const hash = createHash('sha256');
  const hku = await run(reg, ['query', 'HKU', ...view], REG_TIMEOUT_MS);
  hash.update(hku.ok ? hku.stdout : 'HKU?');
  const hives = hku.ok ? parseLoadedUserHives(hku.stdout) : [];
  const keys = [...MACHINE_UNINSTALL_KEYS, ...hives.map((sid) => `HKU\\${sid}\\${USER_KEY_SUFFIXES[0]}`)];
  for (const key of keys) {
    for (const args of [['query', key], ['query', key, '/s', '/v', 'DisplayVersion']]) {
      const result = await run(reg, [...args, ...view], REG_TIMEOUT_MS);
      // A missing key and a key with no match both fail: the failure is part of the fingerprint.
      hash.update(`\0${args.join(' ')}\0${result.ok ? result.stdout : 'absent'}`);
    }
  }
  return hash.digest('hex');
}

/**
 * Calls `onChange` when the Uninstall keys' fingerprint changes, checking every `intervalMs`
 * (default 60 s). Windows has no cheap change notification for a registry subtree reachable from
 * node, so this polls; the check costs milliseconds. Returns a function that stops the checks.
 */
export function watchWindowsUninstallKeys(onChange: () => void, options: UninstallWatchOptions = {}): () => void {
  const run = options.run ?? runWindowsCommand;
  const folders = options.folders ?? windowsFoldersFromEnv(process.env);
  let last: string | undefined;
  let checking = false;
  let stopped = false;

  const check = async () => {
    if (checking || stopped) return;
    checking = true;
    try {
      const current = await fingerprintUninstallKeys(run, folders);
      if (last !== undefined && current !== last && !stopped) onChange();
      last = current;
    } catch {
      // A failed check is retried at the next tick; the periodic full scan still runs.
    } finally {
      checking = false;
    }
  };
  void check();
  const timer = setInterval(() => void check(), options.intervalMs ?? DEFAULT_WINDOWS_CHECK_INTERVAL_MS);
  // The agent's run loop keeps the process alive; this timer alone must not.
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
