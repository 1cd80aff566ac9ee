/**
 * Issue #2, acceptance 2 (second half): when the server's copy of a PC's inventory is not the one
 * the agent's delta builds on, the server refuses the delta and asks for a full report, and the
 * agent recovers by sending one. The server's copy is made stale the way it happens in the field:
 * the database is restored from an earlier backup of that machine's inventory.
 *
 * The real server app runs in this process (listening on a real port, real database) so the test
 * can restore the machine's rows while the real agent, a child process, stays connected.
 */
import { join } from 'node:path';
import t from 'tap';
import { makeTempDir } from './helpers/temp-dir.ts';
import { buildTestApp } from '../helpers/db.ts';
import { AgentDaemon, createStateDir, readAgentCredentials, runAgent } from './helpers/agent-cli.ts';
import { SwitchableBundle, writeDebianBundle } from './helpers/evidence.ts';
import { getAgentMachineId, listAgentReports, listSoftwareIds, restoreMachine, snapshotMachine } from './helpers/machine-snapshot.ts';

// Several real processes (server, agent CLIs) start one after another; on a loaded 2-core machine
// that takes minutes. Waits inside are bounded on their own (helpers/output-lines.ts).
t.setTimeout(600_000);

const testApp = await buildTestApp({ listen: true });
t.teardown(testApp.close);
const { database } = testApp;

const bundles = await makeTempDir('bundles');
const v0 = await writeDebianBundle(join(bundles, 'v0'));
const v1 = await writeDebianBundle(join(bundles, 'v1'), { install: [{ name: 'htop', version: '3.2.2-2' }] });
const v2 = await writeDebianBundle(join(bundles, 'v2'), { install: [{ name: 'htop', version: '3.2.2-2' }], remove: ['jq'] });

const stateDir = await createStateDir();
const enrolled = await runAgent(['enroll', '--server', testApp.baseUrl, '--token', testApp.seeded.startupToken, '--state-dir', stateDir]);
if (enrolled.code !== 0) throw new Error(`enrolment failed: ${enrolled.stderr}`);
const { agentId } = await readAgentCredentials(stateDir);
const machineId = await getAgentMachineId(database, agentId);

/** The software ids the agent itself reads from a bundle (`scan --evidence --json`). */
async function softwareIdsOf(bundle: string): Promise<string[]> {
  const scanned = await runAgent(['scan', '--evidence', bundle, '--json']);
  return (JSON.parse(scanned.stdout) as { software: { id: string }[] }).software.map((s) => s.id).sort();
}

async function runOnce(bundle: string) {
  const result = await runAgent(['run', '--once', '--evidence', bundle, '--state-dir', stateDir]);
  if (result.code !== 0) throw new Error(`run --once failed (${result.code}): ${result.stderr}`);
  return result;
}

// Report 1 (full, v0) and report 2 (delta, v1); keep the server's copy as it was after report 1.
await runOnce(v0);
const backup = await snapshotMachine(database, machineId);
await runOnce(v1);

t.test('a delta against a stale base is refused, the server asks for a full report, and the full report is applied', async (t) => {
  const bundle = await SwitchableBundle.create(v1);
  const agent = AgentDaemon.start(['--evidence', bundle.path, '--interval', '10s', '--state-dir', stateDir, '--debug']);
  t.teardown(() => agent.stop());
  await agent.waitForLog(/ info connected$/);

  await restoreMachine(database, backup);
  await bundle.pointAt(v2);

  const rejected = await agent.waitForLog(/server rejected report 3: delta base [0-9a-f]{64} is not the server's inventory [0-9a-f]{64}; sending a full report/);
  t.pass(`the agent was told: ${rejected.line.replace(/^\S+ \w+ /, '')}`);
  await agent.waitForLog(/server asked for a full report/);
  await agent.waitForLog(/report 4 applied/, rejected.index);
  t.equal(await agent.stop(), 0, 'the agent stops cleanly on SIGTERM');

  t.match(await listAgentReports(database, agentId), [
    { seq: 1, kind: 'full' },
    { seq: 2, kind: 'delta' },
    { seq: 4, kind: 'full', rows_upserted: 1, rows_removed: 1 },
  ], 'report 3 (the stale delta) was never applied; report 4, a full report, was');
  t.equal((await listAgentReports(database, agentId)).length, 3);
  t.same(await listSoftwareIds(database, machineId), await softwareIdsOf(v2), 'the stored software is the PC as it is now');
});

t.test('when the server holds an older inventory at reconnect, the agent sends a full report without being asked', async (t) => {
  await restoreMachine(database, backup);
  const ran = await runOnce(v2);
  t.match(ran.stdout, /delivered: 1 report\(s\)/, 'the agent had nothing new to say, yet delivered one report');

  const reports = await listAgentReports(database, agentId);
  t.match(reports.at(-1), { seq: 5, kind: 'full' }, 'the next report applied is a full report');
  t.same(await listSoftwareIds(database, machineId), await softwareIdsOf(v2));
});
