/**
 * Compliance event latency: with N agents connected (default 5,000) in U units (default 25, 200
 * PCs each; `--units 1` puts the whole fleet in one unit, the worst case), the time from an agent
 * sending a one-entry delta (a licensed product installed or removed) to the matching
 * `install.added`/`install.removed` event on a dashboard `/api/live` client of the same server.
 * The event goes through the ingest, recognition, the unit's licence positions for the product's
 * allocation group, PostgreSQL NOTIFY, the server's listener and the scoped bus. Deltas are sent
 * one at a time from agents spread over the fleet. Target: p99 under 100 ms. What one event costs
 * grows with the unit: the position behind it lists every machine with the product.
 *
 * Baselines measured in the same run: the delta->ack time of the same deltas (the ingest as the
 * agent sees it), and the NOTIFY round trip with no work: the bench itself NOTIFYs an event on
 * the live channel and times its arrival on the same dashboard client (PostgreSQL -> the server's
 * listener -> bus -> WebSocket: the floor under any event).
 *
 * Each agent holds a socket, and the bench process and the server one file each per agent:
 * 5,000 agents need an open-file limit well over 10,000 (`ulimit -n`; 20,000 here).
 *
 *   npm run bench -- compliance-events [--agents 5000] [--units 25] [--entries 50] [--samples 300] [--notify-samples 200]
 */
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import type { Inventory, Software } from '@zhengban/protocol';
import { createEnrollmentToken } from '../server/src/agents/enrollment-tokens.ts';
import { openDatabase } from '../server/src/db/database.ts';
import { LIVE_CHANNEL } from '../server/src/live/events.ts';
import { insertOrg } from '../server/src/orgs/queries.ts';
import { BENCH_ENROLL_TOKEN, BenchDatabase, BenchServer } from './sim/bench-server.ts';
import { connectAgents, enrollAgents, percentile, prepareDelta, prepareFull, simulatedInventory, type SimAgent } from './sim/agent-sim.ts';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '5000' },
    units: { type: 'string', default: '25' },
    entries: { type: 'string', default: '50' },
    samples: { type: 'string', default: '300' },
    'notify-samples': { type: 'string', default: '200' },
  },
});
const AGENTS = Number(values.agents);
const UNITS = Number(values.units);
const ENTRIES = Number(values.entries);
const SAMPLES = Number(values.samples);
const NOTIFY_SAMPLES = Number(values['notify-samples']);
/** Full reports in flight at once while the fleet comes up. */
const REPORT_WAVE = 200;

/**
 * A licensed product as Kylin's dpkg lists it (中望CAD, per-device). Half the fleet starts with it,
 * so each sample recomputes a position of about half its unit's machines, none licensed, and
 * opens or closes a shortfall finding for the machine.
 */
const ZWCAD: Software = { id: 'zwcad:amd64', name: 'zwcad', version: '2024.0.1-1kylin1', source: 'dpkg', arch: 'amd64', publisher: 'ZWSOFT' };
const PRODUCT_ID = 'zwcad';
const withProduct = (inventory: Inventory, installed: boolean): Inventory => ({
  ...inventory,
  software: installed ? [...inventory.software.filter((s) => s.id !== ZWCAD.id), ZWCAD] : inventory.software.filter((s) => s.id !== ZWCAD.id),
});

interface LiveEvent {
  type: string;
  machineId?: string;
  productId?: string;
}

/** Signs in as the bench admin (changing a generated password if asked) and returns the session cookie. */
async function signIn(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'bench-admin-password' }) });
  if (res.status !== 200) throw new Error(`sign-in refused: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('zhengban_session='))!.split(';')[0]!;
  const body = (await res.json()) as { user?: { mustChangePassword?: boolean }; csrfToken?: string };
  if (!body.user?.mustChangePassword) return cookie;
  const changed = await fetch(`${baseUrl}/api/auth/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': body.csrfToken ?? '' },
    body: JSON.stringify({ currentPassword: 'bench-admin-password', newPassword: 'bench-admin-password-2' }),
  });
  if (changed.status !== 200) throw new Error(`password change refused: ${changed.status} ${await changed.text()}`);
  return changed.headers.getSetCookie().find((c) => c.startsWith('zhengban_session='))?.split(';')[0] ?? cookie;
}

