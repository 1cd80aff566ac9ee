/**
 * Ingest throughput: N simulated agents (default 1,000), each a real WebSocket to the real server
 * process on a fresh PostgreSQL database, each sending one full inventory of M entries (default
 * 300). Prints inventories/s and rows/s, and the ratio to a raw `COPY` of the same rows into an
 * equivalent table (same columns, same primary key) in the same run; target >= 0.3. Compliance
 * (recognition, findings, positions) follows each ingest's commit: the bench waits until every
 * machine's compliance is current before timing COPY, prints how long after the last ack that was,
 * and the ratio counting that time too. Then every agent re-sends the same inventory with a new
 * seq, and the bench counts software rows whose xmin changed (a rewritten row gets a new xmin): it
 * must be 0.
 *
 *   npm run bench -- ingest [--agents 1000] [--entries 300] [--keep]
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { softwareKey, type Inventory } from '@zhengban/protocol';
import { inventoryHash } from '@zhengban/protocol/hash';
import { BENCH_ENROLL_TOKEN, withBenchServer } from './sim/bench-server.ts';
import { connectAgents, enrollAgents, prepareFull, simulatedInventory, type AckTiming, type SimAgent } from './sim/agent-sim.ts';

const { values } = parseArgs({
  options: { agents: { type: 'string', default: '1000' }, entries: { type: 'string', default: '300' }, keep: { type: 'boolean', default: false } },
});
const AGENTS = Number(values.agents);
const ENTRIES = Number(values.entries);
const TARGET_RATIO = 0.3;

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en');

async function sendAll(agents: SimAgent[], seq: number, inventories: Inventory[], hashes: string[]): Promise<{ ms: number; acks: AckTiming[] }> {
  const reports = inventories.map((inventory, i) => prepareFull(seq, inventory, hashes[i]));
  const started = performance.now();
  const acks = await Promise.all(agents.map((agent, i) => agent.send(reports[i]!)));
  const ms = performance.now() - started;
  const notApplied = acks.filter((a) => a.ack.result !== 'applied');
  if (notApplied.length) throw new Error(`${notApplied.length} reports not applied, e.g. ${JSON.stringify(notApplied[0]!.ack)}`);
  return { ms, acks };
}

/** Times `COPY ... FROM STDIN` of a CSV through psql, minus psql's own start-up. */
async function timeCopy(url: string, table: string, csv: string): Promise<number> {
  const run = (sql: string, input?: string) =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      const child = spawn('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { stdio: ['pipe', 'ignore', 'inherit'] });
      child.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`psql exited ${code}`))));
      child.stdin.end(input ?? '');
    });
  const startup = Math.min(await run('SELECT 1'), await run('SELECT 1'));
  return (await run(`COPY ${table} FROM STDIN (FORMAT csv)`, csv)) - startup;
}

/**
 * Compliance is refreshed right after each ingest commits (compliance/worker.ts), so the last ack
 * can precede the last refresh. Waits until no machine is dirty (its stored inventory hash is the
 * one its compliance was computed from) and returns how long that took: nothing else may still be
 * running when COPY is timed.
 */
async function waitForCompliance(db: pg.Client): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { rows } = await db.query<{ dirty: string }>(
      `SELECT count(*) AS dirty FROM machines m LEFT JOIN machine_compliance c ON c.machine_id = m.id
        WHERE m.inventory_hash IS NOT NULL AND c.inventory_hash IS DISTINCT FROM m.inventory_hash`,
    );
    if (Number(rows[0]!.dirty) === 0) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function csvField(value: string | undefined | null): string {
  return value === undefined || value === null ? '' : `"${value.replace(/"/g, '""')}"`;
}

