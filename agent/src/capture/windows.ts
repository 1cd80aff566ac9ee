import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { hostname as osHostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVIDENCE_FORMAT, type EvidenceBundle } from '../evidence/bundle.ts';
import { decodeBundleText } from '../evidence/text.ts';
import { AGENT_VERSION } from '../version.ts';
import { type WindowsCommandRunner, runWindowsCommand } from './windows-command.ts';
import { type WindowsFolders, expandWindowsPath, windowsFoldersFromEnv } from './windows-folders.ts';
import { formatRegFile, parseLoadedUserHives, parseRegQuery, regQueryKeyToRegFile, removeRegValues } from './windows-reg-text.ts';
import {
  ACTIVATOR_PATH_TEMPLATES,
  CURRENT_VERSION_KEY,
  EXPORTED_KEYS,
  OSPP_SCRIPT_TEMPLATES,
  OSPP_TIMEOUT_MS,
  REG_TIMEOUT_MS,
  SECRET_VALUE_NAMES,
  SINGLE_VALUES,
  USER_KEY_SUFFIXES,
} from './windows-sources.ts';
import { captureWmi } from './windows-wmi-capture.ts';

export interface WindowsCaptureOptions {
  /** Runs a program (default: the real one; tests pass a runner that uses wine or a recording). */
  run?: WindowsCommandRunner;
  /** Where Windows, Program Files and ProgramData are (default: from this process's environment). */
  folders?: WindowsFolders;
  /** True when a path exists on the machine (default: the file system). */
  pathExists?: (windowsPath: string) => Promise<boolean>;
  /** Folder for reg.exe's export files (default: the system temp folder). */
  tempDir?: string;
  hostname?: string;
  now?: () => Date;
}

type ErrorList = NonNullable<EvidenceBundle['manifest']['errors']>;

async function fileExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Captures this Windows machine's evidence (DESIGN.md bundle format): registry exports, CIM/WMI
 * JSON, ospp.vbs status and activator file traces. Local programs only (reg.exe, PowerShell or
 * wmic, cscript), so it works offline and takes seconds. Nothing fails the capture: a step that
 * cannot run becomes an entry in manifest.errors and interpretation says "unknown" for it.
 */
export async function captureWindowsEvidence(options: WindowsCaptureOptions = {}): Promise<EvidenceBundle> {
  const run = options.run ?? runWindowsCommand;
  const folders = options.folders ?? windowsFoldersFromEnv(process.env);
  const pathExists = options.pathExists ?? fileExists;
  const capturedAt = (options.now ?? (() => new Date()))().toISOString();
  const errors: ErrorList = [];
  const commands = new Map<string, string>();

  const [registry, wmi] = await Promise.all([
    captureRegistry(run, folders, options.tempDir ?? tmpdir(), errors),
    captureWmi(run, folders, errors),
    captureOsppStatus(run, folders, pathExists, commands, errors),
    captureActivatorFiles(folders, pathExists, commands),
  ]);

  // The steps above ran side by side; a fixed order keeps the bundle and the inventory's
  // captureErrors identical from one scan to the next when nothing changed.
  errors.sort((a, b) => a.source.localeCompare(b.source));
  return {
    manifest: {
      format: EVIDENCE_FORMAT,
      platform: 'windows',
      capturedAt,
      hostname: options.hostname ?? osHostname(),
      agentVersion: AGENT_VERSION,
      errors,
    },
    files: new Map(),
    registry,
    wmi,
    commands,
  };
}

/** reg.exe processes run at once. */
const REG_CONCURRENCY = 4;
/** reg.exe's "no such key" in English, Simplified and Traditional Chinese, and wine's wording. */
const KEY_NOT_FOUND = /unable to find the specified registry key|找不到指定的注册表项|找不到指定的登錄/i;

/** Maps with at most `limit` calls in flight; results keep the input order. */
async function mapWithLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** reg.exe of the native view: a 32-bit process on 64-bit Windows reaches it through Sysnative. */
function regExe(folders: WindowsFolders): string {
  return `${folders.systemRoot}\\${folders.wow64 ? 'Sysnative' : 'System32'}\\reg.exe`;
}

