import t from 'tap';
import { buildTestApp } from '../../helpers/db.ts';
import { AgentSocket, enrollAgent } from '../helpers/agent-client.ts';
import { debianInventory, dpkg, fullReport } from '../helpers/inventory.ts';

t.test('when the database fails mid-report, the report is not acked: ingest.failed, then close 1011 so the agent re-sends later', async (t) => {
  const testApp = await buildTestApp({ listen: true, config: { logLevel: 'fatal' } });
  t.teardown(testApp.close);
  const credentials = await enrollAgent(testApp.baseUrl, testApp.seeded.startupToken);
  const agent = await AgentSocket.connect(testApp.wsUrl, credentials);

  await testApp.database.close();
  agent.sendJson(fullReport(1, debianInventory([dpkg('bash', '5.2.15-2+b2')])));
  const error = await agent.next();
  t.match(error, { type: 'error', code: 'ingest.failed', seq: 1, message: /send it again/ });
  t.notOk(agent.received.some((f) => f.type === 'inventory.ack'), 'no ack: the report stays in the agent\'s outbox');
  t.match(await agent.closed, { code: 1011 });
  t.equal((await fetch(`${testApp.baseUrl}/healthz`)).status, 200, 'the process keeps serving');
});
