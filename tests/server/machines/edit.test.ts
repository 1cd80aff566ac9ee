/**
 * Correcting a machine's record (PATCH /api/machines/:id): an admin sets the asset tag, department
 * and note of any machine, and the name, OS family and serial of one without an agent; an agent's
 * machine keeps what its reports say (409). Every change is audited with before and after; a
 * duplicate asset tag or serial, bad fields, viewers and other units are refused and change nothing.
 */
import t from 'tap';
import { buildTestApp } from '../../helpers/db.ts';
import { createUnit, enrolMachine } from '../compliance/helpers.ts';
import { signInAs } from '../live/helpers.ts';

const testApp = await buildTestApp({ config: { alertSweepSeconds: 0 } });
t.teardown(testApp.close);
const { app, db, database, seeded } = testApp;

const unit = await createUnit(db, seeded.rootOrgId, '君山区财政局');
const other = await createUnit(db, seeded.rootOrgId, '君山区教育局');
const admin = await signInAs(app, db, unit.id, 'unit-admin', 'junshan-caizheng');
const viewer = await signInAs(app, db, unit.id, 'unit-viewer', 'junshan-caizheng-kan');
const otherAdmin = await signInAs(app, db, other.id, 'unit-admin', 'junshan-jiaoyu');

const registered = async (body: Record<string, unknown>) => {
  const res = await app.inject({ method: 'POST', url: '/api/machines/register', headers: admin.headers, payload: { orgId: unit.id, ...body } });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json().machine.id as string;
};
const edit = (id: string, body: unknown, who = admin) => app.inject({ method: 'PATCH', url: `/api/machines/${id}`, headers: who.headers, payload: body as object });
const row = async (id: string) =>
  (
    await database.query<{ hostname: string; os_family: string | null; hardware_serial: string | null; asset_tag: string | null; department: string | null; note: string | null }>(
      'SELECT hostname, os_family, hardware_serial, asset_tag, department, note FROM machines WHERE id = $1',
      [id],
    )
  )[0]!;
const audits = async (id: string) => database.query<{ before: unknown; after: unknown; username: string }>("SELECT before, after, username FROM audit_log WHERE action = 'machine.edit' AND target_id = $1 ORDER BY id", [id]);

const pc = await registered({ hostname: '涉密-01', osFamily: 'windows', assetTag: 'ZC-001', serial: 'SN-001', department: '办公室', note: '旧备注' });
const spare = await registered({ hostname: '备用-02', assetTag: 'ZC-002', serial: 'SN-002' });
const withAgent = await enrolMachine(database, unit, 'caizheng-pc-09');

t.test('a machine without an agent: every field can be corrected, blanks clear, one audit entry with what changed', async (t) => {
  const res = await edit(pc, { hostname: '涉密-财务-01', osFamily: 'kylin', serial: 'SN-001A', assetTag: 'ZC-001A', department: '财务科', note: '' });
  t.equal(res.statusCode, 200, res.body);
  t.same(res.json().changed.sort(), ['assetTag', 'department', 'hostname', 'note', 'osFamily', 'serial']);
  t.same(await row(pc), { hostname: '涉密-财务-01', os_family: 'kylin', hardware_serial: 'SN-001A', asset_tag: 'ZC-001A', department: '财务科', note: null });
  t.same(await audits(pc), [
    {
      username: 'junshan-caizheng',
      before: { hostname: '涉密-01', osFamily: 'windows', serial: 'SN-001', assetTag: 'ZC-001', department: '办公室', note: '旧备注' },
      after: { hostname: '涉密-财务-01', osFamily: 'kylin', serial: 'SN-001A', assetTag: 'ZC-001A', department: '财务科', note: null },
    },
  ]);
  const detail = (await app.inject({ url: `/api/machines/${pc}`, headers: viewer.headers })).json().machine;
  t.match(detail, { hostname: '涉密-财务-01', os: { family: 'kylin' }, registration: { assetTag: 'ZC-001A', department: '财务科', note: null } });
});

t.test('an edit that changes nothing writes nothing', async (t) => {
  const res = await edit(pc, { department: '财务科' });
  t.equal(res.statusCode, 200);
  t.same(res.json().changed, []);
  t.equal((await audits(pc)).length, 1, 'no second audit entry');
});

t.test("an agent's machine: asset tag, department and note yes; what its reports say, no", async (t) => {
  const before = await row(withAgent.machineId);
  const refused = await edit(withAgent.machineId, { hostname: 'renamed', department: '信息科' });
  t.equal(refused.statusCode, 409);
  t.match(refused.json(), { code: 'machine.reported-by-agent', message: /hostname/ });
  t.same(await row(withAgent.machineId), before, 'nothing changed, not even the department');
  const ok = await edit(withAgent.machineId, { assetTag: 'ZC-009', department: '信息科', note: '三楼机房' });
  t.equal(ok.statusCode, 200, ok.body);
  t.match(await row(withAgent.machineId), { hostname: 'caizheng-pc-09', asset_tag: 'ZC-009', department: '信息科', note: '三楼机房' });
});

t.test('refused and nothing written: duplicates in the unit, bad fields, viewers, other units', async (t) => {
  const before = { pc: await row(pc), spare: await row(spare), audits: (await audits(pc)).length };
  const dupTag = await edit(spare, { assetTag: 'ZC-001A' });
  t.equal(dupTag.statusCode, 409);
  t.match(dupTag.json(), { code: 'machine.duplicate', message: /asset tag ZC-001A: 涉密-财务-01/ });
  const dupSerial = await edit(spare, { serial: 'SN-001A', note: 'x' });
  t.equal(dupSerial.statusCode, 409);
  t.match(dupSerial.json(), { code: 'machine.duplicate', message: /serial SN-001A/ });
  for (const [body, field] of [
    [{}, 'at least one field'],
    [{ hostname: '' }, 'hostname'],
    [{ hostname: '   ' }, 'hostname'],
    [{ osFamily: 'beos' }, 'osFamily'],
    [{ assetTag: 'x'.repeat(500) }, 'assetTag'],
    [{ department: 'a\u0000b' }, 'department'],
    [{ owner: '张三' }, 'owner'],
  ] as const) {
    const res = await edit(spare, body);
    t.equal(res.statusCode, 400, JSON.stringify(body));
    t.match(res.body, field, `names ${field}`);
  }
  t.equal((await edit(spare, { note: 'x' }, viewer)).statusCode, 403, 'viewers read only');
  t.equal((await edit(spare, { note: 'x' }, otherAdmin)).statusCode, 404, "another unit's admin does not see it");
  t.equal((await edit('not-a-uuid', { note: 'x' })).statusCode, 400);
  t.same({ pc: await row(pc), spare: await row(spare), audits: (await audits(pc)).length }, before);
});
