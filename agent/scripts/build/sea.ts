import { execFile } from 'node:child_process';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The fuse node looks for to know it carries a SEA blob (node's docs, SEA section). */
export const SEA_SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * The SEA configuration. Without a startup snapshot and without a code cache the blob holds only
 * the scripts, so one blob serves every target (a code cache is specific to the V8 build and CPU).
 * `assets` (node >= 20.12) carries the one-shot script, read with node:sea's getAsset.
 */
export function seaConfig(bundlePath: string, blobPath: string, assets: Record<string, string> = {}): Record<string, unknown> {
  return {
    main: bundlePath,
    output: blobPath,
    assets,
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: false,
  };
}

/** Writes the blob with the building node (`node --experimental-sea-config`). */
export async function makeSeaBlob(nodeExecutable: string, configPath: string, bundlePath: string, blobPath: string, assets: Record<string, string> = {}): Promise<void> {
  await writeFile(configPath, `${JSON.stringify(seaConfig(bundlePath, blobPath, assets), null, 2)}\n`);
  await run(nodeExecutable, ['--experimental-sea-config', configPath], { maxBuffer: 16 * 1024 * 1024 });
}

/**
 * Copies node.exe without its Authenticode signature: injecting into a signed PE leaves a
 * signature that no longer matches, which Windows reports as a tampered file.
 */
export async function copyWithoutSignature(signedExe: string, out: string): Promise<void> {
  await rm(out, { force: true });
  try {
    await run('osslsigncode', ['remove-signature', '-in', signedExe, '-out', out]);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new Error('osslsigncode is not installed; install with: apt-get install -y osslsigncode');
    throw new Error(`osslsigncode remove-signature failed: ${(e as { stderr?: string }).stderr ?? e.message}`);
  }
}

interface PostjectApi {
  inject(file: string, resourceName: string, data: Buffer, options: { sentinelFuse: string; overwrite?: boolean }): Promise<void>;
}

/** Copies `nodeBinary` to `out` (unless they are the same file) and injects the blob as NODE_SEA_BLOB. */
export async function injectSeaBlob(nodeBinary: string, out: string, blobPath: string): Promise<void> {
  if (nodeBinary !== out) await copyFile(nodeBinary, out);
  // postject ships CommonJS without types; its API avoids a second node process per target.
  const postject = createRequire(import.meta.url)('postject') as PostjectApi;
  await postject.inject(out, 'NODE_SEA_BLOB', await readFile(blobPath), { sentinelFuse: SEA_SENTINEL_FUSE, overwrite: true });
}
