/** What the database holds for one agent's machine, read with plain SQL so tests check the real rows. */
import type { Database } from '../../../server/src/db/database.ts';

export interface SoftwareRowState {
  key: string;
  software_id: string;
  name: string;
  version: string | null;
  publisher: string | null;
  install_date: string | null;
  source: string;
  hive: string | null;
  arch: string | null;
  /** The row version's transaction id: unchanged xmin = the row was not rewritten. */
  xmin: string;
}

export interface MachineState {
  machineId: string;
  lastSeq: number;
  inventoryHash: string | null;
  softwareCount: number;
  rows: SoftwareRowState[];
  reports: { seq: number; kind: string; rows_upserted: number; rows_removed: number }[];
}

export async function machineState(database: Database, agentId: string): Promise<MachineState> {
  const [agent] = await database.query<{ machine_id: string; last_seq: string | number }>(
    'SELECT machine_id, last_seq FROM agents WHERE id = $1',
    [agentId],
  );
  if (!agent) throw new Error(`no agent ${agentId}`);
  const [machine] = await database.query<{ inventory_hash: string | null; software_count: number }>(
    'SELECT inventory_hash, software_count FROM machines WHERE id = $1',
    [agent.machine_id],
  );
  const rows = await database.query<SoftwareRowState>(
    `SELECT key, software_id, name, version, publisher, install_date, source, hive, arch, xmin::text AS xmin
     FROM machine_software WHERE machine_id = $1 ORDER BY key`,
    [agent.machine_id],
  );
  const reports = await database.query<{ seq: string | number; kind: string; rows_upserted: number; rows_removed: number }>(
    'SELECT seq, kind, rows_upserted, rows_removed FROM agent_reports WHERE agent_id = $1 ORDER BY seq',
    [agentId],
  );
  return {
    machineId: agent.machine_id,
    lastSeq: Number(agent.last_seq),
    inventoryHash: machine?.inventory_hash ?? null,
    softwareCount: machine?.software_count ?? 0,
    rows,
    reports: reports.map((r) => ({ ...r, seq: Number(r.seq) })),
  };
}

/** The rows without xmin, in the shape of the protocol's software entries, for comparing with a report. */
export function rowsAsSoftware(rows: SoftwareRowState[]) {
  return rows.map((r) => ({
    id: r.software_id,
    name: r.name,
    ...(r.version !== null ? { version: r.version } : {}),
    ...(r.publisher !== null ? { publisher: r.publisher } : {}),
    ...(r.install_date !== null ? { installDate: r.install_date } : {}),
    source: r.source,
    ...(r.hive !== null ? { hive: r.hive } : {}),
    ...(r.arch !== null ? { arch: r.arch } : {}),
  }));
}
