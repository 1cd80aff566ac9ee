/**
 * The annual return's workflow on a real database (PGlite, and PostgreSQL with DATABASE_URL):
 * filled from enrolled agents, registered machines and ledger rows; submitted numbers frozen;
 * returned, corrected as a new version, accepted; the city roll-up equals its units' returns.
 */
import t from 'tap';
import { MessageType, PROTOCOL_VERSION, type Inventory } from '@zhengban/protocol';
import { inventoryHash } from '@zhengban/protocol/hash';
import { listRollupUnits } from '../../../server/src/annual-return/queries.ts';
import { rollUpReturns } from '../../../server/src/annual-return/rollup.ts';
import { decideReturn, getUnitReturn, submitReturn } from '../../../server/src/annual-return/service.ts';
import { SYSTEM_ACTOR } from '../../../server/src/audit/record.ts';
import { bootstrap } from '../../../server/src/bootstrap/bootstrap.ts';
import { buildRuleSet } from '../../../server/src/catalog/rules/index.ts';
import { todayInChina } from '../../../server/src/compliance/recompute.ts';
import { licences } from '../../../server/src/db/schema/ledger.ts';
import { ingestFullReport } from '../../../server/src/ingest/ingest-full.ts';
import { insertMachine } from '../../../server/src/machines/queries.ts';
import { getOrgById } from '../../../server/src/orgs/queries.ts';
import { createTestDatabase } from '../../helpers/db.ts';
import { createUnit, enrolMachine, windowsInventory, type TestUnit } from '../compliance/helpers.ts';

const testDb = await createTestDatabase();
t.teardown(testDb.close);
const { db, database } = testDb;
const seeded = await bootstrap(db, { adminPassword: 'test-admin-password' });
const today = todayInChina();
const year = Number(today.slice(0, 4));
const deps = { products: buildRuleSet().products, today };
const actor = SYSTEM_ACTOR;

const kylinInventory = (hostname: string): Inventory => ({
  ...windowsInventory(hostname),
  os: { family: 'kylin', product: 'Kylin Desktop V10 SP1', edition: 'desktop', version: 'V10 SP1', arch: 'aarch64', activation: { status: 'licensed', channel: 'retail' } },
});
const withOs = (inventory: Inventory, family: 'uos' | 'neokylin'): Inventory => ({ ...inventory, os: { ...inventory.os, family, product: family } });

let seq = 0;
async function reportMachine(unit: TestUnit, hostname: string, inventory: Inventory) {
  const machine = await enrolMachine(database, unit, hostname);
  await ingestFullReport(db, machine.agentId, { v: PROTOCOL_VERSION, type: MessageType.InventoryFull, seq: ++seq, hash: inventoryHash(inventory), inventory });
  return machine;
}

const unitA = await createUnit(db, seeded.rootOrgId, '市财政局');
const unitB = await createUnit(db, seeded.rootOrgId, '市教育局');
const a1 = await reportMachine(unitA, 'a-win-1', windowsInventory('a-win-1'));
await reportMachine(unitA, 'a-win-2', windowsInventory('a-win-2'));
await reportMachine(unitA, 'a-kylin-1', kylinInventory('a-kylin-1'));
await reportMachine(unitA, 'a-uos-1', withOs(kylinInventory('a-uos-1'), 'uos'));
await reportMachine(unitA, 'a-vm-1', { ...windowsInventory('a-vm-1'), hardware: { macs: [], virtual: true } });
const airGapped = await insertMachine(db, { orgId: unitA.id, hostname: 'a-classified', identity: { uuid: 'f0000000-0000-4000-8000-000000000001', serial: 'AIRGAP1', macs: [] } as never, hardware: undefined });
await db.insert(licences).values([
  { orgId: unitA.id, productId: 'office-proplus-2019', type: 'volume', quantity: 1, licenceCount: 25, purchasedOn: `${year}-01-10` },
  { orgId: unitA.id, productId: 'wps-professional-2019', type: 'perpetual-device', quantity: 4, purchasedOn: `${year}-02-01` },
  { orgId: unitA.id, productId: 'wps-personal', type: 'perpetual-device', quantity: 9, purchasedOn: `${year}-02-01` },
]);
await reportMachine(unitB, 'b-kylin-1', kylinInventory('b-kylin-1'));
await reportMachine(unitB, 'b-neokylin-1', withOs(kylinInventory('b-neokylin-1'), 'neokylin'));
await db.insert(licences).values({ orgId: unitB.id, productId: 'wps-professional-2023', type: 'perpetual-device', quantity: 2, purchasedOn: `${year}-03-01` });

const typedIn = { staffCount: 42, head: '张局长', liaison: '李联络', contact: '0730-8889382', signedOn: today };

t.test('the draft fills itself in from agents, registered machines and the ledger, with what is behind each figure', async (t) => {
  const view = await getUnitReturn(db, unitA.id, year, deps);
  t.equal(view.status, 'draft');
  t.same(view.draft.figures, { computers: 5, windows: 2, kylin: 1, msOffice: 25, wps: 4 });
  t.ok(view.draft.evidence.computers.includes(airGapped), 'a registered machine without an agent is a computer');
  t.ok(view.draft.evidence.windows.includes(a1.machineId));
  t.equal(view.draft.excluded.virtual.length, 1, 'the VM is left out');
  t.same(view.form.header, { unitName: '市财政局', head: null, liaison: null, contact: null, date: null });
  t.same(view.form.previous, { year: year - 1, staffCount: null, computers: 0, windows: 0, kylin: 0, msOffice: 0, wps: 0 }, 'last year from history');
  t.equal(view.dueDate, `${year}-12-10`);
});

