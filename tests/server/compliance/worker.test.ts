/**
 * Compliance right after ingest (compliance/worker.ts) on the real database: machines an ingest
 * changed are refreshed together, a crash between an ingest's commit and its refresh is recovered
 * when the server starts, a machine that cannot be refreshed holds back no other, and two workers
 * (two server processes) refreshing machines of one unit at once leave the same positions as one.
 * Runs on PGlite and, with DATABASE_URL, on PostgreSQL.
 */
import t from 'tap';
import { buildApp } from '../../../server/src/app.ts';
import { bootstrap } from '../../../server/src/bootstrap/bootstrap.ts';
import { listDirtyMachines } from '../../../server/src/compliance/refresh-state.ts';
import { ComplianceWorker } from '../../../server/src/compliance/worker.ts';
import { ingestFullReport } from '../../../server/src/ingest/ingest-full.ts';
import { createTestDatabase, testConfig } from '../../helpers/db.ts';
import { fullReport } from '../helpers/inventory.ts';
import { createUnit, enrolMachine, registry, windowsInventory, type TestUnit } from './helpers.ts';

const testDb = await createTestDatabase();
t.teardown(testDb.close);
const { db, database } = testDb;
const seeded = await bootstrap(db, { adminPassword: 'test-admin-password' });

const winrar = registry('WinRAR 6.24 (64-位)', 'win.rar GmbH');

/** A worker whose log keeps what it says. */
function worker() {
  const said: Array<{ level: string; message: string }> = [];
  const log = {
    error: (_: object, message: string) => said.push({ level: 'error', message }),
    warn: (_: object, message: string) => said.push({ level: 'warn', message }),
    info: (_: object, message: string) => said.push({ level: 'info', message }),
  };
  return { instance: new ComplianceWorker(db, log), said };
}

/**
 * Machines with WinRAR reported and stored, their compliance not refreshed: what a server that
 * crashed right after the ingests committed leaves behind.
 */
async function ingestedNotRefreshed(unit: TestUnit, count: number, prefix: string) {
  const machines = [];
  for (let i = 0; i < count; i++) {
    const machine = await enrolMachine(database, unit, `${prefix}-${i}`);
    const outcome = await ingestFullReport(db, machine.agentId, fullReport(1, windowsInventory(`${prefix}-${i}`, { software: [winrar] })), () => undefined);
    if (outcome.result !== 'applied') throw new Error(`not applied: ${JSON.stringify(outcome)}`);
    machines.push(machine);
  }
  return machines;
}

const productsOf = async (machineId: string) =>
  (await database.query<{ product_id: string }>('SELECT product_id FROM machine_products WHERE machine_id = $1 ORDER BY product_id', [machineId])).map((r) => r.product_id);
const winrarPosition = async (unit: TestUnit) =>
  (await database.query<{ installs: number; shortfall: number }>("SELECT installs, shortfall FROM licence_positions WHERE org_id = $1 AND product_id = 'winrar'", [unit.id]))[0];
const isDirty = async (machineId: string) => (await listDirtyMachines(db)).some((d) => d.machineId === machineId);

t.test('a machine an ingest changed but nobody refreshed is refreshed when the server starts', async (t) => {
  const unit = await createUnit(db, seeded.rootOrgId, '区财政局');
  const [machine] = await ingestedNotRefreshed(unit, 1, 'crashed');
  t.ok(await isDirty(machine!.machineId), 'dirty: its inventory is not the one its compliance was computed from');
  t.same(await productsOf(machine!.machineId), [], 'no products recognised yet');
  t.equal(await winrarPosition(unit), undefined, 'no position yet');

  // The server starts on the same database: the worker sweeps dirty machines before anything else happens.
  const app = await buildApp(testConfig(), { database });
  await app.ready();
  await app.complianceWorker.whenIdle();
  t.same(await productsOf(machine!.machineId), ['windows-10-pro', 'winrar']);
  // WinRAR on one machine and no licence: one install, a shortfall of one.
  t.match(await winrarPosition(unit), { installs: 1, shortfall: 1 });
  t.notOk(await isDirty(machine!.machineId), 'clean again');
  const [state] = await database.query<{ same: boolean }>(
    'SELECT c.inventory_hash = m.inventory_hash AS same FROM machine_compliance c JOIN machines m ON m.id = c.machine_id WHERE m.id = $1',
    [machine!.machineId],
  );
  t.same(state, { same: true }, 'the refresh recorded the inventory it computed from');
  await app.close();
});

