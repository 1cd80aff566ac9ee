import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { EvidenceBundle, EvidenceManifest } from '../../../agent/src/evidence/bundle.ts';
import { decodeText } from '../../../agent/src/interpret/text.ts';

function walk(dir: string, prefix = ''): Array<[string, Uint8Array]> {
  const out: Array<[string, Uint8Array]> = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(full).isDirectory()) out.push(...walk(full, rel));
    else out.push([rel, new Uint8Array(readFileSync(full))]);
  }
  return out;
}

function listFiles(dir: string, ext: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((n) => n.toLowerCase().endsWith(ext)).sort() : [];
}

/**
 * Test-side loader: builds an EvidenceBundle from a bundle directory in the DESIGN format
 * (manifest.json, files/, registry/*.reg, wmi/*.json, commands/*.txt).
 */
export function loadBundle(dir: string): EvidenceBundle {
  const manifest = JSON.parse(decodeText(readFileSync(join(dir, 'manifest.json')))) as EvidenceManifest;
  const files = new Map(existsSync(join(dir, 'files')) ? walk(join(dir, 'files')) : []);
  const registry = listFiles(join(dir, 'registry'), '.reg').map((n) => decodeText(readFileSync(join(dir, 'registry', n))));
  const wmi = new Map<string, unknown>();
  for (const n of listFiles(join(dir, 'wmi'), '.json')) {
    wmi.set(n.slice(0, -'.json'.length), JSON.parse(decodeText(readFileSync(join(dir, 'wmi', n)))));
  }
  const commands = new Map<string, string>();
  for (const n of listFiles(join(dir, 'commands'), '.txt')) {
    commands.set(n.slice(0, -'.txt'.length), decodeText(readFileSync(join(dir, 'commands', n))));
  }
  return { manifest, files, registry, wmi, commands };
}
