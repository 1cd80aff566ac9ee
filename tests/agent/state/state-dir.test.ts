import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { readCredentials, writeCredentials } from '../../../agent/src/state/credentials.ts';
import { StateLockedError, lockStateDir } from '../../../agent/src/state/lock.ts';
import { defaultStateDir } from '../../../agent/src/state/paths.ts';

async function tempDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zhengban-state-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

t.test('the default state directory is the service\'s as root, the user\'s XDG state directory otherwise, ProgramData on Windows', async (t) => {
  const linux = { platform: 'linux' as const, homedir: '/home/li', env: {} };
  t.equal(defaultStateDir({ ...linux, isRoot: true }), '/var/lib/zhengban-agent');
  t.equal(defaultStateDir({ ...linux, isRoot: false }), '/home/li/.local/state/zhengban-agent');
  t.equal(defaultStateDir({ ...linux, isRoot: false, env: { XDG_STATE_HOME: '/srv/state' } }), '/srv/state/zhengban-agent');
  t.equal(defaultStateDir({ ...linux, isRoot: false, env: { XDG_STATE_HOME: 'relative/ignored', HOME: '/home/wang' } }), '/home/wang/.local/state/zhengban-agent', 'a relative XDG_STATE_HOME is ignored, as the spec says');
  t.equal(defaultStateDir({ platform: 'win32', isRoot: false, homedir: 'C:\\Users\\li', env: { ProgramData: 'D:\\ProgramData' } }), 'D:\\ProgramData\\zhengban\\agent');
  t.equal(defaultStateDir({ platform: 'win32', isRoot: false, homedir: 'C:\\Users\\li', env: {} }), 'C:\\ProgramData\\zhengban\\agent');
});

t.test('credentials are saved for the owner only and read back; a damaged file says to enrol again', async (t) => {
  const dir = await tempDir(t);
  t.equal(await readCredentials(dir), null, 'not enrolled');
  const credentials = { serverUrl: 'http://zhengban.example:8080', agentId: 'a-17', secret: 'k'.repeat(43), enrolledAt: '2026-11-28T10:00:00.000Z' };
  await writeCredentials(dir, credentials);
  t.same(await readCredentials(dir), credentials);
  t.equal((await stat(join(dir, 'credentials.json'))).mode & 0o777, 0o600);
  await writeFile(join(dir, 'credentials.json'), '{"serverUrl": "http://x", "agentId": ""');
  await t.rejects(readCredentials(dir), /credentials\.json is damaged \(not JSON\); enrol again/);
});

t.test('one agent per state directory: a second is refused while the first lives; a crashed one\'s lock is taken over', async (t) => {
  const dir = await tempDir(t);
  const release = await lockStateDir(dir);
  t.equal((await readFile(join(dir, 'agent.pid'), 'utf8')).trim(), String(process.pid));
  // Another live process holds it (pid 1 always exists).
  await writeFile(join(dir, 'agent.pid'), '1\n');
  await t.rejects(lockStateDir(dir), new StateLockedError(1, dir), 'refused, naming the live agent');
  // A pid that no longer exists: the agent crashed.
  await writeFile(join(dir, 'agent.pid'), '2147483646\n');
  const again = await lockStateDir(dir);
  await again();
  await release();
});
