import t from 'tap';
import { verifyPassword } from '../../server/src/auth/passwords.ts';
import { sha256Hex } from '../../server/src/auth/secrets.ts';
import { bootstrap, DEFAULT_UNIT_NAME, ENV_TOKEN_LABEL, ROOT_ORG_NAME } from '../../server/src/bootstrap/bootstrap.ts';
import { createTestDatabase } from '../helpers/db.ts';

const testDb = await createTestDatabase();
t.teardown(testDb.close);
const { database } = testDb;

const tokenRow = async (token: string) =>
  (await database.query<{ label: string; revoked_at: Date | null; expires_at: Date | null; org_id: string }>(
    'SELECT label, revoked_at, expires_at, org_id FROM enrollment_tokens WHERE token_hash = $1',
    [sha256Hex(token)],
  ))[0];

const first = await bootstrap(testDb.db, { enrollToken: 'rollout-token-one' });

t.test('the first start creates the city bureau, the default unit under it, and an admin with a generated password', async (t) => {
  const orgs = await database.query<{ id: string; parent_id: string | null; kind: string; name: string; path: string }>(
    'SELECT id, parent_id, kind, name, path FROM orgs ORDER BY path',
  );
  t.same(orgs, [
    { id: first.rootOrgId, parent_id: null, kind: 'bureau', name: ROOT_ORG_NAME, path: `/${first.rootOrgId}/` },
    { id: first.defaultUnitId, parent_id: first.rootOrgId, kind: 'unit', name: DEFAULT_UNIT_NAME, path: `/${first.rootOrgId}/${first.defaultUnitId}/` },
  ]);
  t.match(first.admin, { username: 'admin', createdNow: true, generatedPassword: /^[A-Za-z2-9]{20}$/ });
  const [admin] = await database.query<{ role: string; org_id: string; must_change_password: boolean; password_hash: string }>(
    "SELECT role, org_id, must_change_password, password_hash FROM users WHERE username = 'admin'",
  );
  t.match(admin, { role: 'bureau-admin', org_id: first.rootOrgId, must_change_password: true });
  t.match(admin!.password_hash, /^scrypt\$32768\$8\$3\$/, 'scrypt N=2^15 r=8 p=3');
  t.ok(await verifyPassword(first.admin.generatedPassword!, admin!.password_hash));
});

t.test('the start-up token enrols into the default unit for 24 hours', async (t) => {
  const row = await tokenRow(first.startupToken);
  t.match(row, { label: 'startup', org_id: first.defaultUnitId, revoked_at: null });
  const hours = (row!.expires_at!.getTime() - Date.now()) / 3_600_000;
  t.ok(hours > 23.9 && hours <= 24, `expires in ${hours.toFixed(2)} h`);
});

t.test('a second start creates nothing twice, prints no password, and issues a fresh start-up token', async (t) => {
  const second = await bootstrap(testDb.db, { adminPassword: 'ignored-now-admin-exists', enrollToken: 'rollout-token-one' });
  t.equal(second.rootOrgId, first.rootOrgId);
  t.equal(second.defaultUnitId, first.defaultUnitId);
  t.same(second.admin, { username: 'admin', createdNow: false });
  t.not(second.startupToken, first.startupToken);
  t.same(await database.query('SELECT count(*)::int AS n FROM orgs'), [{ n: 2 }]);
  t.same(await database.query('SELECT count(*)::int AS n FROM users'), [{ n: 1 }]);
  t.match(await tokenRow(first.startupToken), { revoked_at: null }, 'the earlier start-up token keeps working until it expires');
  t.same(await database.query('SELECT count(*)::int AS n FROM enrollment_tokens WHERE label = $1', [ENV_TOKEN_LABEL]), [{ n: 1 }]);
});

t.test('ZHENGBAN_ENROLL_TOKEN is a non-expiring token for the default unit; changing it revokes the old value', async (t) => {
  t.match(await tokenRow('rollout-token-one'), { label: ENV_TOKEN_LABEL, org_id: first.defaultUnitId, revoked_at: null, expires_at: null });
  await bootstrap(testDb.db, { enrollToken: 'rollout-token-two' });
  t.match(await tokenRow('rollout-token-one'), { revoked_at: Date });
  t.match(await tokenRow('rollout-token-two'), { revoked_at: null });
  await bootstrap(testDb.db, { enrollToken: 'rollout-token-one' });
  t.match(await tokenRow('rollout-token-one'), { revoked_at: null }, 'setting an old value again restores it');
  t.match(await tokenRow('rollout-token-two'), { revoked_at: Date });
});

t.test('with ZHENGBAN_ADMIN_PASSWORD on the first start, that is the password and no change is forced', async (t) => {
  const fresh = await createTestDatabase();
  t.teardown(fresh.close);
  const seeded = await bootstrap(fresh.db, { adminPassword: 'set-by-operator' });
  t.same(seeded.admin, { username: 'admin', createdNow: true });
  const [admin] = await fresh.database.query<{ must_change_password: boolean; password_hash: string }>(
    "SELECT must_change_password, password_hash FROM users WHERE username = 'admin'",
  );
  t.equal(admin!.must_change_password, false);
  t.ok(await verifyPassword('set-by-operator', admin!.password_hash));
});
