import type { Db } from '../db/database.ts';
import { applyReportBatch, precheckReport, type AgentReport, type PendingReport } from './batch.ts';
import type { ComplianceSink, IngestOutcome } from './outcome.ts';

/**
 * The agent sockets' way into the database: reports queue here and are applied by group commit
 * (batch.ts). Nothing waits for a batch to fill: a report arriving at an idle pipeline is applied
 * at once, alone; reports arriving while batches run are applied together in the next one. So
 * at rest the latency is one transaction, and under load the cost per report falls as batches
 * grow (one commit, one statement per table for many reports).
 *
 * One bad report must not fail the others: when a batch's transaction fails, each of its reports
 * is applied again alone, and only a report that fails alone is answered with the error (its
 * agent keeps it in its outbox and re-sends it later). The rolled-back batch wrote nothing, so
 * exactly-once holds.
 */

/** Reports per batch. */
export const MAX_BATCH_REPORTS = 128;
/** Software entries per batch: bounds a transaction's size when reports are large. */
export const MAX_BATCH_ENTRIES = 60_000;
/** Batches in flight at once: one prepares (parses, diffs) while another waits on the database. */
export const DEFAULT_CONCURRENCY = 2;

export interface PipelineLog {
  warn(object: object, message: string): void;
}

interface Queued extends PendingReport {
  entries: number;
  resolve: (outcome: IngestOutcome) => void;
  reject: (error: unknown) => void;
}

export interface IngestPipelineOptions {
  /** Receives the machines each batch changed, after its commit (the compliance worker). */
  compliance: ComplianceSink;
  log: PipelineLog;
  maxBatchReports?: number;
  maxBatchEntries?: number;
  concurrency?: number;
}

function entriesOf(message: AgentReport): number {
  return 'inventory' in message ? message.inventory.software.length : message.delta.software.upserted.length + message.delta.software.removed.length;
}

export class IngestPipeline {
  readonly #db: Db;
  readonly #options: Required<Omit<IngestPipelineOptions, 'log' | 'compliance'>> & Pick<IngestPipelineOptions, 'log' | 'compliance'>;
  #queue: Queued[] = [];
  /** Agents with a report in a running batch: their next report waits for the next batch. */
  readonly #busyAgents = new Set<string>();
  readonly #running = new Set<Promise<void>>();
  #scheduled = false;
  #closed = false;

  constructor(db: Db, options: IngestPipelineOptions) {
    this.#db = db;
    this.#options = {
      maxBatchReports: MAX_BATCH_REPORTS,
      maxBatchEntries: MAX_BATCH_ENTRIES,
      concurrency: DEFAULT_CONCURRENCY,
      ...options,
    };
  }

  /**
   * Applies one report; resolves with its outcome once its batch committed, rejects when it could
   * not be stored (the caller answers `ingest.failed`: the agent re-sends it later). `computedHash`:
   * a full report's inventory hash when the caller has computed it already (the frame parser does).
   */
  async submit(agentId: string, message: AgentReport, computedHash?: string): Promise<IngestOutcome> {
    if (this.#closed) throw new Error('the server is shutting down');
    // Checked at once, in the turn that parsed the frame: queued behind the parsing of later frames,
    // the first reports of a burst would reach the database only after all of them were parsed.
    const early = precheckReport(message, computedHash);
    if (early) return early;
    return new Promise<IngestOutcome>((resolve, reject) => {
      this.#queue.push({ agentId, message, entries: entriesOf(message), resolve, reject });
      this.#schedule();
    });
  }

  /** Stops accepting reports and waits for the batches in flight and those queued. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#running.size || this.#queue.length) {
      this.#pump();
      await Promise.race(this.#running);
    }
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate, not a timer: frames read in this turn of the event loop join one batch.
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#running.size < this.#options.concurrency) {
      const batch = this.#takeBatch();
      if (batch.length === 0) return;
      const run = this.#run(batch)
        .catch((error: unknown) => {
          for (const item of batch) item.reject(error);
        })
        .finally(() => {
          this.#running.delete(run);
          for (const item of batch) this.#busyAgents.delete(item.agentId);
          this.#pump();
        });
      this.#running.add(run);
    }
  }

  /** The oldest queued reports, one per agent and none of an agent already in flight, within the limits. */
  #takeBatch(): Queued[] {
    const batch: Queued[] = [];
    const rest: Queued[] = [];
    let entries = 0;
    for (const item of this.#queue) {
      const fits =
        batch.length < this.#options.maxBatchReports && (batch.length === 0 || entries + item.entries <= this.#options.maxBatchEntries);
      if (fits && !this.#busyAgents.has(item.agentId)) {
        batch.push(item);
        entries += item.entries;
        this.#busyAgents.add(item.agentId);
      } else rest.push(item);
    }
    this.#queue = rest;
    return batch;
  }

  async #run(batch: Queued[]): Promise<void> {
    let outcomes: IngestOutcome[];
    try {
      outcomes = await applyReportBatch(this.#db, batch);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      this.#options.log.warn({ err: error, reports: batch.length }, 'ingest: batch failed; applying its reports one by one');
      for (const item of batch) await this.#run([item]);
      return;
    }
    const changed = outcomes.flatMap((o) => (o.changedMachineId ? [o.changedMachineId] : []));
    if (changed.length) this.#options.compliance(changed);
    batch.forEach((item, i) => item.resolve(outcomes[i]!));
  }
}
