/**
 * The audit log: every change says who, when, from where, what, before and after; it is written in
 * the change's own transaction; it is readable within scope with filters and pages, exportable as
 * CSV and XLSX; and nobody — the application's role included — can change or delete it.
 */
import ExcelJS from 'exceljs';
import t from 'tap';
import { insertOrg } from '../../../server/src/orgs/queries.ts';
import { createUser } from '../../../server/src/users/queries.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD } from '../../helpers/db.ts';
import { signIn, type SignedIn } from '../helpers/session.ts';

const testApp = await buildTestApp();
t.teardown(testApp.close);
const { app, db, seeded, database } = testApp;
const east = await insertOrg(db, { parentId: seeded.rootOrgId, kind: 'bureau', name: '临湘市版权局' });
const west = await insertOrg(db, { parentId: seeded.rootOrgId, kind: 'bureau', name: '湘阴县版权局' });
const eastUnit = await insertOrg(db, { parentId: east.id, kind: 'unit', name: '临湘市财政局' });
await createUser(db, { username: 'east-admin', password: 'east-password', orgId: east.id, role: 'bureau-admin' });
await createUser(db, { username: 'west-admin', password: 'west-password', orgId: west.id, role: 'bureau-admin' });
await createUser(db, { username: 'unit-viewer', password: 'unit-password', orgId: eastUnit.id, role: 'unit-viewer' });
const eastAdmin = await signIn(app, 'east-admin', 'east-password', '192.0.2.10');
const westAdmin = await signIn(app, 'west-admin', 'west-password');
const unitViewer = await signIn(app, 'unit-viewer', 'unit-password');
const call = (session: SignedIn, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, remoteAddress = '192.0.2.10') =>
  app.inject({ method, url, headers: session.headers, remoteAddress, ...(payload ? { payload } : {}) });

await call(eastAdmin, 'PATCH', `/api/orgs/${eastUnit.id}`, { head: '张局长' });
await call(eastAdmin, 'PATCH', `/api/orgs/${eastUnit.id}`, { head: '李局长', liaison: '=HYPERLINK("http://evil.example","点我")' });
await call(westAdmin, 'POST', '/api/orgs', { parentId: west.id, kind: 'unit', name: '湘阴县人民医院' });

t.test('an entry says who, when, from where, what, and the values before and after', async (t) => {
  const { entries } = (await call(eastAdmin, 'GET', '/api/audit?action=org.update')).json();
  t.match(entries[0], {
    at: String,
    username: 'east-admin',
    ip: '192.0.2.10',
    action: 'org.update',
    targetType: 'org',
    targetId: eastUnit.id,
    orgId: eastUnit.id,
    orgName: '临湘市财政局',
    before: { head: '张局长', liaison: null },
    after: { head: '李局长' },
  });
});

t.test('each bureau reads its own subtree; a unit reads its own unit', async (t) => {
  const east = (await call(eastAdmin, 'GET', '/api/audit')).json();
  t.ok(east.entries.length >= 2);
  t.notMatch(JSON.stringify(east), '湘阴县人民医院');
  const west = (await call(westAdmin, 'GET', '/api/audit')).json();
  t.same(west.entries.map((e: { action: string }) => e.action), ['org.create']);
  const unit = (await call(unitViewer, 'GET', '/api/audit')).json();
  t.ok(unit.entries.every((e: { orgId: string }) => e.orgId === eastUnit.id));
  t.equal((await call(unitViewer, 'GET', `/api/audit?orgId=${west.entries[0].orgId}`)).statusCode, 404);
});

