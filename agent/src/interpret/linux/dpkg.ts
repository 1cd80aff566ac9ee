import type { Software } from '@zhengban/protocol';
import { nonEmpty, splitLines } from '../text.ts';

/** One stanza of a Debian control-style file: field names case-folded, continuation lines joined. */
export type Stanza = Map<string, string>;

/**
 * Splits `/var/lib/dpkg/status` into stanzas. Fields are `Name: value`; a line starting with a
 * space or tab continues the previous field (Description, Conffiles); blank lines separate
 * stanzas. Field names are case-insensitive in deb-control(5), so they are lower-cased here.
 */
export function parseControlStanzas(text: string): Stanza[] {
  const stanzas: Stanza[] = [];
  let current: Stanza = new Map();
  let lastField: string | undefined;
  for (const line of splitLines(text)) {
    if (line.trim() === '') {
      if (current.size > 0) stanzas.push(current);
      current = new Map();
      lastField = undefined;
      continue;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (lastField !== undefined) current.set(lastField, `${current.get(lastField) ?? ''}\n${line.slice(1)}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    lastField = line.slice(0, colon).trim().toLowerCase();
    current.set(lastField, line.slice(colon + 1).trim());
  }
  if (current.size > 0) stanzas.push(current);
  return stanzas;
}

/**
 * True when dpkg considers the package installed: status `<want> ok installed` with want
 * `install` or `hold`. A held package (`hold ok installed`, shown as `hi` by `dpkg -l`) is as
 * installed as any other; `deinstall ok config-files`, `half-installed`, `unpacked`,
 * `reinstreq` and `purge ... not-installed` are not software on the machine.
 */
export function isInstalledStatus(status: string | undefined): boolean {
  if (!status) return false;
  const [want, flag, state] = status.trim().split(/\s+/);
  return (want === 'install' || want === 'hold') && flag === 'ok' && state === 'installed';
}

/**
 * Maintainer as a publisher name: "Debian Bash Maintainers <x@y>" -> "Debian Bash Maintainers".
 * Only an address when there is no name.
 */
export function publisherFromMaintainer(maintainer: string | undefined): string | undefined {
  const m = nonEmpty(maintainer);
  if (!m) return undefined;
  const name = nonEmpty(m.replace(/<[^>]*>/g, '').replace(/\s+/g, ' '));
  return name ?? nonEmpty(m.replace(/[<>]/g, ''));
}

/**
 * Installed packages from dpkg's status file, one entry per `Package:` + `Architecture:`
 * (id `name:arch`, as `dpkg-query -W -f '${binary:Package}'` would print a multi-arch name).
 * Every installed package is listed: on Linux the package database *is* the software list, and
 * the count must equal dpkg's own.
 */
export function readDpkgSoftware(statusText: string): Software[] {
  const out: Software[] = [];
  for (const stanza of parseControlStanzas(statusText)) {
    if (!isInstalledStatus(stanza.get('status'))) continue;
    const name = nonEmpty(stanza.get('package'));
    if (!name) continue;
    const arch = nonEmpty(stanza.get('architecture'));
    const entry: Software = { id: arch ? `${name}:${arch}` : name, name, source: 'dpkg' };
    const version = nonEmpty(stanza.get('version'));
    if (version) entry.version = version;
    const publisher = publisherFromMaintainer(stanza.get('maintainer'));
    if (publisher) entry.publisher = publisher;
    if (arch) entry.arch = arch;
    out.push(entry);
  }
  return out;
}
