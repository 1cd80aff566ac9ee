/**
 * Bureaus import their unit lists from XLSX or CSV: a preview that writes nothing and lists every
 * problem by row and column (in Chinese and English), then a commit that writes every row or none.
 */
import ExcelJS from 'exceljs';
import t from 'tap';
import { insertOrg } from '../../../server/src/orgs/queries.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD } from '../../helpers/db.ts';
import { signIn } from '../helpers/session.ts';

const testApp = await buildTestApp();
t.teardown(testApp.close);
const { app, db, seeded } = testApp;
const county = await insertOrg(db, { parentId: seeded.rootOrgId, kind: 'bureau', name: '岳阳楼区版权局' });
const other = await insertOrg(db, { parentId: seeded.rootOrgId, kind: 'bureau', name: '君山区版权局' });
await insertOrg(db, { parentId: other.id, kind: 'unit', name: '君山区农商银行', creditCode: '91440300708461136T', sector: '中小金融机构' });
await testApp.database.query("INSERT INTO users (username, password_hash, org_id, role) SELECT 'county-admin', password_hash, $1, 'bureau-admin' FROM users WHERE username = 'admin'", [county.id]);
const countyAdmin = await signIn(app, 'county-admin', TEST_ADMIN_PASSWORD);

const HEADINGS = '单位名称,统一社会信用代码,行业,所属地区,主要负责人,联络员,联系电话';
const csv = (...rows: string[]) => Buffer.from([HEADINGS, ...rows].join('\r\n') + '\r\n', 'utf8');
const send = (what: 'preview' | 'commit', format: 'csv' | 'xlsx', bytes: Buffer) =>
  app.inject({
    method: 'POST',
    url: `/api/orgs/${county.id}/units/import${what === 'preview' ? '/preview' : ''}`,
    headers: countyAdmin.headers,
    payload: { format, content: bytes.toString('base64') },
  });
const countUnder = async (orgId: string) =>
  (await testApp.database.query<{ n: number }>("SELECT count(*)::int AS n FROM orgs WHERE path LIKE (SELECT path FROM orgs WHERE id = $1) || '_%'", [orgId]))[0]!.n;
const auditCount = async () => (await testApp.database.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0]!.n;

t.test('a preview says what each row would do and writes nothing', async (t) => {
  const file = csv('岳阳市第一中学,91110000710925462X,教育,岳阳楼区,王校长,李老师,0730-8888888', '岳阳市人民医院,91330106673959654P,医疗,岳阳楼区,赵院长,钱主任,13800138000');
  const res = await send('preview', 'csv', file);
  t.equal(res.statusCode, 200);
  t.match(res.json(), {
    problems: [],
    summary: { rows: 2, create: 2, update: 0, problems: 0 },
    rows: [
      { row: 2, action: 'create', unit: { name: '岳阳市第一中学', creditCode: '91110000710925462X', sector: '教育', region: '岳阳楼区', head: '王校长', liaison: '李老师', phone: '0730-8888888' } },
      { row: 3, action: 'create', unit: { name: '岳阳市人民医院', sector: '医疗' } },
    ],
  });
  t.equal(await countUnder(county.id), 0, 'nothing written');
});

