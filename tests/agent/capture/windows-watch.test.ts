import t from 'tap';
import { type WindowsCommandRunner, runWindowsCommand } from '../../../agent/src/capture/windows-command.ts';
import { windowsFoldersFromEnv } from '../../../agent/src/capture/windows-folders.ts';
import { fingerprintUninstallKeys, watchWindowsUninstallKeys } from '../../../agent/src/capture/windows-watch.ts';
import { findWine, wineMissing, winePrefix } from '../binaries/binaries.ts';

// The change check runs the real reg.exe of a wine prefix: wine is what stands for Windows here.
const wine = (await wineMissing()) === false ? await findWine() : undefined;
const skip = wine ? false : 'wine is not installed; install with: apt-get install -y wine64';
t.setTimeout(600_000);

const KEY = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\ZhengbanWatchTest';
const folders = windowsFoldersFromEnv({ SystemRoot: 'C:\\windows' });

async function wineRunner(): Promise<WindowsCommandRunner> {
  process.env.WINEPREFIX = await winePrefix();
  process.env.WINEDEBUG = '-all';
  return (file, args, timeoutMs) => runWindowsCommand(wine!, [file, ...args], timeoutMs);
}

t.test('the Uninstall-key fingerprint changes when a program is installed, upgraded or removed', { skip }, async (t) => {
  const run = await wineRunner();
  const reg = 'C:\\windows\\System32\\reg.exe';
  await run(reg, ['delete', KEY, '/f'], 30_000);
  t.teardown(() => run(reg, ['delete', KEY, '/f'], 30_000));

  const before = await fingerprintUninstallKeys(run, folders);
  t.equal(await fingerprintUninstallKeys(run, folders), before, 'nothing changed: same fingerprint');
  await run(reg, ['add', KEY, '/v', 'DisplayName', '/d', 'WPS Office', '/f'], 30_000);
  await run(reg, ['add', KEY, '/v', 'DisplayVersion', '/d', '11.1.0.8612', '/f'], 30_000);
  const installed = await fingerprintUninstallKeys(run, folders);
  t.not(installed, before, 'an install changes it');
  await run(reg, ['add', KEY, '/v', 'DisplayVersion', '/d', '11.1.0.9999', '/f'], 30_000);
  const upgraded = await fingerprintUninstallKeys(run, folders);
  t.not(upgraded, installed, 'an in-place upgrade (new DisplayVersion) changes it');
  await run(reg, ['delete', KEY, '/f'], 30_000);
  t.equal(await fingerprintUninstallKeys(run, folders), before, 'removing it gives the first fingerprint back');
});

t.test('the watch calls back after a change, not before', { skip }, async (t) => {
  const run = await wineRunner();
  const reg = 'C:\\windows\\System32\\reg.exe';
  t.teardown(() => run(reg, ['delete', KEY, '/f'], 30_000));
  let changes = 0;
  let checks = 0;
  const counting: WindowsCommandRunner = (file, args, timeoutMs) => {
    if (args[0] === 'query' && args[1] === 'HKU') checks++;
    return run(file, args, timeoutMs);
  };
  const stop = watchWindowsUninstallKeys(() => changes++, { intervalMs: 1_000, run: counting, folders });
  t.teardown(stop);
  const waitForChecks = async (n: number) => {
    const target = checks + n;
    while (checks < target) await new Promise((r) => setTimeout(r, 200));
  };
  await waitForChecks(2);
  t.equal(changes, 0, 'no change, no callback');
  await run(reg, ['add', KEY, '/v', 'DisplayName', '/d', 'KMSpico', '/f'], 30_000);
  await waitForChecks(2);
  t.equal(changes, 1, 'one callback for the install');
});
