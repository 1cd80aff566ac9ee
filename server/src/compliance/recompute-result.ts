import type { LiveEventInput } from '../live/events.ts';
import type { FindingChange } from './finding-queries.ts';
import { SERVER_FINDING_CODES } from './findings.ts';

/** Options every recompute takes. */
export interface RecomputeOptions {
  /** Date of the positions (YYYY-MM-DD); default today in China. */
  asOf?: string;
}

/** What a recompute changed. */
export interface RecomputeResult {
  events: LiveEventInput[];
  findingChanges: FindingChange[];
  /** unit id -> product ids whose position changed. */
  positionsChanged: Map<string, string[]>;
}

export const emptyResult = (): RecomputeResult => ({ events: [], findingChanges: [], positionsChanged: new Map() });

/** The findings that licence positions decide (the others come from a machine's inventory). */
export const LICENCE_FINDING_CODES: readonly string[] = [SERVER_FINDING_CODES.shortfall, SERVER_FINDING_CODES.subscriptionExpired];

/** The date positions are computed for: today in China (ledger dates are local dates). */
export function todayInChina(now = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Records finding changes and their live events (one loop: a full recompute may carry 10^5 of them). */
export function recordFindingChanges(result: RecomputeResult, changes: readonly FindingChange[], pathOf: (orgId: string) => string): void {
  for (const change of changes) {
    result.findingChanges.push(change);
    result.events.push({
      type: change.change === 'opened' ? 'finding.opened' : 'finding.closed',
      orgId: change.orgId,
      orgPath: pathOf(change.orgId),
      machineId: change.machineId,
      code: change.code,
      subject: change.subject,
    });
  }
}

/** Appends one result to another without spreading (spread arguments overflow the stack past ~10^5). */
export function mergeResult(into: RecomputeResult, from: RecomputeResult): void {
  for (const event of from.events) into.events.push(event);
  for (const change of from.findingChanges) into.findingChanges.push(change);
  for (const [orgId, productIds] of from.positionsChanged) into.positionsChanged.set(orgId, [...(into.positionsChanged.get(orgId) ?? []), ...productIds]);
}
