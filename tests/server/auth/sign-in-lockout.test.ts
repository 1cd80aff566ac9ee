/**
 * Brute force: wrong passwords lock the account (10 within 15 minutes) and too many failures from
 * one address lock the address, and neither slows anyone else down. "Not slowed down" is shown by
 * counting, not timing: a locked account's attempts never run the password KDF (scrypt, in libuv's
 * threadpool), attempts on one account run one at a time, and everyone else's sign-ins succeed
 * while the attack runs.
 */
import t from 'tap';
import { ACCOUNT_LIMIT, ADDRESS_LIMIT } from '../../../server/src/auth/throttle.ts';
import { createUser } from '../../../server/src/users/queries.ts';
import { buildTestApp } from '../../helpers/db.ts';

const testApp = await buildTestApp();
t.teardown(testApp.close);
const { app, db, seeded } = testApp;
const guard = app.signInGuard;

const PASSWORD = 'correct-horse-1';
const others = ['alice', 'bob', 'carol', 'dave', 'erin'];
for (const username of ['victim', ...others]) await createUser(db, { username, password: PASSWORD, orgId: seeded.defaultUnitId, role: 'unit-viewer' });

const login = (username: string, password: string, remoteAddress: string) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress });

t.test('50 wrong passwords lock the account after 10, without running the KDF for the other 40, while everyone else signs in', async (t) => {
  const attack = Array.from({ length: 50 }, () => login('victim', 'wrong-guess', '203.0.113.66'));
  // Other users sign in from their own desks while the attack is in flight.
  const everyoneElse = others.flatMap((username, i) => [login(username, PASSWORD, `10.0.0.${i + 10}`), login(username, PASSWORD, `10.0.0.${i + 10}`)]);
  const [attacked, signedIn] = await Promise.all([Promise.all(attack), Promise.all(everyoneElse)]);

  t.same(signedIn.map((res) => res.statusCode), signedIn.map(() => 200), 'every other sign-in succeeded');
  for (const username of others) t.equal(guard.kdfRunsFor(username), 2, `${username}: one KDF per sign-in, none waiting on the victim`);

  const statuses = attacked.map((res) => res.statusCode);
  t.equal(statuses.filter((s) => s === 401).length, ACCOUNT_LIMIT.maxFailures - 1, 'nine plain refusals');
  t.equal(statuses.filter((s) => s === 429).length, 50 - (ACCOUNT_LIMIT.maxFailures - 1), 'the tenth locks; the rest are refused as locked');
  t.equal(guard.kdfRunsFor('victim'), ACCOUNT_LIMIT.maxFailures, 'the KDF ran only for the attempts before the lock');

  const locked = attacked.find((res) => res.statusCode === 429)!;
  t.match(locked.json(), { code: 'auth.account-locked', message: /too many failed sign-ins for this account: try again in 15 minutes/ });
  t.ok(Number(locked.headers['retry-after']) > 800, 'Retry-After says how long');
});

t.test('while locked, even the right password is refused — and costs no KDF', async (t) => {
  const before = guard.kdfRunsFor('victim');
  const res = await login('victim', PASSWORD, '10.0.0.99');
  t.equal(res.statusCode, 429);
  t.equal(guard.kdfRunsFor('victim'), before);
});

t.test('when the lock ends, the right password works and the count starts again', async (t) => {
  await testApp.database.query("UPDATE login_throttle SET locked_until = now() - interval '1 second', window_started_at = now() - interval '1 hour' WHERE key = 'account:victim'");
  t.equal((await login('victim', PASSWORD, '10.0.0.99')).statusCode, 200);
  t.same(await testApp.database.query("SELECT * FROM login_throttle WHERE key = 'account:victim'"), [], 'a successful sign-in forgets the failures');
});

t.test('unknown usernames are counted and locked the same way, so a lock reveals nothing', async (t) => {
  for (let i = 0; i < ACCOUNT_LIMIT.maxFailures; i++) await login('nobody-here', 'x', '10.1.0.1');
  const res = await login('nobody-here', 'x', '10.1.0.1');
  t.match(res.json(), { statusCode: 429, code: 'auth.account-locked' });
});

t.test('too many failures from one address lock that address for every account, and no other address', async (t) => {
  // As if the address had already sprayed many accounts: one more failure reaches the limit.
  await testApp.database.query("INSERT INTO login_throttle (key, failures, window_started_at) VALUES ('address:198.51.100.7', $1, now())", [ADDRESS_LIMIT.maxFailures - 1]);
  t.equal((await login('alice', 'wrong', '198.51.100.7')).statusCode, 401);
  const blocked = await login('bob', PASSWORD, '198.51.100.7');
  t.match(blocked.json(), { statusCode: 429, code: 'auth.address-locked', message: /from your address/ });
  t.equal((await login('bob', PASSWORD, '198.51.100.8')).statusCode, 200, 'bob from his own address is not affected');
  t.equal((await login('alice', PASSWORD, '10.0.0.10')).statusCode, 200, 'alice is not locked: one failure');
});
