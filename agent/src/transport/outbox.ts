import {
  type Inventory,
  type InventoryDeltaMessage,
  type InventoryFullMessage,
  MessageType,
  PROTOCOL_VERSION,
  applyInventoryDelta,
  diffInventory,
  isEmptyDelta,
} from '@zhengban/protocol/agent';
import { inventoryHash } from '@zhengban/protocol/hash';
import {
  type AckedBase,
  type StoredReport,
  readAckedBase,
  readReports,
  readSeqCounter,
  removeReport,
  writeAckedBase,
  writeReport,
  writeSeqCounter,
} from './outbox-files.ts';

export type ReportFrame = InventoryFullMessage | InventoryDeltaMessage;

/** An unacknowledged report: the frame to send and the inventory the server holds once it is applied. */
export interface OutboxEntry {
  seq: number;
  frame: ReportFrame;
  result: { hash: string; inventory: Inventory };
}

export type AckResult = 'applied' | 'duplicate' | 'rejected';

export interface OutboxOptions {
  /** Told about reports dropped without delivery (corrupt on disk). */
  onWarning?: (message: string) => void;
  now?: () => Date;
}

/**
 * The durable outbox: every report gets a sequence number and is on disk before it is sent, and
 * leaves only when the server has acknowledged it, so no report is lost while the server is away
 * or the agent restarts. Sequence numbers are persisted before use and never handed out twice,
 * even across crashes. It also remembers the last inventory the server acknowledged (the base
 * that deltas chain from) and decides full report or delta.
 */
