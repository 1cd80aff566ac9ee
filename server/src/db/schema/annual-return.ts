/**
 * Annual returns (年度报表, issue #6): one row per unit, year and version. A draft is computed live
 * and never stored with figures of its own; submitting stores a version with its numbers frozen and
 * the evidence (machine ids with their inventory hashes, ledger row ids) behind them. A returned
 * version stays as it was; the correction is the next version. Nothing is ever deleted.
 */
import { date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { orgs, users } from '../schema.ts';

export const ANNUAL_RETURN_STATUSES = ['submitted', 'accepted', 'returned'] as const;
export type AnnualReturnStatus = (typeof ANNUAL_RETURN_STATUSES)[number];

/** Lengths shared with the zod schemas of the routes. */
export const ANNUAL_RETURN_TEXT_LENGTH = { person: 64, contact: 64, reason: 1000, status: 16 } as const;

/** What a submitted version froze as evidence. */
export interface FrozenEvidence {
  /** Ids behind each figure (machine ids for computer counts, ledger row ids for sets). */
  figures: Record<string, string[]>;
  /** Machine id -> inventory hash at submission (null for a registered machine never scanned). */
  machineHashes: Record<string, string | null>;
  /** Ledger row id -> sets it added. */
  licenceSets: Record<string, number>;
  excluded: { retired: string[]; virtual: string[]; notYetKnown: string[] };
}

export const annualReturns = pgTable(
  'annual_returns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    /** 年度 */
    year: integer('year').notNull(),
    /** 1, 2, ...: a returned form is corrected as the next version. */
    version: integer('version').notNull(),
    status: varchar('status', { length: ANNUAL_RETURN_TEXT_LENGTH.status }).notNull().$type<AnnualReturnStatus>(),
    /** The computed figures, frozen at submission: { computers, windows, kylin, msOffice, wps }. */
    figures: jsonb('figures').notNull().$type<Record<string, number>>(),
    /** The previous year's row printed beside this one (null when unknown). */
    previousRow: jsonb('previous_row').$type<Record<string, number | null> | null>(),
    evidence: jsonb('evidence').notNull().$type<FrozenEvidence>(),
    /** The snapshot day the figures describe. */
    asOf: date('as_of', { mode: 'string' }).notNull(),
    /** 工作人员总数, typed in. */
    staffCount: integer('staff_count').notNull(),
    /** 单位名称 as printed when submitted. */
    unitName: varchar('unit_name', { length: 200 }).notNull(),
    /** 主要负责人 */
    head: varchar('head', { length: ANNUAL_RETURN_TEXT_LENGTH.person }).notNull(),
    /** 联络员 */
    liaison: varchar('liaison', { length: ANNUAL_RETURN_TEXT_LENGTH.person }).notNull(),
    /** 联系方式 */
    contact: varchar('contact', { length: ANNUAL_RETURN_TEXT_LENGTH.contact }).notNull(),
    /** 年 月 日 on the signed form. */
    signedOn: date('signed_on', { mode: 'string' }).notNull(),
    returnReason: text('return_reason'),
    submittedBy: uuid('submitted_by').references(() => users.id, { onDelete: 'set null' }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('annual_returns_org_year_version_idx').on(t.orgId, t.year, t.version),
    index('annual_returns_year_status_idx').on(t.year, t.status),
  ],
);
