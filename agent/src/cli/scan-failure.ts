import { type CaptureError, type Inventory, MAX_TEXT_LENGTH, cleanString } from '@zhengban/protocol/agent';

/** The capture-error source under which the agent reports a scan that failed as a whole. */
export const SCAN_FAILURE_SOURCE = 'agent/scan';
/** The protocol's limit on captureErrors (inventory.ts). */
const MAX_CAPTURE_ERRORS = 200;

/**
 * A failed scan as the server learns of it: the last inventory the agent has, with a capture
 * error saying that (and why) the newest scan failed. `collectedAt` stays that inventory's, so the
 * report does not pass old data off as new. Replaces an earlier scan-failure entry.
 */
export function reportScanFailure(last: Inventory, failedAt: Date, reason: string): Inventory {
  const message = `the scan at ${failedAt.toISOString()} failed (${reason}); this report repeats the inventory collected at ${last.collectedAt}`;
  return { ...last, captureErrors: withEntry(last.captureErrors, message) };
}

/**
 * A scan that works after failures the server could not be told about (there was no inventory
 * yet to report them with): its report names the failure once.
 */
export function noteEarlierScanFailure(inventory: Inventory, failedAt: Date, reason: string): Inventory {
  const message = `an earlier scan at ${failedAt.toISOString()} failed (${reason})`;
  return { ...inventory, captureErrors: withEntry(inventory.captureErrors, message) };
}

function withEntry(errors: readonly CaptureError[], message: string): CaptureError[] {
  const kept = errors.filter((e) => e.source !== SCAN_FAILURE_SOURCE).slice(0, MAX_CAPTURE_ERRORS - 1);
  return [...kept, { source: SCAN_FAILURE_SOURCE, message: cleanString(message, MAX_TEXT_LENGTH) }];
}
