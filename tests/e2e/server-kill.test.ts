/**
 * Issue #2, acceptance 3: kill the server (SIGKILL) while the agent has unacknowledged reports in
 * its outbox, start it again, and every report is applied exactly once: no duplicate and no
 * missing install, in the software rows and in the report log.
 *
 * Two ways a report can be unacknowledged are both made to happen, with the real agent running
 * as a daemon against the real server process:
 * - the server applied the report but died before its ack reached the agent (the relay between
 *   them holds the ack back, then the server is killed), so the agent still holds it;
 * - the agent queued reports while the server was dead.
 */
import { join } from 'node:path';
import t from 'tap';
import { makeTempDir } from './helpers/temp-dir.ts';
import { AgentDaemon, createStateDir, readAgentCredentials, runAgent } from './helpers/agent-cli.ts';
import { ApiClient } from './helpers/api.ts';
import { SwitchableBundle, writeDebianBundle, type DpkgPackage } from './helpers/evidence.ts';
import { getAgentMachineId, listAgentReports, listSoftwareIds } from './helpers/machine-snapshot.ts';
import { createServerDatabase } from './helpers/server-database.ts';
import { ServerProcess, type ReportLog } from './helpers/server-process.ts';
import { TcpProxy } from './helpers/tcp-proxy.ts';

// Waits include two server starts, the agent's scan interval (10 s, its minimum) and its reconnect
// backoff; on a loaded 2-core machine that takes minutes.
t.setTimeout(900_000);

const HTOP: DpkgPackage = { name: 'htop', version: '3.2.2-2' };
const TMUX: DpkgPackage = { name: 'tmux', version: '3.3a-3' };

t.test('reports applied or queued around a SIGKILL of the server are each applied exactly once after it restarts', async (t) => {
  const bundles = await makeTempDir('bundles');
  const v1 = await writeDebianBundle(join(bundles, 'v1'));
  const v2 = await writeDebianBundle(join(bundles, 'v2'), { install: [HTOP] });
  const v3 = await writeDebianBundle(join(bundles, 'v3'), { install: [HTOP, TMUX], remove: ['jq'] });

  const database = await createServerDatabase();
  t.teardown(() => database.remove());
  const first = await ServerProcess.start({ database, host: '127.0.0.1' });
  const servers = [first.server];
  t.teardown(async () => {
    for (const server of servers) await server.kill();
  });
  const proxy = await TcpProxy.start(first.server.port);
  t.teardown(() => proxy.close());

  const stateDir = await createStateDir();
  const token = / --token (\S+)/.exec(first.banner.enrollCommand)![1]!;
  const enrolled = await runAgent(['enroll', '--server', proxy.url, '--token', token, '--state-dir', stateDir]);
  t.equal(enrolled.code, 0, `enrolled through the relay (stderr: ${enrolled.stderr})`);
  const { agentId } = await readAgentCredentials(stateDir);

  const bundle = await SwitchableBundle.create(v1);
  const agent = AgentDaemon.start(['--evidence', bundle.path, '--interval', '10s', '--state-dir', stateDir, '--debug']);
  t.teardown(() => agent.stop());
  /** Failures while waiting on the server show what the agent was doing. */
  const withAgentLog = <T>(wait: Promise<T>) =>
    wait.catch((error: Error) => {
      throw new Error(`${error.message}\nagent log:\n${agent.stderr.tail()}`);
    });
  await withAgentLog(first.server.waitForReport(agentId, 1, 'applied'));
  await agent.waitForLog(/ report 1 applied$/);

  // Report 2 is applied, but its ack is held in the network when the server dies.
  proxy.holdServerBytes = true;
  await bundle.pointAt(v2);
  await withAgentLog(first.server.waitForReport(agentId, 2, 'applied'));
  await first.server.kill();
  proxy.cutAll();
  proxy.holdServerBytes = false;
  t.notOk(agent.stderr.lines.some((l) => / report 2 applied$/.test(l)), 'the agent never heard that report 2 was applied');

  // An install and a removal while the server is dead: queued behind report 2, chained on it.
  // (One change only: the longer the server is away, the longer the agent's backoff grows.)
  await bundle.pointAt(v3);
  await agent.waitForLog(/queued delta \(\+1 -1 software\) as report 3; 2 waiting/);

  const second = await ServerProcess.start({ database, host: '127.0.0.1' });
  servers.push(second.server);
  proxy.targetPort = second.server.port;
  await withAgentLog(second.server.waitForReport(agentId, 3, 'applied'));
  await agent.waitForLog(/ report 3 applied$/);
  t.ok(
    agent.stderr.lines.some((l) => /server has reports up to 2: 1 already delivered/.test(l)),
    "the restarted server's welcome told the agent report 2 was applied; the agent dropped it",
  );

  const outcomes = (server: ServerProcess) => server.reports(agentId).map((r: ReportLog) => `${r.seq} ${r.type} ${r.result}`);
  t.same(outcomes(first.server), ['1 inventory.full applied', '2 inventory.delta applied'], 'the first server process applied reports 1 and 2');
  t.same(outcomes(second.server), ['3 inventory.delta applied'], 'the restarted one applied report 3, and nothing twice');

  const api = await ApiClient.login(second.banner.url, first.banner.username, first.banner.password!);
  const machineId = (await api.machines())[0]!.id;
  const machine = await api.machine(machineId);
  const expected = await softwareIdsOf(v3);
  t.same(machine.software.map((s) => s.id).sort(), expected, 'the API lists the software of the last capture: every install once, the removal gone');
  t.equal(machine.softwareCount, expected.length);

  t.equal(await agent.stop(), 0, 'the agent stops cleanly');
  t.equal(await second.server.stop(), 0, 'the restarted server stops cleanly');
  await database.inspect(async (db) => {
    t.match(await listAgentReports(db, agentId), [
      { seq: 1, kind: 'full' },
      { seq: 2, kind: 'delta', rows_upserted: 1, rows_removed: 0 },
      { seq: 3, kind: 'delta', rows_upserted: 1, rows_removed: 1 },
    ], 'the report log holds each report once, in order');
    t.equal((await listAgentReports(db, agentId)).length, 3);
    t.same(await listSoftwareIds(db, await getAgentMachineId(db, agentId)), expected, 'the software rows match the last capture exactly');
  });
});

/** The software ids the agent itself reads from a bundle (`scan --evidence --json`). */
async function softwareIdsOf(bundle: string): Promise<string[]> {
  const scanned = await runAgent(['scan', '--evidence', bundle, '--json']);
  return (JSON.parse(scanned.stdout) as { software: { id: string }[] }).software.map((s) => s.id).sort();
}
