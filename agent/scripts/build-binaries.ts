/**
 * `npm run build:agent`: the agent as standalone executables in dist/agent/ (Node single-executable
 * applications, built offline once the node binaries are cached):
 *   zhengban-agent-win-x64.exe, zhengban-agent-linux-x64, zhengban-agent-linux-arm64, SHA256SUMS.
 * Options: --targets linux-x64,win-x64 (default all), --force (rebuild even when current).
 * See agent/scripts/README.md.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ONE_SHOT_ASSET, bundleAgent } from './build/bundle.ts';
import { computeBuildKey } from './build/build-key.ts';
import { withBuildLock } from './build/lock.ts';
import { fetchNodeBinary } from './build/node-binaries.ts';
import { copyWithoutSignature, injectSeaBlob, makeSeaBlob } from './build/sea.ts';
import { type BinaryTarget, selectTargets } from './build/targets.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const AGENT_DIST_DIR = join(REPO_ROOT, 'dist', 'agent');
/** Node binaries fetched with npm pack, per version and target; kept so later builds are offline. */
export const NODE_CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'zhengban-node');

export interface BuildOptions {
  /** Target names; all when empty. */
  targets?: string[];
  force?: boolean;
  log?: (line: string) => void;
}

export interface BuildResult {
  /** Absolute paths of the executables by target name. */
  binaries: Map<BinaryTarget['name'], string>;
  /** The main script that every binary embeds (the one-shot script is next to it). */
  bundlePath: string;
  /** The one-shot script every binary embeds as a SEA asset (agent/scripts/build/bundle.ts). */
  oneShotPath: string;
  /** The node binaries the executables were made from, by target name (for size comparisons). */
  nodeBinaries: Map<BinaryTarget['name'], string>;
  /** False when dist/agent was already current and nothing was rebuilt. */
  built: boolean;
}

/** Builds (or finds current) the agent executables. Safe to call from parallel processes. */
export async function buildAgentBinaries(options: BuildOptions = {}): Promise<BuildResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`build:agent: ${line}\n`));
  const targets = selectTargets(options.targets ?? []);
  const workDir = join(AGENT_DIST_DIR, 'build');
  const bundlePath = join(workDir, 'zhengban-agent.cjs');
  const oneShotPath = join(workDir, ONE_SHOT_ASSET);
  const result: BuildResult = { binaries: new Map(), bundlePath, oneShotPath, nodeBinaries: new Map(), built: false };
  for (const t of targets) result.binaries.set(t.name, join(AGENT_DIST_DIR, t.outputName));

  await mkdir(join(REPO_ROOT, 'dist'), { recursive: true });
  return withBuildLock(join(REPO_ROOT, 'dist', '.agent-build.lock'), async () => {
    const key = await computeBuildKey(REPO_ROOT, process.version, targets.map((t) => t.name));
    const keyFile = join(AGENT_DIST_DIR, 'BUILD-KEY');
    // The node binaries are needed for size comparisons even when nothing is rebuilt (cached: no network).
    for (const t of targets) result.nodeBinaries.set(t.name, await fetchNodeBinary(t, process.version, NODE_CACHE_DIR, log));
    const current = (await readFile(keyFile, 'utf8').catch(() => '')).trim();
    if (!options.force && current === key) {
      log(`dist/agent is current (${key.slice(0, 12)}); nothing to do`);
      return result;
    }

    await rm(keyFile, { force: true });
    await mkdir(workDir, { recursive: true });
    log(`bundling agent/src/main.ts and its one-shot commands with esbuild (node ${process.version})`);
    await bundleAgent(join(REPO_ROOT, 'agent', 'src'), workDir);
    const blobPath = join(workDir, 'sea-prep.blob');
    await makeSeaBlob(process.execPath, join(workDir, 'sea-config.json'), bundlePath, blobPath, { [ONE_SHOT_ASSET]: oneShotPath });

    const sums: string[] = [];
    for (const target of targets) {
      const out = result.binaries.get(target.name)!;
      const nodeBinary = result.nodeBinaries.get(target.name)!;
      log(`${target.outputName}: injecting the blob into ${target.nodePackage}@${process.version}`);
      await rm(out, { force: true });
      if (target.isWindows) {
        await copyWithoutSignature(nodeBinary, out);
        await injectSeaBlob(out, out, blobPath);
      } else {
        await injectSeaBlob(nodeBinary, out, blobPath);
      }
      await chmod(out, 0o755);
      sums.push(`${createHash('sha256').update(await readFile(out)).digest('hex')}  ${target.outputName}`);
    }
    await writeFile(join(AGENT_DIST_DIR, 'SHA256SUMS'), `${sums.join('\n')}\n`);
    // Written last: a build that died half-way is never taken for a current one.
    await writeFile(keyFile, `${key}\n`);
    result.built = true;
    log(`wrote ${targets.map((t) => t.outputName).join(', ')} and SHA256SUMS to ${AGENT_DIST_DIR}`);
    return result;
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { targets: { type: 'string' }, force: { type: 'boolean' } } });
  const targets = values.targets ? values.targets.split(',').map((s) => s.trim()).filter(Boolean) : [];
  await buildAgentBinaries({ targets, force: values.force === true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: Error) => {
    process.stderr.write(`build:agent: ${err.message}${err.cause ? ` (${(err.cause as Error).message ?? String(err.cause)})` : ''}\n`);
    process.exitCode = 1;
  });
}
