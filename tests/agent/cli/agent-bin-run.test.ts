import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { writeEvidenceBundle } from '../../../agent/src/evidence/index.ts';
import { ProtocolServer, TEST_AGENT, newServerMemory } from '../transport/protocol-server.ts';
import { enrolledStateDir, startServer, tempDir } from './agent-bin-helpers.ts';
import { debianBundle } from './bundles.ts';
import { runAgentBin } from './run-cli.ts';

// Each step starts the real bin (node + tsx compiling the agent): seconds apiece on a busy machine.
t.setTimeout(300_000);

t.test('run --once sends a full report first, and a package install later as a delta', async (t) => {
  const server = await startServer(t);
  const stateDir = await enrolledStateDir(t, server);
  const dir = await tempDir(t);
  await writeEvidenceBundle(debianBundle(['bash@5.2-1', 'curl@7.88-1']), join(dir, 'before'));
  await writeEvidenceBundle(debianBundle(['bash@5.2-1', 'curl@7.88-1', 'vim@9.0-1'], '2026-11-28T11:00:00.000Z'), join(dir, 'after'));

  const first = await runAgentBin(['run', '--once', '--evidence', join(dir, 'before'), '--state-dir', stateDir]);
  t.equal(first.code, 0, first.stderr);
  t.match(first.stdout, /delivered: 1 report\(s\) acknowledged/);
  const second = await runAgentBin(['run', '--once', '--evidence', join(dir, 'after'), '--state-dir', stateDir]);
  t.equal(second.code, 0, second.stderr);
  t.same(server.memory.received, [{ seq: 1, type: 'inventory.full' }, { seq: 2, type: 'inventory.delta' }]);
  t.same(server.memory.inventory?.software.map((s) => s.name).sort(), ['bash', 'curl', 'vim']);

  const status = await runAgentBin(['status', '--json', '--state-dir', stateDir]);
  t.equal(status.code, 0);
  t.match(JSON.parse(status.stdout), {
    enrolled: true,
    agentId: TEST_AGENT.agentId,
    running: false,
    lastReport: { seq: 2, kind: 'delta' },
    lastAck: { seq: 2, result: 'applied' },
    outboxLength: 0,
  });
});

t.test('run --once with the server away fails with exit 4, keeps the report, and delivers it exactly once later', async (t) => {
  const memory = newServerMemory();
  const server = await startServer(t, new ProtocolServer(memory));
  const stateDir = await enrolledStateDir(t, server);
  const bundle = join(await tempDir(t), 'bundle.tar.gz');
  await writeEvidenceBundle(debianBundle(['bash@5.2-1']), bundle);
  const port = server.port;
  await server.stop();

  const away = await runAgentBin(['run', '--once', '--timeout', '3s', '--evidence', bundle, '--state-dir', stateDir]);
  t.equal(away.code, 4);
  t.match(away.stderr, /zhengban-agent: not delivered within 3 s: cannot reach ws:\/\/127\.0\.0\.1:\d+\/agent\/ws \(ECONNREFUSED\); 1 report\(s\) stay in the outbox/);
  t.same(await readdir(join(stateDir, 'outbox')).then((names) => names.filter((n) => /^\d+\.json$/.test(n))), ['0000000000000001.json']);

  const back = new ProtocolServer(memory);
  await back.start(port);
  t.teardown(() => back.stop());
  const retry = await runAgentBin(['run', '--once', '--evidence', bundle, '--state-dir', stateDir]);
  t.equal(retry.code, 0, retry.stderr);
  t.same(memory.applied, [1], 'the waiting report is applied once; the unchanged rescan adds nothing');
});

t.test('run --once with revoked credentials exits 5 and says to enrol again', async (t) => {
  const server = await startServer(t);
  const stateDir = await enrolledStateDir(t, server);
  const credentialsPath = join(stateDir, 'credentials.json');
  const credentials = JSON.parse(await readFile(credentialsPath, 'utf8'));
  await writeFile(credentialsPath, JSON.stringify({ ...credentials, secret: 'r'.repeat(40) }));
  const bundle = join(await tempDir(t), 'bundle');
  await writeEvidenceBundle(debianBundle(['bash@5.2-1']), bundle);
  const result = await runAgentBin(['run', '--once', '--evidence', bundle, '--state-dir', stateDir]);
  t.equal(result.code, 5);
  t.match(result.stderr, /refused this agent's credentials \(HTTP 401\).*enrol again/);
});
