import { execFile } from 'node:child_process';
import { access, chmod, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tar from 'tar';
import { type BinaryTarget, nodePackageVersion } from './targets.ts';

const run = promisify(execFile);

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns the path of the official node binary for a target at exactly `nodeVersion`, fetching it
 * once with `npm pack` (the packages carry os/cpu restrictions, so they cannot be dependencies)
 * and keeping both the tarball and the extracted binary under `cacheDir`: later builds are offline.
 */
export async function fetchNodeBinary(target: BinaryTarget, nodeVersion: string, cacheDir: string, log: (line: string) => void): Promise<string> {
  const version = nodePackageVersion(nodeVersion);
  const binDir = join(cacheDir, `${target.nodePackage}-${version}`);
  const binary = join(binDir, target.isWindows ? 'node.exe' : 'node');
  if (await exists(binary)) return binary;

  await mkdir(cacheDir, { recursive: true });
  const tarball = join(cacheDir, `${target.nodePackage}-${version}.tgz`);
  if (!(await exists(tarball))) {
    log(`fetching ${target.nodePackage}@${version} with npm pack (once; cached in ${cacheDir})`);
    try {
      await run('npm', ['pack', `${target.nodePackage}@${version}`, '--pack-destination', cacheDir, '--silent'], { maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
      throw new Error(`npm pack ${target.nodePackage}@${version} failed (is the npm registry reachable?)`, { cause: err });
    }
    if (!(await exists(tarball))) throw new Error(`npm pack did not write ${tarball}`);
  }

  // Extract into a fresh folder and rename it into place, so a killed build never leaves half a binary.
  const staging = await mkdtemp(join(cacheDir, '.extract-'));
  try {
    await tar.x({ file: tarball, cwd: staging, filter: (path) => path === target.nodePathInPackage });
    const extracted = join(staging, target.nodePathInPackage);
    if (!(await exists(extracted))) {
      throw new Error(`${tarball} holds no ${target.nodePathInPackage} (files: ${(await readdir(staging)).join(', ')})`);
    }
    await chmod(extracted, 0o755);
    const finalDir = join(staging, 'final');
    await mkdir(finalDir);
    await rename(extracted, join(finalDir, target.isWindows ? 'node.exe' : 'node'));
    await rm(binDir, { recursive: true, force: true });
    await rename(finalDir, binDir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return binary;
}
