/**
 * Catalog tables (issue #5): admin recognition rules and what recognition found on each machine.
 * Kept apart from ../schema.ts so concurrent schema work does not collide; drizzle.config.ts
 * reads every file of this folder.
 */
import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, serial, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import type { Product } from '../../catalog/types.ts';
import { machines, users } from '../schema.ts';

/** Product ids: kebab-case, short (catalog/types.ts). */
export const PRODUCT_ID_LENGTH = 64;
export const RULE_PATTERN_LENGTH = 300;

/**
 * Recognition rules added by bureau admins. Append-only: a rule is retired by setting
 * `retired_at`, never deleted, so the rule set of any past revision can be explained. The
 * highest id is the rule set's revision.
 */
export const catalogRules = pgTable('catalog_rules', {
  id: serial('id').primaryKey(),
  namePattern: varchar('name_pattern', { length: RULE_PATTERN_LENGTH }).notNull(),
  publisherPattern: varchar('publisher_pattern', { length: RULE_PATTERN_LENGTH }),
  sources: varchar('sources', { length: 16 }).array(),
  /** Null = the matched entries are ignored (not products of their own). */
  productId: varchar('product_id', { length: PRODUCT_ID_LENGTH }),
  edition: varchar('edition', { length: 64 }),
  note: varchar('note', { length: 500 }),
  /** A product this rule adds to the catalog (when the rule names a product not built in). */
  product: jsonb('product').$type<Product>(),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});

/** The products recognised on a machine, one row per product (a product never counts twice). */
export const machineProducts = pgTable(
  'machine_products',
  {
    machineId: uuid('machine_id')
      .notNull()
      .references(() => machines.id, { onDelete: 'cascade' }),
    productId: varchar('product_id', { length: PRODUCT_ID_LENGTH }).notNull(),
    edition: varchar('edition', { length: 64 }),
    /** os | office | software: which part of the inventory it was recognised from. */
    source: varchar('source', { length: 16 }).notNull(),
    evidence: varchar('evidence', { length: 512 }).notNull(),
    version: varchar('version', { length: 128 }),
  },
  (t) => [primaryKey({ columns: [t.machineId, t.productId] }), index('machine_products_product_id_idx').on(t.productId)],
);

/** Windows software entries no rule matched, per machine, keyed for counting across machines. */
export const machineUnrecognised = pgTable(
  'machine_unrecognised',
  {
    machineId: uuid('machine_id')
      .notNull()
      .references(() => machines.id, { onDelete: 'cascade' }),
    nameKey: varchar('name_key', { length: 512 }).notNull(),
    publisherKey: varchar('publisher_key', { length: 256 }).notNull().default(sql`''`),
    name: varchar('name', { length: 512 }).notNull(),
    publisher: varchar('publisher', { length: 256 }),
  },
  (t) => [primaryKey({ columns: [t.machineId, t.nameKey, t.publisherKey] }), index('machine_unrecognised_key_idx').on(t.nameKey, t.publisherKey)],
);