t.test('machines queued together are refreshed in one transaction', async (t) => {
  const unit = await createUnit(db, seeded.rootOrgId, '区教育局');
  const machines = await ingestedNotRefreshed(unit, 3, 'together');
  const { instance } = worker();
  instance.enqueue(machines.map((m) => m.machineId));
  await instance.whenIdle();
  const xmins = await database.query<{ x: string }>('SELECT DISTINCT xmin::text AS x FROM machine_compliance WHERE machine_id = ANY($1::uuid[])', [machines.map((m) => m.machineId)]);
  t.equal(xmins.length, 1, 'one transaction');
  t.match(await winrarPosition(unit), { installs: 3, shortfall: 3 });
  for (const m of machines) t.notOk(await isDirty(m.machineId));
  await instance.close();
});

t.test('a machine whose refresh fails holds back no other, and stays dirty for a later sweep', async (t) => {
  const unit = await createUnit(db, seeded.rootOrgId, '区卫健委');
  const machines = await ingestedNotRefreshed(unit, 3, 'failing');
  const bad = machines[1]!.machineId;
  await database.query(`
    CREATE FUNCTION refuse_machine_product() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.machine_id = '${bad}'::uuid THEN RAISE EXCEPTION 'refused by the test'; END IF;
      RETURN NEW;
    END $$`);
  await database.query('CREATE TRIGGER refuse_machine_product BEFORE INSERT ON machine_products FOR EACH ROW EXECUTE FUNCTION refuse_machine_product()');

  const { instance, said } = worker();
  instance.enqueue(machines.map((m) => m.machineId));
  await instance.whenIdle();
  t.match(said, [
    { level: 'warn', message: /batch refresh failed; refreshing one by one/ },
    { level: 'error', message: /refresh failed; the machine stays dirty/ },
  ]);
  t.match(await winrarPosition(unit), { installs: 2 }, 'the two others are counted');
  t.ok(await isDirty(bad), 'the failing machine is still dirty');
  for (const m of [machines[0]!, machines[2]!]) t.notOk(await isDirty(m.machineId));

  // Once the cause is gone, a sweep that sees it dirty twice running refreshes it.
  await database.query('DROP TRIGGER refuse_machine_product ON machine_products');
  t.equal(await instance.sweep(), 0, 'first sighting: it may be another process\'s refresh in flight');
  t.equal(await instance.sweep(), 1, 'second sighting with the same inventory: nobody refreshed it');
  await instance.whenIdle();
  t.notOk(await isDirty(bad));
  t.match(await winrarPosition(unit), { installs: 3, shortfall: 3 });
  await instance.close();
});

t.test('two workers (two server processes) refreshing machines of one unit at once count every install', async (t) => {
  const unit = await createUnit(db, seeded.rootOrgId, '区公安局');
  const machines = await ingestedNotRefreshed(unit, 6, 'concurrent');
  const [a, b] = [worker().instance, worker().instance];
  a.enqueue(machines.slice(0, 3).map((m) => m.machineId));
  b.enqueue(machines.slice(3).map((m) => m.machineId));
  await Promise.all([a.whenIdle(), b.whenIdle()]);
  // Each worker's unit recompute waits on the unit's advisory lock, then reads the other's installs.
  t.match(await winrarPosition(unit), { installs: 6, shortfall: 6 });
  for (const m of machines) t.notOk(await isDirty(m.machineId));
  await Promise.all([a.close(), b.close()]);
});
