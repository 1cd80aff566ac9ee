/**
 * Alerts (告警): a sweep raises one alert per new condition — a subscription ending within 30
 * days, a new finding, a new shortfall (also from a subscription that lapsed since the last sweep),
 * a machine silent for 7 days — lists them in scope, lets an admin acknowledge them (audited), and
 * POSTs them to the bureau's webhook: a real local HTTP server that first fails, so the delivery
 * is retried. Sweeps move the clock with `now` instead of waiting days.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { runAlertSweep } from '../../../server/src/alerts/scheduler.ts';
import { submitReturn } from '../../../server/src/annual-return/service.ts';
import { SYSTEM_ACTOR } from '../../../server/src/audit/record.ts';
import { buildRuleSet } from '../../../server/src/catalog/rules/index.ts';
import { todayInChina } from '../../../server/src/compliance/recompute.ts';
import { ingestFullReport } from '../../../server/src/ingest/ingest-full.ts';
import { buildTestApp } from '../../helpers/db.ts';
import { fullReport } from '../helpers/inventory.ts';
import { createUnit, enrolMachine, registry, windowsInventory } from '../compliance/helpers.ts';
import { signInAs } from '../live/helpers.ts';

// The bureau's webhook receiver: answers 503 to the first POST, 200 afterwards.
const received: Array<{ alerts: Array<{ kind: string; orgId: string; subject: string; message: string; facts: Record<string, unknown> | null }> }> = [];
let posts = 0;
const receiver = createServer((request: IncomingMessage, response) => {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => (body += chunk));
  request.on('end', () => {
    posts += 1;
    if (posts === 1) {
      response.writeHead(503).end('busy');
      return;
    }
    received.push(JSON.parse(body));
    response.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
t.teardown(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/zhengban-alerts`;

// No periodic sweep: the test runs each sweep itself.
const testApp = await buildTestApp({ config: { alertSweepSeconds: 0 } });
t.teardown(testApp.close);
const { app, db, database, seeded } = testApp;
const retry = { attempts: 4, firstDelayMs: 20, timeoutMs: 5_000 };

const unit = await createUnit(db, seeded.rootOrgId, '市财政局');
const other = await createUnit(db, seeded.rootOrgId, '市教育局');
const bureau = await signInAs(app, db, seeded.rootOrgId, 'bureau-admin', 'banquanju');
const admin = await signInAs(app, db, unit.id, 'unit-admin', 'caizheng');
const otherViewer = await signInAs(app, db, other.id, 'unit-viewer', 'jiaoyu');
const otherAdmin = await signInAs(app, db, other.id, 'unit-admin', 'jiaoyu-admin');

// Every unit has submitted this year's annual return, so no deadline reminder (annual-return.due,
// tested in tests/server/annual-return/reminders.test.ts) mixes in from 10 November on.
const year = Number(todayInChina().slice(0, 4));
for (const orgId of [unit.id, other.id, seeded.defaultUnitId]) {
  await submitReturn(db, SYSTEM_ACTOR, orgId, year, { staffCount: 1, head: '负责人', liaison: '联络员', contact: '0730-8888888', signedOn: todayInChina() }, { products: buildRuleSet().products, today: todayInChina() });
}

const hook = await app.inject({ method: 'PUT', url: `/api/compliance/settings/${seeded.rootOrgId}`, headers: bureau.headers, payload: { approvedKmsHosts: [], webhookUrl } });
if (hook.statusCode !== 200) throw new Error(`webhook not set: ${hook.body}`);

// One PC: Windows 10 Pro activated against an unapproved KMS host (a finding), and WinRAR.
const machine = await enrolMachine(database, unit, 'caizheng-pc-01');
await ingestFullReport(db, machine.agentId, fullReport(1, windowsInventory('caizheng-pc-01', { kmsHost: 'kms.03k.org', software: [registry('WinRAR 6.24 (64-位)', 'win.rar GmbH')] })));

const now = Date.now();
const today = todayInChina(now);
const inDays = (days: number) => todayInChina(now + days * 86_400_000);
// Windows: a subscription ending in 10 days (expiring soon). WinRAR: one ending in 40 days.
for (const [product, endsOn] of [['windows-10-pro', inDays(10)], ['winrar', inDays(40)]] as const) {
  const res = await app.inject({ method: 'POST', url: '/api/licences', headers: admin.headers, payload: { orgId: unit.id, product, type: 'subscription', quantity: 1, startsOn: '2024-01-01', endsOn } });
  if (res.statusCode !== 201) throw new Error(`licence refused: ${res.body}`);
}

type Listed = { alerts: Array<{ id: string; kind: string; subject: string; message: string; facts: Record<string, unknown> | null; acknowledgedAt: string | null; acknowledgedBy: string | null }>; total: number };
async function list(query = '', who = admin): Promise<Listed> {
  const res = await app.inject({ url: `/api/alerts${query}`, headers: who.headers });
  if (res.statusCode !== 200) throw new Error(`GET /api/alerts${query}: ${res.statusCode} ${res.body}`);
  return res.json() as Listed;
}

t.test('the first sweep alerts the expiring subscription and the new finding, and the webhook gets them after a retry', async (t) => {
  const sweep = await runAlertSweep(app, { now: new Date(now), retry });
  t.same(sweep.raised.map((a) => a.kind).sort(), ['finding.opened', 'subscription.expiring'], 'nothing else: both products are covered today');
  t.same(await Promise.all(sweep.deliveries), [true], 'delivered');
  t.equal(posts, 2, 'the first POST got 503 and was retried');
  t.equal(received.length, 1);
  t.match(received[0]!.alerts.map((a) => a.kind).sort(), ['finding.opened', 'subscription.expiring']);
  // One Chinese sentence with the catalog's product name (what a chat bot posts), and the figures behind it.
  const windowsName = buildRuleSet().products.get('windows-10-pro')!.name;
  t.match(received[0]!.alerts.find((a) => a.kind === 'subscription.expiring'), {
    orgId: unit.id,
    message: `订阅授权即将到期：${windowsName} 1 套，${inDays(10)} 到期`,
    facts: { endsOn: inDays(10), quantity: 1, contractNo: null },
  });
  t.match(received[0]!.alerts.find((a) => a.kind === 'finding.opened'), {
    message: '新问题：caizheng-pc-01 kms.unapproved-host（高）：kms.03k.org',
    facts: { hostname: 'caizheng-pc-01', code: 'kms.unapproved-host', severity: 'high', origin: 'server', subject: 'kms.03k.org' },
  });
  for (const alert of received[0]!.alerts) t.notMatch(alert.message, /[A-Za-z]{3,} [a-z]{3,} [a-z]{3,}/, `no English sentence in "${alert.message}"`);

  const listed = await list();
  t.equal(listed.total, 2);
  t.same((await list('', otherViewer)).total, 0, 'another unit sees none of them');
});

t.test('sweeping again raises nothing: one alert per condition', async (t) => {
  const sweep = await runAlertSweep(app, { now: new Date(now), retry });
  t.same(sweep.raised, []);
  t.same(sweep.deliveries, [], 'nothing to send');
  t.equal((await list()).total, 2);
});

t.test('an admin acknowledges an alert: it leaves the open list, is audited, and is not raised again', async (t) => {
  const finding = (await list('?kind=finding.opened')).alerts[0]!;
  t.equal((await app.inject({ method: 'POST', url: `/api/alerts/${finding.id}/ack`, headers: otherAdmin.headers })).statusCode, 404, 'not in the other unit\'s scope');
  t.equal((await app.inject({ method: 'POST', url: `/api/alerts/${finding.id}/ack`, headers: otherViewer.headers })).statusCode, 403, 'viewers do not acknowledge');
  const ack = await app.inject({ method: 'POST', url: `/api/alerts/${finding.id}/ack`, headers: admin.headers });
  t.equal(ack.statusCode, 200, ack.body);
  t.match(ack.json(), { alert: { id: finding.id, acknowledgedAt: String } });
  t.same((await list()).alerts.map((a) => a.kind), ['subscription.expiring'], 'only the other one is open');
  t.match((await list('?acknowledged=true')).alerts.find((a) => a.id === finding.id), { acknowledgedBy: 'caizheng' });
  const [audit] = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'alert.acknowledged' AND target_id = $1`, [finding.id]);
  t.equal(audit!.n, 1, 'one audit entry');
  t.same((await runAlertSweep(app, { now: new Date(now), retry })).raised, [], 'the finding is still open but was already alerted');
  const bad = await app.inject({ method: 'POST', url: '/api/alerts/not-a-uuid/ack', headers: admin.headers });
  t.equal(bad.statusCode, 400);
});

t.test('41 days later: lapsed subscriptions are recomputed into shortfalls, and the silent machine is alerted', async (t) => {
  const before = received.length;
  const later = new Date(now + 41 * 86_400_000);
  const sweep = await runAlertSweep(app, { now: later, retry });
  t.ok(sweep.recomputed >= 2, `both lapsed subscriptions recomputed (${sweep.recomputed})`);
  // Both subscriptions ended: Windows and WinRAR are each 1 install, 0 covered, shortfall 1
  // (their findings are licence.subscription-expired, alerted as shortfalls, not as findings).
  t.same(
    sweep.raised.map((a) => `${a.kind} ${a.productId ?? a.machineId}`).sort(),
    [`licence.shortfall windows-10-pro`, `licence.shortfall winrar`, `machine.silent ${machine.machineId}`].sort(),
  );
  t.match(sweep.raised.find((a) => a.productId === 'winrar'), {
    message: `授权不足：${buildRuleSet().products.get('winrar')!.name} 缺 1 套（安装 1 台，已有授权覆盖 0 台）`,
    facts: { shortfall: 1, installs: 1, covered: 0 },
  });
  t.match(sweep.raised.find((a) => a.kind === 'machine.silent'), { message: /^计算机失联：caizheng-pc-01 自 \d{4}-\d\d-\d\d \d\d:\d\d 起未上报$/, facts: { hostname: 'caizheng-pc-01', lastSeenAt: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/ } });
  t.match((await list('?kind=licence.shortfall')).alerts[0], { facts: { shortfall: 1 } }, 'the list carries the facts');
  await Promise.all(sweep.deliveries);
  t.equal(received.length, before + 1, 'one POST with the three new alerts');
  t.equal(received.at(-1)!.alerts.length, 3);
  const positions = await app.inject({ url: `/api/positions?orgId=${unit.id}`, headers: admin.headers });
  t.match((positions.json() as { positions: unknown[] }).positions, [
    { productId: 'windows-10-pro', installs: 1, covered: 0, shortfall: 1 },
    { productId: 'winrar', installs: 1, covered: 0, shortfall: 1 },
  ]);
  t.ok(today < later.toISOString().slice(0, 10));
});

t.test('the list is paged and filtered, newest first', async (t) => {
  const all = await list('?limit=100');
  t.equal(all.total, 4, 'expiring + two shortfalls + silent machine are open');
  const page1 = await list('?limit=2&offset=0');
  const page2 = await list('?limit=2&offset=2');
  t.equal(page1.alerts.length, 2);
  t.equal(page2.alerts.length, 2);
  t.same([...page1.alerts, ...page2.alerts].map((a) => a.id), all.alerts.map((a) => a.id), 'pages add up to the whole list');
  t.equal((await list('?kind=licence.shortfall')).total, 2);
  const badKind = await app.inject({ url: '/api/alerts?kind=weather', headers: admin.headers });
  t.equal(badKind.statusCode, 400);
});

t.test('a webhook that never answers does not hold up the sweep', async (t) => {
  // A receiver that accepts the connection and never answers.
  const silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    silent.closeAllConnections();
    return new Promise<void>((resolve) => silent.close(() => resolve()));
  });
  await app.inject({
    method: 'PUT',
    url: `/api/compliance/settings/${seeded.rootOrgId}`,
    headers: bureau.headers,
    payload: { approvedKmsHosts: [], webhookUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hook` },
  });
  const machine2 = await enrolMachine(database, unit, 'caizheng-pc-02');
  await ingestFullReport(db, machine2.agentId, fullReport(1, windowsInventory('caizheng-pc-02', { kmsHost: 'kms.03k.org' })));
  let delivered: boolean | undefined;
  const sweep = await runAlertSweep(app, { now: new Date(now + 41 * 86_400_000), retry: { attempts: 1, firstDelayMs: 10, timeoutMs: 60_000 } });
  for (const delivery of sweep.deliveries) void delivery.then((ok) => (delivered = ok));
  t.ok(sweep.raised.some((a) => a.kind === 'finding.opened'), 'the new finding is alerted');
  t.equal(delivered, undefined, 'the sweep finished while the webhook still had no answer');
  t.ok((await list('?kind=finding.opened')).total >= 1, 'the alert is stored and listed regardless');
});
