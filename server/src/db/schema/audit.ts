/**
 * The audit log (审计日志, issue #4): append-only. Rows are written by `recordAudit` in the same
 * transaction as the change they describe; a trigger (migration 0003) refuses UPDATE, DELETE and
 * TRUNCATE, and those privileges are revoked from PUBLIC.
 */
import { bigint, index, jsonb, pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

export const AUDIT_TEXT_LENGTH = { username: 64, ip: 64, action: 64, targetType: 32, targetId: 64 } as const;

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** Who: null for the system (start-up seeding, agents). No foreign key: the log outlives what it names. */
    userId: uuid('user_id'),
    username: varchar('username', { length: AUDIT_TEXT_LENGTH.username }).notNull(),
    /** From where: the client address as the server saw it (behind a trusted proxy, the forwarded one). */
    ip: varchar('ip', { length: AUDIT_TEXT_LENGTH.ip }),
    /** Dotted verb, e.g. `org.create`, `user.update`, `agent.revoke`, `machine.move`. */
    action: varchar('action', { length: AUDIT_TEXT_LENGTH.action }).notNull(),
    targetType: varchar('target_type', { length: AUDIT_TEXT_LENGTH.targetType }).notNull(),
    targetId: varchar('target_id', { length: AUDIT_TEXT_LENGTH.targetId }),
    /** The org the change belongs to (for scoping reads of the log). */
    orgId: uuid('org_id'),
    /** That org's materialised path when the entry was written: entries of a deleted org stay readable by its ancestors. */
    orgPath: text('org_path'),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_org_id_idx').on(t.orgId),
    index('audit_log_target_idx').on(t.targetType, t.targetId),
    index('audit_log_org_path_idx').using('btree', t.orgPath.op('text_pattern_ops')),
  ],
);
