import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** What a build depends on, relative to the repository root. Folders are read recursively. */
export const BUILD_INPUTS = ['agent/src', 'protocol/src', 'agent/scripts', 'agent/package.json', 'protocol/package.json', 'package-lock.json'] as const;

async function listFiles(root: string, path: string): Promise<string[]> {
  const full = join(root, path);
  let items;
  try {
    items = await readdir(full, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return [path];
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const files: string[] = [];
  for (const item of items) {
    const child = relative(root, join(full, item.name));
    if (item.isDirectory()) files.push(...(await listFiles(root, child)));
    else if (item.isFile()) files.push(child);
  }
  return files;
}

/**
 * A hash of everything that goes into the binaries (sources, lockfile, build scripts, node
 * version and targets): equal keys mean the binaries in dist/agent are current, so tests and
 * repeated `npm run build:agent` skip the minute-long build.
 */
export async function computeBuildKey(repoRoot: string, nodeVersion: string, targetNames: string[]): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`node ${nodeVersion}\ntargets ${[...targetNames].sort().join(',')}\n`);
  const files = (await Promise.all(BUILD_INPUTS.map((p) => listFiles(repoRoot, p)))).flat().sort();
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(await readFile(join(repoRoot, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}
