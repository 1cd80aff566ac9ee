/**
 * Retiring a machine (报废/停用) and restoring it, through the real API on a real database: who,
 * when and why are kept and audited; a retired machine's installs leave the licence positions, its
 * findings close, the compliance rates and later reports and recomputes leave it out; restoring
 * puts all of it back. Only admins of the machine's scope may do either.
 */
import t from 'tap';
import { recomputeAll } from '../../../server/src/compliance/recompute.ts';
import { ingestFullReport } from '../../../server/src/ingest/ingest-full.ts';
import { buildTestApp } from '../../helpers/db.ts';
import { createUnit, enrolMachine, windowsInventory } from '../compliance/helpers.ts';
import { fullReport } from '../helpers/inventory.ts';
import { signInAs } from '../live/helpers.ts';

const testApp = await buildTestApp({ config: { alertSweepSeconds: 0 } });
t.teardown(testApp.close);
const { app, db, database, seeded } = testApp;

const unit = await createUnit(db, seeded.rootOrgId, '市财政局');
const other = await createUnit(db, seeded.rootOrgId, '市教育局');
const admin = await signInAs(app, db, unit.id, 'unit-admin', 'caizheng');
const viewer = await signInAs(app, db, unit.id, 'unit-viewer', 'caizheng-viewer');
const otherAdmin = await signInAs(app, db, other.id, 'unit-admin', 'jiaoyu');

// Two Windows 10 Pro PCs and one licence: 2 installs, 1 covered, shortfall 1. The second PC
// also activates against an unapproved KMS host (a finding of its own).
const pc1 = await enrolMachine(database, unit, 'caizheng-pc-01');
const pc2 = await enrolMachine(database, unit, 'caizheng-pc-02');
await ingestFullReport(db, pc1.agentId, fullReport(1, windowsInventory('caizheng-pc-01')));
const pc2Inventory = windowsInventory('caizheng-pc-02', { kmsHost: 'kms.03k.org' });
await ingestFullReport(db, pc2.agentId, fullReport(1, pc2Inventory));
const licence = await app.inject({ method: 'POST', url: '/api/licences', headers: admin.headers, payload: { orgId: unit.id, product: 'windows-10-pro', type: 'perpetual-device', quantity: 1 } });
if (licence.statusCode !== 201) throw new Error(`licence refused: ${licence.body}`);

const retire = (who: typeof admin, machineId: string, reason: unknown = '主板损坏，已报废') =>
  app.inject({ method: 'POST', url: `/api/machines/${machineId}/retire`, headers: who.headers, payload: { reason } });
const restore = (who: typeof admin, machineId: string, reason: unknown = '维修后重新启用') =>
  app.inject({ method: 'POST', url: `/api/machines/${machineId}/restore`, headers: who.headers, payload: { reason } });
const position = async () => {
  const res = await app.inject({ url: `/api/positions?orgId=${unit.id}`, headers: admin.headers });
  const found = (res.json() as { positions: Array<{ productId: string; installs: number; covered: number; shortfall: number }> }).positions.find((p) => p.productId === 'windows-10-pro');
  return found && { installs: found.installs, covered: found.covered, shortfall: found.shortfall };
};
const openFindings = async (machineId: string) =>
  (await database.query<{ code: string }>('SELECT code FROM machine_findings WHERE machine_id = $1 AND closed_at IS NULL ORDER BY code', [machineId])).map((r) => r.code);
const rates = async () => {
  const res = await app.inject({ url: '/api/compliance/rates?by=unit', headers: admin.headers });
  return (res.json() as { rows: Array<{ key: string; machines: number }> }).rows.find((r) => r.key === unit.id)?.machines;
};
const auditOf = async (action: string) =>
  database.query<{ username: string; target_id: string; before: Record<string, unknown>; after: Record<string, unknown> }>(
    'SELECT username, target_id, before, after FROM audit_log WHERE action = $1 ORDER BY id',
    [action],
  );

// Which PC the licence covers is the allocation's business; the other one is uncovered.
const uncovered = (await database.query<{ machine_id: string }>("SELECT machine_id FROM machine_findings WHERE code = 'licence.shortfall' AND closed_at IS NULL"))[0]!.machine_id;

t.test('before: both PCs count, one uncovered, the KMS finding open', async (t) => {
  t.same(await position(), { installs: 2, covered: 1, shortfall: 1 });
  t.equal(await rates(), 2);
  t.ok((await openFindings(pc2.machineId)).includes('kms.unapproved-host'));
});

t.test('viewers, other units and empty reasons are refused and change nothing', async (t) => {
  t.equal((await retire(viewer, pc2.machineId)).statusCode, 403);
  t.equal((await retire(otherAdmin, pc2.machineId)).statusCode, 404, 'another unit cannot tell the machine exists');
  const blank = await retire(admin, pc2.machineId, '   ');
  t.equal(blank.statusCode, 400);
  t.equal((await retire(admin, pc2.machineId, 'x'.repeat(501))).statusCode, 400, 'a reason longer than its column');
  t.same((await database.query('SELECT id FROM machine_retirements')).length, 0);
  t.same(await position(), { installs: 2, covered: 1, shortfall: 1 });
});

