import t from 'tap';
import { buildApp } from '../../../server/src/app.ts';
import { buildTestApp, createTestDatabase, testConfig } from '../../helpers/db.ts';

t.test('/healthz says the process is up; /readyz that the database is migrated and answering', async (t) => {
  const testApp = await buildTestApp();
  t.teardown(testApp.close);
  t.same((await testApp.app.inject({ url: '/healthz' })).json(), { status: 'ok' });
  const ready = await testApp.app.inject({ url: '/readyz' });
  t.equal(ready.statusCode, 200);
  t.same(ready.json(), { status: 'ready', database: testApp.driver });
});

t.test('/readyz is 503 when migrations are missing, and when the database is gone; /healthz stays up', async (t) => {
  const testDb = await createTestDatabase();
  const app = await buildApp(testConfig(), { database: testDb.database });
  t.teardown(async () => {
    await app.close();
    await testDb.close().catch(() => undefined);
  });
  await testDb.database.query('DELETE FROM drizzle.__drizzle_migrations');
  t.match((await app.inject({ url: '/readyz' })).json(), { status: 'not-ready', reason: 'database migrations are not applied yet' });

  await testDb.database.close();
  const gone = await app.inject({ url: '/readyz' });
  t.equal(gone.statusCode, 503);
  t.same(gone.json(), { status: 'not-ready', reason: 'database unreachable' });
  t.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
});

t.test('the placeholder dashboard is served at / in Chinese; unknown routes get a JSON 404', async (t) => {
  const testApp = await buildTestApp();
  t.teardown(testApp.close);
  const page = await testApp.app.inject({ url: '/' });
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], /text\/html/);
  t.match(page.body, /<html lang="zh-CN">/);
  const missing = await testApp.app.inject({ url: '/api/nothing-here' });
  t.equal(missing.statusCode, 404);
  t.same(missing.json(), { statusCode: 404, code: 'route.not-found', message: 'no route GET /api/nothing-here' });
});
