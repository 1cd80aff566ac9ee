/**
 * Acceptance: an install on a simulated agent (a real WebSocket client speaking the protocol)
 * changes its unit's licence position and reaches that unit's /api/live client; a client of
 * another unit sees nothing of it.
 */
import t from 'tap';
import { buildTestApp } from '../../helpers/db.ts';
import { AgentSocket, enrollAgent } from '../helpers/agent-client.ts';
import { deltaReport, fullReport } from '../helpers/inventory.ts';
import { createUnit, registry, windowsInventory } from '../compliance/helpers.ts';
import { LiveClient, refusedUpgradeStatus, signInAs } from './helpers.ts';

const testApp = await buildTestApp({ listen: true });
t.teardown(testApp.close);
const { app, db, seeded } = testApp;

const unitA = await createUnit(db, seeded.rootOrgId, '市财政局');
const unitB = await createUnit(db, seeded.rootOrgId, '市教育局');
const adminA = await signInAs(app, db, unitA.id, 'unit-admin', 'caizheng');
const viewerB = await signInAs(app, db, unitB.id, 'unit-viewer', 'jiaoyu');
const bureau = await signInAs(app, db, seeded.rootOrgId, 'bureau-admin', 'bureau');

const clientA = await LiveClient.connect(testApp.wsUrl, adminA.cookie);
const clientB = await LiveClient.connect(testApp.wsUrl, viewerB.cookie);
const clientBureau = await LiveClient.connect(testApp.wsUrl, bureau.cookie);
t.teardown(() => [clientA, clientB, clientBureau].forEach((c) => c.close()));

// All set-up happens before the first subtest: tap ends the file when its queued subtests are done.
const v1 = windowsInventory('caizheng-pc-01', { software: [registry('7-Zip 23.01 (x64)', 'Igor Pavlov')] });
const credentials = await enrollAgent(testApp.baseUrl, unitA.token, { hostname: 'caizheng-pc-01', platform: 'windows' });
const agent = await AgentSocket.connect(testApp.wsUrl, credentials);
t.teardown(() => agent.close());

t.test('without a session the upgrade is refused before any socket opens', async (t) => {
  t.equal(await refusedUpgradeStatus(testApp.wsUrl, {}), 401);
  t.equal(await refusedUpgradeStatus(testApp.wsUrl, { cookie: 'zhengban_session=not-a-session' }), 401);
});

t.test('enrolment, connection and the first report reach the unit client', async (t) => {
  const enrolled = await clientA.waitFor((e) => e.type === 'machine.enrolled', 'machine.enrolled');
  await clientA.waitFor((e) => e.type === 'machine.online', 'machine.online');
  agent.sendJson(fullReport(1, v1));
  t.match(await agent.next(), { type: 'inventory.ack', seq: 1, result: 'applied' });
  // Windows 10 Pro, no licence yet: a position with one install and a shortfall of one.
  const position = await clientA.waitFor((e) => e.type === 'position.changed' && e.productId === 'windows-10-pro', 'position.changed');
  t.match(position, { orgId: unitA.id, installs: 1, covered: 0, shortfall: 1 });
  await clientA.waitFor((e) => e.type === 'install.added' && e.productId === 'windows-10-pro', 'install.added');
  await clientA.waitFor((e) => e.type === 'finding.opened' && e.code === 'licence.shortfall', 'finding.opened');
  t.ok(clientA.events.every((e) => e.orgId === unitA.id), 'every event is about the unit');
  t.equal('machineId' in enrolled ? typeof enrolled.machineId : '', 'string');
});

t.test('an install on the agent changes the position and reaches the unit client, not the other unit', async (t) => {
  const before = clientA.events.length;
  const v2 = { ...v1, collectedAt: '2025-06-02T08:00:00+08:00', software: [...v1.software, registry('WinRAR 6.24 (64-位)', 'win.rar GmbH')] };
  agent.sendJson(deltaReport(2, v1, v2));
  t.match(await agent.next(), { type: 'inventory.ack', seq: 2, result: 'applied' });
  const installed = await clientA.waitFor((e, i = clientA.events.indexOf(e)) => i >= before && e.type === 'install.added' && e.productId === 'winrar', 'install.added winrar');
  t.match(installed, { orgId: unitA.id });
  const position = await clientA.waitFor((e) => e.type === 'position.changed' && e.productId === 'winrar', 'position.changed winrar');
  t.match(position, { installs: 1, covered: 0, shortfall: 1 });
  // The REST API says the same.
  const res = await app.inject({ url: `/api/positions?orgId=${unitA.id}`, headers: { cookie: adminA.cookie } });
  t.equal(res.statusCode, 200);
  t.match((res.json() as { positions: unknown[] }).positions, [{ productId: 'windows-10-pro', shortfall: 1 }, { productId: 'winrar', installs: 1, shortfall: 1 }]);
  // The bureau above both units sees it too.
  await clientBureau.waitFor((e) => e.type === 'position.changed' && e.productId === 'winrar', 'bureau position.changed');
});

t.test('a licence entered in the ledger covers the install and the client hears it', async (t) => {
  const res = await app.inject({
    method: 'POST',
    url: '/api/licences',
    headers: { cookie: adminA.cookie, 'x-csrf-token': adminA.csrfToken },
    payload: { orgId: unitA.id, product: 'winrar', type: 'perpetual-device', quantity: 5, purchasedOn: '2024-03-01', supplier: '湖南某软件公司', amountFen: 48_000 },
  });
  t.equal(res.statusCode, 201, res.body);
  const position = await clientA.waitFor((e) => e.type === 'position.changed' && e.productId === 'winrar' && e.covered === 1, 'covered position');
  t.match(position, { installs: 1, covered: 1, shortfall: 0 });
  await clientA.waitFor((e) => e.type === 'finding.closed' && e.code === 'licence.shortfall' && e.subject === 'winrar', 'finding.closed');
});

t.test('the other unit\'s client saw nothing of unit A', async (t) => {
  await agent.close();
  await clientA.waitFor((e) => e.type === 'machine.offline', 'machine.offline');
  t.same(clientB.events, [], 'no event reached the other unit');
});
