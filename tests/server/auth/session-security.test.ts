/**
 * Sessions as a browser meets them: CSRF token on every state-changing request, the generated
 * first admin changing the password before anything else, Secure cookies behind a TLS proxy only
 * when that proxy is trusted, sign-out ending the session on the server.
 */
import t from 'tap';
import { bootstrap } from '../../../server/src/bootstrap/bootstrap.ts';
import { buildApp } from '../../../server/src/app.ts';
import { buildTestApp, createTestDatabase, testConfig, TEST_ADMIN_PASSWORD } from '../../helpers/db.ts';
import { sessionOf, signIn } from '../helpers/session.ts';

const testApp = await buildTestApp();
t.teardown(testApp.close);
const { app, seeded } = testApp;

t.test('a state-changing request needs the CSRF token of its own session', async (t) => {
  const mine = await signIn(app, 'admin', TEST_ADMIN_PASSWORD);
  const other = await signIn(app, 'admin', TEST_ADMIN_PASSWORD);
  const create = (headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/api/enrollment-tokens', headers, payload: { orgId: seeded.defaultUnitId, label: 'csrf test' } });

  const missing = await create({ cookie: mine.cookie });
  t.equal(missing.statusCode, 403);
  t.match(missing.json(), { code: 'csrf.invalid', message: /x-csrf-token/ });
  t.equal((await create({ cookie: mine.cookie, 'x-csrf-token': other.csrfToken })).statusCode, 403, "another session's token is refused");
  t.equal((await create({ cookie: mine.cookie, 'x-csrf-token': `${mine.csrfToken}x` })).statusCode, 403);
  t.equal((await create(mine.headers)).statusCode, 201);
  t.equal((await app.inject({ url: '/api/enrollment-tokens', headers: { cookie: mine.cookie } })).statusCode, 200, 'reads need no token');
  const [count] = await testApp.database.query<{ n: number }>("SELECT count(*)::int AS n FROM enrollment_tokens WHERE label = 'csrf test'");
  t.equal(count!.n, 1, 'only the request with the right token created anything');
});

t.test('sign-in sets the session cookie HttpOnly and the CSRF cookie readable, both SameSite', async (t) => {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: TEST_ADMIN_PASSWORD } });
  const session = res.cookies.find((c) => c.name === 'zhengban_session')!;
  const csrf = res.cookies.find((c) => c.name === 'zhengban_csrf')!;
  t.match(session, { httpOnly: true, sameSite: 'Lax', path: '/' });
  t.notOk(session.secure, 'plain HTTP: not Secure');
  t.match(csrf, { sameSite: 'Strict', path: '/' });
  t.notOk(csrf.httpOnly);
  t.equal(csrf.value, res.json().csrfToken);
});

t.test('sign-out ends the session on the server: the old cookie no longer works', async (t) => {
  const session = await signIn(app, 'admin', TEST_ADMIN_PASSWORD);
  t.equal((await app.inject({ method: 'POST', url: '/api/auth/logout', headers: session.headers })).statusCode, 200);
  const res = await app.inject({ url: '/api/auth/me', headers: { cookie: session.cookie } });
  t.match(res.json(), { statusCode: 401, code: 'auth.session-expired' });
});

t.test('the generated first admin must change the password before anything else', async (t) => {
  const fresh = await createTestDatabase();
  t.teardown(fresh.close);
  const first = await bootstrap(fresh.db, {});
  const freshApp = await buildApp(testConfig({ adminPassword: undefined }), { database: fresh.database });
  t.teardown(() => freshApp.close());
  const generated = first.admin.generatedPassword!;
  const session = await signIn(freshApp, 'admin', generated);
  t.match((await freshApp.inject({ url: '/api/auth/me', headers: session.headers })).json(), { user: { mustChangePassword: true } });

  for (const url of ['/api/machines', '/api/orgs', '/api/users', '/api/audit']) {
    const res = await freshApp.inject({ url, headers: session.headers });
    t.equal(res.statusCode, 403, url);
    t.match(res.json(), { code: 'password_change_required', message: /change your password first/ });
  }
  const changed = await freshApp.inject({ method: 'POST', url: '/api/auth/password', headers: session.headers, payload: { currentPassword: generated, newPassword: 'a-new-admin-password' } });
  t.equal(changed.statusCode, 200);
  const after = sessionOf(changed);
  t.equal((await freshApp.inject({ url: '/api/machines', headers: after.headers })).statusCode, 200);
  t.equal((await freshApp.inject({ url: '/api/machines', headers: session.headers })).statusCode, 401, 'the session with the temporary password ended');
});

t.test('cookies are Secure behind a TLS proxy only when that proxy is trusted', async (t) => {
  const fresh = await createTestDatabase();
  t.teardown(fresh.close);
  await bootstrap(fresh.db, { adminPassword: TEST_ADMIN_PASSWORD });
  const signInVia = async (trustProxy: string | undefined) => {
    const proxied = await buildApp(testConfig(trustProxy ? { trustProxy } : {}), { database: fresh.database });
    try {
      const res = await proxied.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' },
        payload: { username: 'admin', password: TEST_ADMIN_PASSWORD },
      });
      return res.cookies.find((c) => c.name === 'zhengban_session')!;
    } finally {
      await proxied.close();
    }
  };
  t.equal((await signInVia('loopback')).secure, true, 'ZHENGBAN_TRUST_PROXY=loopback: the proxy said https');
  t.notOk((await signInVia(undefined)).secure, 'not configured: X-Forwarded-Proto is ignored');
});
