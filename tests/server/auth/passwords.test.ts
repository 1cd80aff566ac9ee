import { randomBytes, scryptSync } from 'node:crypto';
import t from 'tap';
import { hashPassword, needsRehash, verifyPassword } from '../../../server/src/auth/passwords.ts';
import { createUser } from '../../../server/src/users/queries.ts';
import { buildTestApp } from '../../helpers/db.ts';

/** A hash as an older build made it (scrypt N=2^14, r=8, p=1). */
function legacyHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFC'), salt, 32, { N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', 2 ** 14, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
}

t.test('passwords are hashed with scrypt N=2^15 r=8 p=3 and a fresh salt each time', async (t) => {
  const a = await hashPassword('密码 with ünïcödé');
  const b = await hashPassword('密码 with ünïcödé');
  t.match(a, /^scrypt\$32768\$8\$3\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
  t.not(a, b);
  t.ok(await verifyPassword('密码 with ünïcödé', a));
  t.notOk(await verifyPassword('密码 with unicode', a));
  t.notOk(needsRehash(a));
});

t.test('malformed or absurd stored hashes never match and are never computed', async (t) => {
  for (const stored of ['', 'plain', 'bcrypt$x', 'scrypt$0$8$1$c2FsdA==$a2V5', `scrypt$${2 ** 30}$8$1$c2FsdA==$a2V5`, 'scrypt$32768$8$1000$c2FsdA==$a2V5']) {
    t.notOk(await verifyPassword('x', stored), stored.slice(0, 30));
  }
});

t.test('an older hash still signs in and is moved to the current parameters', async (t) => {
  const testApp = await buildTestApp();
  t.teardown(testApp.close);
  const { id } = await createUser(testApp.db, { username: 'old-timer', password: 'placeholder', orgId: testApp.seeded.defaultUnitId, role: 'unit-viewer' });
  await testApp.database.query('UPDATE users SET password_hash = $1 WHERE id = $2', [legacyHash('old-password'), id]);
  const res = await testApp.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'old-timer', password: 'old-password' } });
  t.equal(res.statusCode, 200);
  const [row] = await testApp.database.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [id]);
  t.match(row!.password_hash, /^scrypt\$32768\$8\$3\$/);
  t.ok(await verifyPassword('old-password', row!.password_hash));
});
