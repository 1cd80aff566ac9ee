import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { agentLaunchCommand } from '../../../agent/src/service/launch.ts';
import { SYSTEMD_UNIT_PATH, planSystemdInstall, planSystemdUninstall, quoteSystemdWord, renderSystemdUnit } from '../../../agent/src/service/systemd.ts';
import { hasProgram, runProgram, tempDir } from './helpers.ts';

const SEA = { isSea: true, execPath: '/opt/zhengban/zhengban-agent-linux-x64', execArgv: [], cwd: '/home/admin' };

t.test('the single executable starts itself at boot with the state directory it was enrolled with', async (t) => {
  const launch = agentLaunchCommand(SEA, '/var/lib/zhengban-agent', false);
  t.same(launch, { program: '/opt/zhengban/zhengban-agent-linux-x64', args: ['run', '--state-dir', '/var/lib/zhengban-agent'], workingDirectory: '/' });
  const unit = renderSystemdUnit(launch, '/var/lib/zhengban-agent');
  t.match(unit, /^ExecStart=\/opt\/zhengban\/zhengban-agent-linux-x64 run --state-dir \/var\/lib\/zhengban-agent$/m);
  t.match(unit, /^Restart=always$/m, 'restarts after a crash or any exit');
  t.match(unit, /^StartLimitIntervalSec=0$/m, 'never gives up restarting');
  t.match(unit, /^WantedBy=multi-user\.target$/m, 'starts at boot');
  t.notMatch(unit, /^User=/m, 'runs as root (reads DMI serials and the package databases)');
  t.match(unit, /^ReadWritePaths=\/var\/lib\/zhengban-agent$/m, 'may write its state directory despite ProtectSystem');
  t.match(unit, /^PrivateTmp=yes$/m);
});

t.test('a run from source starts node with the same flags and script, minus debugger flags', async (t) => {
  const launch = agentLaunchCommand(
    { isSea: false, execPath: '/usr/bin/node', execArgv: ['--import', 'tsx', '--inspect=9229'], script: '/srv/zhengban/agent/src/main.ts', cwd: '/srv/zhengban' },
    '/var/lib/zhengban-agent',
    false,
  );
  t.same(launch.args, ['--import', 'tsx', '/srv/zhengban/agent/src/main.ts', 'run', '--state-dir', '/var/lib/zhengban-agent']);
  t.equal(launch.workingDirectory, '/srv/zhengban', 'where --import tsx resolves');
});

t.test('paths with spaces, quotes, % and $ survive systemd\'s command-line parsing', async (t) => {
  t.equal(quoteSystemdWord('/opt/zhengban/agent'), '/opt/zhengban/agent');
  t.equal(quoteSystemdWord('/opt/my agent/bin'), '"/opt/my agent/bin"');
  t.equal(quoteSystemdWord('100%'), '100%%', '% starts a specifier');
  t.equal(quoteSystemdWord('$HOME'), '$$HOME', '$ starts a variable');
  t.equal(quoteSystemdWord('a"b\\c'), '"a\\"b\\\\c"');
  t.equal(quoteSystemdWord(''), '""');
  const unit = renderSystemdUnit(agentLaunchCommand({ ...SEA, execPath: '/opt/正版 agent/zhengban-agent' }, '/tmp/state dir', false), '/tmp/state dir');
  t.match(unit, /^ExecStart="\/opt\/正版 agent\/zhengban-agent" run --state-dir "\/tmp\/state dir"$/m);
  t.notMatch(unit, /PrivateTmp/, 'a state directory under /tmp stays visible to the service');
});

t.test('install writes the unit, reloads systemd and enables the service now; a re-install restarts it', async (t) => {
  const launch = agentLaunchCommand(SEA, '/var/lib/zhengban-agent', false);
  const fresh = planSystemdInstall(launch, '/var/lib/zhengban-agent', false);
  t.same(fresh.map((s) => (s.kind === 'run' ? `${s.program} ${s.args.join(' ')}` : `${s.kind} ${s.path}`)), [
    `write-file ${SYSTEMD_UNIT_PATH}`,
    'systemctl daemon-reload',
    'systemctl enable --now zhengban-agent.service',
  ]);
  const again = planSystemdInstall(launch, '/var/lib/zhengban-agent', true);
  t.match(again.at(-1), { kind: 'run', program: 'systemctl', args: ['restart', 'zhengban-agent.service'] });
  t.same(planSystemdUninstall().map((s) => s.kind), ['run', 'remove-file', 'run']);
  t.match(planSystemdUninstall()[0], { args: ['disable', '--now', 'zhengban-agent.service'], ignoreFailure: true }, 'uninstalling twice is not an error');
});

const noAnalyze = (await hasProgram('systemd-analyze')) ? false : 'systemd-analyze is not installed; install with: apt-get install -y systemd';

t.test('systemd-analyze finds nothing wrong with the unit', { skip: noAnalyze }, async (t) => {
  const dir = await tempDir(t);
  const stateDir = join(dir, 'state');
  // A real program for ExecStart: verify checks that it exists and is executable.
  const launch = agentLaunchCommand({ isSea: false, execPath: process.execPath, execArgv: [], script: join(dir, 'agent.js'), cwd: dir }, stateDir, false);
  const unitPath = join(dir, 'zhengban-agent.service');
  await writeFile(unitPath, renderSystemdUnit(launch, stateDir));
  const result = await runProgram('systemd-analyze', ['verify', unitPath]);
  t.equal(result.code, 0, result.stderr);
  t.equal(result.stderr.split('\n').filter((l) => l.includes('zhengban-agent.service')).join('\n'), '', 'no warnings about the unit');
});
