/**
 * Compliance event latency: with N agents connected (default 5,000), the time from an agent
 * sending a one-entry delta (a recognised product installed or removed) to the matching
 * `install.added`/`install.removed` event on a dashboard `/api/live` client of the same server
 * (the event goes through the ingest transaction, PostgreSQL NOTIFY, the listener and the
 * scoped bus). Deltas are sent one at a time from agents spread over the fleet. Target: p99 under
 * 100 ms. Each agent holds a socket, and the bench process and the server one file each per
 * agent: 5,000 agents need an open-file limit of well over 10,000 (`ulimit -n`).
 *
 *   npm run bench -- compliance-events [--agents 5000] [--entries 50] [--samples 300]
 */
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import type { Inventory, Software } from '@zhengban/protocol';
import { BENCH_ENROLL_TOKEN, BenchDatabase, BenchServer } from './sim/bench-server.ts';
import { connectAgents, enrollAgents, percentile, prepareDelta, prepareFull, simulatedInventory, type SimAgent } from './sim/agent-sim.ts';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '5000' },
    entries: { type: 'string', default: '50' },
    samples: { type: 'string', default: '300' },
  },
});
const AGENTS = Number(values.agents);
const ENTRIES = Number(values.entries);
const SAMPLES = Number(values.samples);

/** A package the catalog recognises (Firefox), so installing it produces an install event. */
const FIREFOX: Software = { id: 'firefox-esr:amd64', name: 'firefox-esr', version: '115.12.0esr-1~deb12u1', source: 'dpkg', arch: 'amd64', publisher: 'Debian' };

interface LiveEvent {
  type: string;
  machineId?: string;
  productId?: string;
  at: number;
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

/** A /api/live client that hands each install event to whoever waits for it. */
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
        const timer = setTimeout(() => reject(new Error('no live event within 10 s')), timeoutMs);
        waiter = { match, resolve: (at) => (clearTimeout(timer), resolve(at)) };
      });
    },
    close: () => socket.close(),
  };
}

const database = await BenchDatabase.create();
const server = await BenchServer.start(database, 'warn');
const agents: SimAgent[] = [];
let live: Awaited<ReturnType<typeof connectLive>> | undefined;
try {
  console.log(`compliance-events: ${AGENTS} agents connected, ${ENTRIES}-entry inventories, server ${server.url}`);
  let started = performance.now();
  const credentials = await enrollAgents(server.url, BENCH_ENROLL_TOKEN, AGENTS);
  agents.push(...(await connectAgents(server.wsUrl, credentials)));
  const current: Inventory[] = Array.from({ length: AGENTS }, (_, i) => simulatedInventory(i, ENTRIES));
  const seqs = new Array<number>(AGENTS).fill(1);
  // Full reports in waves, so the server is not asked for 5,000 transactions at once.
  for (let i = 0; i < AGENTS; i += 200) {
    await Promise.all(agents.slice(i, i + 200).map(async (agent, k) => {
      const { ack } = await agent.send(prepareFull(1, current[i + k]!));
      if (ack.result !== 'applied') throw new Error(`full report of ${agent.agentId}: ${ack.result}`);
    }));
  }
  console.log(`  ${AGENTS} agents enrolled, connected and reported in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  live = await connectLive(server.wsUrl, await signIn(server.url));

  const latencies: number[] = [];
  for (let k = 0; k < SAMPLES; k++) {
    const i = Math.floor((k * AGENTS) / SAMPLES) % AGENTS;
    const prev = current[i]!;
    const installed = prev.software.some((s) => s.id === FIREFOX.id);
    const next = { ...prev, software: installed ? prev.software.filter((s) => s.id !== FIREFOX.id) : [...prev.software, FIREFOX] };
    const report = prepareDelta(++seqs[i]!, prev, next);
    current[i] = next;
    const type = installed ? 'install.removed' : 'install.added';
    const event = live.next((e) => e.type === type && e.productId === 'firefox');
    const sentAt = performance.now();
    const ack = agents[i]!.send(report);
    latencies.push((await event) - sentAt);
    const { ack: answer } = await ack;
    if (answer.result !== 'applied') throw new Error(`delta of ${agents[i]!.agentId}: ${answer.result}`);
  }
  const f = (p: number) => percentile(latencies, p).toFixed(1).padStart(7);
  console.log(`  delta -> /api/live event       n=${latencies.length}  p50 ${f(50)} ms  p90 ${f(90)} ms  p99 ${f(99)} ms  max ${f(100)} ms`);
  console.log(`  target p99 < 100 ms: ${percentile(latencies, 99) < 100 ? 'met' : 'NOT met'}`);
} finally {
  live?.close();
  await Promise.all(agents.map((agent) => agent.close()));
  await server.stop();
  await database.drop();
}
