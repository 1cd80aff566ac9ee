/**
 * The licence ledger (授权台账, issue #5): what each unit bought, OEM bindings and attachments.
 */
import { bigint, date, index, integer, pgTable, primaryKey, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { machines, orgs, users } from '../schema.ts';
import { PRODUCT_ID_LENGTH } from './catalog.ts';

export const LEDGER_TEXT_LENGTH = { contract: 128, invoice: 128, supplier: 200, note: 2000, fileName: 255, contentType: 128 } as const;

/** One purchase (一笔采购) of one product by one unit. */
export const licences = pgTable(
  'licences',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    productId: varchar('product_id', { length: PRODUCT_ID_LENGTH }).notNull(),
    /** perpetual-device | subscription | oem | volume | site (compliance/licence-position.ts). */
    type: varchar('type', { length: 24 }).notNull(),
    /** 套: sets bought. A volume agreement is one 套 with `licenceCount` licences. */
    quantity: integer('quantity').notNull(),
    /** Volume agreements: N licences. */
    licenceCount: integer('licence_count'),
    startsOn: date('starts_on', { mode: 'string' }),
    endsOn: date('ends_on', { mode: 'string' }),
    purchasedOn: date('purchased_on', { mode: 'string' }),
    contractNo: varchar('contract_no', { length: LEDGER_TEXT_LENGTH.contract }),
    invoiceNo: varchar('invoice_no', { length: LEDGER_TEXT_LENGTH.invoice }),
    supplier: varchar('supplier', { length: LEDGER_TEXT_LENGTH.supplier }),
    /** Amount in 分 (CNY cents), integer: money is never a float. */
    amountFen: bigint('amount_fen', { mode: 'number' }),
    currency: varchar('currency', { length: 3 }).notNull().default('CNY'),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('licences_org_product_idx').on(t.orgId, t.productId)],
);

/** OEM licences: the machines each came with. */
export const licenceMachines = pgTable(
  'licence_machines',
  {
    licenceId: uuid('licence_id')
      .notNull()
      .references(() => licences.id, { onDelete: 'cascade' }),
    machineId: uuid('machine_id')
      .notNull()
      .references(() => machines.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.licenceId, t.machineId] }), index('licence_machines_machine_id_idx').on(t.machineId)],
);

/** Contract, invoice and certificate scans; the bytes live under DATA_DIR/attachments by sha256. */
export const licenceAttachments = pgTable(
  'licence_attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    licenceId: uuid('licence_id')
      .notNull()
      .references(() => licences.id, { onDelete: 'cascade' }),
    fileName: varchar('file_name', { length: LEDGER_TEXT_LENGTH.fileName }).notNull(),
    contentType: varchar('content_type', { length: LEDGER_TEXT_LENGTH.contentType }).notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: varchar('sha256', { length: 64 }).notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('licence_attachments_licence_id_idx').on(t.licenceId)],
);
