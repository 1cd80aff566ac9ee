import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { MessageType, PROTOCOL_VERSION } from '@zhengban/protocol';
import { writeEvidenceBundle } from '../../../agent/src/evidence/index.ts';
import { ProtocolServer, eventually, newServerMemory } from '../transport/protocol-server.ts';
import { enrolledStateDir, startServer, tempDir } from './agent-bin-helpers.ts';
import { debianBundle } from './bundles.ts';
import { AGENT_BIN, runAgentBin } from './run-cli.ts';

// Each step starts the real bin (node + tsx compiling the agent): seconds apiece on a busy machine.
t.setTimeout(300_000);

t.test('run keeps reporting: status shows it connected, a server-requested rescan sends a delta, SIGTERM stops it cleanly', async (t) => {
  const memory = newServerMemory();
  const server = await startServer(t, new ProtocolServer(memory));
  const stateDir = await enrolledStateDir(t, server);
  const bundle = join(await tempDir(t), 'bundle');
  await writeEvidenceBundle(debianBundle(['bash@5.2-1']), bundle);

  const agent = spawn(process.execPath, [AGENT_BIN, 'run', '--evidence', bundle, '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  agent.stderr.on('data', (chunk) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => agent.on('exit', (code) => resolve(code)));
  t.teardown(() => agent.kill('SIGKILL'));
  await eventually('first report applied', () => memory.applied.length === 1);

  const status = JSON.parse((await runAgentBin(['status', '--json', '--state-dir', stateDir])).stdout);
  t.match(status, { running: true, pid: agent.pid, connection: 'connected', outboxLength: 0 });
  const busy = await runAgentBin(['run', '--once', '--evidence', bundle, '--state-dir', stateDir]);
  t.equal(busy.code, 7, 'a second agent on the same state directory is refused');
  t.match(busy.stderr, new RegExp(`another agent \\(pid ${agent.pid}\\) is already running`));

  await rm(bundle, { recursive: true });
  await writeEvidenceBundle(debianBundle(['bash@5.2-1', 'vim@9.0-1'], '2026-11-28T12:00:00.000Z'), bundle);
  server.broadcast({ v: PROTOCOL_VERSION, type: MessageType.ServerCommand, command: 'scan.now' });
  await eventually('delta applied', () => memory.applied.length === 2);
  t.same(memory.received.map((r) => r.type), ['inventory.full', 'inventory.delta']);

  agent.kill('SIGTERM');
  t.equal(await exited, 0, 'exit code 0 after SIGTERM');
  t.match(log, /queued full report .* as report 1/);
  t.match(log, /SIGTERM: stopping/);
  const after = JSON.parse((await runAgentBin(['status', '--json', '--state-dir', stateDir])).stdout);
  t.match(after, { running: false, connection: 'not running', lastAck: { seq: 2, result: 'applied' } });
});

t.test('a scan that hangs is stopped after --scan-timeout and reported in the capture errors; the agent stays connected and recovers', async (t) => {
  const memory = newServerMemory();
  const server = await startServer(t, new ProtocolServer(memory));
  const stateDir = await enrolledStateDir(t, server);
  const bundle = join(await tempDir(t), 'bundle');
  await writeEvidenceBundle(debianBundle(['bash@5.2-1']), bundle);

  const agent = spawn(process.execPath, [AGENT_BIN, 'run', '--evidence', bundle, '--scan-timeout', '3s', '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  agent.stderr.on('data', (chunk) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => agent.on('exit', (code) => resolve(code)));
  t.teardown(() => agent.kill('SIGKILL'));
  await eventually('first report applied', () => memory.applied.length === 1);

  // A named pipe with no writer: the scan process blocks opening it, as a hung capture would.
  await rm(bundle, { recursive: true });
  await promisify(execFile)('mkfifo', [bundle]);
  server.broadcast({ v: PROTOCOL_VERSION, type: MessageType.ServerCommand, command: 'scan.now' });
  await eventually('failure reported', () => memory.applied.length === 2);
  t.match(memory.inventory?.captureErrors, [{ source: 'agent/scan', message: /^the scan at .* failed \(the scan took longer than 3 s and was stopped\); this report repeats the inventory collected at / }]);
  t.same(memory.inventory?.software.map((s) => s.name), ['bash'], 'the last inventory stands');
  const status = JSON.parse((await runAgentBin(['status', '--json', '--state-dir', stateDir])).stdout);
  t.match(status, { running: true, connection: 'connected', lastScan: { ok: false, error: /took longer than 3 s/ } }, 'the agent is still up and says why');

  await rm(bundle);
  await writeEvidenceBundle(debianBundle(['bash@5.2-1', 'vim@9.0-1'], '2026-11-28T12:00:00.000Z'), bundle);
  server.broadcast({ v: PROTOCOL_VERSION, type: MessageType.ServerCommand, command: 'scan.now' });
  await eventually('recovered', () => memory.applied.length === 3);
  t.same(memory.inventory?.captureErrors, [], 'the next scan that works clears the failure');
  t.same(memory.inventory?.software.map((s) => s.name).sort(), ['bash', 'vim']);

  agent.kill('SIGTERM');
  t.equal(await exited, 0, 'exit code 0 after SIGTERM');
  t.match(log, /error scan failed: the scan took longer than 3 s and was stopped/);
});
