import type { Software } from '@zhengban/protocol';
import { nonEmpty, splitLines } from '../text.ts';

/**
 * Seconds since the epoch -> YYYY-MM-DD in the capture's own time zone when `capturedAt` carries
 * an offset (a package installed at 07:00 Beijing time belongs to that day, not the UTC day
 * before); UTC otherwise.
 */
export function epochSecondsToDate(seconds: number, capturedAt: string): string | undefined {
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(capturedAt);
  const offsetMs = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) * 60_000 : 0;
  const d = new Date(seconds * 1000 + offsetMs);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 10);
}

function field(value: string | undefined): string | undefined {
  const v = nonEmpty(value);
  return v === '(none)' ? undefined : v;
}

/**
 * Parses `rpm -qa --queryformat '%{NAME}\t%{EPOCH}:%{VERSION}-%{RELEASE}\t%{ARCH}\t%{VENDOR}\t%{INSTALLTIME}\n'`.
 * rpm prints `(none)` for unset tags: an unset epoch is dropped from the version (`(none):1.2-3`
 * -> `1.2-3`), a set one kept (`1:1.2-3`). `gpg-pubkey` rows are imported signing keys that rpm
 * keeps in its database, not software, and are skipped.
 */
export function readRpmSoftware(text: string, capturedAt: string): Software[] {
  const out: Software[] = [];
  for (const line of splitLines(text)) {
    if (line.trim() === '') continue;
    const [rawName, rawEvr, rawArch, rawVendor, rawTime] = line.split('\t');
    const name = field(rawName);
    if (!name || name === 'gpg-pubkey') continue;
    const arch = field(rawArch);
    const entry: Software = { id: arch ? `${name}.${arch}` : name, name, source: 'rpm' };
    const evr = nonEmpty(rawEvr);
    if (evr) entry.version = evr.startsWith('(none):') ? evr.slice('(none):'.length) : evr;
    const vendor = field(rawVendor);
    if (vendor) entry.publisher = vendor;
    const time = field(rawTime);
    if (time && /^\d+$/.test(time)) {
      const date = epochSecondsToDate(Number(time), capturedAt);
      if (date) entry.installDate = date;
    }
    if (arch) entry.arch = arch;
    out.push(entry);
  }
  return out;
}
