import { eq, sql } from 'drizzle-orm';
import type { Inventory } from '@zhengban/protocol';
import type { Db } from '../db/database.ts';
import { agentReports, agents, machineSoftware, machines, REPORT_KINDS } from '../db/schema.ts';
import { identityFromHardware } from '../machines/identity.ts';
import { identityUpdate } from '../machines/queries.ts';
import type { SoftwareRow } from './software-rows.ts';

/** Rows per statement: bounds one statement's memory on 20,000-entry reports. */
const ROWS_PER_STATEMENT = 5_000;

/**
 * The agent's row, locked until the transaction ends, with what the server holds of its
 * machine. The lock makes two sockets of one agent (a reconnect racing the old connection) apply
 * reports one after the other, so the sequence check that follows is exact. One round trip: the
 * machine comes along by join; the (large) inventory document only when a delta needs it.
 */
export async function lockAgentWithMachine(tx: Db, agentId: string, options: { withInventory: boolean }) {
  const [row] = await tx
    .select({
      lastSeq: agents.lastSeq,
      machineId: agents.machineId,
      revokedAt: agents.revokedAt,
      inventoryHash: machines.inventoryHash,
      inventory: options.withInventory ? machines.inventory : sql<null>`NULL`,
    })
    .from(agents)
    .innerJoin(machines, eq(machines.id, agents.machineId))
    .where(eq(agents.id, agentId))
    .for('update', { of: agents });
  return row;
}

/** The stored inventory of a machine and its hash (both null before the first full report). */
export async function getStoredInventory(db: Db, machineId: string) {
  const [row] = await db
    .select({ inventory: machines.inventory, inventoryHash: machines.inventoryHash })
    .from(machines)
    .where(eq(machines.id, machineId));
  return row;
}

/** Hash of the inventory the server holds for a machine, for `server.welcome`. */
export async function getInventoryHash(db: Db, machineId: string): Promise<string | undefined> {
  const row = await getStoredInventory(db, machineId);
  return row?.inventoryHash ?? undefined;
}

/** The machine's software rows as stored. */
export async function getSoftwareRows(tx: Db, machineId: string): Promise<SoftwareRow[]> {
  return tx
    .select({
      key: machineSoftware.key,
      softwareId: machineSoftware.softwareId,
      name: machineSoftware.name,
      version: machineSoftware.version,
      publisher: machineSoftware.publisher,
      installDate: machineSoftware.installDate,
      source: machineSoftware.source,
      hive: machineSoftware.hive,
      arch: machineSoftware.arch,
    })
    .from(machineSoftware)
    .where(eq(machineSoftware.machineId, machineId));
}

/** A text[] parameter (drizzle would otherwise expand a JS array into a list of parameters). */
const textArray = (values: (string | null)[]) => sql`${sql.param(values)}::text[]`;

/**
 * Inserts or overwrites software rows in bulk: one statement per chunk, each column sent as one
 * array and spread by `unnest`, so the statement size does not grow with the row count.
 */
export async function upsertSoftwareRows(tx: Db, machineId: string, rows: readonly SoftwareRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const column = <K extends keyof SoftwareRow>(key: K) => textArray(chunk.map((row) => row[key]));
    await tx.execute(sql`
      INSERT INTO ${machineSoftware}
        (machine_id, key, software_id, name, version, publisher, install_date, source, hive, arch)
      SELECT ${machineId}::uuid, * FROM unnest(
        ${column('key')}, ${column('softwareId')}, ${column('name')}, ${column('version')}, ${column('publisher')},
        ${column('installDate')}, ${column('source')}, ${column('hive')}, ${column('arch')})
      ON CONFLICT (machine_id, key) DO UPDATE SET
        software_id = excluded.software_id, name = excluded.name, version = excluded.version,
        publisher = excluded.publisher, install_date = excluded.install_date, source = excluded.source,
        hive = excluded.hive, arch = excluded.arch`);
  }
}

/** Deletes software rows by key. */
export async function deleteSoftwareRows(tx: Db, machineId: string, keys: readonly string[]): Promise<void> {
  for (let start = 0; start < keys.length; start += ROWS_PER_STATEMENT) {
    const chunk = keys.slice(start, start + ROWS_PER_STATEMENT);
    await tx.execute(sql`
      DELETE FROM ${machineSoftware}
      WHERE machine_id = ${machineId}::uuid AND key = ANY(${textArray([...chunk])})`);
  }
}

/** Stores a new current inventory on the machine row: the document, its hash and the facts listed from it. */
export async function saveMachineInventory(
  tx: Db,
  machineId: string,
  input: { inventory: Inventory; hash: string; evidenceSha256?: string | undefined; softwareCount: number },
): Promise<void> {
  const { inventory } = input;
  const { os } = inventory;
  await tx
    .update(machines)
    .set({
      hostname: inventory.hostname,
      ...identityUpdate(identityFromHardware(inventory.hardware), inventory.hardware),
      osFamily: os.family,
      osProduct: os.product,
      osEdition: os.edition ?? null,
      osVersion: os.version ?? null,
      osBuild: os.build ?? null,
      osArch: os.arch,
      osKernel: os.kernel ?? null,
      osActivationStatus: os.activation.status,
      osActivationChannel: os.activation.channel,
      osKmsHost: os.activation.kmsHost ?? null,
      osActivationExpires: os.activation.expires ?? null,
      agentVersion: inventory.agentVersion,
      inventory,
      inventoryHash: input.hash,
      // A delta carries no evidence hash: keep the one of the last full report.
      ...(input.evidenceSha256 ? { evidenceSha256: input.evidenceSha256 } : {}),
      softwareCount: input.softwareCount,
      collectedAt: new Date(inventory.collectedAt),
      lastSeenAt: sql`now()`,
    })
    .where(eq(machines.id, machineId));
}

/** Marks a machine seen now, for a report that changed nothing. */
export async function touchMachine(tx: Db, machineId: string, collectedAt: string): Promise<void> {
  await tx
    .update(machines)
    .set({ collectedAt: new Date(collectedAt), lastSeenAt: sql`now()` })
    .where(eq(machines.id, machineId));
}

/**
 * Advances the agent's sequence number and logs the applied report (the exactly-once record), in
 * one statement.
 */
export async function recordAppliedReport(
  tx: Db,
  report: {
    agentId: string;
    machineId: string;
    seq: number;
    kind: (typeof REPORT_KINDS)[number];
    hash: string;
    baseHash?: string;
    rowsUpserted: number;
    rowsRemoved: number;
  },
): Promise<void> {
  await tx.execute(sql`
    WITH advanced AS (
      UPDATE ${agents} SET last_seq = ${report.seq}, last_seen_at = now() WHERE id = ${report.agentId}::uuid
    )
    INSERT INTO ${agentReports} (agent_id, seq, machine_id, kind, hash, base_hash, rows_upserted, rows_removed)
    VALUES (${report.agentId}::uuid, ${report.seq}, ${report.machineId}::uuid, ${report.kind}::report_kind, ${report.hash},
            ${report.baseHash ?? null}, ${report.rowsUpserted}, ${report.rowsRemoved})`);
}
