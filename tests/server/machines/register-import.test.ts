/**
 * Registering machines without an agent (登记无代理计算机), one by one and from a list, through the
 * real API: checked fields, duplicates refused, every registration audited; the import previews
 * without writing, lists every problem by row and column in Chinese and English, and writes all
 * rows or none, even when the database fails half-way. An agent that later enrols on a registered
 * PC and reports its serial takes over that record instead of adding a second computer.
 */
import ExcelJS from 'exceljs';
import t from 'tap';
import { enrollAgent } from '../../../server/src/agents/enroll.ts';
import { createEnrollmentToken } from '../../../server/src/agents/enrollment-tokens.ts';
import { insertOrg } from '../../../server/src/orgs/queries.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD } from '../../helpers/db.ts';
import { createUnit } from '../compliance/helpers.ts';
import { signInAs } from '../live/helpers.ts';
import { signIn, type SignedIn } from '../helpers/session.ts';

const testApp = await buildTestApp({ config: { alertSweepSeconds: 0 } });
t.teardown(testApp.close);
const { app, db, database, seeded } = testApp;

const county = await insertOrg(db, { parentId: seeded.rootOrgId, kind: 'bureau', name: '岳阳楼区版权局' });
const unit = await createUnit(db, county.id, '岳阳楼区财政局');
await database.query('UPDATE orgs SET credit_code = $1 WHERE id = $2', ['91350100M000100Y43', unit.id]);
const school = await insertOrg(db, { parentId: county.id, kind: 'unit', name: '岳阳楼区第一中学', sector: '教育', creditCode: '914403001922038216' });
const outside = await insertOrg(db, { parentId: seeded.rootOrgId, kind: 'unit', name: '君山区农商银行', sector: '中小金融机构', creditCode: '91440300708461136T' });
const admin = await signInAs(app, db, unit.id, 'unit-admin', 'caizheng');
const viewer = await signInAs(app, db, unit.id, 'unit-viewer', 'caizheng-viewer');
const countyAdmin = await signInAs(app, db, county.id, 'bureau-admin', 'county-admin');
const root = await signIn(app, 'admin', TEST_ADMIN_PASSWORD);

const register = (who: SignedIn, body: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: '/api/machines/register', headers: who.headers, payload: body });
const machinesOf = async (orgId: string) =>
  database.query<{ hostname: string; os_family: string | null; asset_tag: string | null; hardware_serial: string | null; department: string | null; note: string | null }>(
    'SELECT hostname, os_family, asset_tag, hardware_serial, department, note FROM machines WHERE org_id = $1 ORDER BY hostname',
    [orgId],
  );
