/**
 * Idle memory of the agent binary (enrolled, connected, nothing to do) against a bare node process.
 *
 * Builds the linux-x64 binary if needed, starts the real server on 127.0.0.1 (PGlite), enrols the
 * binary, runs `run`, waits until it has reported and gone quiet, then samples VmRSS of both
 * processes from /proc for a few seconds. Target: agent <= 1.3x the bare `node -e
 * "setInterval(()=>{},1e3)"` run by the same embedded node binary. Options: --settle-ms (default
 * 60000), --samples, --node-options (V8 flags for both processes, e.g. --max-semi-space-size=1).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { buildAgentBinaries } from '../agent/scripts/build-binaries.ts';
import { buildTestApp } from '../tests/helpers/db.ts';

const { values } = parseArgs({
  options: { 'settle-ms': { type: 'string', default: '60000' }, samples: { type: 'string', default: '10' }, 'node-options': { type: 'string', default: '' } },
});
const SETTLE_MS = Number(values['settle-ms']);
const SAMPLES = Number(values.samples);

async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
}

async function sampleRss(pid: number): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    values.push(await rssKb(pid));
    await sleep(500);
  }
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)]!;
}

function start(program: string, args: string[]): ChildProcess {
  // --node-options lets one try V8 flags on both processes alike (NODE_OPTIONS reaches the SEA too).
  return spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NODE_OPTIONS: values['node-options'] } });
}

function runToEnd(program: string, args: string[]): Promise<number> {
  return new Promise((resolve) => spawn(program, args, { stdio: 'inherit' }).on('exit', (code) => resolve(code ?? 1)));
}

// All targets, as `npm run build:agent` and the tests build them: the same build key, no rebuild.
const build = await buildAgentBinaries();
const binary = build.binaries.get('linux-x64')!;
const node = build.nodeBinaries.get('linux-x64')!;
const server = await buildTestApp({ listen: true });
const stateDir = await mkdtemp(join(tmpdir(), 'zhengban-bench-'));
const children: ChildProcess[] = [];
try {
  if ((await runToEnd(binary, ['enroll', '--server', server.baseUrl, '--token', server.seeded.startupToken, '--state-dir', stateDir])) !== 0) throw new Error('enrolment failed');
  const bare = start(node, ['-e', 'setInterval(()=>{},1e3)']);
  const agent = start(binary, ['run', '--state-dir', stateDir]);
  children.push(bare, agent);
  let log = '';
  agent.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  // Wait for the connection, then let V8's memory reducer shrink the heap after the first scan:
  // 15 s after connecting the agent still holds ~20 MiB of scan garbage, after 60 s it does not.
  const deadline = Date.now() + 120_000;
  while (!/connected/.test(log) && Date.now() < deadline) await sleep(200);
  if (!/connected/.test(log)) throw new Error(`agent did not connect:\n${log}`);
  await sleep(SETTLE_MS);
  const [bareKb, agentKb] = [await sampleRss(bare.pid!), await sampleRss(agent.pid!)];
  const ratio = agentKb / bareKb;
  console.log(`idle RSS (median of ${SAMPLES} samples, ${SETTLE_MS / 1000}s after connecting):`);
  console.log(`  bare node -e setInterval   ${(bareKb / 1024).toFixed(1)} MiB`);
  console.log(`  zhengban-agent run         ${(agentKb / 1024).toFixed(1)} MiB`);
  console.log(`  ratio                      ${ratio.toFixed(2)}x (target <= 1.30x) ${ratio <= 1.3 ? 'ok' : 'OVER'}`);
} finally {
  for (const c of children) c.kill('SIGTERM');
  await server.close();
  await rm(stateDir, { recursive: true, force: true });
}
