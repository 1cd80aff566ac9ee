/**
 * Size of each agent executable against the node binary it embeds (target: at most +10 MB).
 *
 * Builds dist/agent if the sources changed (as `npm run build:agent`), then prints, per target,
 * the executable, the official node binary it was made from, the difference and the ratio, and
 * the sizes of the two scripts every executable carries (the main script and the one-shot asset).
 */
import { stat } from 'node:fs/promises';
import { buildAgentBinaries } from '../agent/scripts/build-binaries.ts';

const MB = 1024 * 1024;
const build = await buildAgentBinaries();
const [mainBytes, oneShotBytes] = [(await stat(build.bundlePath)).size, (await stat(build.oneShotPath)).size];
console.log(`embedded scripts (esbuild, CommonJS, minified): main ${(mainBytes / MB).toFixed(2)} MiB, one-shot asset ${(oneShotBytes / MB).toFixed(2)} MiB`);
console.log(`${'target'.padEnd(13)} ${'binary'.padStart(10)} ${'node'.padStart(10)} ${'added'.padStart(9)} ${'ratio'.padStart(7)}`);
for (const [name, path] of build.binaries) {
  const binary = (await stat(path)).size;
  const node = (await stat(build.nodeBinaries.get(name)!)).size;
  const added = (binary - node) / MB;
  console.log(
    `${name.padEnd(13)} ${`${(binary / MB).toFixed(1)} MiB`.padStart(10)} ${`${(node / MB).toFixed(1)} MiB`.padStart(10)} ${`+${added.toFixed(2)} MiB`.padStart(9)} ${`${(binary / node).toFixed(3)}x`.padStart(7)} ${added <= 10 ? 'ok' : 'OVER +10 MB'}`,
  );
}
