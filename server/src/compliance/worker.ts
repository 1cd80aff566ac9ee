import type { Db } from '../db/database.ts';
import { refreshMachinesCompliance, type RecomputeResult } from './recompute.ts';
import { listDirtyMachines, recordRefreshStart } from './refresh-state.ts';

/**
 * Compliance right after ingest (issue #5, "Incremental"): ingest transactions only store
 * inventories; this worker then refreshes the machines they changed — products, findings, the
 * positions of their units — and publishes the live events, in its own transactions.
 *
 * - Coalescing without delay: machines queued while a refresh runs are refreshed together in the
 *   next one (one recognition pass, one position recompute per unit), so under load the work per
 *   machine falls and at rest a single machine is refreshed at once.
 * - Crash safety: each refresh records the inventory hash it computed from (refresh-state.ts), in
 *   its own transaction. A machine whose stored inventory differs is dirty; `start()` refreshes
 *   every dirty machine, so a crash between an ingest's commit and its refresh loses nothing. A
 *   periodic sweep catches machines left dirty by a failed refresh or by another server process
 *   that died.
 * - Several processes: two workers refreshing machines of one unit serialise on the unit's
 *   advisory lock (refresh-positions.ts), the second reading the first one's committed installs.
 */

/** Machines per refresh transaction: bounds a transaction's length under a burst. */
export const MAX_MACHINES_PER_REFRESH = 500;
/** How often the worker looks for machines left dirty by a process that died. */
export const SWEEP_INTERVAL_MS = 60_000;

export interface ComplianceWorkerLog {
  error(object: object, message: string): void;
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
}

/** Refreshes machines' compliance in one transaction and records what it was computed from. */
export async function refreshCompliance(db: Db, machineIds: readonly string[]): Promise<RecomputeResult> {
  const ids = [...new Set(machineIds)].sort();
  return db.transaction(async (tx) => {
    await recordRefreshStart(tx, ids);
    return refreshMachinesCompliance(tx, ids);
  });
}

export class ComplianceWorker {
  readonly #db: Db;
  readonly #log: ComplianceWorkerLog;
  readonly #maxBatch: number;
  readonly #pending = new Set<string>();
  #running: Promise<void> | null = null;
  #sweepTimer: NodeJS.Timeout | undefined;
  /** Dirty machines seen by the previous periodic sweep, with the hash they were dirty for. */
  #dirtyAtLastSweep = new Map<string, string>();
  #closed = false;

  constructor(db: Db, log: ComplianceWorkerLog, options: { maxBatch?: number } = {}) {
    this.#db = db;
    this.#log = log;
    this.#maxBatch = options.maxBatch ?? MAX_MACHINES_PER_REFRESH;
  }

  /** Machines whose inventory an ingest just committed. Refreshed as soon as the worker is free. */
  enqueue(machineIds: Iterable<string>): void {
    if (this.#closed) return; // left dirty in the database: the next start refreshes them
    for (const id of machineIds) this.#pending.add(id);
    this.#schedule();
  }

  /** Refreshes every dirty machine now, then every `sweepIntervalMs` those another process left behind. */
  async start(options: { sweepIntervalMs?: number } = {}): Promise<number> {
    const dirty = await listDirtyMachines(this.#db);
    if (dirty.length) this.#log.info({ machines: dirty.length }, 'compliance: refreshing machines left dirty by an earlier run');
    this.enqueue(dirty.map((d) => d.machineId));
    const interval = options.sweepIntervalMs ?? SWEEP_INTERVAL_MS;
    this.#sweepTimer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.#log.warn({ err: error }, 'compliance: sweep for dirty machines failed'));
    }, interval);
    this.#sweepTimer.unref();
    return dirty.length;
  }

  /**
   * Queues the machines that were dirty at the previous sweep too, for the same inventory: nobody
   * refreshed them in between (a machine that some process is refreshing right now is dirty at one
   * sweep only). Returns how many it queued. Runs every `sweepIntervalMs` after `start()`.
   */
  async sweep(): Promise<number> {
    const dirty = await listDirtyMachines(this.#db);
    const stale = dirty.filter((d) => this.#dirtyAtLastSweep.get(d.machineId) === d.inventoryHash && !this.#pending.has(d.machineId));
    this.#dirtyAtLastSweep = new Map(dirty.map((d) => [d.machineId, d.inventoryHash]));
    if (stale.length) {
      this.#log.warn({ machines: stale.length }, 'compliance: refreshing machines left dirty (a failed refresh, or a server process that died)');
      this.enqueue(stale.map((d) => d.machineId));
    }
    return stale.length;
  }

  /** Resolves when nothing is queued or running (tests, shutdown). */
  async whenIdle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Finishes what is queued, then accepts nothing more. */
  async close(): Promise<void> {
    if (this.#sweepTimer) clearInterval(this.#sweepTimer);
    await this.whenIdle();
    this.#closed = true;
  }

  get pending(): number {
    return this.#pending.size;
  }

  #schedule(): void {
    if (this.#running || this.#pending.size === 0) return;
    // setImmediate, not a timer: what the current turn of the event loop queues joins this refresh.
    this.#running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.#drain())
      .finally(() => {
        this.#running = null;
        this.#schedule();
      });
  }

  async #drain(): Promise<void> {
    while (this.#pending.size) {
      const batch = [...this.#pending].slice(0, this.#maxBatch);
      for (const id of batch) this.#pending.delete(id);
      await this.#refresh(batch);
    }
  }

  /**
   * One transaction for the batch; when it fails, each machine alone, so one machine that cannot
   * be refreshed does not hold back the others. A machine that fails alone stays dirty in the
   * database and is retried by the sweep.
   */
  async #refresh(batch: string[]): Promise<void> {
    try {
      await refreshCompliance(this.#db, batch);
      return;
    } catch (error) {
      if (batch.length === 1) {
        this.#log.error({ err: error, machineId: batch[0] }, 'compliance: refresh failed; the machine stays dirty');
        return;
      }
      this.#log.warn({ err: error, machines: batch.length }, 'compliance: batch refresh failed; refreshing one by one');
    }
    for (const id of batch) await this.#refresh([id]);
  }
}
