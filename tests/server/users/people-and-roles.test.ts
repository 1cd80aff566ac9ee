/**
 * People and roles: admins create users at or below their own level inside their subtree, a new
 * user must change the temporary password first, disabling or moving someone ends their sessions,
 * and an inspector reads exactly the units of its open campaigns.
 */
import t from 'tap';
import { insertOrg } from '../../../server/src/orgs/queries.ts';
import { createUser } from '../../../server/src/users/queries.ts';
import { buildTestApp } from '../../helpers/db.ts';
import { sessionOf, signIn, type SignedIn } from '../helpers/session.ts';

const testApp = await buildTestApp();
t.teardown(testApp.close);
const { app, db, seeded } = testApp;
const county = await insertOrg(db, { parentId: seeded.rootOrgId, kind: 'bureau', name: '汨罗市版权局' });
const school = await insertOrg(db, { parentId: county.id, kind: 'unit', name: '汨罗市第一中学' });
const bank = await insertOrg(db, { parentId: county.id, kind: 'unit', name: '汨罗农商银行' });
await createUser(db, { username: 'county-admin', password: 'county-password', orgId: county.id, role: 'bureau-admin' });
await createUser(db, { username: 'school-admin', password: 'school-password', orgId: school.id, role: 'unit-admin' });
const countyAdmin = await signIn(app, 'county-admin', 'county-password');
const schoolAdmin = await signIn(app, 'school-admin', 'school-password');
const call = (session: SignedIn, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  app.inject({ method, url, headers: session.headers, ...(payload ? { payload } : {}) });

t.test('an admin gives roles at or below its own level, inside its subtree only', async (t) => {
  const cases: [session: SignedIn, payload: object, status: number, message?: RegExp][] = [
    [countyAdmin, { username: 'county-viewer', role: 'bureau-viewer', orgId: county.id }, 201],
    [countyAdmin, { username: 'county-admin-2', role: 'bureau-admin', orgId: county.id }, 201],
    [countyAdmin, { username: 'bank-admin', role: 'unit-admin', orgId: bank.id }, 201],
    [countyAdmin, { username: 'wrong-place', role: 'bureau-viewer', orgId: bank.id }, 403, /bureau-viewer is a bureau role: place the user in a bureau or zone/],
    [countyAdmin, { username: 'city-admin', role: 'bureau-admin', orgId: seeded.rootOrgId }, 404, /no org .* in your scope/],
    [schoolAdmin, { username: 'teacher', role: 'unit-viewer', orgId: school.id }, 201],
    [schoolAdmin, { username: 'school-boss', role: 'bureau-admin', orgId: school.id }, 403, /a unit-admin cannot give the role bureau-admin \(it is above its own level\)/],
    [schoolAdmin, { username: 'banker', role: 'unit-viewer', orgId: bank.id }, 404],
    [countyAdmin, { username: 'teacher', role: 'unit-viewer', orgId: school.id }, 409, /the username teacher is taken/],
  ];
  for (const [session, payload, status, message] of cases) {
    const res = await call(session, 'POST', '/api/users', payload);
    t.equal(res.statusCode, status, JSON.stringify(payload));
    if (message) t.match(res.json().message, message);
  }
});

t.test('a new user gets a temporary password once and must change it before anything else', async (t) => {
  const res = await call(schoolAdmin, 'POST', '/api/users', { username: 'Liaison.Wang', displayName: '王联络员', role: 'unit-admin', orgId: school.id });
  const { user, temporaryPassword } = res.json();
  t.match(user, { username: 'liaison.wang', displayName: '王联络员', role: 'unit-admin', org: { name: '汨罗市第一中学' }, mustChangePassword: true });
  t.type(temporaryPassword, 'string');
  const [stored] = await testApp.database.query<{ after: unknown }>("SELECT after FROM audit_log WHERE action = 'user.create' AND target_id = $1", [user.id]);
  t.notMatch(JSON.stringify(stored), temporaryPassword, 'the audit log never holds a password');
  t.notMatch(JSON.stringify((await call(schoolAdmin, 'GET', `/api/users/${user.id}`)).json()), /passwordHash|scrypt/);

  const first = await signIn(app, 'liaison.wang', temporaryPassword);
  t.match((await call(first, 'GET', '/api/machines')).json(), { statusCode: 403, code: 'password_change_required' });
  const changed = sessionOf(await call(first, 'POST', '/api/auth/password', { currentPassword: temporaryPassword, newPassword: 'wang-own-password' }));
  t.equal((await call(changed, 'GET', '/api/machines')).statusCode, 200);
});

t.test('disabling a user ends their sessions and their sign-ins; nobody disables or demotes themselves', async (t) => {
  const teacher = (await call(schoolAdmin, 'GET', '/api/users?q=teacher')).json().users[0];
  await testApp.database.query("UPDATE users SET must_change_password = false, password_hash = (SELECT password_hash FROM users WHERE username = 'school-admin') WHERE id = $1", [teacher.id]);
  const session = await signIn(app, 'teacher', 'school-password');
  t.match((await call(schoolAdmin, 'PATCH', `/api/users/${teacher.id}`, { disabled: true })).json(), { user: { disabledAt: String } });
  t.equal((await call(session, 'GET', '/api/auth/me')).statusCode, 401, 'the open session ended');
  t.match((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'teacher', password: 'school-password' } })).json(), { code: 'auth.user-disabled' });
  t.notOk((await call(schoolAdmin, 'GET', '/api/users')).json().users.some((u: { id: string }) => u.id === teacher.id), 'disabled users are hidden by default');
  t.ok((await call(schoolAdmin, 'GET', '/api/users?includeDisabled=true')).json().users.some((u: { id: string }) => u.id === teacher.id));

  const me = (await call(schoolAdmin, 'GET', '/api/auth/me')).json().user;
  for (const patch of [{ disabled: true }, { role: 'unit-viewer' }]) {
    t.match((await call(schoolAdmin, 'PATCH', `/api/users/${me.id}`, patch)).json(), { statusCode: 403, code: 'user.self-change' });
  }
});

