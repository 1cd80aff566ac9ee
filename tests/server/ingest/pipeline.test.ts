/**
 * Group commit (ingest/pipeline.ts, ingest/batch.ts) on the real database: reports submitted
 * together are applied in one transaction, each with its own checks and exactly-once record; a
 * report the database refuses does not take the others of its batch down with it. Runs on PGlite
 * and, with DATABASE_URL, on PostgreSQL.
 */
import t from 'tap';
import type { Inventory } from '@zhengban/protocol';
import { bootstrap } from '../../../server/src/bootstrap/bootstrap.ts';
import type { IngestOutcome } from '../../../server/src/ingest/outcome.ts';
import { IngestPipeline } from '../../../server/src/ingest/pipeline.ts';
import { createTestDatabase } from '../../helpers/db.ts';
import { createUnit, enrolMachine } from '../compliance/helpers.ts';
import { debianInventory, deltaReport, dpkg, fullReport, manyPackages } from '../helpers/inventory.ts';
import { machineState } from '../helpers/machine-state.ts';

const testDb = await createTestDatabase();
t.teardown(testDb.close);
const { db, database } = testDb;
const seeded = await bootstrap(db, { adminPassword: 'test-admin-password' });
const unit = await createUnit(db, seeded.rootOrgId, '区财政局');

/** The pipeline as the server builds it, with the machines it hands to compliance and the warnings it logs. */
function pipeline() {
  const changed: string[][] = [];
  const warnings: Array<{ object: object; message: string }> = [];
  const instance = new IngestPipeline(db, { compliance: (ids) => changed.push(ids), log: { warn: (object, message) => warnings.push({ object, message }) } });
  return { instance, changed, warnings };
}

const inventoryOf = (hostname: string, packages = 3): Inventory =>
  debianInventory(manyPackages(packages), { hostname, hardware: { macs: [] } });

async function enrol(count: number, prefix: string) {
  return Promise.all(Array.from({ length: count }, (_, i) => enrolMachine(database, unit, `${prefix}-${i}`)));
}

/** The transactions (xmin) that wrote these agents' report records. */
async function transactionsOf(agentIds: string[]): Promise<string[]> {
  const rows = await database.query<{ x: string }>('SELECT DISTINCT xmin::text AS x FROM agent_reports WHERE agent_id = ANY($1::uuid[])', [agentIds]);
  return rows.map((r) => r.x);
}

t.test('reports submitted together are applied in one transaction, each with its own record', async (t) => {
  const machines = await enrol(5, 'together');
  const { instance, changed } = pipeline();
  const outcomes = await Promise.all(machines.map((m, i) => instance.submit(m.agentId, fullReport(1, inventoryOf(`together-${i}`, 3 + i)))));
  t.same(
    outcomes.map((o) => [o.result, o.rowsUpserted]),
    machines.map((_, i) => ['applied', 3 + i]),
  );
  t.equal((await transactionsOf(machines.map((m) => m.agentId))).length, 1, 'one transaction wrote every record');
  for (const [i, m] of machines.entries()) {
    const state = await machineState(database, m.agentId);
    t.equal(state.rows.length, 3 + i, `machine ${i}: its own rows`);
    t.same(state.reports, [{ seq: 1, kind: 'full', rows_upserted: 3 + i, rows_removed: 0 }]);
  }
  t.same(changed.flat().sort(), machines.map((m) => m.machineId).sort(), 'every changed machine went to compliance, after the commit');
  await instance.close();
});

