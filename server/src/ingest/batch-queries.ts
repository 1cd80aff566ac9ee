import { sql } from 'drizzle-orm';
import type { Inventory } from '@zhengban/protocol';
import { queryRows, type Db } from '../db/database.ts';
import { agentReports, agents, machineSoftware, machines, REPORT_KINDS } from '../db/schema.ts';
import { identityFromHardware } from '../machines/identity.ts';
import type { StoredInventory } from './queries.ts';
import type { SoftwareRow } from './software-rows.ts';

/**
 * The three statements of a group commit (batch.ts), whatever the number of reports: lock the
 * agents, read their machines, write everything. Values travel as one JSON text per kind, spread
 * by `jsonb_to_recordset`/`jsonb_array_elements`: the database parses JSON natively, where a
 * text[] parameter per column costs the driver an escaping pass per value (measured: several
 * times the JSON's cost on 300-entry reports).
 */

/** A text[] parameter (drizzle would otherwise expand a JS array into a list of parameters). */
const textArray = (values: readonly string[]) => sql`${sql.param([...values])}::text[]`;
const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

/** An agent as its locked row says. */
export interface LockedAgent {
  agentId: string;
  lastSeq: number;
  machineId: string;
  revoked: boolean;
}

/**
 * Locks the agents' rows until the transaction ends, in id order: two batches (or two server
 * processes) lock in the same order and cannot deadlock. The lock makes two sockets of one agent
 * (a reconnect racing the old connection) apply reports one after the other, so the sequence
 * checks that follow are exact. Nothing else is read here: a row read in the statement that
 * waited for a lock may predate the transaction that held it.
 */
export async function lockAgents(tx: Db, agentIds: readonly string[]): Promise<Map<string, LockedAgent>> {
  const rows = await queryRows<{ id: string; last_seq: string | number; machine_id: string; revoked: boolean }>(
    tx,
    sql`SELECT id, last_seq, machine_id, revoked_at IS NOT NULL AS revoked FROM ${agents}
        WHERE id = ANY(${textArray(agentIds)}::uuid[]) ORDER BY id FOR UPDATE`,
  );
  return new Map(rows.map((r) => [r.id, { agentId: r.id, lastSeq: Number(r.last_seq), machineId: r.machine_id, revoked: r.revoked }]));
}

/** What a report needs of its machine: a full report's hash, or a delta's base hash. */
export interface MachineWant {
  machineId: string;
  kind: 'full' | 'delta';
  hash: string;
}

/** A machine as stored, for one report. */
export interface MachineState {
  inventoryHash: string | null;
  /** The inventory document (without its software list): for deltas only. */
  inventory: StoredInventory | null;
  /**
   * The software rows, when the report may change them: a full report with another hash, or a
   * delta on the stored inventory. Null otherwise (and for a machine with no inventory yet).
   */
  rows: SoftwareRow[] | null;
}

type RowColumns = [string, string, string, string | null, string | null, string | null, string, string | null, string | null];

/** Reads the machines of locked agents, with the rows their reports may change, in one statement. */
export async function readMachines(tx: Db, wants: readonly MachineWant[]): Promise<Map<string, MachineState>> {
  if (wants.length === 0) return new Map();
  const rows = await queryRows<{ id: string; inventory_hash: string | null; inventory: StoredInventory | null; software: RowColumns[] | null }>(
    tx,
    sql`SELECT m.id, m.inventory_hash, CASE WHEN w.kind = 'delta' THEN m.inventory END AS inventory,
               CASE WHEN (w.kind = 'full' AND m.inventory_hash <> w.hash) OR (w.kind = 'delta' AND m.inventory_hash = w.hash) THEN
                 (SELECT coalesce(json_agg(json_build_array(s.key, s.software_id, s.name, s.version, s.publisher, s.install_date, s.source, s.hive, s.arch)), '[]')
                  FROM ${machineSoftware} s WHERE s.machine_id = m.id)
               END AS software
        FROM jsonb_to_recordset(${json(wants)}) AS w("machineId" uuid, kind text, hash text)
        JOIN ${machines} m ON m.id = w."machineId"`,
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        inventoryHash: r.inventory_hash,
        inventory: r.inventory,
        rows:
          r.software?.map(([key, softwareId, name, version, publisher, installDate, source, hive, arch]) => ({
            key,
            softwareId,
            name,
            version,
            publisher,
            installDate,
            source,
            hive,
            arch,
          })) ?? null,
      },
    ]),
  );
}

