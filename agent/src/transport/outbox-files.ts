import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { Inventory, InventoryDeltaMessage, InventoryFullMessage } from '@zhengban/protocol';
import { isNotFound, removeFileDurably, writeFileAtomic } from '../state/atomic-file.ts';

/**
 * The outbox's files (one folder): `seq.json` (last sequence number handed out), `base.json` (the
 * last inventory the server acknowledged), and one `<seq>.json` per unacknowledged report, named
 * with 16 zero-padded digits so that name order is seq order.
 */
export const SEQ_FILE = 'seq.json';
export const BASE_FILE = 'base.json';

/** A report as stored: the frame to send, and for a delta the inventory it leads to. */
export const StoredReport = z.object({
  frame: z.discriminatedUnion('type', [InventoryFullMessage, InventoryDeltaMessage]),
  inventory: Inventory.optional(),
});
export type StoredReport = z.infer<typeof StoredReport>;

/** The last inventory the server acknowledged: the base that deltas are computed against. */
export const AckedBase = z.object({
  seq: z.number().int().nonnegative(),
  hash: z.string(),
  inventory: Inventory,
  /** When the last full report was acknowledged (a full goes out at least daily). */
  lastFullAt: z.string().optional(),
});
export type AckedBase = z.infer<typeof AckedBase>;

const SeqCounter = z.object({ lastSeq: z.number().int().nonnegative() });
const REPORT_FILE = /^(\d{16})\.json$/;

export function reportFileName(seq: number): string {
  return `${String(seq).padStart(16, '0')}.json`;
}

/** Reads a JSON state file through a schema; null when absent. */
async function readJson<T>(path: string, schema: z.ZodType<T>): Promise<T | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
  return schema.parse(JSON.parse(text));
}

export async function readSeqCounter(dir: string): Promise<number> {
  return (await readJson(join(dir, SEQ_FILE), SeqCounter))?.lastSeq ?? 0;
}

export async function writeSeqCounter(dir: string, lastSeq: number): Promise<void> {
  await writeFileAtomic(join(dir, SEQ_FILE), JSON.stringify({ lastSeq }));
}

export async function readAckedBase(dir: string): Promise<AckedBase | null> {
  return readJson(join(dir, BASE_FILE), AckedBase);
}

export async function writeAckedBase(dir: string, base: AckedBase): Promise<void> {
  await writeFileAtomic(join(dir, BASE_FILE), JSON.stringify(base));
}

export async function writeReport(dir: string, seq: number, report: StoredReport): Promise<void> {
  await writeFileAtomic(join(dir, reportFileName(seq)), JSON.stringify(report));
}

export async function removeReport(dir: string, seq: number): Promise<void> {
  await removeFileDurably(join(dir, reportFileName(seq)));
}

/**
 * Loads every stored report in seq order. A file that does not parse (hand-edited, disk fault) is
 * renamed to `*.corrupt` and reported through `onCorrupt`: retrying it could never succeed.
 */
export async function readReports(dir: string, onCorrupt: (file: string, message: string) => void): Promise<Array<{ seq: number; report: StoredReport }>> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const reports: Array<{ seq: number; report: StoredReport }> = [];
  for (const name of (await readdir(dir)).sort()) {
    const match = REPORT_FILE.exec(name);
    if (!match) continue;
    const path = join(dir, name);
    try {
      const report = StoredReport.parse(JSON.parse(await readFile(path, 'utf8')));
      if (report.frame.seq !== Number(match[1])) throw new Error(`holds seq ${report.frame.seq}`);
      reports.push({ seq: report.frame.seq, report });
    } catch (err) {
      await rename(path, `${path}.corrupt`);
      onCorrupt(name, (err as Error).message.split('\n')[0] ?? 'unreadable');
    }
  }
  return reports;
}

/** Number of unacknowledged reports, without loading them (for `status`). */
export async function countStoredReports(dir: string): Promise<number> {
  try {
    return (await readdir(dir)).filter((name) => REPORT_FILE.test(name)).length;
  } catch (err) {
    if (isNotFound(err)) return 0;
    throw err;
  }
}