t.test('every problem is listed by row and column, in Chinese and English; the commit then writes nothing', async (t) => {
  const file = csv(
    '甲单位,91350100M000100Y43,教育,,,,',
    ',914403001922038216,教育,,,,',
    '乙单位,91350100M000100Y44,教育,,,,',
    '丙单位,91330100716105852F,学校,,,,',
    '丁单位,91350100M000100Y43,医疗,,,,',
    '戊单位,9144030071526726XG,能源,,,,电话号码',
    '己单位,91440300708461136T,银行,,,,',
  );
  const preview = (await send('preview', 'csv', file)).json();
  t.same(
    preview.problems.map((p: { row: number; column: string }) => [p.row, p.column]),
    [
      [3, '单位名称'],
      [4, '统一社会信用代码'],
      [5, '行业'],
      [6, '统一社会信用代码'],
      [7, '联系电话'],
      [8, '统一社会信用代码'],
    ],
  );
  t.match(preview.problems[1].message, { zh: /校验码（第18位）应为3，实为4/, en: /check character \(18th\) should be 3, not 4/ });
  t.match(preview.problems[2].message, { zh: /“学校”不是有效的行业/, en: /must be one of 党政机关/ });
  t.match(preview.problems[3].message, { zh: /与第2行的统一社会信用代码重复/, en: /the same credit code as row 2/ });
  t.match(preview.problems[5].message, { zh: '该统一社会信用代码已被辖区外的单位使用', en: 'this credit code belongs to a unit outside your scope' });
  t.notMatch(JSON.stringify(preview), '君山区农商银行', "the other county's unit is not named");

  const before = await auditCount();
  const commit = await send('commit', 'csv', file);
  t.equal(commit.statusCode, 400);
  t.match(commit.json(), { code: 'import.invalid', message: /6 problem\(s\); nothing was imported/, problems: preview.problems });
  t.equal(await countUnder(county.id), 0, 'not even the one good row');
  t.equal(await auditCount(), before);
});

t.test('an XLSX list with Chinese headings is imported whole, audited row by row', async (t) => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('单位名单');
  sheet.addRow(['单位名称', '统一社会信用代码', '行业', '所属地区', '主要负责人', '联络员', '联系电话']);
  sheet.addRow(['岳阳市第一中学', '91110000710925462X', '教育', '岳阳楼区', '王校长', '李老师', 13800138000]);
  sheet.addRow(['岳阳市交通运输局', '12100000400000624D', '党政机关', '岳阳楼区', '周局长', '吴科长', '0730-8222222转801']);
  sheet.addRow([]);
  const res = await send('commit', 'xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
  t.equal(res.statusCode, 200);
  t.same(res.json().imported, { rows: 2, create: 2, update: 0, problems: 0 });
  const units = await testApp.database.query<{ name: string; phone: string; parent_id: string; kind: string }>(
    'SELECT name, phone, parent_id, kind FROM orgs WHERE parent_id = $1 ORDER BY name',
    [county.id],
  );
  t.same(units.map((u) => [u.name, u.phone, u.kind]), [
    ['岳阳市交通运输局', '0730-8222222转801', 'unit'],
    ['岳阳市第一中学', '13800138000', 'unit'],
  ]);
  const actions = await testApp.database.query<{ action: string }>("SELECT action FROM audit_log WHERE action LIKE 'org.%' AND org_path LIKE (SELECT path FROM orgs WHERE id = $1) || '%' ORDER BY id", [county.id]);
  t.same(actions.map((a) => a.action), ['org.create', 'org.create', 'org.import']);
});

t.test('importing again updates the units that have the credit code', async (t) => {
  const res = await send('commit', 'csv', csv('岳阳市第一中学,91110000710925462X,教育,岳阳楼区,王校长,孙老师,0730-8888888'));
  t.same(res.json().imported, { rows: 1, create: 0, update: 1, problems: 0 });
  const [row] = await testApp.database.query<{ liaison: string }>("SELECT liaison FROM orgs WHERE credit_code = '91110000710925462X'");
  t.equal(row!.liaison, '孙老师');
});

