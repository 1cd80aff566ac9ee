/**
 * CPU time of one full agent scan (capture + interpretation + schema check + bundle hash) of this machine.
 *
 * Two figures. First the pipeline alone, in this process, as `zhengban-agent scan` runs it: a
 * warm-up then --runs times, user+system CPU per scan from process.cpuUsage(), wall time next to
 * it. Then a scan as `run` makes it: the linux-x64 binary's `internal-scan` process (built if
 * needed), --runs times, CPU from /proc/self/stat's cutime+cstime (the children's CPU, with their
 * own children such as uname or rpm), so process start-up and script compilation are counted.
 * With --evidence DIR it interprets a captured bundle instead (any OS's bundle, e.g. Windows).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { buildAgentBinaries } from '../agent/scripts/build-binaries.ts';
import { scanInventory } from '../agent/src/cli/scan-source.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, evidence: { type: 'string' } } });
const RUNS = Number(values.runs);
const source = { evidence: values.evidence, platform: process.platform };
const perScan = (ms: number) => `${(ms / RUNS).toFixed(1)} ms`;

const warm = await scanInventory(source);
const cpuBefore = process.cpuUsage();
const wallBefore = process.hrtime.bigint();
for (let i = 0; i < RUNS; i++) await scanInventory(source);
const cpu = process.cpuUsage(cpuBefore);
const wallMs = Number(process.hrtime.bigint() - wallBefore) / 1e6;
console.log(`full scan of ${values.evidence ?? 'this machine'} (${warm.inventory.software.length} software entries, os ${warm.inventory.os.product}), ${RUNS} runs after a warm-up:`);
console.log(`  in this process   CPU ${perScan((cpu.user + cpu.system) / 1000)} (user ${perScan(cpu.user / 1000)}, system ${perScan(cpu.system / 1000)}); wall ${perScan(wallMs)}`);
console.log('                    (child programs such as rpm or reg.exe are not counted here)');

/** CPU of this process's waited-for children so far, in ms (fields 16 and 17 of /proc/self/stat). */
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
async function childrenCpuMs(): Promise<{ user: number; system: number }> {
  const stat = await readFile('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): cutime is field 16, cstime field 17.
  return { user: (Number(fields[13]) * 1000) / ticksPerSecond, system: (Number(fields[14]) * 1000) / ticksPerSecond };
}

if (process.platform === 'linux' && process.arch === 'x64') {
  // All targets, as `npm run build:agent` and the tests build them: the same build key, no rebuild.
  const binary = (await buildAgentBinaries({ log: () => {} })).binaries.get('linux-x64')!;
  const work = await mkdtemp(join(tmpdir(), 'zhengban-bench-scan-'));
  const args = ['internal-scan', '--out', join(work, 'result.json'), '--state-dir', work, ...(values.evidence ? ['--evidence', values.evidence] : [])];
  try {
    await promisify(execFile)(binary, args);
    const before = await childrenCpuMs();
    const wallStart = process.hrtime.bigint();
    for (let i = 0; i < RUNS; i++) await promisify(execFile)(binary, args);
    const after = await childrenCpuMs();
    const wall = Number(process.hrtime.bigint() - wallStart) / 1e6;
    const [user, system] = [after.user - before.user, after.system - before.system];
    console.log(`  as run scans      CPU ${perScan(user + system)} (user ${perScan(user)}, system ${perScan(system)}); wall ${perScan(wall)}`);
    console.log(`                    (${binary.split('/').pop()} internal-scan: process start-up, both scripts compiled, result file written)`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