t.test('a unit admin cannot touch users above it; a password reset gives a new temporary password', async (t) => {
  const countyViewer = (await call(countyAdmin, 'GET', '/api/users?q=county-viewer')).json().users[0];
  t.equal((await call(schoolAdmin, 'PATCH', `/api/users/${countyViewer.id}`, { displayName: 'x' })).statusCode, 404);
  const bankAdmin = (await call(countyAdmin, 'GET', '/api/users?q=bank-admin')).json().users[0];
  const reset = await call(countyAdmin, 'POST', `/api/users/${bankAdmin.id}/password-reset`);
  t.match(reset.json(), { temporaryPassword: String });
  t.match((await call(countyAdmin, 'GET', `/api/users/${bankAdmin.id}`)).json(), { user: { mustChangePassword: true } });
});

t.test('an inspector reads the units of its open campaigns and nothing else, and never writes', async (t) => {
  await testApp.database.query("INSERT INTO machines (org_id, hostname) VALUES ($1, 'school-pc'), ($2, 'bank-pc')", [school.id, bank.id]);
  const inspector = (await call(countyAdmin, 'POST', '/api/users', { username: 'inspector-li', role: 'inspector', orgId: county.id })).json();
  const first = await signIn(app, 'inspector-li', inspector.temporaryPassword);
  const session = sessionOf(await call(first, 'POST', '/api/auth/password', { currentPassword: inspector.temporaryPassword, newPassword: 'inspector-password' }));
  t.match((await call(session, 'GET', '/api/machines')).json(), { total: 0 }, 'no campaign yet: nothing');

  const created = await call(countyAdmin, 'POST', '/api/campaigns', { orgId: county.id, name: '2026年抽查', kind: 'spot-check', unitIds: [school.id], inspectorIds: [inspector.user.id] });
  t.equal(created.statusCode, 201);
  const campaign = created.json().campaign;
  t.match(campaign, { units: [{ name: '汨罗市第一中学' }], inspectors: [{ username: 'inspector-li' }] });
  t.match((await call(session, 'GET', '/api/auth/me')).json(), { user: { role: 'inspector', campaigns: [{ name: '2026年抽查' }] } });
  t.same((await call(session, 'GET', '/api/machines')).json().machines.map((m: { hostname: string }) => m.hostname), ['school-pc']);
  t.same((await call(session, 'GET', '/api/orgs')).json().orgs.map((o: { name: string }) => o.name), ['汨罗市第一中学']);
  t.match((await call(session, 'PATCH', `/api/orgs/${school.id}`, { phone: '123' })).json(), { statusCode: 403, code: 'access.denied' });

  t.match((await call(countyAdmin, 'POST', '/api/campaigns', { orgId: county.id, name: 'x', kind: 'survey', inspectorIds: [(await call(countyAdmin, 'GET', '/api/auth/me')).json().user.id] })).json(), { code: 'campaign.not-inspector' });

  await call(countyAdmin, 'PATCH', `/api/campaigns/${campaign.id}`, { closed: true });
  t.match((await call(session, 'GET', '/api/machines')).json(), { total: 0 }, 'a closed campaign gives no access');
});
