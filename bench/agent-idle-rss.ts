/**
 * Idle memory of the agent binary (enrolled, connected, nothing to do) against a bare node process.
 *
 * Builds the linux-x64 binary if needed, starts the real server on 127.0.0.1 (PGlite), enrols the
 * binary, runs `run`, waits until it has reported and gone quiet, then samples VmRSS of both
 * processes from /proc for a few seconds. Target: agent <= 1.3x the bare `node -e
 * "setInterval(()=>{},1e3)"` run by the same embedded node binary. Options: --settle-ms (default
 * 60000), --samples, --node-options (V8 flags for both processes, e.g. --max-semi-space-size=1).
 *
 * Both executables start with their pages out of the page cache (as after a reboot, when the
 * service starts): a file written moments ago (the binary this bench may have just built) sits in
 * the cache in large folios, and every page fault then maps a whole folio, which added ~10 MiB of
 * file-backed RSS to a one-line SEA in a test. RssAnon (private memory) is printed too; it does
 * not depend on the page cache.
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

/** VmRSS and RssAnon of a process, in kB. */
async function memoryKb(pid: number): Promise<{ rss: number; anon: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: field('VmRSS'), anon: field('RssAnon') };
}

/** Medians of SAMPLES readings half a second apart. */
async function sampleMemory(pid: number): Promise<{ rss: number; anon: number }> {
  const samples: Array<{ rss: number; anon: number }> = [];
  for (let i = 0; i < SAMPLES; i++) {
    samples.push(await memoryKb(pid));
    await sleep(500);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { rss: median(samples.map((s) => s.rss)), anon: median(samples.map((s) => s.anon)) };
}

/** Drops a file's pages from the page cache (GNU dd: "iflag=nocache count=0" does only that). */
function evictFromPageCache(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    spawn('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none'], { stdio: 'inherit' }).on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`dd could not drop ${file} from the page cache (exit ${code})`)),
    );
  });
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
  for (const file of [node, binary]) await evictFromPageCache(file);
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
  const [bareKb, agentKb] = [await sampleMemory(bare.pid!), await sampleMemory(agent.pid!)];
  const ratio = agentKb.rss / bareKb.rss;
  const mib = (kb: number) => `${(kb / 1024).toFixed(1)} MiB`.padStart(9);
  console.log(`idle memory (median of ${SAMPLES} samples, ${SETTLE_MS / 1000}s after connecting):   VmRSS   RssAnon`);
  console.log(`  bare node -e setInterval                             ${mib(bareKb.rss)} ${mib(bareKb.anon)}`);
  console.log(`  zhengban-agent run                                   ${mib(agentKb.rss)} ${mib(agentKb.anon)}`);
  console.log(`  ratio (VmRSS)                                        ${ratio.toFixed(2)}x (target <= 1.30x) ${ratio <= 1.3 ? 'ok' : 'OVER'}`);
} finally {
  for (const c of children) c.kill('SIGTERM');
  await server.close();
  await rm(stateDir, { recursive: true, force: true });
}
