import t from 'tap';
import { createEnrollmentToken, revokeEnrollmentToken } from '../../../server/src/agents/enrollment-tokens.ts';
import { insertOrg } from '../../../server/src/orgs/queries.ts';
import { buildTestApp } from '../../helpers/db.ts';
import { agentAuthorization, postEnroll, tryUpgrade } from '../helpers/agent-client.ts';
import { debianInventory } from '../helpers/inventory.ts';

const testApp = await buildTestApp({ listen: true });
t.teardown(testApp.close);
const { db } = testApp;
const unitId = testApp.seeded.defaultUnitId;
const hardware = debianInventory([]).hardware;

const machineOf = async (agentId: string) =>
  (await testApp.database.query<{ machine_id: string }>('SELECT machine_id FROM agents WHERE id = $1', [agentId]))[0]!.machine_id;

t.test('a valid token enrols the agent: it gets an id and a secret once, for the token\'s unit', async (t) => {
  const { status, body } = await postEnroll(testApp.baseUrl, { token: testApp.seeded.startupToken, hardware });
  t.equal(status, 200);
  t.match(body, { agentId: /^[0-9a-f-]{36}$/, secret: /^[A-Za-z0-9_-]{43}$/, unitId });
  const [row] = await testApp.database.query<{ secret_hash: string }>('SELECT secret_hash FROM agents WHERE id = $1', [body.agentId]);
  t.not(row!.secret_hash, body.secret, 'only a hash of the secret is stored');
  t.equal(row!.secret_hash.length, 64);
});

const refusals: { name: string; token: () => Promise<string>; code: string; message: RegExp }[] = [
  { name: 'a wrong token', token: async () => 'not-a-real-token-at-all', code: 'enroll.token-unknown', message: /not valid/ },
  {
    name: 'an expired token',
    token: async () => (await createEnrollmentToken(db, { orgId: unitId, label: 'old', expiresAt: new Date(Date.now() - 60_000) })).token,
    code: 'enroll.token-expired',
    message: /expired at/,
  },
  {
    name: 'a used-up token',
    token: async () => {
      const { token } = await createEnrollmentToken(db, { orgId: unitId, label: 'one-shot', maxUses: 1 });
      const first = await postEnroll(testApp.baseUrl, { token, hostname: 'first-pc' });
      if (first.status !== 200) throw new Error('the first use should succeed');
      return token;
    },
    code: 'enroll.token-used-up',
    message: /already used 1 of 1 times/,
  },
  {
    name: 'a revoked token',
    token: async () => {
      const { id, token } = await createEnrollmentToken(db, { orgId: unitId, label: 'revoked' });
      await revokeEnrollmentToken(db, id);
      return token;
    },
    code: 'enroll.token-revoked',
    message: /revoked/,
  },
];

for (const refusal of refusals) {
  t.test(`${refusal.name} gets 401 with a message that says why, and enrols nothing`, async (t) => {
    const token = await refusal.token();
    const [before] = await testApp.database.query<{ n: number }>('SELECT count(*)::int AS n FROM agents');
    const { status, body } = await postEnroll(testApp.baseUrl, { token });
    t.equal(status, 401);
    t.match(body, { code: refusal.code, message: refusal.message });
    t.same(await testApp.database.query('SELECT count(*)::int AS n FROM agents'), [before]);
  });
}

t.test('a request of the wrong shape gets 400 naming the field', async (t) => {
  const { status, body } = await postEnroll(testApp.baseUrl, { token: testApp.seeded.startupToken, platform: 'macos' as 'linux' });
  t.equal(status, 400);
  t.match(body, { code: 'request.invalid', message: /body: platform: Invalid option/ });
});

t.test('re-enrolling the same PC (same UUID and serial, reinstalled OS) finds the same machine and revokes the old agent', async (t) => {
  const first = await postEnroll(testApp.baseUrl, { token: testApp.seeded.startupToken, hostname: 'office-7', hardware });
  const again = await postEnroll(testApp.baseUrl, {
    token: testApp.seeded.startupToken,
    hostname: 'office-7-reinstalled',
    hardware: { ...hardware, machineId: 'ffeeddccbbaa99887766554433221100', uuid: hardware.uuid!.toUpperCase() },
  });
  t.equal(await machineOf(again.body.agentId), await machineOf(first.body.agentId), 'same machine record');
  const refused = await tryUpgrade(testApp.wsUrl, { authorization: agentAuthorization(first.body) });
  t.match(refused, { status: 401 }, 'the agent of the old installation can no longer connect');
});

t.test('a cloned disk image (same machine-id, different hardware) becomes a second machine', async (t) => {
  const original = await postEnroll(testApp.baseUrl, { token: testApp.seeded.startupToken, hostname: 'clone-a', hardware });
  const clone = await postEnroll(testApp.baseUrl, {
    token: testApp.seeded.startupToken,
    hostname: 'clone-b',
    hardware: { ...hardware, uuid: '8b1c7e52-3f0a-4d6e-9a51-0c2b7d9e4f13', serial: 'J7XK2M3', macs: ['b4:45:06:11:22:33'] },
  });
  t.not(await machineOf(clone.body.agentId), await machineOf(original.body.agentId));
});

t.test('the same hardware enrolled with another unit\'s token does not take over this unit\'s machine', async (t) => {
  const mine = await postEnroll(testApp.baseUrl, { token: testApp.seeded.startupToken, hardware });
  const otherUnit = await insertOrg(db, { parentId: testApp.seeded.rootOrgId, kind: 'unit', name: '第二中学' });
  const { token } = await createEnrollmentToken(db, { orgId: otherUnit.id, label: 'school' });
  const theirs = await postEnroll(testApp.baseUrl, { token, hardware });
  t.equal(theirs.body.unitId, otherUnit.id);
  t.not(await machineOf(theirs.body.agentId), await machineOf(mine.body.agentId));
  t.match(await tryUpgrade(testApp.wsUrl, { authorization: agentAuthorization(mine.body) }), 'upgraded', 'this unit\'s agent is untouched');
});
