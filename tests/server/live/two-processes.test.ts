/**
 * Several server processes on one PostgreSQL deliver each other's live events (LISTEN/NOTIFY):
 * two real server processes (`node --import tsx server/src/server.ts`) on the same fresh
 * database, a simulated agent (a real WebSocket client speaking the protocol) connected to
 * process A, and dashboard /api/live clients signed in on process B. An install reported to A
 * reaches B's client of that unit; B's client of another unit hears nothing. An agent revoked
 * through B is disconnected by A, which holds its socket.
 */
import t from 'tap';
import { createUser } from '../../../server/src/users/queries.ts';
import { createServerDatabase } from '../../e2e/helpers/server-database.ts';
import { ServerProcess } from '../../e2e/helpers/server-process.ts';
import { AgentSocket, enrollAgent } from '../helpers/agent-client.ts';
import { deltaReport, fullReport } from '../helpers/inventory.ts';
import { createUnit, registry, windowsInventory } from '../compliance/helpers.ts';
import { LiveClient } from './helpers.ts';

const database = await createServerDatabase();
t.teardown(() => database.remove());

if (database.driver !== 'postgres') {
  t.test('an install on process A reaches a client on process B', { skip: 'two server processes need a shared PostgreSQL (set DATABASE_URL); embedded PGlite belongs to one process' }, () => {});
} else {
  // Process A migrates and seeds the fresh database; B then starts on the same one.
  const { server: serverA, banner: bannerA } = await ServerProcess.start({ database });
  t.teardown(() => serverA.stop());
  const { server: serverB, banner: bannerB } = await ServerProcess.start({ database });
  t.teardown(() => serverB.stop());

  // Units and their users, written from the test process into the shared database.
  const { unitA, unitB } = await database.inspect(async (opened) => {
    const { db } = opened;
    const [root] = await opened.query<{ id: string }>('SELECT id FROM orgs WHERE parent_id IS NULL');
    const unitA = await createUnit(db, root!.id, '市财政局');
    const unitB = await createUnit(db, root!.id, '市教育局');
    await createUser(db, { username: 'caizheng', password: 'caizheng-password-1', orgId: unitA.id, role: 'unit-admin' });
    await createUser(db, { username: 'jiaoyu', password: 'jiaoyu-password-1', orgId: unitB.id, role: 'unit-viewer' });
    return { unitA, unitB };
  });

  const sessions = new Map<string, string>();
  const signIn = async (baseUrl: string, username: string): Promise<string> => {
    const res = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: `${username}-password-1` }),
    });
    if (res.status !== 200) throw new Error(`sign-in on ${baseUrl} refused: ${res.status} ${await res.text()}`);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('zhengban_session='))!.split(';')[0]!;
    sessions.set(cookie, ((await res.json()) as { csrfToken: string }).csrfToken);
    return cookie;
  };
  const wsOf = (url: string) => url.replace(/^http/, 'ws');

  // Both dashboard clients sign in on B; the agent talks only to A.
  const clientA = await LiveClient.connect(wsOf(bannerB.url), await signIn(bannerB.url, 'caizheng'));
  const clientB = await LiveClient.connect(wsOf(bannerB.url), await signIn(bannerB.url, 'jiaoyu'));
  t.teardown(() => [clientA, clientB].forEach((c) => c.close()));

  const v1 = windowsInventory('caizheng-pc-01', { software: [registry('7-Zip 23.01 (x64)', 'Igor Pavlov')] });
  const credentials = await enrollAgent(bannerA.url, unitA.token, { hostname: 'caizheng-pc-01', platform: 'windows' });
  const agent = await AgentSocket.connect(wsOf(bannerA.url), credentials);
  t.teardown(() => agent.close());

  t.test('the enrolment and first report on process A reach the unit client on process B', async (t) => {
    await clientA.waitFor((e) => e.type === 'machine.enrolled', 'machine.enrolled');
    await clientA.waitFor((e) => e.type === 'machine.online', 'machine.online');
    agent.sendJson(fullReport(1, v1));
    t.match(await agent.next(), { type: 'inventory.ack', seq: 1, result: 'applied' });
    const position = await clientA.waitFor((e) => e.type === 'position.changed' && e.productId === 'windows-10-pro', 'position.changed');
    // Windows 10 Pro and no licence: one install, none covered, a shortfall of one.
    t.match(position, { orgId: unitA.id, installs: 1, covered: 0, shortfall: 1 });
  });

  t.test('an install on the agent of process A reaches the unit client on process B', async (t) => {
    const v2 = { ...v1, collectedAt: '2025-06-02T08:00:00+08:00', software: [...v1.software, registry('WinRAR 6.24 (64-位)', 'win.rar GmbH')] };
    agent.sendJson(deltaReport(2, v1, v2));
    t.match(await agent.next(), { type: 'inventory.ack', seq: 2, result: 'applied' });
    const installed = await clientA.waitFor((e) => e.type === 'install.added' && e.productId === 'winrar', 'install.added winrar');
    t.match(installed, { orgId: unitA.id, orgPath: unitA.path });
    const position = await clientA.waitFor((e) => e.type === 'position.changed' && e.productId === 'winrar', 'position.changed winrar');
    t.match(position, { installs: 1, covered: 0, shortfall: 1 });
  });

  t.test('an agent revoked through process B is cut off by process A within a second', async (t) => {
    // A second agent of the unit, connected to A; the unit admin revokes it on B.
    const other = await enrollAgent(bannerA.url, unitA.token, { hostname: 'caizheng-pc-02', platform: 'windows' });
    const socket = await AgentSocket.connect(wsOf(bannerA.url), other);
    t.teardown(() => socket.close());
    const cookie = await signIn(bannerB.url, 'caizheng');
    const revokedAt = Date.now();
    const res = await fetch(`${bannerB.url}/api/agents/${other.agentId}/revoke`, { method: 'POST', headers: { cookie, 'x-csrf-token': sessions.get(cookie)! } });
    t.equal(res.status, 200, await res.clone().text());
    // Generous bound, not a timing assertion: it only catches a node that never closes the socket.
    const closed = await Promise.race([socket.closed, new Promise((resolve) => setTimeout(() => resolve('still open'), 10_000))]);
    t.match(closed, { code: 4001, reason: 'agent revoked' }, 'process A closed the socket with the revocation code');
    t.comment(`closed ${Date.now() - revokedAt} ms after the revoke request was sent`);
    await clientA.waitFor((e) => e.type === 'agent.revoked' && e.agentId === other.agentId, 'agent.revoked');
  });

  t.test('the other unit\'s client on process B saw nothing of unit A', async (t) => {
    await agent.close();
    await clientA.waitFor((e) => e.type === 'machine.offline', 'machine.offline');
    t.same(clientB.events, [], 'no event reached the other unit');
    t.not(serverA.child.pid, serverB.child.pid, 'two processes');
    t.not(bannerA.url, bannerB.url, 'two addresses');
    t.ok(unitB.id, 'the other unit exists and has a signed-in client');
  });
}
