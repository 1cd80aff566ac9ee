import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { AGENT_VERSION } from '../../../agent/src/version.ts';
import { agentBinaries, runProgram } from './binaries.ts';
import { type MachineList, startRealServer } from './server.ts';

// The first test file to get here may build the binaries (a minute or two on a busy machine).
t.setTimeout(600_000);
const build = await agentBinaries();
const binary = build.binaries.get('linux-x64')!;
const work = await mkdtemp(join(tmpdir(), 'zhengban-bin-'));
t.teardown(() => rm(work, { recursive: true, force: true }));

t.test('dist/agent holds the three binaries with their SHA-256 sums', async (t) => {
  const sums = await readFile(join(binary, '..', 'SHA256SUMS'), 'utf8');
  for (const [name, path] of build.binaries) {
    t.ok((await stat(path)).mode & 0o111, `${name} is executable`);
    t.match(sums, new RegExp(`^[0-9a-f]{64}  ${path.split('/').pop()!.replace(/\./g, '\\.')}$`, 'm'), `${name} has its sum`);
  }
  const check = await runProgram('sha256sum', ['--check', '--ignore-missing', 'SHA256SUMS'], { timeoutMs: 60_000 }).then(async () =>
    runProgram('sh', ['-c', `cd "${join(binary, '..')}" && sha256sum --check --ignore-missing SHA256SUMS`]),
  );
  t.equal(check.code, 0, `sha256sum --check: ${check.stdout}${check.stderr}`);
});

t.test('the linux-x64 binary prints the agent version without node or the sources', async (t) => {
  const result = await runProgram(binary, ['--version'], { env: { NODE_OPTIONS: '', NODE_PATH: '' } });
  t.equal(result.code, 0, result.stderr);
  t.equal(result.stdout, `${AGENT_VERSION}\n`);
  t.equal(result.stderr, '', 'no experimental-feature warning');
});

t.test('the binary enrols with the real server, reports once, and the machine appears in the REST API', async (t) => {
  const server = await startRealServer(t);
  const stateDir = join(work, 'state-e2e');
  const enrolled = await runProgram(binary, ['enroll', '--server', server.app.baseUrl, '--token', server.token, '--state-dir', stateDir]);
  t.equal(enrolled.code, 0, enrolled.stderr);

  const once = await runProgram(binary, ['run', '--once', '--state-dir', stateDir, '--timeout', '60s']);
  t.equal(once.code, 0, once.stderr);
  t.match(once.stdout, /^delivered: \d+ report\(s\) acknowledged by http:\/\/127\.0\.0\.1:\d+/);

  const list = await server.getJson<MachineList>('/api/machines');
  const machine = list.machines.find((m) => m.hostname === hostname());
  t.ok(machine, `machine ${hostname()} is listed`);
  const detail = await server.getJson<{ machine: Record<string, unknown> }>(`/api/machines/${machine!.id}`);
  t.match(JSON.stringify(detail.machine), /dpkg|Debian/, 'with the inventory this machine reported');

  const status = await runProgram(binary, ['status', '--json', '--state-dir', stateDir]);
  t.equal(status.code, 0, status.stderr);
  t.match(JSON.parse(status.stdout), { enrolled: true, running: false, outboxLength: 0, lastAck: { result: 'applied' } }, 'status shows the acknowledged report and an empty outbox');
});

t.test('install --dry-run from the binary starts the binary itself at boot', async (t) => {
  const result = await runProgram(binary, ['install', '--dry-run', '--state-dir', '/var/lib/zhengban-agent']);
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, `| ExecStart=${binary} run --state-dir /var/lib/zhengban-agent\n`);
  t.match(result.stdout, '| WorkingDirectory=/\n');
});