const count = async (table: string, where = 'TRUE') => (await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`))[0]!.n;

t.test('a unit admin registers an air-gapped PC; it is audited and shows as one of the unit’s machines', async (t) => {
  const res = await register(admin, { orgId: unit.id, hostname: '涉密-财务-01', osFamily: 'kylin', assetTag: 'ZC-2023-0001', serial: 'PF3ABCD1', department: '财务科', note: '涉密计算机，不联网' });
  t.equal(res.statusCode, 201, res.body);
  const id = res.json().machine.id as string;
  t.same(await machinesOf(unit.id), [{ hostname: '涉密-财务-01', os_family: 'kylin', asset_tag: 'ZC-2023-0001', hardware_serial: 'PF3ABCD1', department: '财务科', note: '涉密计算机，不联网' }]);
  const [audit] = await database.query<{ username: string; org_id: string; after: Record<string, unknown> }>("SELECT username, org_id, after FROM audit_log WHERE action = 'machine.register' AND target_id = $1", [id]);
  t.match(audit, { username: 'caizheng', org_id: unit.id, after: { hostname: '涉密-财务-01', osFamily: 'kylin', assetTag: 'ZC-2023-0001', how: 'form' } });
  const detail = (await app.inject({ url: `/api/machines/${id}`, headers: viewer.headers })).json().machine;
  t.match(detail, { hostname: '涉密-财务-01', os: { family: 'kylin' }, registration: { registeredBy: 'caizheng', assetTag: 'ZC-2023-0001', department: '财务科' }, agents: [], software: [] });
});

t.test('without an OS family or optional fields: counted only in the total; blanks stored as none', async (t) => {
  const res = await register(admin, { orgId: unit.id, hostname: '旧电脑-02', assetTag: '  ', department: '' });
  t.equal(res.statusCode, 201, res.body);
  t.match((await machinesOf(unit.id)).find((m) => m.hostname === '旧电脑-02'), { os_family: null, asset_tag: null, department: null, note: null });
});

t.test('refused: duplicates in the unit, bureaus, bad fields, viewers, other units; nothing is written', async (t) => {
  const before = { machines: await count('machines'), audit: await count('audit_log') };
  const dupTag = await register(admin, { orgId: unit.id, hostname: '另一台', assetTag: 'ZC-2023-0001' });
  t.equal(dupTag.statusCode, 409);
  t.match(dupTag.json(), { code: 'machine.duplicate', message: /asset tag ZC-2023-0001: 涉密-财务-01/ });
  t.match((await register(admin, { orgId: unit.id, hostname: '另一台', serial: 'PF3ABCD1' })).json(), { code: 'machine.duplicate', message: /serial PF3ABCD1/ });
  const bureau = await register(countyAdmin, { orgId: county.id, hostname: '局机关-01' });
  t.equal(bureau.statusCode, 400);
  t.equal(bureau.json().code, 'machine.not-a-unit');
  t.equal((await register(admin, { orgId: unit.id, hostname: '' })).statusCode, 400, 'a name is required');
  t.equal((await register(admin, { orgId: unit.id, hostname: 'pc', osFamily: 'macos' })).statusCode, 400, 'an OS family the protocol does not know');
  t.equal((await register(admin, { orgId: unit.id, hostname: 'pc', note: 'x'.repeat(501) })).statusCode, 400, 'a note longer than its column');
  t.equal((await register(admin, { orgId: unit.id, hostname: 'pc\u0007' })).statusCode, 400, 'control characters');
  t.equal((await register(viewer, { orgId: unit.id, hostname: 'pc' })).statusCode, 403);
  t.equal((await register(admin, { orgId: school.id, hostname: 'pc' })).statusCode, 404, 'a sibling unit looks nonexistent');
  t.same({ machines: await count('machines'), audit: await count('audit_log') }, before);
  t.equal((await register(countyAdmin, { orgId: school.id, hostname: '一中-机房-01', osFamily: 'windows' })).statusCode, 201, 'the county admin registers in its units');
});

t.test('the same asset tag may exist in two units', async (t) => {
  t.equal((await register(countyAdmin, { orgId: school.id, hostname: '一中-机房-02', assetTag: 'ZC-2023-0001' })).statusCode, 201);
});

const HEADINGS = '计算机名称,操作系统,资产编号,序列号,使用部门,备注';
const csv = (headings: string, ...rows: string[]) => Buffer.from([headings, ...rows].join('\r\n') + '\r\n', 'utf8');
const send = (who: SignedIn, what: 'preview' | 'commit', orgId: string, format: 'csv' | 'xlsx', bytes: Buffer) =>
  app.inject({ method: 'POST', url: `/api/machines/import${what === 'preview' ? '/preview' : ''}`, headers: who.headers, payload: { orgId, format, content: bytes.toString('base64') } });

t.test('a preview says which unit each row goes to and writes nothing', async (t) => {
  const before = await count('machines');
  const file = csv(HEADINGS, '档案室-01,银河麒麟 V10,ZC-2024-0101,SN0101,档案室,', '档案室-02,Windows 7,ZC-2024-0102,,档案室,"老机器,无法安装客户端"', '档案室-03,,,,,');
  const res = await send(admin, 'preview', unit.id, 'csv', file);
  t.equal(res.statusCode, 200, res.body);
  t.match(res.json(), {
    problems: [],
    summary: { rows: 3, machines: 3, units: 1, problems: 0 },
    rows: [
      { row: 2, unitName: '岳阳楼区财政局', machine: { hostname: '档案室-01', osFamily: 'kylin', assetTag: 'ZC-2024-0101', serial: 'SN0101', department: '档案室', note: null } },
      { row: 3, machine: { hostname: '档案室-02', osFamily: 'windows', serial: null, note: '老机器,无法安装客户端' } },
      { row: 4, machine: { hostname: '档案室-03', osFamily: null } },
    ],
  });
  t.equal(await count('machines'), before, 'nothing written');
});

t.test('every problem by row and column, in Chinese and English; the commit then writes nothing', async (t) => {
  const before = { machines: await count('machines'), audit: await count('audit_log') };
  const file = csv(
    HEADINGS,
    '甲,中标麒麟,A-1,S-1,,', // fine: NeoKylin is not Kylin, and allowed
    ',Windows 10,A-2,,,', // no name
    '丙,麒麟,A-3,,,', // which Kylin?
    '丁,MacOS,A-4,,,', // unknown OS
    '戊,Windows,A-1,,,', // asset tag repeats row 2
    '己,Windows,ZC-2023-0001,,,', // asset tag already registered in the unit
    '庚,统信UOS,A-7,PF3ABCD1,,', // serial already registered
    `辛,Windows,A-8,,${'部'.repeat(129)},`, // department too long
  );
  const preview = (await send(admin, 'preview', unit.id, 'csv', file)).json();
  t.same(
    preview.problems.map((p: { row: number; column: string }) => [p.row, p.column]),
    [[3, '计算机名称'], [4, '操作系统'], [5, '操作系统'], [6, '资产编号'], [7, '资产编号'], [8, '序列号'], [9, '使用部门']],
  );
  t.match(preview.problems[1].message, { zh: /未写明是银河麒麟还是中标麒麟/, en: /Kylin .*NeoKylin/ });
  t.match(preview.problems[3].message, { zh: '与第2行的资产编号重复', en: 'the same assetTag as row 2' });
  t.match(preview.problems[4].message, { zh: /本单位已有该资产编号的计算机（涉密-财务-01）/ });
  t.match(preview.summary, { rows: 8, machines: 1, problems: 7 });
  const commit = await send(admin, 'commit', unit.id, 'csv', file);
  t.equal(commit.statusCode, 400);
  t.match(commit.json(), { code: 'import.invalid', problems: preview.problems });
  t.same({ machines: await count('machines'), audit: await count('audit_log') }, before, 'not even the good row');
});

t.test('a missing name column or an empty file is said plainly', async (t) => {
  t.match((await send(admin, 'preview', unit.id, 'csv', csv('操作系统,资产编号', 'Windows,A'))).json().problems, [{ row: 1, column: '计算机名称', message: { zh: '缺少“计算机名称”列' } }]);
  t.match((await send(admin, 'preview', unit.id, 'csv', csv(HEADINGS))).json().problems, [{ row: 2, message: { zh: '文件中没有计算机数据' } }]);
  t.match((await send(admin, 'preview', unit.id, 'xlsx', Buffer.from('not a workbook'))).json().problems, [{ row: 1, message: { zh: '无法读取文件' } }]);
});

t.test('a good file registers every row in one go, each audited, from XLSX too', async (t) => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('无代理计算机');
  sheet.addRow(['计算机名称', '操作系统', '资产编号', '序列号', '使用部门', '备注']);
  sheet.addRow(['档案室-01', '银河麒麟', 'ZC-2024-0101', 'SN0101', '档案室', null]);
  sheet.addRow(['档案室-02', 'Windows 7', 20240102, null, '档案室', '老机器']);
  const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
  const res = await send(admin, 'commit', unit.id, 'xlsx', bytes);
  t.equal(res.statusCode, 200, res.body);
  t.same(res.json().imported, { rows: 2, machines: 2, units: 1, problems: 0 });
  const rows = await machinesOf(unit.id);
  t.match(rows.find((m) => m.hostname === '档案室-02'), { os_family: 'windows', asset_tag: '20240102', note: '老机器' });
  t.equal(await count('audit_log', "action = 'machine.register' AND after->>'how' = 'import'"), 2);
  t.equal(await count('audit_log', `action = 'machine.import' AND org_id = '${unit.id}'`), 1);
  t.equal((await send(admin, 'commit', unit.id, 'xlsx', bytes)).statusCode, 400, 'importing the same list twice is refused: the asset tags are registered');
});

t.test('a county imports for several units by credit code; units outside its scope are refused', async (t) => {
  const file = csv(`单位统一社会信用代码,${HEADINGS}`, '91350100M000100Y43,财政-外网-01,Windows,,,,', '914403001922038216,一中-机房-03,Windows,,,,', '91440300708461136T,君山-01,Windows,,,,', ',无单位-01,Windows,,,,');
  const preview = (await send(countyAdmin, 'preview', county.id, 'csv', file)).json();
  t.same(
    preview.problems.map((p: { row: number; column: string }) => [p.row, p.column]),
    [[4, '单位统一社会信用代码'], [5, '单位统一社会信用代码']],
  );
  t.match(preview.problems[0].message, { zh: '您的管辖范围内没有该统一社会信用代码的单位' });
  t.match(preview.problems[1].message, { zh: /“岳阳楼区版权局”不是单位/ });
  t.notOk(JSON.stringify(preview).includes('君山区农商银行'), 'nothing about the unit outside the scope');
  const good = csv(`单位统一社会信用代码,${HEADINGS}`, '91350100M000100Y43,财政-外网-01,Windows,,,,', '914403001922038216,一中-机房-03,Windows,,,,');
  const res = await send(countyAdmin, 'commit', county.id, 'csv', good);
  t.same(res.json().imported, { rows: 2, machines: 2, units: 2, problems: 0 });
  t.ok((await machinesOf(school.id)).some((m) => m.hostname === '一中-机房-03'));
  t.equal((await machinesOf(outside.id)).length, 0);
});

t.test('when the database refuses a row half-way, no row of the import is kept', async (t) => {
  // A trigger stands in for any failure the checks cannot foresee.
  await database.query(`CREATE FUNCTION refuse_third_machine() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.hostname = '第三台' THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$`);
  await database.query('CREATE TRIGGER refuse_third_machine BEFORE INSERT ON machines FOR EACH ROW EXECUTE FUNCTION refuse_third_machine()');
  t.teardown(async () => {
    await database.query('DROP TRIGGER refuse_third_machine ON machines');
    await database.query('DROP FUNCTION refuse_third_machine()');
  });
  const before = { machines: await count('machines'), audit: await count('audit_log') };
  const res = await send(admin, 'commit', unit.id, 'csv', csv(HEADINGS, '第一台,Windows,,,,', '第二台,Windows,,,,', '第三台,Windows,,,,'));
  t.equal(res.statusCode, 500);
  t.same({ machines: await count('machines'), audit: await count('audit_log') }, before, 'the first two rows and their audit entries are gone too');
});

t.test('an agent enrolling on a registered PC that reports its serial takes over the record', async (t) => {
  const created = await register(root, { orgId: unit.id, hostname: '维修后-01', osFamily: 'windows', serial: 'R9-SERIAL-77' });
  const id = created.json().machine.id as string;
  const { token } = await createEnrollmentToken(db, { orgId: unit.id, label: 'after repair' });
  const enrolled = await enrollAgent(db, { token, hostname: 'CZJ-PC-77', platform: 'windows', agentVersion: '0.1.0', hardware: { uuid: '4c4c4544-0042-3510-8052-b7c04f4b3732', serial: 'R9-SERIAL-77', macs: ['3c:52:82:11:22:33'] } });
  const [agent] = await database.query<{ machine_id: string }>('SELECT machine_id FROM agents WHERE id = $1', [enrolled.agentId]);
  t.equal(agent!.machine_id, id, 'the same record: the unit still has one computer');
  const other = await enrollAgent(db, { token, hostname: 'CZJ-PC-78', platform: 'windows', agentVersion: '0.1.0', hardware: { uuid: '4c4c4544-0042-3510-8052-b7c04f4b3799', serial: 'OTHER-SERIAL', macs: [] } });
  const [otherAgent] = await database.query<{ machine_id: string }>('SELECT machine_id FROM agents WHERE id = $1', [other.agentId]);
  t.not(otherAgent!.machine_id, id, 'another serial is another PC');
});
