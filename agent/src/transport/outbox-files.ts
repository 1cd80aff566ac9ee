import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { type Inventory, type InventoryDeltaMessage, type InventoryFullMessage, MessageType } from '@zhengban/protocol/agent';
import { isNotFound, removeFileDurably, writeFileAtomic } from '../state/atomic-file.ts';

/**
 * The outbox's files (one folder): `seq.json` (last sequence number handed out), `base.json` (the
 * last inventory the server acknowledged), and one `<seq>.json` per unacknowledged report, named
 * with 16 zero-padded digits so that name order is seq order.
 */
export const SEQ_FILE = 'seq.json';
export const BASE_FILE = 'base.json';

/** A report as stored: the frame to send, and for a delta the inventory it leads to. */
export interface StoredReport {
  frame: InventoryFullMessage | InventoryDeltaMessage;
  inventory?: Inventory;
}

/** The last inventory the server acknowledged: the base that deltas are computed against. */
export interface AckedBase {
  seq: number;
  hash: string;
  inventory: Inventory;
  /** When the last full report was acknowledged (a full goes out at least daily). */
  lastFullAt?: string;
}

/*
 * What the outbox checks when it reads its own files back. They hold frames built from
 * inventories that already passed the protocol's Inventory schema when they were scanned, so
 * this guards against damage (a truncated or hand-edited file) in the parts the outbox works
 * with: message type, seq, hashes, and the lists and keys a delta is computed from. Objects are
 * loose (every field kept as written: the inventory hash covers every field), and the server
 * checks the whole frame again when it arrives. The protocol's full schemas would load zod's
 * classic API into the long-running process, ~13 MiB of its RSS (issue 3: idle RSS).
 */
const Text = z.string();
const SeqNumber = z.int().check(z.positive());
const SoftwareShape = z.looseObject({ id: Text, source: Text, hive: z.optional(Text) });
const InventoryShape = z.looseObject({
  collectedAt: Text,
  hostname: Text,
  agentVersion: Text,
  hardware: z.looseObject({ macs: z.array(Text) }),
  os: z.looseObject({ family: Text, product: Text, arch: Text, activation: z.looseObject({ status: Text, channel: Text }) }),
  office: z.array(z.looseObject({ vendor: Text, product: Text, scope: Text })),
  software: z.array(SoftwareShape),
  findings: z.array(z.looseObject({ code: Text, evidence: Text })),
  captureErrors: z.array(z.looseObject({ source: Text, message: Text })),
});
const FrameShape = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal(MessageType.InventoryFull), seq: SeqNumber, hash: Text, inventory: InventoryShape }),
  z.looseObject({
    type: z.literal(MessageType.InventoryDelta),
    seq: SeqNumber,
    baseHash: Text,
    hash: Text,
    delta: z.looseObject({ collectedAt: Text, software: z.looseObject({ upserted: z.array(SoftwareShape), removed: z.array(Text) }) }),
  }),
]);
const StoredReportShape = z.object({ frame: FrameShape, inventory: z.optional(InventoryShape) });
const AckedBaseShape = z.object({ seq: z.int().check(z.nonnegative()), hash: Text, inventory: InventoryShape, lastFullAt: z.optional(Text) });
const SeqCounter = z.object({ lastSeq: z.int().check(z.nonnegative()) });
const REPORT_FILE = /^(\d{16})\.json$/;

export function reportFileName(seq: number): string {
  return `${String(seq).padStart(16, '0')}.json`;
}

/** Reads a JSON state file, checked against `shape`; null when absent. */
async function readJson<T>(path: string, shape: z.ZodMiniType): Promise<T | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
  return shape.parse(JSON.parse(text)) as T;
}

export async function readSeqCounter(dir: string): Promise<number> {
  return (await readJson<{ lastSeq: number }>(join(dir, SEQ_FILE), SeqCounter))?.lastSeq ?? 0;
}

export async function writeSeqCounter(dir: string, lastSeq: number): Promise<void> {
  await writeFileAtomic(join(dir, SEQ_FILE), JSON.stringify({ lastSeq }));
}

export async function readAckedBase(dir: string): Promise<AckedBase | null> {
  return readJson<AckedBase>(join(dir, BASE_FILE), AckedBaseShape);
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
      const report = StoredReportShape.parse(JSON.parse(await readFile(path, 'utf8'))) as StoredReport;
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
