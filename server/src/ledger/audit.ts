import type { Db } from '../db/database.ts';

/** One change to the ledger, as the audit log records it. */
export interface LedgerAuditEntry {
  actorUserId: string;
  orgId: string;
  action: 'licence.created' | 'licence.updated' | 'licence.deleted' | 'licence.imported' | 'attachment.added' | 'attachment.deleted' | 'catalog.rule-added' | 'compliance.settings-changed';
  targetId: string;
  /** Before/after values or a summary; small. */
  detail: Record<string, unknown>;
}

type AuditRecorder = (tx: Db, entry: LedgerAuditEntry) => Promise<void>;

let recorder: AuditRecorder | undefined;

/**
 * The single place where ledger, catalog-rule and compliance-setting changes reach the audit log
 * (issue #4 builds the log). Until the log's `recordAudit` is wired here with
 * `setLedgerAuditRecorder`, changes are still made but not recorded: wiring it is one call at
 * start-up. Runs inside the change's transaction, so a change and its audit entry commit together.
 */
export async function auditLedgerChange(tx: Db, entry: LedgerAuditEntry): Promise<void> {
  if (recorder) await recorder(tx, entry);
}

/** Connects the audit log (called once at start-up by whoever owns the audit module). */
export function setLedgerAuditRecorder(record: AuditRecorder): void {
  recorder = record;
}
