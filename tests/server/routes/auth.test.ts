import t from 'tap';
import { createUser } from '../../../server/src/users/queries.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD } from '../../helpers/db.ts';
import { sessionOf } from '../helpers/session.ts';

const testApp = await buildTestApp();
t.teardown(testApp.close);
const { app } = testApp;

const login = (username: string, password: string) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
const sessionCookie = (res: Awaited<ReturnType<typeof login>>) => {
  const cookie = res.cookies.find((c) => c.name === 'zhengban_session');
  if (!cookie) throw new Error('no session cookie');
  return `${cookie.name}=${cookie.value}`;
};

t.test('signing in with the right password sets an HttpOnly, SameSite=Lax session cookie', async (t) => {
  const res = await login('admin', TEST_ADMIN_PASSWORD);
  t.equal(res.statusCode, 200);
  t.match(res.json(), { user: { username: 'admin', role: 'bureau-admin', org: { name: '市版权局', kind: 'bureau' }, mustChangePassword: false } });
  const cookie = res.cookies.find((c) => c.name === 'zhengban_session');
  t.match(cookie, { httpOnly: true, sameSite: 'Lax', path: '/' });
  t.ok(cookie!.value.length >= 43, 'a 256-bit random token');
});

t.test('usernames are not case-sensitive', async (t) => {
  t.equal((await login('  Admin ', TEST_ADMIN_PASSWORD)).statusCode, 200);
});

const refusals = [
  { name: 'a wrong password', username: 'admin', password: 'wrong-password' },
  { name: 'an unknown user', username: 'nobody', password: TEST_ADMIN_PASSWORD },
];
for (const refusal of refusals) {
  t.test(`signing in with ${refusal.name} gets 401 with the same message either way, and no cookie`, async (t) => {
    const res = await login(refusal.username, refusal.password);
    t.equal(res.statusCode, 401);
    t.same(res.json(), { statusCode: 401, code: 'auth.invalid-credentials', message: 'username or password is wrong' });
    t.same(res.cookies, []);
  });
}

t.test('a sign-in body of the wrong shape gets 400 saying which field', async (t) => {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin' } });
  t.equal(res.statusCode, 400);
  t.match(res.json(), { code: 'request.invalid', message: /body: password:/ });
  const notJson = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
  t.equal(notJson.statusCode, 400);
  t.match(notJson.json(), { code: 'request.invalid', message: /JSON/ });
});

t.test('the machine list and detail, and /me, need a session', async (t) => {
  for (const url of ['/api/machines', '/api/machines/00000000-0000-4000-8000-000000000000', '/api/auth/me']) {
    const res = await app.inject({ url });
    t.equal(res.statusCode, 401, url);
    t.match(res.json(), { code: 'auth.required', message: /sign in/ });
  }
  const forged = await app.inject({ url: '/api/machines', headers: { cookie: 'zhengban_session=forged' } });
  t.match(forged.json(), { statusCode: 401, code: 'auth.session-expired' });
});

t.test('with a session, /me says who is signed in; after sign-out the session is gone', async (t) => {
  const { cookie, headers } = sessionOf(await login('admin', TEST_ADMIN_PASSWORD));
  t.match((await app.inject({ url: '/api/auth/me', headers: { cookie } })).json(), { user: { username: 'admin' } });
  const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers });
  t.equal(out.statusCode, 200);
  t.equal((await app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode, 401);
});

t.test('an expired session is refused', async (t) => {
  const cookie = sessionCookie(await login('admin', TEST_ADMIN_PASSWORD));
  await testApp.database.query("UPDATE sessions SET expires_at = now() - interval '1 minute'");
  t.match((await app.inject({ url: '/api/auth/me', headers: { cookie } })).json(), { code: 'auth.session-expired' });
});

t.test('changing the password needs the current one, clears must-change and ends the other sessions', async (t) => {
  await createUser(testApp.db, { username: 'liaison', password: 'first-password', orgId: testApp.seeded.defaultUnitId, role: 'unit-admin', mustChangePassword: true });
  const other = sessionCookie(await login('liaison', 'first-password'));
  const { cookie, headers } = sessionOf(await login('liaison', 'first-password'));
  t.match((await app.inject({ url: '/api/auth/me', headers: { cookie } })).json(), { user: { mustChangePassword: true, org: { name: '默认单位' } } });

  const wrong = await app.inject({ method: 'POST', url: '/api/auth/password', headers, payload: { currentPassword: 'nope', newPassword: 'second-password' } });
  t.equal(wrong.statusCode, 401);

  const res = await app.inject({ method: 'POST', url: '/api/auth/password', headers, payload: { currentPassword: 'first-password', newPassword: 'second-password' } });
  t.equal(res.statusCode, 200);
  const fresh = sessionCookie(res);
  t.match((await app.inject({ url: '/api/auth/me', headers: { cookie: fresh } })).json(), { user: { mustChangePassword: false } });
  t.equal((await app.inject({ url: '/api/auth/me', headers: { cookie: other } })).statusCode, 401, 'other sessions ended');
  t.equal((await login('liaison', 'first-password')).statusCode, 401);
  t.equal((await login('liaison', 'second-password')).statusCode, 200);
});
