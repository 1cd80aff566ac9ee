/**
 * `npm run bench` lists the benchmarks; `npm run bench -- <name> [options]` runs bench/<name>.ts
 * in its own process (so each gets a clean heap and its own open-file budget). Benchmarks are
 * every .ts file directly in bench/ except this one.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url));

/** Benchmark names and the first line of each file's doc comment. */
async function listBenchmarks(): Promise<{ name: string; summary: string }[]> {
  const files = (await readdir(BENCH_DIR)).filter((f) => f.endsWith('.ts') && f !== 'run.ts').sort();
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(BENCH_DIR + file, 'utf8');
      const summary = /\/\*\*\s*\n?\s*\*?\s*([^\n]*)/.exec(text)?.[1]?.trim() ?? '';
      return { name: file.slice(0, -3), summary };
    }),
  );
}

const [name, ...args] = process.argv.slice(2);
const benchmarks = await listBenchmarks();
if (!name || name === '--help' || name === 'list') {
  console.log('usage: npm run bench -- <name> [options]\n\nbenchmarks:');
  for (const b of benchmarks) console.log(`  ${b.name.padEnd(20)} ${b.summary}`);
  process.exit(name ? 0 : 0);
}
if (!benchmarks.some((b) => b.name === name)) {
  console.error(`unknown benchmark "${name}"; run "npm run bench" for the list`);
  process.exit(2);
}
const child = spawn(process.execPath, ['--import', 'tsx', `${BENCH_DIR}${name}.ts`, ...args], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
