/**
 * Issue #2, acceptance 2 (first half): an install or a removal on a PC reaches the API as a delta,
 * not as a full re-send. The real agent reports two captures of the same PC (one with a package
 * installed, then one with another removed) to the real server process.
 */
import { join } from 'node:path';
import t from 'tap';
import { makeTempDir } from './helpers/temp-dir.ts';
import { createStateDir, readAgentCredentials, runAgent } from './helpers/agent-cli.ts';
import { ApiClient } from './helpers/api.ts';
import { dpkgId, writeDebianBundle, type DpkgPackage } from './helpers/evidence.ts';
import { createServerDatabase } from './helpers/server-database.ts';
import { ServerProcess } from './helpers/server-process.ts';

// Several real processes (server, agent CLIs) start one after another; on a loaded 2-core machine
// that takes minutes. Waits inside are bounded on their own (helpers/output-lines.ts).
t.setTimeout(600_000);

const HTOP: DpkgPackage = { name: 'htop', version: '3.2.2-2' };
const REMOVED = 'jq';

t.test('an install and a removal each reach the server as a one-entry delta', async (t) => {
  const bundles = await makeTempDir('bundles');
  const before = await writeDebianBundle(join(bundles, 'before'));
  const installed = await writeDebianBundle(join(bundles, 'installed'), { install: [HTOP] });
  const removed = await writeDebianBundle(join(bundles, 'removed'), { install: [HTOP], remove: [REMOVED] });

  const database = await createServerDatabase();
  t.teardown(() => database.remove());
  const { server, banner } = await ServerProcess.start({ database, host: '127.0.0.1' });
  t.teardown(() => server.stop());

  const stateDir = await createStateDir();
  const token = / --token (\S+)/.exec(banner.enrollCommand)![1]!;
  t.equal((await runAgent(['enroll', '--server', banner.url, '--token', token, '--state-dir', stateDir])).code, 0, 'enrolled');
  const { agentId } = await readAgentCredentials(stateDir);
  const report = async (bundle: string) => {
    const result = await runAgent(['run', '--once', '--evidence', bundle, '--state-dir', stateDir]);
    t.equal(result.code, 0, `run --once --evidence ${bundle.slice(bundles.length + 1)} exits 0 (stderr: ${result.stderr})`);
    return result;
  };

  await report(before);
  const installedRun = await report(installed);
  t.match(installedRun.stderr, /queued delta \(\+1 -0 software\) as report 2/, 'the agent says it sent a delta');
  const removedRun = await report(removed);
  t.match(removedRun.stderr, /queued delta \(\+0 -1 software\) as report 3/);
  const unchangedRun = await report(removed);
  t.match(unchangedRun.stdout, /delivered: 0 report\(s\)/, 'a rescan that finds no change sends nothing');

  const fixtureCount = server.reports(agentId)[0]?.rowsUpserted ?? 0;
  t.match(
    server.reports(agentId).map(({ type, seq, result, rowsUpserted, rowsRemoved }) => ({ type, seq, result, rowsUpserted, rowsRemoved })),
    [
      { type: 'inventory.full', seq: 1, result: 'applied', rowsUpserted: fixtureCount, rowsRemoved: 0 },
      { type: 'inventory.delta', seq: 2, result: 'applied', rowsUpserted: 1, rowsRemoved: 0 },
      { type: 'inventory.delta', seq: 3, result: 'applied', rowsUpserted: 0, rowsRemoved: 1 },
    ],
    'the server log shows one full report, then two one-row deltas',
  );
  t.equal(server.reports(agentId).length, 3, 'and nothing else');

  const api = await ApiClient.login(banner.url, banner.username, banner.password!);
  const [listed] = await api.machines();
  const machine = await api.machine(listed!.id);
  const ids = new Set(machine.software.map((s) => s.id));
  t.ok(ids.has(dpkgId(HTOP)), 'the installed package is listed');
  t.notOk([...ids].some((id) => id.startsWith(`${REMOVED}:`)), 'the removed package is gone');
  t.equal(machine.softwareCount, fixtureCount, 'one in, one out: the count is back where it was');
  t.equal(machine.software.length, fixtureCount);

  t.equal(await server.stop(), 0, 'the server shuts down cleanly');
  const logged = await database.inspect((db) =>
    db.query<{ seq: number; kind: string; rows_upserted: number; rows_removed: number; base_hash: string | null; hash: string }>(
      'SELECT seq::int AS seq, kind, rows_upserted, rows_removed, base_hash, hash FROM agent_reports WHERE agent_id = $1 ORDER BY seq',
      [agentId],
    ),
  );
  t.match(logged, [
    { seq: 1, kind: 'full', base_hash: null },
    { seq: 2, kind: 'delta', rows_upserted: 1, rows_removed: 0 },
    { seq: 3, kind: 'delta', rows_upserted: 0, rows_removed: 1 },
  ], "the database's report log records the second and third reports as deltas");
  t.equal(logged[1]!.base_hash, logged[0]!.hash, 'each delta names the inventory before it as its base');
  t.equal(logged[2]!.base_hash, logged[1]!.hash);
});