/** A /api/live client that hands the next matching event to whoever waits for it. */
async function connectLive(wsUrl: string, cookie: string) {
  const socket = new WebSocket(`${wsUrl}/api/live`, { headers: { cookie } });
  let waiter: { match: (e: LiveEvent) => boolean; resolve: (at: number) => void } | undefined;
  await new Promise<void>((resolve, reject) => {
    socket.once('message', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`live upgrade refused: HTTP ${res.statusCode}`)));
  });
  socket.on('message', (data) => {
    const receivedAt = performance.now();
    const event = JSON.parse(data.toString()) as LiveEvent;
    if (waiter?.match(event)) {
      const w = waiter;
      waiter = undefined;
      w.resolve(receivedAt);
    }
  });
  return {
    next(match: (e: LiveEvent) => boolean, timeoutMs = 10_000): Promise<number> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no live event within ${timeoutMs} ms`)), timeoutMs);
        waiter = { match, resolve: (at) => (clearTimeout(timer), resolve(at)) };
      });
    },
    close: () => socket.close(),
  };
}

/** Units under the root org, each with its own enrolment token, and AGENTS agents spread over them. */
async function enrollInUnits(databaseUrl: string, serverUrl: string) {
  const opened = await openDatabase({ databaseUrl, poolSize: 2 });
  try {
    const [root] = await opened.query<{ id: string }>('SELECT id FROM orgs WHERE parent_id IS NULL');
    const credentials: Awaited<ReturnType<typeof enrollAgents>> = [];
    for (let u = 0; u < UNITS; u++) {
      const unit = await insertOrg(opened.db, { parentId: root!.id, kind: 'unit', name: `压测单位 ${u + 1}`, sector: '党政机关', region: '岳麓区' });
      const { token } = await createEnrollmentToken(opened.db, { orgId: unit.id, label: 'bench' });
      const count = Math.floor(AGENTS / UNITS) + (u < AGENTS % UNITS ? 1 : 0);
      credentials.push(...(await enrollAgents(serverUrl, token, count)));
    }
    return credentials;
  } finally {
    await opened.close();
  }
}

const summary = (values: number[]) => {
  const f = (p: number) => percentile(values, p).toFixed(1).padStart(7);
  return `n=${values.length}  p50 ${f(50)} ms  p90 ${f(90)} ms  p99 ${f(99)} ms  max ${f(100)} ms`;
};

const database = await BenchDatabase.create();
const server = await BenchServer.start(database, 'warn');
const client = await database.connect();
const agents: SimAgent[] = [];
let live: Awaited<ReturnType<typeof connectLive>> | undefined;
try {
  console.log(`compliance-events: ${AGENTS} agents connected in ${UNITS} unit(s), ${ENTRIES}-entry inventories, server ${server.url}`);
  const started = performance.now();
  const credentials = UNITS === 1 ? await enrollAgents(server.url, BENCH_ENROLL_TOKEN, AGENTS) : await enrollInUnits(database.url, server.url);
  agents.push(...(await connectAgents(server.wsUrl, credentials)));
  const current: Inventory[] = Array.from({ length: AGENTS }, (_, i) => withProduct(simulatedInventory(i, ENTRIES), i % 2 === 0));
  const seqs = new Array<number>(AGENTS).fill(1);
  // Full reports in waves, so the server is not asked for 5,000 transactions at once.
  for (let i = 0; i < AGENTS; i += REPORT_WAVE) {
    await Promise.all(
      agents.slice(i, i + REPORT_WAVE).map(async (agent, k) => {
        const { ack } = await agent.send(prepareFull(1, current[i + k]!));
        if (ack.result !== 'applied') throw new Error(`full report of ${agent.agentId}: ${ack.result}`);
      }),
    );
  }
  console.log(`  ${AGENTS} agents enrolled, connected and reported in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  live = await connectLive(server.wsUrl, await signIn(server.url));

  // Baseline: a NOTIFY with no work behind it, through the server to the same client.
  const [unit] = (await client.query<{ id: string; path: string }>(`SELECT o.id, o.path FROM agents a JOIN orgs o ON o.id = a.org_id LIMIT 1`)).rows;
  const notifyLatencies: number[] = [];
  for (let k = 0; k < NOTIFY_SAMPLES; k++) {
    const machineId = `bench-notify-${k}`;
    const event = live.next((e) => e.type === 'machine.online' && e.machineId === machineId);
    const sentAt = performance.now();
    await client.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, JSON.stringify([{ type: 'machine.online', orgId: unit!.id, orgPath: unit!.path, machineId, at: Date.now() }])]);
    notifyLatencies.push((await event) - sentAt);
  }

  const eventLatencies: number[] = [];
  const ackLatencies: number[] = [];
  for (let k = 0; k < SAMPLES; k++) {
    const i = Math.floor((k * AGENTS) / SAMPLES) % AGENTS;
    const prev = current[i]!;
    const installed = prev.software.some((s) => s.id === ZWCAD.id);
    const next = withProduct(prev, !installed);
    const report = prepareDelta(++seqs[i]!, prev, next);
    current[i] = next;
    const type = installed ? 'install.removed' : 'install.added';
    const event = live.next((e) => e.type === type && e.productId === PRODUCT_ID);
    const sentAt = performance.now();
    const ack = agents[i]!.send(report);
    eventLatencies.push((await event) - sentAt);
    const { ack: answer, latencyMs } = await ack;
    if (answer.result !== 'applied') throw new Error(`delta of ${agents[i]!.agentId}: ${answer.result}`);
    ackLatencies.push(latencyMs);
  }
  const p50 = (values: number[]) => percentile(values, 50);
  console.log(`  delta -> /api/live event       ${summary(eventLatencies)}`);
  console.log(`  baseline: delta -> ack         ${summary(ackLatencies)}`);
  console.log(`  baseline: NOTIFY -> /api/live  ${summary(notifyLatencies)}`);
  console.log(
    `  ratio p50 event / ack ${(p50(eventLatencies) / p50(ackLatencies)).toFixed(2)}x, event / NOTIFY ${(p50(eventLatencies) / p50(notifyLatencies)).toFixed(1)}x; ` +
      `target p99 < 100 ms: ${percentile(eventLatencies, 99) < 100 ? 'met' : 'NOT met'}`,
  );
} finally {
  live?.close();
  await Promise.all(agents.map((agent) => agent.close()));
  await client.end();
  await server.stop();
  await database.drop();
}