t.test('filters and pages', async (t) => {
  const page = (await call(eastAdmin, 'GET', '/api/audit?limit=1&offset=1&action=org.')).json();
  t.match(page, { total: 2, limit: 1, offset: 1, entries: [{ after: { head: '张局长' } }] });
  const future = encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString());
  t.equal((await call(eastAdmin, 'GET', `/api/audit?from=${future}`)).json().total, 0);
  const me = (await call(eastAdmin, 'GET', '/api/auth/me')).json().user;
  t.equal((await call(eastAdmin, 'GET', `/api/audit?userId=${me.id}&target=${eastUnit.id}`)).json().total, 2);
  t.match((await call(eastAdmin, 'GET', '/api/audit?from=yesterday')).json(), { statusCode: 400, message: /query: from: must be an ISO date-time/ });
});

t.test('the export is a CSV Excel opens in Chinese, with formulas disarmed', async (t) => {
  const res = await call(eastAdmin, 'GET', '/api/audit/export?action=org.update');
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/csv/);
  t.match(res.headers['content-disposition'], /attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"/);
  const text = res.body;
  t.ok(text.startsWith('\uFEFF编号 id,时间 time,操作人 user,来源地址 ip,操作 action'), 'BOM and bilingual headings');
  t.equal(text.trim().split('\r\n').length, 3);
  t.match(text, /""liaison"":""=HYPERLINK/, 'JSON cells are quoted');
  await call(eastAdmin, 'POST', '/api/orgs', { parentId: east.id, kind: 'unit', name: '=SUM(A1:A9)' });
  const created = (await call(eastAdmin, 'GET', '/api/audit/export?action=org.create')).body;
  t.match(created, /,'=SUM\(A1:A9\),/, 'a cell that would be a formula gets a leading apostrophe');
});

t.test('the export as XLSX has one sheet with a header row and the same entries', async (t) => {
  const res = await call(eastAdmin, 'GET', '/api/audit/export?format=xlsx&action=org.update');
  t.match(res.headers['content-type'], /spreadsheetml/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('审计日志')!;
  t.equal(sheet.rowCount, 3);
  t.equal(sheet.getRow(1).getCell(3).text, '操作人 user');
  t.equal(sheet.getRow(2).getCell(3).text, 'east-admin');
});

t.test('an entry is written in the same transaction as its change: no entry, no change', async (t) => {
  // Make the log refuse this one entry; the change it records must not happen either.
  await database.query(`CREATE FUNCTION refuse_entry() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.action = 'org.update' AND NEW.after->>'phone' = '0730-0000000' THEN RAISE EXCEPTION 'log refused'; END IF; RETURN NEW; END $$`);
  await database.query('CREATE TRIGGER refuse_entry BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_entry()');
  t.teardown(async () => {
    await database.query('DROP TRIGGER refuse_entry ON audit_log');
    await database.query('DROP FUNCTION refuse_entry()');
  });
  const res = await call(eastAdmin, 'PATCH', `/api/orgs/${eastUnit.id}`, { phone: '0730-0000000' });
  t.equal(res.statusCode, 500);
  const [org] = await database.query<{ phone: string | null }>('SELECT phone FROM orgs WHERE id = $1', [eastUnit.id]);
  t.equal(org!.phone, null, 'the change was rolled back with its entry');
});

t.test(`the log cannot be changed or emptied, not even by the table's owner (${testApp.driver})`, async (t) => {
  const [{ n }] = (await database.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')) as [{ n: number }];
  t.ok(n > 0);
  for (const statement of ["UPDATE audit_log SET username = 'someone else'", 'DELETE FROM audit_log', 'TRUNCATE audit_log']) {
    await t.rejects(database.query(statement), /audit_log is append-only/, statement);
  }
  const [after] = await database.query<{ n: number; renamed: number }>("SELECT count(*)::int AS n, count(*) FILTER (WHERE username = 'someone else')::int AS renamed FROM audit_log");
  t.same(after, { n, renamed: 0 });
  const grants = await database.query<{ privilege_type: string }>(
    "SELECT privilege_type FROM information_schema.role_table_grants WHERE table_name = 'audit_log' AND grantee = 'PUBLIC' AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')",
  );
  t.same(grants, [], 'PUBLIC holds no UPDATE, DELETE or TRUNCATE');
});
