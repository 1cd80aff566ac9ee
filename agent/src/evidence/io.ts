import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tar from 'tar';
import type { EvidenceBundle } from './bundle.ts';
import { type BundleEntries, EvidenceError, decodeEvidenceBundle, encodeEvidenceBundle, isSafeBundlePath } from './entries.ts';

/** True when the path names a gzipped tarball rather than a directory. */
export function isTarGzPath(path: string): boolean {
  return /\.(tar\.gz|tgz)$/i.test(path);
}

/** Loads a bundle (directory or .tar.gz) and decodes it for interpretation. */
export async function readEvidenceBundle(dirOrTarGz: string): Promise<EvidenceBundle> {
  return decodeEvidenceBundle(await readBundleEntries(dirOrTarGz));
}

/** Writes a bundle to a new directory or .tar.gz file (chosen by the name). */
export async function writeEvidenceBundle(bundle: EvidenceBundle | BundleEntries, out: string): Promise<void> {
  const entries = bundle instanceof Map ? bundle : encodeEvidenceBundle(bundle);
  if (isTarGzPath(out)) await writeTarGz(entries, out);
  else await writeDirectory(entries, out);
}

/** Reads a bundle's raw files from a directory or a .tar.gz. */
export async function readBundleEntries(dirOrTarGz: string): Promise<BundleEntries> {
  let info;
  try {
    info = await stat(dirOrTarGz);
  } catch (err) {
    throw new EvidenceError(`cannot open evidence bundle ${dirOrTarGz}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const entries = info.isDirectory() ? await readDirectory(dirOrTarGz) : await readTarGz(dirOrTarGz);
  return stripSingleTopDirectory(entries);
}

async function readDirectory(root: string): Promise<BundleEntries> {
  const entries: BundleEntries = new Map();
  async function walk(dir: string, prefix: string): Promise<void> {
    for (const item of await readdir(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${item.name}` : item.name;
      if (item.isDirectory()) await walk(join(dir, item.name), rel);
      // Only regular files are evidence; links or devices in a bundle are not something capture writes.
      else if (item.isFile()) entries.set(rel, new Uint8Array(await readFile(join(dir, item.name))));
    }
  }
  await walk(root, '');
  return entries;
}

async function readTarGz(file: string): Promise<BundleEntries> {
  const entries: BundleEntries = new Map();
  try {
    await tar.t({
      file,
      onReadEntry: (entry) => {
        const path = entry.path.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
        if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile') {
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', () => {
          // Unsafe names (absolute, '..') are dropped: they cannot be part of a bundle we trust.
          if (isSafeBundlePath(path)) entries.set(path, new Uint8Array(Buffer.concat(chunks)));
        });
      },
    });
  } catch (err) {
    throw new EvidenceError(`${file} is not a readable .tar.gz: ${(err as Error).message}`);
  }
  return entries;
}

/** `tar czf b.tar.gz bundle/` puts everything under one folder; a bundle is what is inside it. */
function stripSingleTopDirectory(entries: BundleEntries): BundleEntries {
  if (entries.has('manifest.json')) return entries;
  const tops = new Set([...entries.keys()].map((p) => p.split('/')[0]));
  const [top] = tops;
  if (tops.size !== 1 || top === undefined || !entries.has(`${top}/manifest.json`)) return entries;
  return new Map([...entries].map(([p, bytes]) => [p.slice(top.length + 1), bytes]));
}

async function writeDirectory(entries: BundleEntries, out: string): Promise<void> {
  await assertEmptyOrAbsent(out);
  for (const [path, bytes] of entries) {
    if (!isSafeBundlePath(path)) throw new EvidenceError(`bundle path ${JSON.stringify(path)} is not a safe relative path`);
    const target = join(out, ...path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes);
  }
}

async function writeTarGz(entries: BundleEntries, out: string): Promise<void> {
  const staging = await mkdtemp(join(tmpdir(), 'zhengban-bundle-'));
  try {
    const root = join(staging, 'bundle');
    await writeDirectory(entries, root);
    const tops = [...new Set([...entries.keys()].map((p) => p.split('/')[0]!))].sort();
    await mkdir(dirname(out), { recursive: true });
    const partial = `${out}.partial`;
    // portable: no uid/gid/user names of the capturing machine in the archive.
    await tar.c({ gzip: true, file: partial, cwd: root, portable: true }, tops);
    await rename(partial, out);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function assertEmptyOrAbsent(dir: string): Promise<void> {
  try {
    const items = await readdir(dir);
    if (items.length > 0) throw new EvidenceError(`${dir} already exists and is not empty; choose a new directory`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new EvidenceError(`${dir} is a file, not a directory`);
    throw err;
  }
}
