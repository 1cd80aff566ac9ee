/** /api/annual-returns through the real app: who may see, submit, accept and return, and the XLSX downloads. */
import ExcelJS from 'exceljs';
import t from 'tap';
import { FORM_TITLE } from '../../../server/src/annual-return/form.ts';
import { todayInChina } from '../../../server/src/compliance/recompute.ts';
import { insertOrg } from '../../../server/src/orgs/queries.ts';
import { createUser } from '../../../server/src/users/queries.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD } from '../../helpers/db.ts';
import { signIn } from '../helpers/session.ts';

const testApp = await buildTestApp();
t.teardown(testApp.close);
const { app, db, seeded } = testApp;
const year = Number(todayInChina().slice(0, 4));
const password = 'a-long-test-password';

const unitA = await insertOrg(db, { parentId: seeded.rootOrgId, kind: 'unit', name: '市财政局', region: '岳阳楼区', sector: '党政机关' });
const unitB = await insertOrg(db, { parentId: seeded.rootOrgId, kind: 'unit', name: '市教育局', region: '君山区', sector: '教育' });
await createUser(db, { username: 'a-admin', password, orgId: unitA.id, role: 'unit-admin' });
await createUser(db, { username: 'a-viewer', password, orgId: unitA.id, role: 'unit-viewer' });
await createUser(db, { username: 'b-admin', password, orgId: unitB.id, role: 'unit-admin' });
const bureau = await signIn(app, 'admin', TEST_ADMIN_PASSWORD);
const aAdmin = await signIn(app, 'a-admin', password);
const aViewer = await signIn(app, 'a-viewer', password);
const bAdmin = await signIn(app, 'b-admin', password);

const submitBody = { staffCount: 12, head: '张局长', liaison: '李联络', contact: '0730-8889382', signedOn: todayInChina() };
const submit = (who: typeof aAdmin, orgId: string) => app.inject({ method: 'POST', url: `/api/annual-returns/units/${orgId}/submit?year=${year}`, headers: who.headers, payload: submitBody });

t.test('a unit sees its own draft; another unit is told it does not exist', async (t) => {
  const own = await app.inject({ method: 'GET', url: `/api/annual-returns/units/${unitA.id}?year=${year}`, headers: aViewer.headers });
  t.equal(own.statusCode, 200);
  t.equal(own.json().annualReturn.status, 'draft');
  t.equal(own.json().annualReturn.form.header.unitName, '市财政局');
  const foreign = await app.inject({ method: 'GET', url: `/api/annual-returns/units/${unitB.id}?year=${year}`, headers: aViewer.headers });
  t.equal(foreign.statusCode, 404);
  t.equal(foreign.json().code, 'org.not-found');
});

t.test('viewers may not submit; a unit admin submits its own unit only', async (t) => {
  t.equal((await submit(aViewer, unitA.id)).statusCode, 403);
  t.equal((await submit(bAdmin, unitA.id)).statusCode, 404);
  const bad = await app.inject({ method: 'POST', url: `/api/annual-returns/units/${unitA.id}/submit?year=${year}`, headers: aAdmin.headers, payload: { ...submitBody, staffCount: -1 } });
  t.equal(bad.statusCode, 400);
  const res = await submit(aAdmin, unitA.id);
  t.equal(res.statusCode, 201);
  t.equal(res.json().version.version, 1);
  t.equal((await submit(aAdmin, unitA.id)).statusCode, 409, 'a second submission waits for the bureau');
});

t.test('only the bureau accepts or returns; a unit admin cannot decide its own return', async (t) => {
  const view = await app.inject({ method: 'GET', url: `/api/annual-returns/units/${unitA.id}?year=${year}`, headers: aAdmin.headers });
  const returnId = view.json().annualReturn.versions[0].id as string;
  t.equal((await app.inject({ method: 'POST', url: `/api/annual-returns/${returnId}/accept`, headers: aAdmin.headers })).statusCode, 403);
  t.equal((await app.inject({ method: 'POST', url: `/api/annual-returns/${returnId}/return`, headers: bureau.headers, payload: { reason: '' } })).statusCode, 400);
  const returned = await app.inject({ method: 'POST', url: `/api/annual-returns/${returnId}/return`, headers: bureau.headers, payload: { reason: '请补充工作人员总数说明' } });
  t.equal(returned.statusCode, 200);
  t.equal(returned.json().version.status, 'returned');
  const v2 = await submit(aAdmin, unitA.id);
  t.equal(v2.json().version.version, 2);
  const accepted = await app.inject({ method: 'POST', url: `/api/annual-returns/${v2.json().version.id}/accept`, headers: bureau.headers });
  t.equal(accepted.json().version.status, 'accepted');
});

t.test('the bureau sees the roll-up and who has not submitted; a unit sees only itself', async (t) => {
  const rollup = await app.inject({ method: 'GET', url: `/api/annual-returns?year=${year}`, headers: bureau.headers });
  t.equal(rollup.json().rollup.city.units, 1);
  t.same(rollup.json().rollup.city.staffCount, 12);
  t.equal(rollup.json().deadline.dueDate, `${year}-12-10`);
  const missing = await app.inject({ method: 'GET', url: `/api/annual-returns/missing?year=${year}`, headers: bureau.headers });
  t.same(missing.json().units.map((u: { unitName: string }) => u.unitName).sort(), ['市教育局', '默认单位'].sort());
  const mine = await app.inject({ method: 'GET', url: `/api/annual-returns?year=${year}`, headers: bAdmin.headers });
  t.same(mine.json().rollup.units.map((u: { unitName: string }) => u.unitName), ['市教育局']);
});

t.test('the form downloads as XLSX and PDF, the summary as DOCX, the roll-up as XLSX', async (t) => {
  const form = await app.inject({ method: 'GET', url: `/api/annual-returns/units/${unitA.id}/form.xlsx?year=${year}`, headers: aViewer.headers });
  t.equal(form.statusCode, 200);
  t.match(form.headers['content-disposition'], /filename\*=UTF-8''/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(form.rawPayload as unknown as ArrayBuffer);
  t.equal(workbook.worksheets[0]!.getCell('A1').value, FORM_TITLE);
  t.equal(workbook.worksheets[0]!.getCell('B6').value, 12, 'the accepted staff count');
  const rollup = await app.inject({ method: 'GET', url: `/api/annual-returns/rollup.xlsx?year=${year}`, headers: bureau.headers });
  t.equal(rollup.statusCode, 200);
  const pdf = await app.inject({ method: 'GET', url: `/api/annual-returns/units/${unitA.id}/form.pdf?year=${year}`, headers: aViewer.headers });
  t.equal(pdf.headers['content-type'], 'application/pdf');
  t.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
  const docx = await app.inject({ method: 'GET', url: `/api/annual-returns/units/${unitA.id}/summary.docx?year=${year}`, headers: aViewer.headers });
  t.equal(docx.statusCode, 200);
  t.equal(docx.rawPayload.subarray(0, 2).toString(), 'PK', 'a zip (DOCX)');
});
