/**
 * The licence ledger (授权台账) over HTTP: a unit admin records, changes and deletes purchases and
 * the unit's position follows at once; an XLSX import takes every row or none and names each bad
 * row; attachments are stored and read back byte for byte. Bad input gets a 4xx that says what is
 * wrong, and nothing is stored.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import t from 'tap';
import { ingestFullReport } from '../../../server/src/ingest/ingest-full.ts';
import { buildTestApp } from '../../helpers/db.ts';
import { fullReport } from '../helpers/inventory.ts';
import { createUnit, enrolMachine, registry, windowsInventory } from '../compliance/helpers.ts';
import { signInAs } from '../live/helpers.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const dataDir = await mkdtemp(join(tmpdir(), 'zhengban-ledger-'));
t.teardown(() => rm(dataDir, { recursive: true, force: true }));
const testApp = await buildTestApp({ config: { dataDir } });
t.teardown(testApp.close);
const { app, db, database, seeded } = testApp;

const unit = await createUnit(db, seeded.rootOrgId, '市财政局');
const other = await createUnit(db, seeded.rootOrgId, '市教育局');
const admin = await signInAs(app, db, unit.id, 'unit-admin', 'caizheng');
const otherAdmin = await signInAs(app, db, other.id, 'unit-admin', 'jiaoyu');
const viewer = await signInAs(app, db, unit.id, 'unit-viewer', 'caizheng-kan');

// Two PCs of the unit run WinRAR: two installs to cover.
for (const hostname of ['caizheng-pc-01', 'caizheng-pc-02']) {
  const machine = await enrolMachine(database, unit, hostname);
  await ingestFullReport(db, machine.agentId, fullReport(1, windowsInventory(hostname, { software: [registry('WinRAR 6.24 (64-位)', 'win.rar GmbH')] })));
}

async function winrarPosition() {
  const res = await app.inject({ url: `/api/positions?orgId=${unit.id}&product=winrar`, headers: admin.headers });
  return (res.json() as { positions: Array<{ installs: number; covered: number; shortfall: number }> }).positions[0];
}
async function licenceCount(): Promise<number> {
  const [row] = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM licences WHERE org_id = $1', [unit.id]);
  return row!.n;
}
async function workbook(rows: Array<Array<string | number>>): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('授权台账');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

t.test('a purchase entered, changed and deleted moves the unit position each time', async (t) => {
  t.match(await winrarPosition(), { installs: 2, covered: 0, shortfall: 2 }, 'two installs, nothing bought');

  const created = await app.inject({
    method: 'POST',
    url: '/api/licences',
    headers: admin.headers,
    payload: { orgId: unit.id, product: 'winrar', type: 'perpetual-device', quantity: 1, purchasedOn: '2024-03-01', contractNo: 'HT-2024-017', supplier: '湖南某软件公司', amountFen: 9_600 },
  });
  t.equal(created.statusCode, 201, created.body);
  const licence = (created.json() as { licence: { id: string } }).licence;
  // One 套 per device covers one of the two installs.
  t.match(await winrarPosition(), { installs: 2, covered: 1, shortfall: 1 });

  const read = await app.inject({ url: `/api/licences/${licence.id}`, headers: viewer.headers });
  t.equal(read.statusCode, 200);
  t.match(read.json(), { licence: { id: licence.id, productId: 'winrar', quantity: 1, contractNo: 'HT-2024-017', amountFen: 9_600 } });
  const listed = await app.inject({ url: `/api/licences?orgId=${unit.id}`, headers: viewer.headers });
  t.equal(listed.statusCode, 200);
  t.match(JSON.stringify(listed.json()), licence.id, 'the list holds it');

  const changed = await app.inject({ method: 'PUT', url: `/api/licences/${licence.id}`, headers: admin.headers, payload: { product: 'winrar', type: 'perpetual-device', quantity: 3 } });
  t.equal(changed.statusCode, 200, changed.body);
  t.match(await winrarPosition(), { installs: 2, covered: 2, shortfall: 0 }, '3 套 cover both installs');

  // A subscription that ended in 2020 covers nothing today.
  const lapsed = await app.inject({
    method: 'PUT',
    url: `/api/licences/${licence.id}`,
    headers: admin.headers,
    payload: { product: 'winrar', type: 'subscription', quantity: 3, startsOn: '2020-01-01', endsOn: '2020-12-31' },
  });
  t.equal(lapsed.statusCode, 200, lapsed.body);
  t.match(await winrarPosition(), { installs: 2, covered: 0, shortfall: 2 });

  const deleted = await app.inject({ method: 'DELETE', url: `/api/licences/${licence.id}`, headers: admin.headers });
  t.equal(deleted.statusCode, 204);
  t.equal((await app.inject({ url: `/api/licences/${licence.id}`, headers: admin.headers })).statusCode, 404);
  t.equal(await licenceCount(), 0);
});

t.test('a licence the rules refuse answers 400 naming each field, and nothing is stored', async (t) => {
  const post = (payload: object) => app.inject({ method: 'POST', url: '/api/licences', headers: admin.headers, payload: { orgId: unit.id, ...payload } });
  const free = await post({ product: '7-zip', type: 'perpetual-device', quantity: 1 });
  t.equal(free.statusCode, 400);
  t.match(free.json(), { code: 'licence.invalid', problems: [{ field: 'product', message: /free software/ }] });
  const noEnd = await post({ product: 'winrar', type: 'subscription', quantity: 1, startsOn: '2025-01-01' });
  t.equal(noEnd.statusCode, 400);
  t.match(noEnd.json(), { problems: [{ field: 'endsOn', message: /start and an end date/ }] });
  const unknown = await post({ product: 'no-such-product', type: 'perpetual-device', quantity: 1 });
  t.match(unknown.json(), { problems: [{ field: 'product', message: /unknown product/ }] });
  const badShape = await post({ product: 'winrar', type: 'perpetual-device', quantity: 0, purchasedOn: '2024-02-30' });
  t.equal(badShape.statusCode, 400, 'zero 套 and 30 February are refused by the schema');
  t.match(badShape.body, /quantity|purchasedOn/);
  t.equal(await licenceCount(), 0, 'no licence was stored');
});

t.test('other units and viewers cannot change the ledger', async (t) => {
  const foreign = await app.inject({ method: 'POST', url: '/api/licences', headers: otherAdmin.headers, payload: { orgId: unit.id, product: 'winrar', type: 'site', quantity: 1 } });
  t.equal(foreign.statusCode, 404, 'a unit outside the admin\'s scope does not exist for them');
  const byViewer = await app.inject({ method: 'POST', url: '/api/licences', headers: viewer.headers, payload: { orgId: unit.id, product: 'winrar', type: 'site', quantity: 1 } });
  t.equal(byViewer.statusCode, 403);
  t.equal(await licenceCount(), 0);
});

t.test('an XLSX import with a bad row imports nothing and names every bad row', async (t) => {
  const file = await workbook([
    ['产品', '授权类型', '数量(套)', '开始日期', '结束日期', '金额(元)', '供应商'],
    ['winrar', '永久授权', 2, '', '', '192.00', '湖南某软件公司'],
    ['Nosuch Office 2030', '永久授权', 1, '', '', '10', ''],
    ['WinRAR', '订阅', 1, '2025-01-01', '2024-01-01', '一百元', ''],
  ]);
  const res = await app.inject({ method: 'POST', url: `/api/licences/import?orgId=${unit.id}`, headers: { ...admin.headers, 'content-type': XLSX }, payload: file });
  t.equal(res.statusCode, 422, res.body);
  const { imported, problems } = res.json() as { imported: number; problems: Array<{ row: number; field: string; message: string }> };
  t.equal(imported, 0);
  t.match(problems, [
    { row: 3, field: 'product', message: /unknown product "Nosuch Office 2030"/ },
    { row: 4, field: 'amount', message: /not an amount/ },
  ]);
  t.notOk(problems.some((p) => p.row === 2), 'the good row has no problem');
  t.equal(await licenceCount(), 0, 'the good row was not imported either');

  const garbage = await app.inject({ method: 'POST', url: `/api/licences/import?orgId=${unit.id}`, headers: { ...admin.headers, 'content-type': XLSX }, payload: Buffer.from('not a spreadsheet') });
  t.equal(garbage.statusCode, 422);
  t.match(garbage.json(), { imported: 0, problems: [{ row: 0, field: 'file', message: /not a readable XLSX/ }] });
  const noColumns = await app.inject({ method: 'POST', url: `/api/licences/import?orgId=${unit.id}`, headers: { ...admin.headers, 'content-type': XLSX }, payload: await workbook([['名称'], ['winrar']]) });
  t.equal(noColumns.statusCode, 422);
  t.match(noColumns.json(), { problems: [{ row: 1, field: 'product', message: /no column for product/ }] });
  const json = await app.inject({ method: 'POST', url: `/api/licences/import?orgId=${unit.id}`, headers: admin.headers, payload: { rows: [] } });
  t.equal(json.statusCode, 415);
  t.equal(await licenceCount(), 0);
});

t.test('a good XLSX import stores every row and the position follows', async (t) => {
  const file = await workbook([
    ['Product', 'Type', 'Quantity', 'Start', 'End', 'Amount', 'Contract'],
    ['WinRAR', 'perpetual-device', 1, '', '', '1,200.50', 'HT-1'],
    ['winrar', '订阅', 1, '2024-01-01', '2099-12-31', '300', 'HT-2'],
  ]);
  const res = await app.inject({ method: 'POST', url: `/api/licences/import?orgId=${unit.id}`, headers: { ...admin.headers, 'content-type': XLSX }, payload: file });
  t.equal(res.statusCode, 201, res.body);
  t.match(res.json(), { imported: 2, problems: [] });
  t.equal(await licenceCount(), 2);
  // 1 perpetual + 1 subscription in force: both installs covered.
  t.match(await winrarPosition(), { installs: 2, covered: 2, shortfall: 0 });
  const [amounts] = await database.query<{ fen: string }>('SELECT sum(amount_fen)::text AS fen FROM licences WHERE org_id = $1', [unit.id]);
  t.equal(amounts!.fen, String(120_050 + 30_000), '1,200.50 + 300 元 in 分, exactly');
});

t.test('an attachment is stored and read back byte for byte', async (t) => {
  const created = await app.inject({ method: 'POST', url: '/api/licences', headers: admin.headers, payload: { orgId: unit.id, product: 'winrar', type: 'site', quantity: 1 } });
  const licenceId = (created.json() as { licence: { id: string } }).licence.id;
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from('合同扫描件 contract scan\n'), Buffer.alloc(1024, 7)]);
  const url = `/api/licences/${licenceId}/attachments?fileName=${encodeURIComponent('采购合同.pdf')}`;
  const res = await app.inject({ method: 'POST', url, headers: { ...admin.headers, 'content-type': 'application/pdf' }, payload: pdf });
  t.equal(res.statusCode, 201, res.body);
  const attachment = (res.json() as { attachment: { id: string; sha256: string; sizeBytes: number } }).attachment;
  t.equal(attachment.sha256, createHash('sha256').update(pdf).digest('hex'));
  t.equal(attachment.sizeBytes, pdf.length);
  const licence = await app.inject({ url: `/api/licences/${licenceId}`, headers: viewer.headers });
  t.match(licence.json(), { licence: { attachments: [{ id: attachment.id, fileName: '采购合同.pdf' }] } });
  const download = await app.inject({ url: `/api/attachments/${attachment.id}`, headers: viewer.headers });
  t.equal(download.statusCode, 200);
  t.equal(download.headers['content-type'], 'application/pdf');
  t.same(download.rawPayload, pdf);
  t.equal((await app.inject({ url: `/api/attachments/${attachment.id}`, headers: otherAdmin.headers })).statusCode, 404, 'another unit cannot fetch it');

  const text = await app.inject({ method: 'POST', url, headers: { ...admin.headers, 'content-type': 'text/plain' }, payload: 'hello' });
  t.equal(text.statusCode, 415);
  t.match(text.json(), { message: /attach one of application\/pdf/ });
  const empty = await app.inject({ method: 'POST', url, headers: { ...admin.headers, 'content-type': 'application/pdf' }, payload: Buffer.alloc(0) });
  t.ok(empty.statusCode >= 400 && empty.statusCode < 500, `an empty file is refused (${empty.statusCode})`);
  const [count] = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM licence_attachments WHERE licence_id = $1', [licenceId]);
  t.equal(count!.n, 1, 'only the good file was stored');
});
