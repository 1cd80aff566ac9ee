import { type AgentStatus, writeAgentStatus } from '../state/status-file.ts';
import type { Logger } from '../transport/logger.ts';
import type { TransportEvent } from '../transport/connection.ts';

/**
 * Keeps status.json in step with a running agent. Writes are serialised and coalesced: many
 * events in a burst cost one or two writes, and a failed write is logged, never fatal.
 */
export class StatusTracker {
  private status: AgentStatus;
  private writing: Promise<void> | null = null;
  private dirty = false;

  constructor(
    private readonly stateDir: string,
    private readonly log: Logger,
    outboxLength: () => number,
  ) {
    const now = new Date().toISOString();
    this.outboxLength = outboxLength;
    this.status = { pid: process.pid, startedAt: now, updatedAt: now, connection: 'starting', outboxLength: outboxLength() };
  }

  private readonly outboxLength: () => number;

  /** Folds a transport event into the status. */
  onTransportEvent(event: TransportEvent): void {
    const at = new Date().toISOString();
    if (event.type === 'state') {
      this.status.connection = event.state;
      if (event.detail) this.status.connectionDetail = event.detail;
      else delete this.status.connectionDetail;
    } else if (event.type === 'sent') {
      this.status.lastReport = { seq: event.seq, kind: event.kind, at };
    } else if (event.type === 'ack') {
      this.status.lastAck = { seq: event.seq, result: event.result, at };
    } else if (event.type === 'refused') {
      this.status.connection = 'revoked';
      this.status.connectionDetail = event.message;
    }
    this.save();
  }

  /** Records how the last scan ended (and writes the status: queueing a report changes the outbox length). */
  onScan(scan: { ok: true } | { ok: false; error: string }): void {
    this.status.lastScan = { at: new Date().toISOString(), ...scan };
    this.save();
  }

  /** Writes the current status (e.g. after queueing a report changed the outbox length). */
  save(): void {
    this.dirty = true;
    if (!this.writing) this.writing = this.drain();
  }

  /** Waits for pending writes (before exit). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      this.status.updatedAt = new Date().toISOString();
      this.status.outboxLength = this.outboxLength();
      try {
        await writeAgentStatus(this.stateDir, { ...this.status });
      } catch (err) {
        this.log.warn(`cannot write status.json: ${(err as Error).message}`);
      }
    }
    this.writing = null;
  }
}