t.test('submitted numbers do not change when machines change afterwards; the next draft does', async (t) => {
  const submitted = await submitReturn(db, actor, unitA.id, year, typedIn, deps);
  t.equal(submitted.version, 1);
  t.equal(submitted.status, 'submitted');
  t.same(submitted.figures, { computers: 5, windows: 2, kylin: 1, msOffice: 25, wps: 4 });
  t.equal(Object.keys(submitted.evidence.machineHashes).length, 5, 'each counted machine frozen with its inventory hash');
  t.equal(submitted.evidence.machineHashes[airGapped], null, 'the never-scanned machine has no hash');
  t.ok(submitted.evidence.machineHashes[a1.machineId], 'a scanned machine has its hash');

  await reportMachine(unitA, 'a-kylin-2', kylinInventory('a-kylin-2'));
  await ingestFullReport(db, a1.agentId, { v: PROTOCOL_VERSION, type: MessageType.InventoryFull, seq: ++seq, hash: inventoryHash(kylinInventory('a-win-1')), inventory: kylinInventory('a-win-1') });

  const view = await getUnitReturn(db, unitA.id, year, deps);
  t.equal(view.status, 'submitted');
  t.same(view.versions[0]!.figures, submitted.figures, 'the stored version is unchanged');
  t.same(view.form.current, { year, staffCount: 42, computers: 5, windows: 2, kylin: 1, msOffice: 25, wps: 4 }, 'the form prints the submitted numbers');
  t.same(view.draft.figures, { computers: 6, windows: 1, kylin: 3, msOffice: 25, wps: 4 }, 'the live draft moved on');
  await t.rejects(submitReturn(db, actor, unitA.id, year, typedIn, deps), { status: 409, code: 'annual-return.already-submitted' });
});

t.test('the bureau returns a form with a reason; the correction is a new version; every version is kept and audited', async (t) => {
  const [v1] = (await getUnitReturn(db, unitA.id, year, deps)).versions;
  const returned = await decideReturn(db, actor, v1!.id, { accept: false, reason: '计算机总数与核查结果不符' });
  t.equal(returned.status, 'returned');
  t.equal(returned.returnReason, '计算机总数与核查结果不符');
  t.equal((await getUnitReturn(db, unitA.id, year, deps)).status, 'draft', 'a returned form is a draft again');
  await t.rejects(decideReturn(db, actor, v1!.id, { accept: true }), { status: 409, code: "annual-return.not-submitted" });

  const v2 = await submitReturn(db, actor, unitA.id, year, { ...typedIn, staffCount: 43 }, deps);
  t.equal(v2.version, 2);
  t.same(v2.figures, { computers: 6, windows: 1, kylin: 3, msOffice: 25, wps: 4 });
  const accepted = await decideReturn(db, actor, v2.id, { accept: true });
  t.equal(accepted.status, 'accepted');
  const view = await getUnitReturn(db, unitA.id, year, deps);
  t.same(view.versions.map((v) => [v.version, v.status]), [[2, 'accepted'], [1, 'returned']]);
  const audit = await database.query<{ action: string }>(`SELECT action FROM audit_log WHERE target_type = 'annual-return' ORDER BY id`);
  t.same(audit.map((r) => r.action), ['annual-return.submit', 'annual-return.return', 'annual-return.submit', 'annual-return.accept']);
});

t.test("the city's roll-up equals the sum of its units' submitted returns", async (t) => {
  const b = await submitReturn(db, actor, unitB.id, year, { ...typedIn, staffCount: 30 }, deps);
  t.same(b.figures, { computers: 2, windows: 0, kylin: 1, msOffice: 0, wps: 2 }, 'NeoKylin is not Kylin');
  const root = await getOrgById(db, seeded.rootOrgId);
  const scope = { viewer: {} as never, paths: [root!.path], canWrite: true };
  const rollup = rollUpReturns(year, await listRollupUnits(db, scope, year));
  const returns = await database.query<{ org_id: string; staff_count: number; figures: Record<string, number> }>(
    `SELECT DISTINCT ON (org_id) org_id, staff_count, figures FROM annual_returns WHERE year = $1 AND status IN ('submitted', 'accepted') ORDER BY org_id, version DESC`, [year]);
  const sum = (key: string) => returns.reduce((total, r) => total + Number(r.figures[key]), 0);
  t.same(rollup.city, {
    units: returns.length, staffCount: returns.reduce((total, r) => total + r.staff_count, 0),
    computers: sum('computers'), windows: sum('windows'), kylin: sum('kylin'), msOffice: sum('msOffice'), wps: sum('wps'),
  });
  t.same(rollup.city, { units: 2, staffCount: 73, computers: 8, windows: 1, kylin: 4, msOffice: 25, wps: 6 });
  t.same(rollup.notSubmitted.map((u) => u.unitId), [seeded.defaultUnitId], 'the default unit has not submitted');
});
