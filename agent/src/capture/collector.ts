import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvidenceManifest } from '../evidence/bundle.ts';

/** Files larger than this are not copied (a status file of a few MB is normal; 64 MiB is not). */
export const MAX_EVIDENCE_FILE_BYTES = 64 * 1024 * 1024;

type CaptureErrorEntry = NonNullable<EvidenceManifest['errors']>[number];

/**
 * Collects what one capture read, and what it could not: each step's failure becomes an entry in
 * the manifest's `errors` instead of an exception, so one unreadable file never costs the rest.
 */
export class EvidenceCollector {
  readonly files = new Map<string, Uint8Array>();
  readonly commands = new Map<string, string>();
  readonly errors: CaptureErrorEntry[] = [];

  /** @param rootDir where the machine's file system starts ('/' live; a folder in tests). */
  constructor(private readonly rootDir = '/') {}

  /** Where an absolute machine path is on this file system. */
  resolve(absPath: string): string {
    return this.rootDir === '/' ? absPath : join(this.rootDir, absPath);
  }

  recordError(source: string, message: string): void {
    this.errors.push({ source, message });
  }

  /**
   * Copies a file verbatim if it exists. Returns true when copied. A missing file is not an error
   * (absence is evidence too); an unreadable one is recorded.
   */
  async copyFile(absPath: string): Promise<boolean> {
    const key = absPath.replace(/^\/+/, '');
    try {
      const info = await stat(this.resolve(absPath));
      // procfs and sysfs report size 0 or 4096 whatever they hold, so only regular files are checked.
      if (info.size > MAX_EVIDENCE_FILE_BYTES) {
        this.recordError(absPath, `file is ${info.size} bytes, over the ${MAX_EVIDENCE_FILE_BYTES}-byte limit; not copied`);
        return false;
      }
      this.files.set(key, new Uint8Array(await readFile(this.resolve(absPath))));
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return false;
      this.recordError(absPath, describeFsError(err));
      return false;
    }
  }
}

/** One line for a file-system error; permission errors say what would fix them. */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EACCES' || e.code === 'EPERM') return `permission denied (${e.code}); readable by root only`;
  return e.code ? `${e.code}: ${e.message}` : String(e.message ?? err);
}
