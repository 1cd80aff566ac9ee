import type { ErrorCode } from '@zhengban/protocol';

/**
 * What ingesting one report came to; the socket turns it into frames (an `error` first when
 * present, then the `inventory.ack`, then a `server.command inventory.full` when asked for).
 */
export interface IngestOutcome {
  seq: number;
  result: 'applied' | 'duplicate' | 'rejected';
  reason?: string;
  error?: { code: ErrorCode; message: string };
  /** Set when the agent should send a full report next; the text says why. */
  requestFull?: string;
  /** Software rows written, for logs and tests. */
  rowsUpserted?: number;
  rowsRemoved?: number;
  /** The machine whose stored inventory this report changed: its compliance needs refreshing. */
  changedMachineId?: string;
}

/**
 * Where ingest hands the machines it changed, after its transaction committed: the compliance
 * worker's queue (the agent socket), or an immediate refresh (the default, for direct callers).
 */
export type ComplianceSink = (machineIds: string[]) => unknown;