t.test('in one batch, a duplicate, a stale delta and an unchanged re-send each get their own answer', async (t) => {
  const [a, b, c, d] = await enrol(4, 'mixed');
  const { instance, changed } = pipeline();
  const inventories = [a, b, c, d].map((_, i) => inventoryOf(`mixed-${i}`));
  await Promise.all([a, b, c, d].map((m, i) => instance.submit(m!.agentId, fullReport(1, inventories[i]!))));
  changed.length = 0;

  const next = { ...inventories[1]!, software: [...inventories[1]!.software, dpkg('htop', '3.2.2-2')] };
  const stale = { ...inventories[2]!, hostname: 'not-what-the-server-holds' };
  const outcomes: IngestOutcome[] = await Promise.all([
    instance.submit(a!.agentId, fullReport(1, inventories[0]!)), // seq 1 again
    instance.submit(b!.agentId, deltaReport(2, inventories[1]!, next)),
    instance.submit(c!.agentId, deltaReport(2, stale, { ...stale, software: [] })),
    instance.submit(d!.agentId, fullReport(2, { ...inventories[3]!, collectedAt: '2026-11-28T11:00:00Z' })),
  ]);
  t.match(outcomes[0], { seq: 1, result: 'duplicate' });
  t.match(outcomes[1], { seq: 2, result: 'applied', rowsUpserted: 1, rowsRemoved: 0 });
  t.match(outcomes[2], { seq: 2, result: 'rejected', requestFull: /is not the server's inventory/ });
  t.match(outcomes[3], { seq: 2, result: 'applied', rowsUpserted: 0, rowsRemoved: 0 });
  t.same(changed.flat(), [b!.machineId], 'only the machine whose inventory changed goes to compliance');
  t.equal((await machineState(database, c!.agentId)).lastSeq, 1, 'the rejected delta advanced nothing');
  t.equal((await machineState(database, b!.agentId)).rows.length, 4);
  await instance.close();
});

t.test('one report the database refuses does not lose the others of its batch', async (t) => {
  const machines = await enrol(4, 'isolated');
  // A real failure inside the transaction, for one machine only: the database refuses its row update.
  await database.query(`
    CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.hostname = 'poison-pc' THEN RAISE EXCEPTION 'poison-pc refused by the test'; END IF;
      RETURN NEW;
    END $$`);
  await database.query('CREATE TRIGGER refuse_poison BEFORE UPDATE ON machines FOR EACH ROW EXECUTE FUNCTION refuse_poison()');
  t.teardown(() => database.query('DROP TRIGGER refuse_poison ON machines'));

  const { instance, changed, warnings } = pipeline();
  const settled = await Promise.allSettled(
    machines.map((m, i) => instance.submit(m.agentId, fullReport(1, inventoryOf(i === 2 ? 'poison-pc' : `isolated-${i}`)))),
  );
  t.match(warnings, [{ object: { reports: 4 }, message: /batch failed; applying its reports one by one/ }], 'the four were one batch');
  const refused = settled[2] as PromiseRejectedResult;
  t.equal(refused.status, 'rejected', 'the bad report fails alone: its agent re-sends it later');
  t.match((refused.reason as { cause?: Error }).cause?.message, /poison-pc refused by the test/, 'with the database\'s own error');
  for (const i of [0, 1, 3]) t.match(settled[i], { status: 'fulfilled', value: { result: 'applied', rowsUpserted: 3 } }, `report ${i} applied`);

  const poisoned = await machineState(database, machines[2]!.agentId);
  t.same([poisoned.lastSeq, poisoned.rows.length, poisoned.reports.length], [0, 0, 0], 'nothing of the refused report was stored');
  for (const i of [0, 1, 3]) {
    const state = await machineState(database, machines[i]!.agentId);
    t.same([state.lastSeq, state.rows.length, state.reports.length], [1, 3, 1], `machine ${i}: stored exactly once`);
  }
  t.same(changed.flat().sort(), [0, 1, 3].map((i) => machines[i]!.machineId).sort());
  await instance.close();
});

t.test('two reports of one agent (two sockets racing) go in order, in separate transactions', async (t) => {
  const [m] = await enrol(1, 'racing');
  const { instance } = pipeline();
  const v1 = inventoryOf('racing-0');
  const v2 = { ...v1, software: [...v1.software, dpkg('zsh', '5.9-4')] };
  const [first, second] = await Promise.all([instance.submit(m!.agentId, fullReport(1, v1)), instance.submit(m!.agentId, deltaReport(2, v1, v2))]);
  t.match(first, { seq: 1, result: 'applied' });
  t.match(second, { seq: 2, result: 'applied', rowsUpserted: 1 }, 'the delta saw the full report before it');
  t.equal((await transactionsOf([m!.agentId])).length, 2);
  await instance.close();
});

t.test('a batch stays within its size limits; large reports are split across transactions', async (t) => {
  const machines = await enrol(3, 'large');
  const changed: string[][] = [];
  const instance = new IngestPipeline(db, { compliance: (ids) => changed.push(ids), log: { warn: () => undefined }, maxBatchEntries: 2_500 });
  const outcomes = await Promise.all(machines.map((m, i) => instance.submit(m.agentId, fullReport(1, inventoryOf(`large-${i}`, 2_000)))));
  t.same(outcomes.map((o) => o.result), ['applied', 'applied', 'applied']);
  t.equal((await transactionsOf(machines.map((m) => m.agentId))).length, 3, 'one 2,000-entry report per transaction');
  t.equal(changed.length, 3);
  await instance.close();
});

t.test('after close, reports are refused (the agent keeps them and re-sends)', async (t) => {
  const [m] = await enrol(1, 'closed');
  const { instance } = pipeline();
  await instance.close();
  await t.rejects(instance.submit(m!.agentId, fullReport(1, inventoryOf('closed-0'))), /shutting down/);
  t.equal((await machineState(database, m!.agentId)).lastSeq, 0);
});