t.test('retiring a PC: its installs leave the position, its findings close, the rates leave it out, all audited', async (t) => {
  const openBefore = (await database.query<{ id: string }>('SELECT id FROM machine_findings WHERE machine_id = $1 AND closed_at IS NULL', [pc2.machineId])).map((r) => r.id);
  const res = await retire(admin, pc2.machineId);
  t.equal(res.statusCode, 200, res.body);
  const retiredAt = res.json().retirement.retiredAt as string;
  t.ok(retiredAt);
  t.same(await position(), { installs: 1, covered: 1, shortfall: 0 }, 'the remaining PC is covered by the one licence');
  t.same(await openFindings(pc2.machineId), [], 'every finding of the retired PC is closed');
  t.same(await openFindings(pc1.machineId), [], 'no shortfall left on the other PC either');
  t.equal(await rates(), 1, 'the compliance rate counts the PC in use only');
  const closedNow = await database.query<{ same: boolean }>('SELECT f.closed_at = m.retired_at AS same FROM machine_findings f JOIN machines m ON m.id = f.machine_id WHERE f.id = ANY($1::uuid[])', [openBefore]);
  t.ok(closedNow.length >= 1 && closedNow.every((r) => r.same), 'the findings open before were closed in the same transaction that retired the PC (so not counted as rectified)');

  const [audit] = await auditOf('machine.retire');
  t.match(audit, { username: 'caizheng', target_id: pc2.machineId, before: { hostname: 'caizheng-pc-02', retiredAt: null }, after: { reason: '主板损坏，已报废' } });
  t.ok((audit!.after.findingsClosed as number) >= 1, 'the audit says how many findings were closed');

  const detail = (await app.inject({ url: `/api/machines/${pc2.machineId}`, headers: viewer.headers })).json().machine;
  t.equal(new Date(detail.retiredAt).toISOString(), retiredAt);
  t.match(detail.retirements, [{ retiredBy: 'caizheng', reason: '主板损坏，已报废', restoredAt: null }]);

  const again = await retire(admin, pc2.machineId, '再次报废');
  t.equal(again.statusCode, 409);
  t.equal(again.json().code, 'machine.already-retired');
  t.equal((await database.query('SELECT id FROM machine_retirements')).length, 1, 'the second attempt left no row');
});

t.test("a retired PC's agent may still report: nothing comes back until it is restored", async (t) => {
  await ingestFullReport(db, pc2.agentId, fullReport(2, { ...pc2Inventory, collectedAt: '2025-06-02T08:00:00+08:00' }));
  t.same(await position(), { installs: 1, covered: 1, shortfall: 0 });
  t.same(await openFindings(pc2.machineId), []);
  await recomputeAll(db);
  t.same(await position(), { installs: 1, covered: 1, shortfall: 0 }, 'a full recompute leaves it out too');
  t.same(await openFindings(pc2.machineId), []);
});

t.test('restoring puts the PC back: installs, findings (as new rows), the rates; audited with who and why', async (t) => {
  t.equal((await restore(otherAdmin, pc2.machineId)).statusCode, 404);
  const res = await restore(admin, pc2.machineId);
  t.equal(res.statusCode, 200, res.body);
  t.same(res.json().retirement.retiredAt, null);
  t.same(await position(), { installs: 2, covered: 1, shortfall: 1 });
  t.equal(await rates(), 2);
  t.ok((await openFindings(pc2.machineId)).includes('kms.unapproved-host'), 'the KMS finding is open again');
  t.same((await openFindings(uncovered)).filter((c) => c === 'licence.shortfall'), ['licence.shortfall'], 'the uncovered PC has its shortfall again');
  const [closedKms] = await database.query<{ n: number }>("SELECT count(*)::int AS n FROM machine_findings WHERE machine_id = $1 AND code = 'kms.unapproved-host' AND closed_at IS NOT NULL", [pc2.machineId]);
  t.equal(closedKms!.n, 1, 'the finding closed at retirement stays closed as history');

  const [audit] = await auditOf('machine.restore');
  t.match(audit, { username: 'caizheng', target_id: pc2.machineId, after: { retiredAt: null, reason: '维修后重新启用' } });
  const detail = (await app.inject({ url: `/api/machines/${pc2.machineId}`, headers: admin.headers })).json().machine;
  t.equal(detail.retiredAt, null);
  t.match(detail.retirements, [{ retiredBy: 'caizheng', reason: '主板损坏，已报废', restoredBy: 'caizheng', restoreReason: '维修后重新启用' }]);
  t.ok(detail.retirements[0].restoredAt);

  const again = await restore(admin, pc2.machineId);
  t.equal(again.statusCode, 409);
  t.equal(again.json().code, 'machine.not-retired');
});

t.test('the history keeps every period; at most one is open', async (t) => {
  t.equal((await retire(admin, pc2.machineId, '借调至外单位，暂停使用')).statusCode, 200);
  const detail = (await app.inject({ url: `/api/machines/${pc2.machineId}`, headers: admin.headers })).json().machine;
  t.same(detail.retirements.map((r: { reason: string }) => r.reason), ['借调至外单位，暂停使用', '主板损坏，已报废'], 'newest first');
  await t.rejects(database.query('INSERT INTO machine_retirements (machine_id, reason) VALUES ($1, $2)', [pc2.machineId, '第二个未结束的报废']), 'the database refuses a second open period');
});
