/**
 * GET /api/catalog/installed and /api/catalog/installed/machines (the dashboard's 软件
 * page): every recognised product in scope with its machine count, free software included, and
 * the machines behind each count, paged; another unit sees none of it; a foreign orgId is refused.
 */
import t from 'tap';
import { ingestFullReport } from '../../../server/src/ingest/ingest-full.ts';
import { buildTestApp } from '../../helpers/db.ts';
import { fullReport } from '../helpers/inventory.ts';
import { createUnit, enrolMachine, registry, windowsInventory } from '../compliance/helpers.ts';
import { signInAs } from '../live/helpers.ts';

const testApp = await buildTestApp();
t.teardown(testApp.close);
const { app, db, database, seeded } = testApp;

const unit = await createUnit(db, seeded.rootOrgId, '市财政局');
const other = await createUnit(db, seeded.rootOrgId, '市教育局');
const bureau = await signInAs(app, db, seeded.rootOrgId, 'bureau-admin', 'banquanju');
const unitViewer = await signInAs(app, db, unit.id, 'unit-viewer', 'caizheng');
const otherViewer = await signInAs(app, db, other.id, 'unit-viewer', 'jiaoyu');

// The unit: three Windows 10 Pro PCs, two with 7-Zip (free) and one with WinRAR. The other unit: one PC with 7-Zip.
const sevenZip = registry('7-Zip 23.01 (x64)', 'Igor Pavlov');
const winrar = registry('WinRAR 6.24 (64-位)', 'win.rar GmbH');
for (const [hostname, software] of [['cz-pc-03', [sevenZip]], ['cz-pc-01', [sevenZip]], ['cz-pc-02', [winrar]]] as const) {
  const machine = await enrolMachine(database, unit, hostname);
  await ingestFullReport(db, machine.agentId, fullReport(1, windowsInventory(hostname, { software: [...software] })));
}
const jy = await enrolMachine(database, other, 'jy-pc-01');
await ingestFullReport(db, jy.agentId, fullReport(1, windowsInventory('jy-pc-01', { software: [sevenZip] })));

type Installed = { productId: string; machines: number; units: number };
async function installed(who: typeof bureau, orgId?: string): Promise<Installed[]> {
  const res = await app.inject({ url: `/api/catalog/installed${orgId ? `?orgId=${orgId}` : ''}`, headers: who.headers });
  t.equal(res.statusCode, 200, res.body);
  return (res.json() as { products: Installed[] }).products;
}
const countOf = (rows: Installed[], id: string) => rows.find((r) => r.productId === id);

t.test('each recognised product with its machine count, free software included, scoped', async (t) => {
  const mine = await installed(unitViewer);
  t.match(countOf(mine, '7-zip'), { machines: 2, units: 1 }, '7-Zip (free) on two of the unit PCs');
  t.match(countOf(mine, 'winrar'), { machines: 1, units: 1 });
  t.ok(mine.some((r) => r.productId.startsWith('windows-10') && r.machines === 3), 'the OS on all three');
  const city = await installed(bureau);
  t.match(countOf(city, '7-zip'), { machines: 3, units: 2 }, 'the bureau counts both units');
  t.match(countOf(await installed(bureau, other.id), '7-zip'), { machines: 1, units: 1 }, 'narrowed to one unit');
  t.equal(countOf(await installed(otherViewer), 'winrar'), undefined, 'another unit sees nothing of this one');
});

t.test('the machines behind a count, by hostname, paged, with the total', async (t) => {
  const page = async (who: typeof bureau, query: string) => app.inject({ url: `/api/catalog/installed/machines?product=7-zip${query}`, headers: who.headers });
  const first = await page(unitViewer, '&limit=1');
  t.equal(first.statusCode, 200, first.body);
  t.match(first.json(), { total: 2, machines: [{ hostname: 'cz-pc-01', orgName: '市财政局', source: 'software' }] });
  t.match((await page(unitViewer, '&limit=1&offset=1')).json(), { total: 2, machines: [{ hostname: 'cz-pc-03' }] });
  const city = (await page(bureau, '')).json() as { machines: Array<{ hostname: string }> };
  t.same(city.machines.map((m) => m.hostname), ['cz-pc-01', 'cz-pc-03', 'jy-pc-01']);
  t.same((await page(otherViewer, '')).json().machines.map((m: { hostname: string }) => m.hostname), ['jy-pc-01'], 'only its own PC');
  const foreign = await page(otherViewer, `&orgId=${unit.id}`);
  t.equal(foreign.statusCode, 404, 'another unit id is refused as if it did not exist');
  t.same((await app.inject({ url: '/api/catalog/installed/machines?product=no-such-product', headers: unitViewer.headers })).json(), { machines: [], total: 0, limit: 200, offset: 0 });
});
