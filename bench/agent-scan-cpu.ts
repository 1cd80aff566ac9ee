/**
 * CPU time of one full agent scan (capture + interpretation + schema check + bundle hash) of this machine.
 *
 * Runs the same pipeline as `zhengban-agent scan` in this process, a warm-up then --runs times,
 * and reports user+system CPU per scan from process.cpuUsage(), with the wall time next to it.
 * With --evidence DIR it interprets a captured bundle instead (any OS's bundle, e.g. Windows).
 */
import { parseArgs } from 'node:util';
import { scanInventory } from '../agent/src/cli/scan-source.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, evidence: { type: 'string' } } });
const RUNS = Number(values.runs);
const source = { evidence: values.evidence, platform: process.platform };

const warm = await scanInventory(source);
const cpuBefore = process.cpuUsage();
const wallBefore = process.hrtime.bigint();
for (let i = 0; i < RUNS; i++) await scanInventory(source);
const cpu = process.cpuUsage(cpuBefore);
const wallMs = Number(process.hrtime.bigint() - wallBefore) / 1e6;

const perScan = (micros: number) => (micros / 1000 / RUNS).toFixed(1);
console.log(`full scan of ${values.evidence ?? 'this machine'} (${warm.inventory.software.length} software entries, os ${warm.inventory.os.product}), ${RUNS} runs after a warm-up:`);
console.log(`  CPU per scan   ${perScan(cpu.user + cpu.system)} ms (user ${perScan(cpu.user)} ms, system ${perScan(cpu.system)} ms)`);
console.log(`  wall per scan  ${(wallMs / RUNS).toFixed(1)} ms`);
console.log('  (child processes such as rpm or reg.exe are not counted by process.cpuUsage)');