export class Outbox {
  private entries: OutboxEntry[];
  /** Mutations run one at a time: acks arrive while a rescan queues a report. */
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    private lastSeqValue: number,
    private acked: AckedBase | null,
    entries: OutboxEntry[],
    private readonly options: OutboxOptions,
  ) {
    this.entries = entries;
  }

  /** Opens (creating if needed) the outbox in `dir` and loads what an earlier run left. */
  static async open(dir: string, options: OutboxOptions = {}): Promise<Outbox> {
    const warn = options.onWarning ?? (() => {});
    const stored = await readReports(dir, (file, message) => warn(`outbox: ${file} is unreadable (${message}); kept as ${file}.corrupt and skipped`));
    const acked = await readAckedBase(dir);
    let lastSeq = await readSeqCounter(dir);
    const entries: OutboxEntry[] = [];
    let previous: { hash: string; inventory: Inventory } | null = acked;
    for (const { seq, report } of stored) {
      lastSeq = Math.max(lastSeq, seq);
      // A crash between saving base.json and deleting the acked report leaves the report behind.
      if (acked && seq <= acked.seq) {
        await removeReport(dir, seq);
        continue;
      }
      const entry = toEntry(report, previous);
      if (!entry) {
        warn(`outbox: report ${seq} is a delta without its inventory; skipped (a full report will follow)`);
        continue;
      }
      entries.push(entry);
      previous = entry.result;
    }
    return new Outbox(dir, Math.max(lastSeq, acked?.seq ?? 0), acked, entries, options);
  }

  /** Unacknowledged reports in seq order (send them in this order). */
  pending(): readonly OutboxEntry[] {
    return this.entries;
  }

  get length(): number {
    return this.entries.length;
  }

  /** The highest sequence number ever handed out. */
  get lastSeq(): number {
    return this.lastSeqValue;
  }

  /** The last inventory the server acknowledged, if any. */
  get base(): AckedBase | null {
    return this.acked;
  }

  /** The newest inventory known: the last queued report's result, else the acknowledged base. */
  get latest(): { hash: string; inventory: Inventory } | null {
    return this.entries.at(-1)?.result ?? this.acked;
  }

  /** True when the next report should be full: nothing acknowledged yet, or the last full is older than `intervalMs`. */
  needsFullReport(intervalMs: number): boolean {
    const lastFullAt = this.acked?.lastFullAt;
    if (!lastFullAt) return true;
    return this.now().getTime() - Date.parse(lastFullAt) >= intervalMs;
  }

  /**
   * Queues a scan result: a delta against the newest known inventory, or a full report when asked
   * for, when there is nothing to chain from, or when a full is due. Returns null when nothing changed.
   */
  queueInventory(inventory: Inventory, options: { full?: boolean; evidenceSha256?: string } = {}): Promise<OutboxEntry | null> {
    return this.exclusive(() => this.queueInventoryNow(inventory, options));
  }

  private async queueInventoryNow(inventory: Inventory, options: { full?: boolean; evidenceSha256?: string }): Promise<OutboxEntry | null> {
    const hash = inventoryHash(inventory);
    const latest = this.latest;
    if (!options.full && latest?.hash === hash) return null;
    const last = this.entries.at(-1);
    // A full report of this very inventory is already waiting: it is the report that is due.
    if (options.full && last?.frame.type === MessageType.InventoryFull && last.result.hash === hash) return null;
    if (options.full || !latest) return this.queueFull(inventory, hash, options.evidenceSha256);

    const delta = diffInventory(latest.inventory, inventory);
    if (isEmptyDelta(delta)) return null;
    const seq = await this.takeSeq();
    const frame: InventoryDeltaMessage = { v: PROTOCOL_VERSION, type: MessageType.InventoryDelta, seq, baseHash: latest.hash, hash, delta };
    return this.store({ seq, frame, result: { hash, inventory } }, { frame, inventory });
  }

  /**
   * The server needs a full report (it asked, or refused a delta): queue one of the newest
   * inventory, superseding every queued report. Returns null when there is nothing to report yet.
   */
  requestFull(): Promise<OutboxEntry | null> {
    return this.exclusive(async () => {
      const latest = this.latest;
      return latest ? this.queueFullOf(latest) : null;
    });
  }

  /**
   * Applies the server's ack. applied/duplicate: the report's inventory becomes the base and the
   * report (with any older one) leaves the outbox. rejected: the report leaves; a rejected delta
   * means the server lacks its base, so queued deltas give way to a full report; a rejected full
   * can never succeed and is not retried. Acks for unknown seqs (already handled) change nothing.
   */
  acknowledge(seq: number, result: AckResult): Promise<{ known: boolean; fullQueued: OutboxEntry | null }> {
    return this.exclusive(() => this.acknowledgeNow(seq, result));
  }

  private async acknowledgeNow(seq: number, result: AckResult): Promise<{ known: boolean; fullQueued: OutboxEntry | null }> {
    const entry = this.entries.find((e) => e.seq === seq);
    if (!entry) return { known: false, fullQueued: null };
    if (result === 'rejected') {
      const latest = this.latest;
      await this.remove([entry]);
      if (entry.frame.type === MessageType.InventoryDelta && latest) {
        return { known: true, fullQueued: await this.queueFullOf(latest) };
      }
      return { known: true, fullQueued: null };
    }
    const isFull = entry.frame.type === MessageType.InventoryFull;
    const lastFullAt = isFull ? this.now().toISOString() : this.acked?.lastFullAt;
    this.acked = { seq, hash: entry.result.hash, inventory: entry.result.inventory, ...(lastFullAt ? { lastFullAt } : {}) };
    // Base first, then delete: a crash in between leaves a report that open() recognises as acked.
    await writeAckedBase(this.dir, this.acked);
    await this.remove(this.entries.filter((e) => e.seq <= seq));
    return { known: true, fullQueued: null };
  }

  /**
   * Drops one report that can never succeed (the server called it invalid). Later deltas chain
   * from it, so dropping a delta queues a full report instead.
   */
  drop(seq: number): Promise<{ known: boolean; fullQueued: OutboxEntry | null }> {
    return this.acknowledge(seq, 'rejected');
  }

  /**
   * Resumes after the server's welcome: reports up to `lastSeq` were handled by the server (their
   * acks were lost) and leave the outbox; if what the server holds (`serverHash`) is not what the
   * first queued delta builds on, a full report replaces the queue. Sequence numbers continue
   * above `lastSeq` even if this state directory is younger than the server's memory of it.
   */
  resume(lastSeq: number, serverHash: string | undefined): Promise<{ dropped: number; fullQueued: OutboxEntry | null }> {
    return this.exclusive(() => this.resumeNow(lastSeq, serverHash));
  }

  private async resumeNow(lastSeq: number, serverHash: string | undefined): Promise<{ dropped: number; fullQueued: OutboxEntry | null }> {
    if (lastSeq > this.lastSeqValue) {
      this.lastSeqValue = lastSeq;
      await writeSeqCounter(this.dir, lastSeq);
    }
    const handled = this.entries.filter((e) => e.seq <= lastSeq);
    const serverHolds = [...handled].reverse().find((e) => e.result.hash === serverHash);
    if (serverHolds) {
      const lastFullAt = serverHolds.frame.type === MessageType.InventoryFull ? this.now().toISOString() : this.acked?.lastFullAt;
      this.acked = { seq: serverHolds.seq, hash: serverHolds.result.hash, inventory: serverHolds.result.inventory, ...(lastFullAt ? { lastFullAt } : {}) };
      await writeAckedBase(this.dir, this.acked);
    }
    const latest = this.latest;
    await this.remove(handled);

    const first = this.entries[0];
    const chainHolds = first
      ? first.frame.type === MessageType.InventoryFull || first.frame.baseHash === serverHash
      : latest === null || latest.hash === serverHash;
    if (chainHolds) return { dropped: handled.length, fullQueued: null };
    // latest is computed before removal: the server may lack even what we think it acknowledged.
    return { dropped: handled.length, fullQueued: latest ? await this.queueFullOf(latest) : null };
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => {});
    return run;
  }

  private async queueFullOf(latest: { hash: string; inventory: Inventory }): Promise<OutboxEntry> {
    const last = this.entries.at(-1);
    if (last && last.frame.type === MessageType.InventoryFull && last.result.hash === latest.hash) return last;
    return this.queueFull(latest.inventory, latest.hash);
  }

  private async queueFull(inventory: Inventory, hash: string, evidenceSha256?: string): Promise<OutboxEntry> {
    const seq = await this.takeSeq();
    const frame: InventoryFullMessage = {
      v: PROTOCOL_VERSION,
      type: MessageType.InventoryFull,
      seq,
      hash,
      inventory,
      ...(evidenceSha256 ? { evidenceSha256 } : {}),
    };
    const entry = await this.store({ seq, frame, result: { hash, inventory } }, { frame });
    // A full report replaces everything queued before it; sending those first would be wasted work.
    await this.remove(this.entries.filter((e) => e.seq < seq));
    return entry;
  }

  /** Hands out the next seq; the counter is on disk before the seq is used anywhere. */
  private async takeSeq(): Promise<number> {
    const seq = this.lastSeqValue + 1;
    await writeSeqCounter(this.dir, seq);
    this.lastSeqValue = seq;
    return seq;
  }

  private async store(entry: OutboxEntry, report: StoredReport): Promise<OutboxEntry> {
    await writeReport(this.dir, entry.seq, report);
    this.entries.push(entry);
    return entry;
  }

  private async remove(entries: readonly OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const seqs = new Set(entries.map((e) => e.seq));
    this.entries = this.entries.filter((e) => !seqs.has(e.seq));
    for (const seq of seqs) await removeReport(this.dir, seq);
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }
}

/** Rebuilds an entry from disk; a delta's result is stored with it, so no replay is needed. */
function toEntry(report: StoredReport, previous: { hash: string; inventory: Inventory } | null): OutboxEntry | null {
  const { frame } = report;
  if (frame.type === MessageType.InventoryFull) return { seq: frame.seq, frame, result: { hash: frame.hash, inventory: frame.inventory } };
  // Reports written by this code always carry the inventory; otherwise rebuild it from the chain.
  const inventory = report.inventory ?? (previous?.hash === frame.baseHash ? applyInventoryDelta(previous.inventory, frame.delta) : null);
  return inventory ? { seq: frame.seq, frame, result: { hash: frame.hash, inventory } } : null;
}
