/**
 * Post-commit compliance (server/src/compliance/worker.ts): which inventory each machine's
 * products, findings and positions were last computed from.
 */
import { pgTable, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { COLUMN_LENGTH as L } from '../lengths.ts';
import { machines } from '../schema.ts';

/**
 * The inventory hash a machine's compliance was last refreshed for, written in the refresh's own
 * transaction. A machine whose `machines.inventory_hash` differs is dirty: an ingest committed and
 * its refresh has not (yet). The worker refreshes dirty machines at start, so a crash between an
 * ingest's commit and its refresh loses nothing.
 */
export const machineCompliance = pgTable('machine_compliance', {
  machineId: uuid('machine_id')
    .primaryKey()
    .references(() => machines.id, { onDelete: 'cascade' }),
  inventoryHash: varchar('inventory_hash', { length: L.sha256Hex }).notNull(),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull().defaultNow(),
});
