/**
 * The database schema (drizzle). Migrations are generated from this file by drizzle-kit
 * (`npm run db:generate -w @zhengban/server`) into server/drizzle/ and applied at start.
 * Never edit a generated migration; change this file and generate a new one.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import type { Inventory } from '@zhengban/protocol';
import { COLUMN_LENGTH as L } from './lengths.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const ORG_KINDS = ['bureau', 'zone', 'unit'] as const;
export const orgKind = pgEnum('org_kind', ORG_KINDS);

export const USER_ROLES = ['bureau-admin', 'bureau-viewer', 'unit-admin', 'unit-viewer', 'inspector'] as const;
export const userRole = pgEnum('user_role', USER_ROLES);

export const REPORT_KINDS = ['full', 'delta'] as const;
export const reportKind = pgEnum('report_kind', REPORT_KINDS);

/**
 * The org tree: city bureau -> county bureaus / development zones -> units. `path` is the
 * materialised list of ancestor ids ("/<root>/<child>/.../<self>/"), so "everything under X" is
 * one indexed prefix match instead of a recursive query.
 */
export const orgs = pgTable(
  'orgs',
  {
    id: uuid('id').primaryKey(),
    parentId: uuid('parent_id').references((): AnyPgColumn => orgs.id),
    kind: orgKind('kind').notNull(),
    name: varchar('name', { length: 200 }).notNull(),
    /** 统一社会信用代码: 18 characters including the check character. */
    creditCode: varchar('credit_code', { length: 18 }),
    /** One of orgs/sectors.ts (党政机关, 国有企业, ...). */
    sector: varchar('sector', { length: 64 }),
    region: varchar('region', { length: 128 }),
    head: varchar('head', { length: 64 }),
    liaison: varchar('liaison', { length: 64 }),
    phone: varchar('phone', { length: 64 }),
    /** How many computers the unit has (its own count): enrolment progress is measured against it. */
    expectedMachines: integer('expected_machines'),
    path: text('path').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('orgs_parent_id_idx').on(t.parentId),
    // One unit per credit code (it identifies a legal entity); units without one are allowed.
    uniqueIndex('orgs_credit_code_idx').on(t.creditCode).where(sql`${t.creditCode} IS NOT NULL`),
    // text_pattern_ops lets `path LIKE 'prefix%'` use the index whatever the collation.
    uniqueIndex('orgs_path_idx').using('btree', t.path.op('text_pattern_ops')),
  ],
);

/**
 * Server-wide facts that are not rows of their own, by key: e.g. which org is the default unit
 * (its name may be edited, so it cannot be found by name).
 */
export const settings = pgTable('settings', {
  key: varchar('key', { length: 64 }).primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored lower-case; logins compare lower-case. */
    username: varchar('username', { length: 64 }).notNull(),
    /** `scrypt$N$r$p$<salt b64>$<hash b64>`: parameters travel with the hash so they can be raised later. */
    passwordHash: text('password_hash').notNull(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    role: userRole('role').notNull(),
    /** 姓名: the person's name as colleagues know it. */
    displayName: varchar('display_name', { length: 64 }),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    createdAt: createdAt(),
    lastSignedInAt: timestamp('last_signed_in_at', { withTimezone: true }),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('users_username_idx').on(t.username), index('users_org_id_idx').on(t.orgId)],
);

/** Browser sessions. Only the SHA-256 of the cookie's token is stored: a leaked table opens no session. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: varchar('token_hash', { length: L.sha256Hex }).primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId), index('sessions_expires_at_idx').on(t.expiresAt)],
);

/** Enrolment tokens (注册令牌) an agent trades for its own credentials; stored hashed. */
export const enrollmentTokens = pgTable(
  'enrollment_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The unit the enrolled machines belong to. */
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    tokenHash: varchar('token_hash', { length: L.sha256Hex }).notNull(),
    label: varchar('label', { length: 128 }).notNull(),
    createdAt: createdAt(),
    /** Null = never expires. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** Null = unlimited. */
    maxUses: integer('max_uses'),
    uses: integer('uses').notNull().default(0),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('enrollment_tokens_token_hash_idx').on(t.tokenHash), index('enrollment_tokens_org_id_idx').on(t.orgId)],
);

