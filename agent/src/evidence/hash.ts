import { createHash } from 'node:crypto';
import type { BundleEntries } from './entries.ts';
import { readBundleEntries } from './io.ts';

/**
 * SHA-256 (hex) of a bundle: over its files sorted by relative path, each as
 * `<path> NUL <byte length> NUL <bytes>`, so that the same evidence has the same hash whether it
 * lies in a directory or a .tar.gz (archive metadata such as mtimes and order do not count).
 */
export async function bundleSha256(source: string | BundleEntries): Promise<string> {
  const entries = typeof source === 'string' ? await readBundleEntries(source) : source;
  const hash = createHash('sha256');
  for (const path of [...entries.keys()].sort()) {
    const bytes = entries.get(path)!;
    hash.update(`${path}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}
