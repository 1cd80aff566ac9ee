/**
 * Evidence bundles for end-to-end runs, made from the Debian 12 fixture of the corpus: the same PC
 * before and after a package is installed or removed, as two captures of it would look.
 */
import { cp, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './server-process.ts';
import { makeTempDir } from './temp-dir.ts';

export const DEBIAN_FIXTURE = join(REPO_ROOT, 'tests/fixtures/evidence/debian-12-plain');
const DPKG_STATUS = 'files/var/lib/dpkg/status';

/** A dpkg package as a status-file stanza describes it. */
export interface DpkgPackage {
  name: string;
  version: string;
  arch?: string;
}

function stanza(p: DpkgPackage): string {
  return [
    `Package: ${p.name}`,
    'Status: install ok installed',
    'Priority: optional',
    'Section: utils',
    `Maintainer: Debian Maintainers <${p.name}@packages.debian.org>`,
    `Architecture: ${p.arch ?? 'amd64'}`,
    `Version: ${p.version}`,
    `Description: ${p.name} package`,
    '',
  ].join('\n');
}

/** The dpkg status stanzas of a bundle, split at blank lines. */
function stanzas(status: string): string[] {
  return status.split(/\n\s*\n/).filter((s) => s.trim() !== '');
}

/** Writes a copy of the Debian fixture with packages installed and removed; returns its directory. */
export async function writeDebianBundle(dir: string, change: { install?: DpkgPackage[]; remove?: string[] } = {}): Promise<string> {
  await cp(DEBIAN_FIXTURE, dir, { recursive: true });
  const path = join(dir, DPKG_STATUS);
  const removed = new Set(change.remove ?? []);
  const kept = stanzas(await readFile(path, 'utf8')).filter((s) => !removed.has(/^Package: (\S+)$/m.exec(s)?.[1] ?? ''));
  if (kept.length + removed.size !== stanzas(await readFile(path, 'utf8')).length) throw new Error(`the fixture lacks one of ${[...removed].join(', ')}`);
  await writeFile(path, [...kept.map((s) => s.trimEnd() + '\n'), ...(change.install ?? []).map(stanza)].join('\n'));
  return dir;
}

/** dpkg `id` of a package as the agent reports it. */
export function dpkgId(p: DpkgPackage): string {
  return `${p.name}:${p.arch ?? 'amd64'}`;
}

/**
 * A bundle path that can be pointed at another bundle while an agent runs with `--evidence` on
 * it: a symlink replaced atomically (rename), so the agent reads one whole bundle or the other.
 */
export class SwitchableBundle {
  private constructor(readonly path: string) {}

  static async create(target: string): Promise<SwitchableBundle> {
    const dir = await makeTempDir('link');
    const bundle = new SwitchableBundle(join(dir, 'bundle'));
    await bundle.pointAt(target);
    return bundle;
  }

  async pointAt(target: string): Promise<void> {
    const next = `${this.path}.next`;
    await symlink(target, next);
    await rename(next, this.path);
  }
}
