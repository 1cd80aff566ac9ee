import type { ErrorMessage } from '@zhengban/protocol/agent';
import type { Outbox } from './outbox.ts';

/** A report the server keeps failing with a transient error is given up after this many tries. */
export const MAX_ERRORS_PER_REPORT = 3;

/** Errors about a report that no re-send can fix: the report is dropped at once. */
const PERMANENT_REPORT_ERRORS = new Set<ErrorMessage['code']>(['frame.invalid', 'frame.invalid-json', 'frame.too-large', 'frame.unknown-type', 'inventory.hash-mismatch']);

export interface ErrorFrameAction {
  level: 'warn' | 'error';
  note?: string;
  /** The server will not take this agent as it is. */
  refused?: 'revoked' | 'unsupported-version';
  /** Re-send after reconnecting (a transient server failure). */
  reconnect?: boolean;
}

/**
 * Decides what an `error` frame means for the outbox. The rule that matters: an error about a
 * report must never make the agent send the same doomed report forever — permanent errors drop it
 * at once, transient ones after MAX_ERRORS_PER_REPORT tries; a delta that lost its base gives way
 * to a full report.
 */
export async function handleErrorFrame(message: ErrorMessage, outbox: Outbox, errorCounts: Map<number, number>): Promise<ErrorFrameAction> {
  if (message.code === 'agent.revoked') return { level: 'error', refused: 'revoked' };
  if (message.code === 'protocol.unsupported-version') {
    return { level: 'error', refused: 'unsupported-version', note: 'this agent is too old for the server; upgrade it' };
  }
  const seq = message.seq;
  if (seq === undefined) return { level: 'warn' };
  if (message.code === 'delta.base-mismatch') {
    const { known, fullQueued } = await outbox.drop(seq);
    return { level: 'warn', ...(known ? { note: fullQueued ? 'sending a full report instead' : 'dropped' } : {}) };
  }
  if (PERMANENT_REPORT_ERRORS.has(message.code)) {
    const { known, fullQueued } = await outbox.drop(seq);
    return { level: 'error', ...(known ? { note: `report dropped${fullQueued ? '; sending a full report instead' : ''}` } : {}) };
  }
  // ingest.failed and anything new: the server may succeed next time, but not forever.
  const count = (errorCounts.get(seq) ?? 0) + 1;
  errorCounts.set(seq, count);
  if (count >= MAX_ERRORS_PER_REPORT) {
    errorCounts.delete(seq);
    const { fullQueued } = await outbox.drop(seq);
    return { level: 'error', note: `failed ${count} times; report dropped${fullQueued ? '; sending a full report instead' : ''}` };
  }
  return { level: 'warn', note: `will re-send (attempt ${count} of ${MAX_ERRORS_PER_REPORT})`, reconnect: true };
}
