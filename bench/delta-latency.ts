/**
 * Delta latency: with N agents connected (default 1,000, each holding a 300-entry inventory on the
 * server), the time from an agent sending a one-entry delta (one package installed) to its ack.
 * Two runs: one delta at a time (nothing else in flight), then every agent sending one delta at a
 * steady rate (default 100/s, about what a 50,000-PC city sees on a patch day). Prints p50, p90,
 * p99 and max of each.
 *
 *   npm run bench -- delta-latency [--agents 1000] [--entries 300] [--serial 300] [--rate 100]
 */
import { parseArgs } from 'node:util';
import type { Inventory } from '@zhengban/protocol';
import { BENCH_ENROLL_TOKEN, withBenchServer } from './sim/bench-server.ts';
import {
  connectAgents,
  enrollAgents,
  percentile,
  prepareDelta,
  prepareFull,
  simulatedInventory,
  withOnePackageInstalled,
  type PreparedReport,
  type SimAgent,
} from './sim/agent-sim.ts';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '1000' },
    entries: { type: 'string', default: '300' },
    serial: { type: 'string', default: '300' },
    rate: { type: 'string', default: '100' },
  },
});
const AGENTS = Number(values.agents);
const ENTRIES = Number(values.entries);
const SERIAL = Math.min(Number(values.serial), AGENTS);
const RATE_PER_S = Number(values.rate);

function summarise(label: string, latencies: number[]): void {
  const f = (p: number) => percentile(latencies, p).toFixed(1).padStart(7);
  console.log(`  ${label.padEnd(34)} n=${String(latencies.length).padEnd(5)} p50 ${f(50)} ms  p90 ${f(90)} ms  p99 ${f(99)} ms  max ${f(100)} ms`);
}

async function expectApplied(agent: SimAgent, report: PreparedReport): Promise<number> {
  const { ack, latencyMs } = await agent.send(report);
  if (ack.result !== 'applied') throw new Error(`report ${report.seq} of ${agent.agentId}: ${ack.result} ${ack.reason ?? ''}`);
  return latencyMs;
}

await withBenchServer({ logLevel: 'info' }, async (server) => {
  const agents: SimAgent[] = [];
  try {
    console.log(`delta-latency: ${AGENTS} agents connected, ${ENTRIES}-entry inventories, server ${server.url}`);
    const credentials = await enrollAgents(server.url, BENCH_ENROLL_TOKEN, AGENTS);
    agents.push(...(await connectAgents(server.wsUrl, credentials)));
    const current: Inventory[] = Array.from({ length: AGENTS }, (_, i) => simulatedInventory(i, ENTRIES));
    let started = performance.now();
    await Promise.all(agents.map((agent, i) => expectApplied(agent, prepareFull(1, current[i]!))));
    console.log(`  ${AGENTS} agents enrolled, connected and holding a full inventory (full reports took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    const seqs = new Array<number>(AGENTS).fill(1);

    /** Agent i's next one-entry delta, built before the clock starts. */
    const nextDelta = (i: number): PreparedReport => {
      const next = withOnePackageInstalled(current[i]!, `${i}-${seqs[i]! + 1}`);
      const report = prepareDelta(++seqs[i]!, current[i]!, next);
      current[i] = next;
      return report;
    };

    // 1. One delta at a time, from agents spread over the fleet.
    const serial: number[] = [];
    for (let k = 0; k < SERIAL; k++) {
      const i = Math.floor((k * AGENTS) / SERIAL);
      serial.push(await expectApplied(agents[i]!, nextDelta(i)));
    }
    summarise('one delta at a time', serial);

    // 2. Every agent sends one delta, at a steady rate; the clock of each starts at its own send.
    const order = agents.map((_, i) => i).sort(() => Math.random() - 0.5);
    const reports = order.map((i) => nextDelta(i));
    const loaded: Promise<number>[] = [];
    started = performance.now();
    for (let k = 0; k < order.length; k++) {
      const due = started + (k * 1000) / RATE_PER_S;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      loaded.push(expectApplied(agents[order[k]!]!, reports[k]!));
    }
    const latencies = await Promise.all(loaded);
    const seconds = (performance.now() - started) / 1000;
    summarise(`${AGENTS} deltas at ${RATE_PER_S}/s`, latencies);
    // Below the offered rate, the server is saturated and the latencies above are mostly queueing.
    console.log(`  acknowledged ${AGENTS} deltas in ${seconds.toFixed(1)} s: ${(AGENTS / seconds).toFixed(0)} deltas/s (offered ${RATE_PER_S}/s)`);
  } finally {
    await Promise.all(agents.map((agent) => agent.close()));
  }
});
