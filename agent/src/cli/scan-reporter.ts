import type { Logger } from '../transport/logger.ts';
import type { Outbox } from '../transport/outbox.ts';
import { noteEarlierScanFailure, reportScanFailure } from './scan-failure.ts';
import type { ScanOutcome, ScanRunner } from './scan-process.ts';

export interface ScanReporterOptions {
  scan: ScanRunner;
  outbox: Outbox;
  log: Logger;
  /** A full report goes out at least this often. */
  fullIntervalMs: number;
  /** Queue a report when a scan fails (the running agent), or leave that to the caller (`run --once`). */
  reportFailures: boolean;
  now?: () => Date;
}

/**
 * One scan and what it means for the outbox: a working scan queues its inventory (full or delta);
 * a failed one is told to the server in the next report's capture errors — at once, by repeating
 * the last inventory with the failure added, or, before any inventory exists, in the first report
 * that can be made.
 */
export class ScanReporter {
  private unreportedFailure: { at: Date; reason: string } | null = null;

  constructor(private readonly options: ScanReporterOptions) {}

  async scanAndQueue(signal?: AbortSignal): Promise<ScanOutcome> {
    const { outbox, log } = this.options;
    const outcome = await this.options.scan(signal);
    const now = (this.options.now ?? (() => new Date()))();
    if (!outcome.ok) {
      if (outcome.aborted || !this.options.reportFailures) return outcome;
      log.error(`scan failed: ${outcome.message}`);
      const last = outbox.latest?.inventory;
      if (!last) {
        this.unreportedFailure = { at: now, reason: outcome.message };
        return outcome;
      }
      const entry = await outbox.queueInventory(reportScanFailure(last, now, outcome.message));
      if (entry) log.info(`queued report ${entry.seq}: the last inventory, with the scan failure in its capture errors`);
      return outcome;
    }
    let inventory = outcome.inventory;
    if (this.unreportedFailure) {
      inventory = noteEarlierScanFailure(inventory, this.unreportedFailure.at, this.unreportedFailure.reason);
      this.unreportedFailure = null;
    }
    const entry = await outbox.queueInventory(inventory, { full: outbox.needsFullReport(this.options.fullIntervalMs), evidenceSha256: outcome.evidenceSha256 });
    if (entry) {
      const what = entry.frame.type === 'inventory.full'
        ? `full report (${inventory.software.length} software entries)`
        : `delta (+${entry.frame.delta.software.upserted.length} -${entry.frame.delta.software.removed.length} software)`;
      log.info(`queued ${what} as report ${entry.seq}; ${outbox.length} waiting`);
    } else {
      log.debug('scan found no change');
    }
    return outcome;
  }
}
