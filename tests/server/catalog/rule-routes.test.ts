/**
 * Unrecognised software and the catalog-rule API. Software no rule knows is listed for review;
 * a bureau admin adds a rule and it applies to existing data at once: the entry is recognised,
 * leaves the review list, and the unit's positions change. Bad rules get a 400 that says why and
 * store nothing; unit admins may not add rules.
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
const unitAdmin = await signInAs(app, db, unit.id, 'unit-admin', 'caizheng');
const otherViewer = await signInAs(app, db, other.id, 'unit-viewer', 'jiaoyu');

// Two PCs of the unit run a billing program no built-in rule knows.
for (const hostname of ['caizheng-pc-01', 'caizheng-pc-02']) {
  const machine = await enrolMachine(database, unit, hostname);
  await ingestFullReport(db, machine.agentId, fullReport(1, windowsInventory(hostname, { software: [registry('Acme Billing 3.1', 'Acme Co., Ltd.')] })));
}

type Unrecognised = { name: string; publisher: string | null; machines: number };
async function unrecognised(who = unitAdmin): Promise<Unrecognised[]> {
  const res = await app.inject({ url: '/api/catalog/unrecognised', headers: who.headers });
  t.equal(res.statusCode, 200, res.body);
  return (res.json() as { unrecognised: Unrecognised[] }).unrecognised;
}
async function ruleCount(): Promise<number> {
  const [row] = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM catalog_rules');
  return row!.n;
}

const acmeProduct = { id: 'acme-billing', vendor: 'Acme Co., Ltd.', name: 'Acme Billing', category: 'other', domestic: true, licenceModel: 'per-device' };

t.test('software no rule knows is listed for review, counted by machines, in scope only', async (t) => {
  t.match(await unrecognised(), [{ name: 'Acme Billing 3.1', publisher: 'Acme Co., Ltd.', machines: 2 }]);
  t.same(await unrecognised(otherViewer), [], 'another unit sees none of it');
  const positions = await app.inject({ url: `/api/positions?orgId=${unit.id}&product=acme-billing`, headers: unitAdmin.headers });
  t.same((positions.json() as { positions: unknown[] }).positions, [], 'no position for software nobody recognises');
});

t.test('the queue pages with a total, narrows to one unit and searches name and publisher', async (t) => {
  // The other unit runs two programs nobody knows, once each.
  for (const [hostname, name, publisher] of [
    ['jiaoyu-pc-01', 'Campus Timetable 2.0', 'Xiaoyuan Soft'],
    ['jiaoyu-pc-02', '100%_Grade Tool', null],
  ] as const) {
    const machine = await enrolMachine(database, other, hostname);
    await ingestFullReport(db, machine.agentId, fullReport(1, windowsInventory(hostname, { software: [registry(name, publisher ?? undefined)] })));
  }
  type Page = { unrecognised: Unrecognised[]; total: number };
  const get = async (query: string, who = bureau) => {
    const res = await app.inject({ url: `/api/catalog/unrecognised?${query}`, headers: who.headers });
    t.equal(res.statusCode, 200, res.body);
    return res.json() as Page;
  };
  const all = await get('');
  t.equal(all.total, 3, 'the city: three entries');
  t.equal(all.unrecognised[0]!.name, 'Acme Billing 3.1', 'most machines first');
  const pages = [await get('limit=2'), await get('limit=2&offset=2')];
  t.same(pages.map((p) => p.total), [3, 3]);
  t.same(pages.flatMap((p) => p.unrecognised.map((e) => e.name)), all.unrecognised.map((e) => e.name), 'the pages add up to the list');
  t.same(await get('limit=2&offset=5'), { unrecognised: [], total: 3 }, 'past the end: the total still');
  t.same((await get(`orgId=${other.id}`)).unrecognised.map((e) => e.name).sort(), ['100%_Grade Tool', 'Campus Timetable 2.0'], 'one unit');
  t.same((await get('q=xiaoyuan')).unrecognised.map((e) => e.name), ['Campus Timetable 2.0'], 'by publisher, any case');
  t.same((await get(`q=${encodeURIComponent('0%_g')}`)).unrecognised.map((e) => e.name), ['100%_Grade Tool'], '% and _ literally');
  t.same(await get('q=nothing-like-this'), { unrecognised: [], total: 0 });
  t.equal((await app.inject({ url: `/api/catalog/unrecognised?orgId=${other.id}`, headers: unitAdmin.headers })).statusCode, 404, "a unit admin cannot name another unit");
  for (const query of ['limit=0', 'orgId=nope', `q=${'x'.repeat(300)}`]) {
    t.equal((await app.inject({ url: `/api/catalog/unrecognised?${query}`, headers: bureau.headers })).statusCode, 400, query);
  }
});

t.test('bad rules are refused with a reason, and nothing is stored', async (t) => {
  const post = (who: typeof bureau, payload: object) => app.inject({ method: 'POST', url: '/api/catalog/rules', headers: who.headers, payload });
  const byUnit = await post(unitAdmin, { name: '^Acme Billing', product: 'acme-billing', newProduct: acmeProduct });
  t.equal(byUnit.statusCode, 403, 'unit admins may not add rules');
  const badRegex = await post(bureau, { name: '^Acme (Billing', product: 'acme-billing', newProduct: acmeProduct });
  t.equal(badRegex.statusCode, 400);
  t.match(badRegex.json(), { code: 'catalog.rule-invalid', message: /name: not a valid regular expression/ });
  const unknownProduct = await post(bureau, { name: '^Acme Billing', product: 'acme-billing' });
  t.equal(unknownProduct.statusCode, 400);
  t.match(unknownProduct.json(), { message: /unknown product acme-billing: give a product definition/ });
  const existing = await post(bureau, { name: '^Acme Billing', product: 'winrar', newProduct: { ...acmeProduct, id: 'winrar' } });
  t.equal(existing.statusCode, 400);
  t.match(existing.json(), { message: /product winrar already exists/ });
  const badSlug = await post(bureau, { name: '^Acme Billing', product: 'Acme Billing!' });
  t.equal(badSlug.statusCode, 400);
  t.match(badSlug.body, /lower-case letters, digits, dots and dashes/);
  t.equal(await ruleCount(), 0, 'no rule was stored');
  t.equal((await unrecognised()).length, 1, 'the entry is still for review');
});

t.test('a new rule applies to existing data at once: recognised, off the review list, positions changed', async (t) => {
  const res = await app.inject({
    method: 'POST',
    url: '/api/catalog/rules',
    headers: bureau.headers,
    payload: { name: '^Acme Billing\\b', publisher: 'Acme', product: 'acme-billing', newProduct: acmeProduct, note: '财务软件, 按台授权' },
  });
  t.equal(res.statusCode, 201, res.body);
  const body = res.json() as { ruleId: number; version: string; positionsChanged: Array<{ orgId: string; productIds: string[] }> };
  t.match(body.positionsChanged, [{ orgId: unit.id, productIds: ['acme-billing'] }]);
  t.same(await unrecognised(), [], 'nothing left to review');
  const positions = await app.inject({ url: `/api/positions?orgId=${unit.id}&product=acme-billing`, headers: unitAdmin.headers });
  // Two PCs run it, per-device, nothing bought: 2 installs, shortfall 2.
  t.match((positions.json() as { positions: unknown[] }).positions, [{ productId: 'acme-billing', installs: 2, covered: 0, shortfall: 2 }]);

  const products = await app.inject({ url: '/api/catalog/products', headers: unitAdmin.headers });
  t.match(products.json(), { version: body.version, products: [] });
  t.ok((products.json() as { products: Array<{ id: string }> }).products.some((p) => p.id === 'acme-billing'), 'the product joined the catalog');
  const rules = await app.inject({ url: '/api/catalog/rules', headers: unitAdmin.headers });
  t.match(rules.json(), { adminRules: [{ id: body.ruleId, name: '^Acme Billing\\b', productId: 'acme-billing' }] });

  // A licence for the new product is accepted at once and covers the installs.
  const licence = await app.inject({ method: 'POST', url: '/api/licences', headers: unitAdmin.headers, payload: { orgId: unit.id, product: 'acme-billing', type: 'perpetual-device', quantity: 2 } });
  t.equal(licence.statusCode, 201, licence.body);
  const after = await app.inject({ url: `/api/positions?orgId=${unit.id}&product=acme-billing`, headers: unitAdmin.headers });
  t.match((after.json() as { positions: unknown[] }).positions, [{ installs: 2, covered: 2, shortfall: 0 }]);
});
