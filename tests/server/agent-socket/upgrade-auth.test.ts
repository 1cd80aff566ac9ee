import t from 'tap';
import { buildTestApp } from '../../helpers/db.ts';
import { AgentSocket, agentAuthorization, enrollAgent, tryUpgrade } from '../helpers/agent-client.ts';

const testApp = await buildTestApp({ listen: true });
t.teardown(testApp.close);
const credentials = await enrollAgent(testApp.baseUrl, testApp.seeded.startupToken);

const refusals: { name: string; headers: Record<string, string>; code: string }[] = [
  { name: 'no Authorization header', headers: {}, code: 'agent.credentials-missing' },
  { name: 'another auth scheme', headers: { authorization: `Bearer ${credentials.secret}` }, code: 'agent.credentials-missing' },
  { name: 'no secret', headers: { authorization: `Agent ${credentials.agentId}` }, code: 'agent.credentials-missing' },
  { name: 'a wrong secret', headers: { authorization: agentAuthorization({ ...credentials, secret: 'x'.repeat(43) }) }, code: 'agent.credentials-invalid' },
  {
    name: 'an unknown agent id',
    headers: { authorization: agentAuthorization({ ...credentials, agentId: '00000000-0000-4000-8000-000000000000' }) },
    code: 'agent.credentials-invalid',
  },
  { name: 'an agent id that is not a UUID', headers: { authorization: agentAuthorization({ ...credentials, agentId: "1' OR '1'='1" }) }, code: 'agent.credentials-invalid' },
];

for (const refusal of refusals) {
  t.test(`an upgrade with ${refusal.name} gets HTTP 401, not a socket`, async (t) => {
    const result = await tryUpgrade(testApp.wsUrl, refusal.headers);
    if (result === 'upgraded') return t.fail('the server upgraded the connection');
    t.equal(result.status, 401);
    t.equal(result.headers['www-authenticate'], 'Agent');
    t.match(JSON.parse(result.body), { statusCode: 401, code: refusal.code, message: /enrol/ });
  });
}

t.test('an upgrade with the right credentials gets a socket and a welcome', async (t) => {
  const agent = await AgentSocket.connect(testApp.wsUrl, credentials);
  t.teardown(() => agent.close());
  t.match(agent.received[0], { type: 'server.welcome', agentId: credentials.agentId, lastSeq: 0, maxFrameBytes: testApp.config.maxFrameBytes });
  t.notOk('inventoryHash' in agent.received[0]!, 'no inventory yet');
});

t.test('a revoked agent gets HTTP 401 telling it to enrol again', async (t) => {
  await testApp.database.query('UPDATE agents SET revoked_at = now() WHERE id = $1', [credentials.agentId]);
  const result = await tryUpgrade(testApp.wsUrl, { authorization: agentAuthorization(credentials) });
  if (result === 'upgraded') return t.fail('the server upgraded the connection');
  t.equal(result.status, 401);
  t.match(JSON.parse(result.body), { code: 'agent.revoked', message: /enrol again/ });
});