/** A new current inventory for a machine row. */
export interface MachineInventorySave {
  machineId: string;
  inventory: Inventory;
  hash: string;
  /** A delta carries no evidence hash: absent keeps the one of the last full report. */
  evidenceSha256?: string | undefined;
  softwareCount: number;
}

/** Software rows of one machine. */
export interface MachineRows {
  machineId: string;
  rows: readonly SoftwareRow[];
}

/** One applied report, for the exactly-once record. */
export interface AppliedReport {
  agentId: string;
  machineId: string;
  seq: number;
  kind: (typeof REPORT_KINDS)[number];
  hash: string;
  baseHash: string | null;
  rowsUpserted: number;
  rowsRemoved: number;
}

/** Everything a batch writes. */
export interface BatchWrites {
  /** New inventories. */
  saves: readonly MachineInventorySave[];
  /** Reports that changed nothing: the machine is marked seen. */
  touches: ReadonlyArray<{ machineId: string; collectedAt: string }>;
  deletes: ReadonlyArray<{ machineId: string; key: string }>;
  /** Stored rows whose fields changed. */
  updates: readonly MachineRows[];
  /** Rows whose keys are not stored yet (a plain INSERT: the diff knows they are new). */
  inserts: readonly MachineRows[];
  /** Every applied report: sequence number and log entry. */
  records: readonly AppliedReport[];
}

/**
 * The machine row columns of a new inventory. Identity values the report lacks keep the stored
 * ones (null = keep), as `identityUpdate` does for enrolment: an agent that lost the rights to
 * read the serial must not erase what identifies the PC.
 */
function machineColumns({ machineId, inventory, hash, evidenceSha256, softwareCount }: MachineInventorySave) {
  const { software: _rows, ...document } = inventory;
  const { os, hardware } = inventory;
  const identity = identityFromHardware(hardware);
  return {
    id: machineId,
    hostname: inventory.hostname,
    hardware_uuid: identity.uuid ?? null,
    hardware_serial: identity.serial ?? null,
    os_machine_id: identity.osMachineId ?? null,
    macs: identity.macs.length ? identity.macs : null,
    hardware_vendor: hardware.vendor ?? null,
    hardware_model: hardware.model ?? null,
    os_family: os.family,
    os_product: os.product,
    os_edition: os.edition ?? null,
    os_version: os.version ?? null,
    os_build: os.build ?? null,
    os_arch: os.arch,
    os_kernel: os.kernel ?? null,
    os_activation_status: os.activation.status,
    os_activation_channel: os.activation.channel,
    os_kms_host: os.activation.kmsHost ?? null,
    os_activation_expires: os.activation.expires ?? null,
    agent_version: inventory.agentVersion,
    inventory: document satisfies StoredInventory,
    inventory_hash: hash,
    evidence_sha256: evidenceSha256 ?? null,
    software_count: softwareCount,
    collected_at: inventory.collectedAt,
  };
}

/** Rows as `[[machineId, [[key, software_id, name, ...], ...]], ...]`: the machine id once per machine. */
const rowsJson = (machines: readonly MachineRows[]) =>
  json(
    machines
      .filter((m) => m.rows.length)
      .map((m) => [m.machineId, m.rows.map((r) => [r.key, r.softwareId, r.name, r.version, r.publisher, r.installDate, r.source, r.hive, r.arch])]),
  );

const rowsFrom = (rows: ReturnType<typeof rowsJson>) => sql`
  (SELECT (m->>0)::uuid AS machine_id, e->>0 AS key, e->>1 AS software_id, e->>2 AS name, e->>3 AS version, e->>4 AS publisher,
          e->>5 AS install_date, e->>6 AS source, e->>7 AS hive, e->>8 AS arch
   FROM jsonb_array_elements(${rows}) AS m, jsonb_array_elements(m->1) AS e)`;

/**
 * Writes a whole batch in one statement: machine rows, software rows, sequence numbers and the
 * report log, as data-modifying CTEs (PostgreSQL runs every one of them to completion). They see
 * one snapshot and not each other's effects, which is fine here: every row is written by one part
 * only (one report per machine and agent; deleted, updated and inserted keys are disjoint).
 *
 * Returns nothing; throws when a machine to save is gone. That cannot happen (each comes from a
 * locked agent's row, whose reference keeps the machine alive) and is checked because software
 * rows have no foreign key to their machine and must never be orphans.
 */
