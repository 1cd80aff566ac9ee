/**
 * Compliance tables (issue #5): licence positions, per-machine findings, unit settings, alerts.
 */
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import type { LicencePosition } from '../../compliance/licence-position.ts';
import { machines, orgs, users } from '../schema.ts';
import { PRODUCT_ID_LENGTH } from './catalog.ts';

/** A unit's position for one product, as last computed (compliance/licence-position.ts). */
export const licencePositions = pgTable(
  'licence_positions',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    productId: varchar('product_id', { length: PRODUCT_ID_LENGTH }).notNull(),
    /** Allocation group (catalog/groups.ts): the unit of incremental recompute. */
    groupId: varchar('group_id', { length: PRODUCT_ID_LENGTH }).notNull(),
    installs: integer('installs').notNull(),
    /** Null = unlimited (site licence). */
    licences: integer('licences'),
    covered: integer('covered').notNull(),
    shortfall: integer('shortfall').notNull(),
    surplus: integer('surplus'),
    seatsUsed: integer('seats_used').notNull(),
    /** Machines behind each number and the licences that cover them. */
    detail: jsonb('detail').notNull().$type<Pick<LicencePosition, 'machines' | 'coveredBy'>>(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.productId] }), index('licence_positions_org_group_idx').on(t.orgId, t.groupId)],
);

/**
 * Findings per machine, from the agent and the server's own checks. A finding is open until the
 * condition is gone (closed_at set); re-appearing opens a new row, so history is kept and
 * opened/closed events exist.
 */
export const machineFindings = pgTable(
  'machine_findings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    machineId: uuid('machine_id')
      .notNull()
      .references(() => machines.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    code: varchar('code', { length: 64 }).notNull(),
    /** What the finding is about, to tell two findings of one code apart (product id, KMS host, evidence hash). */
    subject: varchar('subject', { length: 128 }).notNull(),
    severity: varchar('severity', { length: 16 }).notNull(),
    /** agent | server */
    origin: varchar('origin', { length: 8 }).notNull(),
    evidence: varchar('evidence', { length: 4096 }).notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('machine_findings_open_idx').on(t.machineId, t.code, t.subject).where(sql`closed_at IS NULL`),
    index('machine_findings_org_idx').on(t.orgId, t.closedAt),
  ],
);

/** Per-org compliance settings: a unit's approved KMS hosts; a bureau's alert webhook. */
export const complianceSettings = pgTable('compliance_settings', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => orgs.id, { onDelete: 'cascade' }),
  approvedKmsHosts: varchar('approved_kms_hosts', { length: 255 }).array().notNull().default(sql`'{}'::varchar[]`),
  webhookUrl: varchar('webhook_url', { length: 1000 }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const ALERT_KINDS = ['subscription.expiring', 'licence.shortfall', 'finding.opened', 'machine.silent', 'annual-return.due'] as const;

/** In-app alerts. One open (unacknowledged) alert per org, kind and subject. */
export const alerts = pgTable(
  'alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    kind: varchar('kind', { length: 32 }).notNull(),
    subject: varchar('subject', { length: 200 }).notNull(),
    /** The alert in one Chinese sentence: what the webhook's chat message and older clients show. */
    message: varchar('message', { length: 2000 }).notNull(),
    /** The figures behind the message, by kind (alerts/facts.ts), for the dashboard to say in either language. Null on alerts raised before 0010. */
    facts: jsonb('facts').$type<Record<string, string | number | null>>(),
    machineId: uuid('machine_id').references(() => machines.id, { onDelete: 'set null' }),
    productId: varchar('product_id', { length: PRODUCT_ID_LENGTH }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedBy: uuid('acknowledged_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('alerts_open_idx').on(t.orgId, t.kind, t.subject).where(sql`acknowledged_at IS NULL`),
    index('alerts_org_created_idx').on(t.orgId, t.createdAt),
  ],
);
