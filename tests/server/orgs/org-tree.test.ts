/**
 * The org tree over the API: bureaus create units in their subtree with checked fields, unit
 * admins keep their contacts up to date, subtrees move with every path rewritten, empty orgs are
 * deleted, and a refused change leaves what was stored.
 */
import t from 'tap';
import { insertOrg } from '../../../server/src/orgs/queries.ts';
import { createUser } from '../../../server/src/users/queries.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD } from '../../helpers/db.ts';
import { signIn, type SignedIn } from '../helpers/session.ts';

const testApp = await buildTestApp();
t.teardown(testApp.close);
const { app, db, seeded } = testApp;
const county = await insertOrg(db, { parentId: seeded.rootOrgId, kind: 'bureau', name: '华容县版权局' });
const neighbour = await insertOrg(db, { parentId: seeded.rootOrgId, kind: 'bureau', name: '平江县版权局' });
await createUser(db, { username: 'county-admin', password: 'county-password', orgId: county.id, role: 'bureau-admin' });
const root = await signIn(app, 'admin', TEST_ADMIN_PASSWORD);
const countyAdmin = await signIn(app, 'county-admin', 'county-password');
const call = (session: SignedIn, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  app.inject({ method, url, headers: session.headers, ...(payload ? { payload } : {}) });
const pathOf = async (id: string) => (await testApp.database.query<{ path: string }>('SELECT path FROM orgs WHERE id = $1', [id]))[0]!.path;

const unitFields = { name: '华容县人民医院', creditCode: '91330100716105852F', sector: '医疗', region: '华容县', head: '刘院长', liaison: '陈主任', phone: '0730-4222222' };
let hospitalId = '';

t.test('the sectors come with the deadline the work plan sets for each', async (t) => {
  const { sectors } = (await call(countyAdmin, 'GET', '/api/sectors')).json();
  t.same(sectors.map((s: { name: string }) => s.name), ['党政机关', '国有企业', '教育', '医疗', '交通', '能源', '银行', '保险', '证券', '中小金融机构', '民营企业', '其他']);
  t.match(sectors, [{ deadlineYear: 2023 }, { deadlineYear: 2025 }, { deadlineYear: 2026 }]);
  t.match(sectors.at(-2), { name: '民营企业', deadlineYear: 2028 });
  t.match(sectors.at(-1), { name: '其他', deadlineYear: null });
});

t.test('a county bureau admin creates a unit in its subtree, audited', async (t) => {
  const res = await call(countyAdmin, 'POST', '/api/orgs', { parentId: county.id, kind: 'unit', ...unitFields, creditCode: ' 9133 0100 7161 0585 2f ' });
  t.equal(res.statusCode, 201);
  const { org } = res.json();
  t.match(org, { ...unitFields, parentId: county.id, kind: 'unit', depth: 2 });
  hospitalId = org.id;
  const [entry] = await testApp.database.query<{ username: string; after: Record<string, unknown> }>("SELECT username, after FROM audit_log WHERE action = 'org.create' AND target_id = $1", [org.id]);
  t.match(entry, { username: 'county-admin', after: { name: '华容县人民医院', creditCode: '91330100716105852F' } });
});

t.test('refusals say what is wrong and create nothing', async (t) => {
  const cases: [payload: object, status: number, message: RegExp][] = [
    [{ parentId: county.id, kind: 'unit', name: '重复单位', creditCode: '91330100716105852F' }, 409, /another unit already has this credit code/],
    [{ parentId: county.id, kind: 'unit', name: '错误行业', sector: '学校' }, 400, /body: sector: must be one of 党政机关/],
    [{ parentId: county.id, kind: 'unit', name: '错误电话', phone: 'call me' }, 400, /body: phone: digits, spaces/],
    [{ parentId: hospitalId, kind: 'bureau', name: '单位下的局' }, 400, /a bureau cannot be placed under a unit/],
    [{ parentId: neighbour.id, kind: 'unit', name: '邻县单位' }, 404, /no org .* in your scope/],
  ];
  for (const [payload, status, message] of cases) {
    const res = await call(countyAdmin, 'POST', '/api/orgs', payload);
    t.equal(res.statusCode, status, JSON.stringify(payload));
    t.match(res.json().message, message);
  }
  const [count] = await testApp.database.query<{ n: number }>('SELECT count(*)::int AS n FROM orgs WHERE parent_id = $1', [county.id]);
  t.equal(count!.n, 1);
});

t.test('a unit admin changes its contacts, not the register fields', async (t) => {
  await createUser(db, { username: 'hospital-admin', password: 'hospital-password', orgId: hospitalId, role: 'unit-admin' });
  const unitAdmin = await signIn(app, 'hospital-admin', 'hospital-password');
  const ok = await call(unitAdmin, 'PATCH', `/api/orgs/${hospitalId}`, { liaison: '周主任', phone: '13907300000' });
  t.match(ok.json(), { org: { liaison: '周主任', phone: '13907300000', name: '华容县人民医院' } });
  const refused = await call(unitAdmin, 'PATCH', `/api/orgs/${hospitalId}`, { name: '改名医院' });
  t.equal(refused.statusCode, 403);
  t.match(refused.json().message, /may change only head, liaison, phone, expectedMachines, not name/);
  const [entry] = await testApp.database.query<{ before: object; after: object }>("SELECT before, after FROM audit_log WHERE action = 'org.update' AND target_id = $1", [hospitalId]);
  t.same(entry, { before: { liaison: '陈主任', phone: '0730-4222222' }, after: { liaison: '周主任', phone: '13907300000' } });

  // How many computers the unit has is the unit's own count: enrolment progress is measured against it.
  const counted = await call(unitAdmin, 'PATCH', `/api/orgs/${hospitalId}`, { expectedMachines: 180 });
  t.match(counted.json(), { org: { expectedMachines: 180 } });
  for (const [value, message] of [
    [-1, /expectedMachines: cannot be negative/],
    [2.5, /expectedMachines: must be a whole number of computers/],
    ['180', /expectedMachines: must be a whole number of computers/],
  ] as const) {
    const res = await call(unitAdmin, 'PATCH', `/api/orgs/${hospitalId}`, { expectedMachines: value });
    t.equal(res.statusCode, 400, `${value} is refused`);
    t.match(res.json().message, message);
  }
  t.match((await call(unitAdmin, 'GET', `/api/orgs/${hospitalId}`)).json(), { org: { expectedMachines: 180 } }, 'refused values leave the count');
});

t.test('a refused update leaves the stored values', async (t) => {
  await call(countyAdmin, 'POST', '/api/orgs', { parentId: county.id, kind: 'unit', name: '华容县第一中学', creditCode: '9144030071526726XG', sector: '教育' });
  const before = (await call(countyAdmin, 'GET', `/api/orgs/${hospitalId}`)).json();
  const res = await call(countyAdmin, 'PATCH', `/api/orgs/${hospitalId}`, { name: '新名字', creditCode: '9144030071526726XG' });
  t.equal(res.statusCode, 409);
  t.same((await call(countyAdmin, 'GET', `/api/orgs/${hospitalId}`)).json(), before, 'name and code unchanged');
});

t.test('moving a zone moves its whole subtree: every path follows, machines go with it', async (t) => {
  const zone = (await call(root, 'POST', '/api/orgs', { parentId: county.id, kind: 'zone', name: '华容工业园' })).json().org;
  const unit = (await call(root, 'POST', '/api/orgs', { parentId: zone.id, kind: 'unit', name: '园区管委会', sector: '党政机关' })).json().org;
  const subUnit = (await call(root, 'POST', '/api/orgs', { parentId: unit.id, kind: 'unit', name: '园区服务中心' })).json().org;
  await testApp.database.query("INSERT INTO machines (org_id, hostname) VALUES ($1, 'yuanqu-pc-01')", [subUnit.id]);

  const moved = await call(root, 'POST', `/api/orgs/${zone.id}/move`, { parentId: neighbour.id });
  t.match(moved.json(), { org: { parentId: neighbour.id, depth: 2 } });
  const neighbourPath = await pathOf(neighbour.id);
  t.equal(await pathOf(zone.id), `${neighbourPath}${zone.id}/`);
  t.equal(await pathOf(subUnit.id), `${neighbourPath}${zone.id}/${unit.id}/${subUnit.id}/`);

  await createUser(db, { username: 'neighbour-viewer', password: 'neighbour-password', orgId: neighbour.id, role: 'bureau-viewer' });
  const neighbourViewer = await signIn(app, 'neighbour-viewer', 'neighbour-password');
  t.match((await call(neighbourViewer, 'GET', '/api/machines')).json(), { total: 1, machines: [{ hostname: 'yuanqu-pc-01' }] });
  t.match((await call(countyAdmin, 'GET', '/api/machines')).json(), { total: 0 }, 'the county no longer sees it');
  t.equal((await call(countyAdmin, 'GET', `/api/orgs/${subUnit.id}`)).statusCode, 404);
});

t.test('a move that would make a loop, or move the mover out of its own scope, is refused', async (t) => {
  const zone = (await call(countyAdmin, 'POST', '/api/orgs', { parentId: county.id, kind: 'zone', name: '华容新区' })).json().org;
  const inner = (await call(countyAdmin, 'POST', '/api/orgs', { parentId: zone.id, kind: 'zone', name: '新区一片' })).json().org;
  t.match((await call(countyAdmin, 'POST', `/api/orgs/${zone.id}/move`, { parentId: inner.id })).json(), { statusCode: 400, code: 'org.move-cycle' });
  t.match((await call(countyAdmin, 'POST', `/api/orgs/${county.id}/move`, { parentId: zone.id })).json(), { statusCode: 403, code: 'org.own-root' });
  t.equal((await call(countyAdmin, 'POST', `/api/orgs/${zone.id}/move`, { parentId: neighbour.id })).statusCode, 404, 'not into another county');
});

t.test('only an empty org can be deleted; its audit history stays readable by its bureau', async (t) => {
  const res = await call(countyAdmin, 'DELETE', `/api/orgs/${hospitalId}`);
  t.equal(res.statusCode, 409);
  t.match(res.json().message, /华容县人民医院 still has 1 user\(s\)/);

  const empty = (await call(countyAdmin, 'POST', '/api/orgs', { parentId: county.id, kind: 'unit', name: '撤销的单位' })).json().org;
  t.same((await call(countyAdmin, 'DELETE', `/api/orgs/${empty.id}`)).json(), { deleted: true });
  t.equal((await call(countyAdmin, 'GET', `/api/orgs/${empty.id}`)).statusCode, 404);
  const history = (await call(countyAdmin, 'GET', `/api/audit?target=${empty.id}`)).json();
  t.same(history.entries.map((e: { action: string }) => e.action), ['org.delete', 'org.create']);
});

t.test('lists show the scope only, parents before children, and filter by kind, sector and text', async (t) => {
  const mine = (await call(countyAdmin, 'GET', '/api/orgs')).json();
  t.equal(mine.orgs[0].id, county.id);
  t.notOk(mine.orgs.some((o: { id: string }) => o.id === neighbour.id || o.id === seeded.defaultUnitId));
  t.same((await call(countyAdmin, 'GET', '/api/orgs?sector=医疗')).json().orgs.map((o: { name: string }) => o.name), ['华容县人民医院']);
  t.same((await call(countyAdmin, 'GET', '/api/orgs?q=7161058')).json().orgs.map((o: { name: string }) => o.name), ['华容县人民医院'], 'by credit code');
  t.ok((await call(countyAdmin, 'GET', '/api/orgs?kind=zone')).json().orgs.every((o: { kind: string }) => o.kind === 'zone'));
});