t.test('a 计算机台数 column sets how many computers each unit has; a list without it keeps the counts', async (t) => {
  const withCounts = (...rows: string[]) => Buffer.from([`${HEADINGS},计算机台数`, ...rows].join('\r\n') + '\r\n', 'utf8');
  const bad = (await send('preview', 'csv', withCounts('岳阳市第一中学,91110000710925462X,教育,岳阳楼区,王校长,孙老师,0730-8888888,一百二十'))).json();
  t.match(bad.problems, [{ row: 2, column: '计算机台数', message: { zh: '“计算机台数”应为 0 到 1000000 之间的整数', en: /expectedMachines: must be a whole number/ } }]);
  const res = await send('commit', 'csv', withCounts('岳阳市第一中学,91110000710925462X,教育,岳阳楼区,王校长,孙老师,0730-8888888,120'));
  t.same(res.json().imported, { rows: 1, create: 0, update: 1, problems: 0 });
  const countOf = async () => (await testApp.database.query<{ n: number }>("SELECT expected_machines AS n FROM orgs WHERE credit_code = '91110000710925462X'"))[0]!.n;
  t.equal(await countOf(), 120);
  await send('commit', 'csv', csv('岳阳市第一中学,91110000710925462X,教育,岳阳楼区,王校长,孙老师,0730-8888888'));
  t.equal(await countOf(), 120, 'the count stays when the list has no count column');
});

t.test('a CSV saved by Excel in GBK is read as GBK', async (t) => {
  // "单位名称,...\r\n岳阳市第一中学,91110000710925462X,教育,岳阳楼区,王校长,李老师,0730-8888888\r\n" in GBK.
  const gbk = Buffer.from(
    'b5a5cebbc3fbb3c62ccdb3d2bbc9e7bbe1d0c5d3c3b4fac2eb2cd0d0d2b52ccbf9caf4b5d8c7f82cd6f7d2aab8bad4f0c8cb2cc1aac2e7d4b12cc1aacfb5b5e7bbb00d0ad4c0d1f4cad0b5dad2bbd6d0d1a72c3931313130303030373130393235343632582cbdccd3fd2cd4c0d1f4c2a5c7f82ccdf5d0a3b3a42cc0eec0cfcaa62c303733302d383838383838380d0a',
    'hex',
  );
  const res = (await send('preview', 'csv', gbk)).json();
  t.match(res, { problems: [], rows: [{ action: 'update', unit: { name: '岳阳市第一中学', liaison: '李老师' } }] });
});

t.test('a file that is not what it claims is one problem, not a crash', async (t) => {
  const res = await send('preview', 'xlsx', Buffer.from('this is not a zip file'));
  t.equal(res.statusCode, 200);
  t.match(res.json().problems, [{ row: 1, column: null, message: { zh: '无法读取文件', en: /not a readable XLSX workbook/ } }]);
  const missing = (await send('preview', 'csv', Buffer.from('名称,备注\n甲,乙\n'))).json();
  t.match(missing.problems.map((p: { message: { en: string } }) => p.message.en), [/统一社会信用代码 \(creditCode\) is missing/, /行业 \(sector\) is missing/]);
});

t.test('when the database refuses a row half-way, no row of the import is kept', async (t) => {
  // A trigger stands in for any failure the checks cannot foresee (a disk full, a constraint added later).
  await testApp.database.query(`CREATE FUNCTION refuse_third() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.name = '第三个单位' THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$`);
  await testApp.database.query('CREATE TRIGGER refuse_third BEFORE INSERT ON orgs FOR EACH ROW EXECUTE FUNCTION refuse_third()');
  t.teardown(async () => {
    await testApp.database.query('DROP TRIGGER refuse_third ON orgs');
    await testApp.database.query('DROP FUNCTION refuse_third()');
  });
  const before = { units: await countUnder(county.id), audit: await auditCount() };
  const res = await send('commit', 'csv', csv('第一个单位,91330100716105852F,教育,,,,', '第二个单位,9144030071526726XG,教育,,,,', '第三个单位,91110108551385082Q,教育,,,,'));
  t.equal(res.statusCode, 500);
  t.same({ units: await countUnder(county.id), audit: await auditCount() }, before, 'the first two rows and their audit entries are gone too');
});

t.test('only bureau admins import, and only into their own subtree', async (t) => {
  const res = await app.inject({ method: 'POST', url: `/api/orgs/${other.id}/units/import/preview`, headers: countyAdmin.headers, payload: { format: 'csv', content: csv().toString('base64') } });
  t.equal(res.statusCode, 404);
});