await withBenchServer({ logLevel: 'info', keep: values.keep }, async (server, database) => {
  const db = await database.connect();
  const agentsOpen: SimAgent[] = [];
  try {
    console.log(`ingest: ${AGENTS} agents x ${ENTRIES} software entries, server ${server.url}, database ${database.name}`);
    let started = performance.now();
    const credentials = await enrollAgents(server.url, BENCH_ENROLL_TOKEN, AGENTS);
    console.log(`  enrolled ${AGENTS} agents through POST /agent/enroll in ${seconds(performance.now() - started)} s`);
    started = performance.now();
    const agents = await connectAgents(server.wsUrl, credentials);
    agentsOpen.push(...agents);
    console.log(`  connected ${AGENTS} WebSockets in ${seconds(performance.now() - started)} s`);

    const inventories = Array.from({ length: AGENTS }, (_, i) => simulatedInventory(i, ENTRIES));
    const hashes = inventories.map((inventory) => inventoryHash(inventory));
    const rows = AGENTS * ENTRIES;

    // 1. Full reports into empty machines.
    const first = await sendAll(agents, 1, inventories, hashes);
    const [{ count: stored }] = (await db.query<{ count: string }>('SELECT count(*) FROM machine_software')).rows as [{ count: string }];
    if (Number(stored) !== rows) throw new Error(`expected ${rows} software rows, found ${stored}`);
    console.log(`  full reports: ${AGENTS} in ${seconds(first.ms)} s = ${rate(AGENTS, first.ms)} inventories/s, ${rate(rows, first.ms)} rows/s`);
    const caughtUp = await waitForCompliance(db);
    console.log(`  compliance (products, findings, positions) current ${seconds(caughtUp)} s after the last ack`);

    // 2. Raw COPY of the same rows (same machine ids and keys) into an equivalent table.
    const machineIds = new Map(
      (await db.query<{ id: string; machine_id: string }>('SELECT id, machine_id FROM agents')).rows.map((r) => [r.id, r.machine_id]),
    );
    const lines: string[] = [];
    inventories.forEach((inventory, i) => {
      const machineId = machineIds.get(credentials[i]!.agentId)!;
      for (const s of inventory.software) {
        lines.push([machineId, softwareKey(s), s.id, s.name, s.version, s.publisher, s.installDate, s.source, s.hive, s.arch].map(csvField).join(','));
      }
    });
    await db.query('CREATE TABLE copy_bench (LIKE machine_software INCLUDING ALL)');
    const copyMs = await timeCopy(database.url, 'copy_bench', lines.join('\n') + '\n');
    const ratio = copyMs / first.ms;
    console.log(`  raw COPY of the same ${rows.toLocaleString('en')} rows: ${seconds(copyMs)} s = ${rate(rows, copyMs)} rows/s`);
    console.log(`  ratio to COPY: ${ratio.toFixed(2)} (target >= ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'MISSED'})`);
    console.log(`  ratio to COPY counting until compliance was current: ${(copyMs / (first.ms + caughtUp)).toFixed(2)}`);

    // 3. The same inventories again with new seqs: nothing may be rewritten.
    await db.query('CREATE TABLE xmin_before AS SELECT machine_id, key, xmin::text AS x FROM machine_software');
    const again = await sendAll(agents, 2, inventories, hashes);
    const [{ changed, total }] = (
      await db.query<{ changed: string; total: string }>(
        `SELECT count(*) FILTER (WHERE m.xmin::text <> b.x) AS changed, count(*) AS total
           FROM machine_software m JOIN xmin_before b USING (machine_id, key)`,
      )
    ).rows as [{ changed: string; total: string }];
    console.log(`  unchanged re-sends: ${AGENTS} in ${seconds(again.ms)} s = ${rate(AGENTS, again.ms)} inventories/s`);
    console.log(`  software rows rewritten by the re-sends: ${changed} of ${total} (xmin changed)${Number(changed) === 0 ? '' : '  <-- SHOULD BE 0'}`);
  } finally {
    await Promise.all(agentsOpen.map((agent) => agent.close()));
    await db.end();
  }
});
