import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { executePlan } from '../../../agent/src/service/execute.ts';
import type { ServicePlan } from '../../../agent/src/service/plan.ts';
import { runCliCaptured, tempDir } from './helpers.ts';

/** A state directory with credentials, as `enroll` leaves it. */
async function enrolledState(dir: string): Promise<string> {
  const stateDir = join(dir, 'state');
  await mkdir(stateDir, { recursive: true });
  await writeFile(
    join(stateDir, 'credentials.json'),
    JSON.stringify({ serverUrl: 'http://127.0.0.1:8080', agentId: '7d7c3b8e-2a51-4f39-9a5e-0d6f4b1c2e3a', secret: 's'.repeat(43), enrolledAt: '2026-01-01T00:00:00.000Z' }),
    { mode: 0o600 },
  );
  return stateDir;
}

t.test('install --dry-run shows the unit it would write and the commands, and changes nothing', async (t) => {
  const stateDir = await enrolledState(await tempDir(t));
  const result = await runCliCaptured(['install', '--dry-run', '--state-dir', stateDir], {
    launch: { isSea: true, execPath: '/opt/zhengban/zhengban-agent-linux-x64', execArgv: [] },
  });
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, /^would do \(nothing changed, --dry-run\):\n  write \/etc\/systemd\/system\/zhengban-agent\.service \(mode 644\)/);
  t.match(result.stdout, `      | ExecStart=/opt/zhengban/zhengban-agent-linux-x64 run --state-dir ${stateDir}\n`);
  t.match(result.stdout, /  run systemctl enable --now zhengban-agent\.service/);
});

t.test('on Windows the dry run shows the scheduled task instead', async (t) => {
  const result = await runCliCaptured(['install', '--dry-run', '--state-dir', 'C:\\ProgramData\\zhengban\\agent'], {
    platform: 'win32',
    cwd: 'C:\\',
    systemRoot: 'C:\\Windows',
    launch: { isSea: true, execPath: 'C:\\zhengban\\zhengban-agent-win-x64.exe', execArgv: [] },
  });
  t.match(result.stdout, /schtasks\.exe \/Create \/TN zhengban-agent \/XML/);
  t.match(result.stdout, /\| +<UserId>S-1-5-18<\/UserId>/);
  t.match(result.stderr, /^warning: not enrolled/, 'a dry run only warns that enrolment is missing');
});

t.test('install refuses before enrolment and without root, saying what to do', async (t) => {
  const dir = await tempDir(t);
  const notEnrolled = await runCliCaptured(['install', '--state-dir', join(dir, 'empty')]);
  t.equal(notEnrolled.code, 3);
  t.match(notEnrolled.stderr, /not enrolled .*run "zhengban-agent enroll --server URL --token TOKEN --state-dir .*empty" first/);
  const notRoot = await runCliCaptured(['install', '--state-dir', await enrolledState(dir)], { isRoot: false });
  t.equal(notRoot.code, 2);
  t.match(notRoot.stderr, /run it as root \(sudo zhengban-agent install\)/);
  const uninstallNotRoot = await runCliCaptured(['uninstall'], { isRoot: false });
  t.equal(uninstallNotRoot.code, 2);
});

t.test('a plan is carried out step by step; an ignorable failure goes on, any other stops with the step named', async (t) => {
  const dir = await tempDir(t);
  const lines: string[] = [];
  const plan: ServicePlan = [
    { kind: 'write-file', path: join(dir, 'etc', 'unit.service'), content: '[Unit]\n', mode: 0o644, description: 'write the unit' },
    { kind: 'write-file', path: join(dir, 'task.xml'), content: '<Task/>', encoding: 'utf16le-bom', description: 'write the task' },
    { kind: 'run', program: 'false', args: [], description: 'stop an old agent', ignoreFailure: true },
    { kind: 'run', program: 'true', args: [], description: 'reload' },
    { kind: 'remove-file', path: join(dir, 'not-there'), description: 'remove a file that is already gone' },
  ];
  await executePlan(plan, (line) => lines.push(line));
  t.equal(await readFile(join(dir, 'etc', 'unit.service'), 'utf8'), '[Unit]\n', 'folders are created');
  t.equal((await stat(join(dir, 'etc', 'unit.service'))).mode & 0o777, 0o644);
  t.same([...(await readFile(join(dir, 'task.xml'))).subarray(0, 4)], [0xff, 0xfe, 0x3c, 0x00], 'UTF-16LE with a BOM');
  t.match(lines[2], /^ran false \(failed, ignored/);
  await t.rejects(
    executePlan([{ kind: 'run', program: 'false', args: ['x'], description: 'enable the service' }, { kind: 'run', program: 'true', args: [], description: 'never reached' }], () => {}),
    { message: /^false x failed/, step: { description: 'enable the service' } },
  );
});