/** Lengths of the machine fields an admin types (registration, retirement), shared with the routes' zod schemas. */
export const MACHINE_TEXT_LENGTH = { assetTag: 64, department: 128, note: 500, reason: 500 } as const;

/**
 * One physical or virtual PC. Identity is hardware UUID + serial + MACs (DESIGN: survives a
 * reinstall; a cloned image, which shares the OS machine-id, must not merge two PCs).
 * The OS and activation facts are copied out of the inventory into columns for listing and
 * filtering; `inventory` keeps the whole current document (the base for the next delta).
 */
export const machines = pgTable(
  'machines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    hostname: varchar('hostname', { length: L.hostname }).notNull(),
    hardwareUuid: varchar('hardware_uuid', { length: L.hardwareUuid }),
    hardwareSerial: varchar('hardware_serial', { length: L.hardwareSerial }),
    hardwareVendor: varchar('hardware_vendor', { length: L.hardwareVendor }),
    hardwareModel: varchar('hardware_model', { length: L.hardwareModel }),
    /** /etc/machine-id or MachineGuid: changes on reinstall and is copied by cloning; a hint only. */
    osMachineId: varchar('os_machine_id', { length: L.osMachineId }),
    macs: varchar('macs', { length: L.mac }).array().notNull().default(sql`'{}'::varchar[]`),
    osFamily: varchar('os_family', { length: L.osFamily }),
    osProduct: varchar('os_product', { length: L.osProduct }),
    osEdition: varchar('os_edition', { length: L.osEdition }),
    osVersion: varchar('os_version', { length: L.osVersion }),
    osBuild: varchar('os_build', { length: L.osBuild }),
    osArch: varchar('os_arch', { length: L.osArch }),
    osKernel: varchar('os_kernel', { length: L.osKernel }),
    osActivationStatus: varchar('os_activation_status', { length: L.activationValue }),
    osActivationChannel: varchar('os_activation_channel', { length: L.activationValue }),
    osKmsHost: varchar('os_kms_host', { length: L.kmsHost }),
    osActivationExpires: varchar('os_activation_expires', { length: L.activationExpires }),
    agentVersion: varchar('agent_version', { length: L.agentVersion }),
    /** The address the machine's agent last connected from (as the server saw it; behind NAT, the NAT's). */
    lastIp: varchar('last_ip', { length: L.ipAddress }),
    /** The current inventory document without its software list: that lives in machine_software only. */
    inventory: jsonb('inventory').$type<Omit<Inventory, 'software'>>(),
    inventoryHash: varchar('inventory_hash', { length: L.sha256Hex }),
    evidenceSha256: varchar('evidence_sha256', { length: L.sha256Hex }),
    softwareCount: integer('software_count').notNull().default(0),
    /** When the agent collected the current inventory (the agent's clock). */
    collectedAt: timestamp('collected_at', { withTimezone: true }),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    /** Who registered the machine by hand or by import (a PC without an agent); null = created by an agent's enrolment. */
    registeredBy: uuid('registered_by').references((): AnyPgColumn => users.id, { onDelete: 'set null' }),
    /** 资产编号: unique within the unit when given. */
    assetTag: varchar('asset_tag', { length: MACHINE_TEXT_LENGTH.assetTag }),
    /** 使用部门 */
    department: varchar('department', { length: MACHINE_TEXT_LENGTH.department }),
    /** 备注 */
    note: varchar('note', { length: MACHINE_TEXT_LENGTH.note }),
    /** 报废/停用: since when the machine is retired (null = in use); who and why: machine_retirements. */
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [
    index('machines_org_id_idx').on(t.orgId),
    index('machines_hardware_uuid_idx').on(t.hardwareUuid),
    index('machines_hardware_serial_idx').on(t.hardwareSerial),
    index('machines_os_machine_id_idx').on(t.osMachineId),
    // The machine list (machines/list.ts) at 100,000 machines: sort keys end in the id so pages
    // are stable; contains-search on hostname and serial needs trigrams (pg_trgm, migration 0005);
    // the IP search is a prefix match.
    index('machines_hostname_idx').on(t.hostname, t.id),
    // Newest first with never-seen machines last; read backwards: oldest (and never seen) first.
    index('machines_last_seen_desc_idx').on(t.lastSeenAt.desc().nullsLast(), t.id.desc()),
    index('machines_os_family_id_idx').on(t.osFamily, t.id),
    index('machines_activation_id_idx').on(t.osActivationStatus, t.id),
    index('machines_hostname_trgm_idx').using('gin', t.hostname.op('gin_trgm_ops')),
    index('machines_serial_trgm_idx').using('gin', t.hardwareSerial.op('gin_trgm_ops')),
    index('machines_last_ip_idx').using('btree', t.lastIp.op('text_pattern_ops')),
    uniqueIndex('machines_org_asset_tag_idx').on(t.orgId, t.assetTag).where(sql`${t.assetTag} IS NOT NULL`),
  ],
);