async function captureRegistry(run: WindowsCommandRunner, folders: WindowsFolders, tempRoot: string, errors: ErrorList): Promise<string[]> {
  const reg = regExe(folders);
  // A 32-bit process would see HKLM\SOFTWARE redirected to WOW6432Node without this.
  const view = folders.wow64 ? ['/reg:64'] : [];
  const registry: string[] = [];

  const hku = await run(reg, ['query', 'HKU', ...view], REG_TIMEOUT_MS);
  const hives = hku.ok ? parseLoadedUserHives(hku.stdout) : [];
  if (!hku.ok) errors.push({ source: 'reg query HKU', message: `${hku.message}; per-user installs not captured` });
  const keys = [...EXPORTED_KEYS, ...hives.flatMap((sid) => USER_KEY_SUFFIXES.map((suffix) => `HKU\\${sid}\\${suffix}`))];

  const dir = await mkdtemp(join(tempRoot, 'zhengban-capture-'));
  try {
    // A few at a time: each reg.exe is a process start, the slow part of capture.
    const texts = await mapWithLimit(keys, REG_CONCURRENCY, async (key, i) => {
      const file = join(dir, `${String(i).padStart(3, '0')}.reg`);
      const exported = await run(reg, ['export', key, file, '/y', ...view], REG_TIMEOUT_MS);
      if (exported.ok) return removeRegValues(decodeBundleText(await readFile(file)), SECRET_VALUE_NAMES);
      if (KEY_NOT_FOUND.test(exported.message)) return undefined;
      // An unfamiliar message (another display language): a query tells "no such key" from real trouble.
      const probe = await run(reg, ['query', key, ...view], REG_TIMEOUT_MS);
      if (probe.ok) errors.push({ source: `reg export ${key}`, message: exported.message });
      return undefined;
    });
    for (const text of texts) if (text !== undefined) registry.push(text);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const cv = await run(reg, ['query', CURRENT_VERSION_KEY, ...view], REG_TIMEOUT_MS);
  const cvText = cv.ok ? regQueryKeyToRegFile(cv.stdout, SECRET_VALUE_NAMES) : undefined;
  if (cvText) registry.push(cvText);
  else errors.push({ source: `reg query ${CURRENT_VERSION_KEY}`, message: cv.ok ? 'key not in the output' : cv.message });

  for (const { key, value } of SINGLE_VALUES) {
    const one = await run(reg, ['query', key, '/v', value, ...view], REG_TIMEOUT_MS);
    const parsed = one.ok ? parseRegQuery(one.stdout).filter((k) => k.values.length > 0) : [];
    if (parsed.length > 0) registry.push(formatRegFile(parsed));
    else errors.push({ source: `reg query ${key} /v ${value}`, message: one.ok ? 'value not in the output' : one.message });
  }
  return registry;
}

/** `cscript ospp.vbs /dstatus` for every Office licence script present (several Office versions: all). */
async function captureOsppStatus(
  run: WindowsCommandRunner,
  folders: WindowsFolders,
  pathExists: (p: string) => Promise<boolean>,
  commands: Map<string, string>,
  errors: ErrorList,
): Promise<void> {
  const outputs: string[] = [];
  for (const template of OSPP_SCRIPT_TEMPLATES) {
    const script = expandWindowsPath(template, folders);
    if (!script || !(await pathExists(script))) continue;
    const result = await run(`${folders.systemRoot}\\System32\\cscript.exe`, ['//Nologo', script, '/dstatus'], OSPP_TIMEOUT_MS);
    if (result.ok) outputs.push(result.stdout);
    else errors.push({ source: `cscript ${script} /dstatus`, message: result.message });
  }
  if (outputs.length > 0) commands.set('ospp-dstatus', outputs.join('\n'));
}

/**
 * `commands/file-exists.txt`: every activator path that exists, one absolute Windows path per line
 * (the format interpret/windows/activators.ts reads). Written even when empty: the check ran.
 */
async function captureActivatorFiles(folders: WindowsFolders, pathExists: (p: string) => Promise<boolean>, commands: Map<string, string>): Promise<void> {
  const found: string[] = [];
  for (const template of ACTIVATOR_PATH_TEMPLATES) {
    const path = expandWindowsPath(template, folders);
    if (path && !found.includes(path) && (await pathExists(path))) found.push(path);
  }
  commands.set('file-exists', found.map((p) => `${p}\n`).join(''));
}
