import { recordAudit } from '../audit/record.ts';
import type { Db } from '../db/database.ts';

/** One change to the ledger, catalog rules or compliance settings, as the audit log records it. */
export interface LedgerAuditEntry {
  actorUserId: string;
  orgId: string;
  action: 'licence.created' | 'licence.updated' | 'licence.deleted' | 'licence.imported' | 'attachment.added' | 'attachment.deleted' | 'catalog.rule-added' | 'compliance.settings-changed';
  targetId: string;
  /** `before`/`after` values, or a summary. */
  detail: Record<string, unknown> & { before?: unknown; after?: unknown };
}

/**
 * The single place where ledger, catalog-rule and compliance-setting changes reach the append-only
 * audit log. Runs inside the change's transaction, so a change and its entry commit together.
 */
export async function auditLedgerChange(tx: Db, entry: LedgerAuditEntry): Promise<void> {
  const { before, after, ...summary } = entry.detail;
  await recordAudit(tx, {
    actor: { userId: entry.actorUserId, ip: null },
    action: entry.action,
    targetType: entry.action.split('.')[0]!,
    targetId: entry.targetId,
    orgId: entry.orgId,
    before: before ?? null,
    after: after ?? (Object.keys(summary).length ? summary : null),
  });
}