export async function writeBatch(tx: Db, writes: BatchWrites): Promise<void> {
  const [result] = await queryRows<{ saved: number }>(
    tx,
    sql`
    WITH saved AS (
      UPDATE ${machines} m SET
        hostname = u.hostname,
        hardware_uuid = coalesce(u.hardware_uuid, m.hardware_uuid),
        hardware_serial = coalesce(u.hardware_serial, m.hardware_serial),
        os_machine_id = coalesce(u.os_machine_id, m.os_machine_id),
        macs = coalesce(u.macs, m.macs),
        hardware_vendor = coalesce(u.hardware_vendor, m.hardware_vendor),
        hardware_model = coalesce(u.hardware_model, m.hardware_model),
        os_family = u.os_family, os_product = u.os_product, os_edition = u.os_edition, os_version = u.os_version,
        os_build = u.os_build, os_arch = u.os_arch, os_kernel = u.os_kernel,
        os_activation_status = u.os_activation_status, os_activation_channel = u.os_activation_channel,
        os_kms_host = u.os_kms_host, os_activation_expires = u.os_activation_expires,
        agent_version = u.agent_version,
        inventory = u.inventory, inventory_hash = u.inventory_hash,
        evidence_sha256 = coalesce(u.evidence_sha256, m.evidence_sha256),
        software_count = u.software_count,
        collected_at = u.collected_at,
        last_seen_at = now()
      FROM jsonb_to_recordset(${json(writes.saves.map(machineColumns))}) AS u(
        id uuid, hostname text, hardware_uuid text, hardware_serial text, os_machine_id text, macs varchar[],
        hardware_vendor text, hardware_model text, os_family text, os_product text, os_edition text, os_version text,
        os_build text, os_arch text, os_kernel text, os_activation_status text, os_activation_channel text,
        os_kms_host text, os_activation_expires text, agent_version text, inventory jsonb, inventory_hash text,
        evidence_sha256 text, software_count int, collected_at timestamptz)
      WHERE m.id = u.id
      RETURNING m.id
    ), touched AS (
      UPDATE ${machines} m SET collected_at = u."collectedAt", last_seen_at = now()
      FROM jsonb_to_recordset(${json(writes.touches)}) AS u("machineId" uuid, "collectedAt" timestamptz)
      WHERE m.id = u."machineId"
    ), deleted AS (
      DELETE FROM ${machineSoftware} ms
      USING jsonb_to_recordset(${json(writes.deletes)}) AS d("machineId" uuid, key text)
      WHERE ms.machine_id = d."machineId" AND ms.key = d.key
    ), updated AS (
      UPDATE ${machineSoftware} ms SET software_id = u.software_id, name = u.name, version = u.version, publisher = u.publisher,
        install_date = u.install_date, source = u.source, hive = u.hive, arch = u.arch
      FROM ${rowsFrom(rowsJson(writes.updates))} AS u
      WHERE ms.machine_id = u.machine_id AND ms.key = u.key
    ), inserted AS (
      INSERT INTO ${machineSoftware} (machine_id, key, software_id, name, version, publisher, install_date, source, hive, arch)
      SELECT * FROM ${rowsFrom(rowsJson(writes.inserts))} AS u
    ), records AS (
      SELECT * FROM jsonb_to_recordset(${json(writes.records)}) AS r(
        "agentId" uuid, seq bigint, "machineId" uuid, kind report_kind, hash text, "baseHash" text, "rowsUpserted" int, "rowsRemoved" int)
    ), advanced AS (
      UPDATE ${agents} a SET last_seq = r.seq, last_seen_at = now() FROM records r WHERE a.id = r."agentId"
    ), logged AS (
      INSERT INTO ${agentReports} (agent_id, seq, machine_id, kind, hash, base_hash, rows_upserted, rows_removed)
      SELECT "agentId", seq, "machineId", kind, hash, "baseHash", "rowsUpserted", "rowsRemoved" FROM records
    )
    SELECT (SELECT count(*) FROM saved)::int AS saved`,
  );
  if (result!.saved !== writes.saves.length) throw new Error(`${writes.saves.length - result!.saved} machines of this batch no longer exist`);
}
