/**
 * Retirements of machines (报废/停用, issue #6): one row per period a machine was retired, with who,
 * when and why it was retired and, once restored, who restored it, when and why. `machines.retired_at`
 * mirrors the open period so that every count can filter on one column; this table is the history
 * the annual return reads to know whether a machine was retired on a past day.
 */
import { sql } from 'drizzle-orm';
import { index, pgTable, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { MACHINE_TEXT_LENGTH, machines, users } from '../schema.ts';

export const machineRetirements = pgTable(
  'machine_retirements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    machineId: uuid('machine_id')
      .notNull()
      .references(() => machines.id, { onDelete: 'cascade' }),
    retiredAt: timestamp('retired_at', { withTimezone: true }).notNull().defaultNow(),
    retiredBy: uuid('retired_by').references(() => users.id, { onDelete: 'set null' }),
    reason: varchar('reason', { length: MACHINE_TEXT_LENGTH.reason }).notNull(),
    restoredAt: timestamp('restored_at', { withTimezone: true }),
    restoredBy: uuid('restored_by').references(() => users.id, { onDelete: 'set null' }),
    restoreReason: varchar('restore_reason', { length: MACHINE_TEXT_LENGTH.reason }),
  },
  (t) => [
    index('machine_retirements_machine_idx').on(t.machineId, t.retiredAt),
    // At most one open retirement per machine: retiring twice at once cannot leave two.
    uniqueIndex('machine_retirements_open_idx').on(t.machineId).where(sql`${t.restoredAt} IS NULL`),
  ],
);
