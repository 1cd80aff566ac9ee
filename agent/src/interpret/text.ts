import type { EvidenceBundle } from '../evidence/bundle.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8');
const utf16le = new TextDecoder('utf-16le');
const utf16be = new TextDecoder('utf-16be');

/**
 * Decodes a file read from a machine. BOMs decide first (reg.exe and PowerShell write UTF-16LE);
 * then strict UTF-8; then GB18030, because older Chinese systems and tools write GBK text
 * (a .kyinfo or LICENSE edited on such a machine), and only then lenient UTF-8.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16le.decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16be.decode(bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8Lenient.decode(bytes.subarray(3));
  try {
    return utf8.decode(bytes);
  } catch {
    try {
      return new TextDecoder('gb18030', { fatal: true }).decode(bytes);
    } catch {
      return utf8Lenient.decode(bytes);
    }
  }
}

/** Normalises a bundle path: no leading slash, '/' separators, case-folded when Windows. */
function normalisePath(path: string, caseless: boolean): string {
  const p = path.replace(/\\/g, '/').replace(/^\/+/, '').replace(/\/+/g, '/');
  return caseless ? p.toLowerCase() : p;
}

/**
 * Read access to a bundle's files by path. Windows paths compare case-insensitively (NTFS does),
 * Linux paths exactly.
 */
export class BundleFiles {
  private readonly byPath = new Map<string, Uint8Array>();
  private readonly caseless: boolean;

  constructor(bundle: EvidenceBundle) {
    this.caseless = bundle.manifest.platform === 'windows';
    for (const [path, bytes] of bundle.files) this.byPath.set(normalisePath(path, this.caseless), bytes);
  }

  has(path: string): boolean {
    return this.byPath.has(normalisePath(path, this.caseless));
  }

  text(path: string): string | undefined {
    const bytes = this.byPath.get(normalisePath(path, this.caseless));
    return bytes === undefined ? undefined : decodeText(bytes);
  }

  /** Paths (normalised) that start with `prefix` — e.g. every `sys/class/net/<if>/address`. */
  list(prefix: string): string[] {
    const p = normalisePath(prefix, this.caseless);
    return [...this.byPath.keys()].filter((k) => k.startsWith(p)).sort();
  }
}

/** Trims and drops empty text: `undefined` when nothing is left. */
export function nonEmpty(value: string | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value.trim();
  return v === '' ? undefined : v;
}

/** Splits text into lines, accepting CRLF, LF and lone CR. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}
