/**
 * What the server stores about one machine's inventory (the document, its hash, the software
 * rows), saved and written back with plain SQL: how a test makes the server's copy older than the
 * agent believes, as restoring the database from last night's backup would.
 */
import type { Database } from '../../../server/src/db/database.ts';

export interface MachineSnapshot {
  machineId: string;
  inventory: unknown;
  inventoryHash: string | null;
  softwareCount: number;
  software: Record<string, unknown>[];
}

const SOFTWARE_COLUMNS = 'key, software_id, name, version, publisher, install_date, source, hive, arch';

/** The machine an agent reports for. */
export async function getAgentMachineId(database: Database, agentId: string): Promise<string> {
  const [row] = await database.query<{ machine_id: string }>('SELECT machine_id FROM agents WHERE id = $1', [agentId]);
  if (!row) throw new Error(`no agent ${agentId}`);
  return row.machine_id;
}

export async function snapshotMachine(database: Database, machineId: string): Promise<MachineSnapshot> {
  const [machine] = await database.query<{ inventory: unknown; inventory_hash: string | null; software_count: number }>(
    'SELECT inventory, inventory_hash, software_count FROM machines WHERE id = $1',
    [machineId],
  );
  const software = await database.query<Record<string, unknown>>(`SELECT ${SOFTWARE_COLUMNS} FROM machine_software WHERE machine_id = $1`, [machineId]);
  return { machineId, inventory: machine!.inventory, inventoryHash: machine!.inventory_hash, softwareCount: machine!.software_count, software };
}

/** Writes a snapshot back over the machine's current inventory and software rows. */
export async function restoreMachine(database: Database, snapshot: MachineSnapshot): Promise<void> {
  await database.query('UPDATE machines SET inventory = $2::jsonb, inventory_hash = $3, software_count = $4 WHERE id = $1', [
    snapshot.machineId,
    JSON.stringify(snapshot.inventory),
    snapshot.inventoryHash,
    snapshot.softwareCount,
  ]);
  await database.query('DELETE FROM machine_software WHERE machine_id = $1', [snapshot.machineId]);
  await database.query(
    `INSERT INTO machine_software (machine_id, ${SOFTWARE_COLUMNS})
     SELECT $1::uuid, ${SOFTWARE_COLUMNS} FROM jsonb_to_recordset($2::jsonb) AS r(
       key varchar, software_id varchar, name varchar, version varchar, publisher varchar,
       install_date varchar, source varchar, hive varchar, arch varchar)`,
    [snapshot.machineId, JSON.stringify(snapshot.software)],
  );
}

/** The report log of one agent: seq, kind and row counts, in order. */
export async function listAgentReports(database: Database, agentId: string) {
  return database.query<{ seq: number; kind: 'full' | 'delta'; rows_upserted: number; rows_removed: number; hash: string; base_hash: string | null }>(
    'SELECT seq::int AS seq, kind::text AS kind, rows_upserted, rows_removed, hash, base_hash FROM agent_reports WHERE agent_id = $1 ORDER BY seq',
    [agentId],
  );
}

/** The software ids stored for a machine, sorted. */
export async function listSoftwareIds(database: Database, machineId: string): Promise<string[]> {
  const rows = await database.query<{ software_id: string }>('SELECT software_id FROM machine_software WHERE machine_id = $1 ORDER BY software_id', [machineId]);
  return rows.map((r) => r.software_id);
}