/** Enrolled agents. The secret is 256 random bits, so a plain SHA-256 of it is enough (it is not a password). */
export const agents = pgTable(
  'agents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    machineId: uuid('machine_id')
      .notNull()
      .references(() => machines.id),
    secretHash: varchar('secret_hash', { length: L.sha256Hex }).notNull(),
    /** Highest report sequence number applied; reports at or below it are duplicates. */
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
    platform: varchar('platform', { length: L.platform }).notNull(),
    agentVersion: varchar('agent_version', { length: L.agentVersion }).notNull(),
    enrollmentTokenId: uuid('enrollment_token_id').references(() => enrollmentTokens.id, { onDelete: 'set null' }),
    enrolledAt: timestamp('enrolled_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    /** When an admin last replaced the secret (the agent re-enrols or is given the new one). */
    secretRotatedAt: timestamp('secret_rotated_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('agents_org_id_idx').on(t.orgId), index('agents_machine_id_idx').on(t.machineId)],
);

/**
 * The software list of a machine, one row per protocol `softwareKey`: the only stored copy (the
 * inventory document on the machine row is kept without it).
 *
 * No foreign key on machine_id: the per-row check cost as much database time as the row itself
 * (measured on 300-entry reports), and it could never fail. Rows are written only by ingest, for
 * the machine of an agent whose row it holds locked (agents.machine_id references machines, so
 * that machine cannot be deleted meanwhile), in the transaction that also updates that machine's
 * row. Deleting a machine deletes its rows through a trigger (migration 0009), as the cascade did.
 */
export const machineSoftware = pgTable(
  'machine_software',
  {
    machineId: uuid('machine_id').notNull(),
    key: varchar('key', { length: L.softwareKey }).notNull(),
    softwareId: varchar('software_id', { length: L.softwareId }).notNull(),
    name: varchar('name', { length: L.softwareName }).notNull(),
    version: varchar('version', { length: L.softwareVersion }),
    publisher: varchar('publisher', { length: L.softwarePublisher }),
    installDate: varchar('install_date', { length: L.softwareInstallDate }),
    source: varchar('source', { length: L.softwareSource }).notNull(),
    hive: varchar('hive', { length: L.softwareHive }),
    arch: varchar('arch', { length: L.softwareArch }),
  },
  (t) => [primaryKey({ columns: [t.machineId, t.key] })],
);

/**
 * Every applied report, one row per (agent, seq). The primary key is what makes exactly-once
 * checkable: a report applied twice would violate it.
 */
export const agentReports = pgTable(
  'agent_reports',
  {
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    machineId: uuid('machine_id')
      .notNull()
      .references(() => machines.id, { onDelete: 'cascade' }),
    kind: reportKind('kind').notNull(),
    hash: varchar('hash', { length: L.sha256Hex }).notNull(),
    baseHash: varchar('base_hash', { length: L.sha256Hex }),
    rowsUpserted: integer('rows_upserted').notNull(),
    rowsRemoved: integer('rows_removed').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.seq] }), index('agent_reports_machine_id_idx').on(t.machineId)],
);
