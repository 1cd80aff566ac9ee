import { eq, sql, type SQL } from 'drizzle-orm';
import type { Inventory, Software } from '@zhengban/protocol';
import type { Db } from '../db/database.ts';
import { machines } from '../db/schema.ts';
import { fromColumns, type SoftwareColumns } from './software-rows.ts';

/**
 * The inventory document as the machine row keeps it: everything but the software list, whose
 * only copy is the machine's machine_software rows (software-rows.ts rebuilds it exactly). Storing
 * the list twice doubled what every report wrote.
 */
export type StoredInventory = Omit<Inventory, 'software'>;

/** Hash of the inventory the server holds for a machine, for `server.welcome`. */
export async function getInventoryHash(db: Db, machineId: string): Promise<string | undefined> {
  const [row] = await db.select({ inventoryHash: machines.inventoryHash }).from(machines).where(eq(machines.id, machineId));
  return row?.inventoryHash ?? undefined;
}

/**
 * A machine's software list as one JSON array of column arrays, in key order, for queries that need
 * it beside other machine columns (compliance reads it for recognition). `machineId` is the SQL of
 * the machine id column. `json` (text) rather than `jsonb`: built and sent as is, it costs about the
 * same as reading the list out of a stored document; decode it with `softwareFromColumns`.
 */
export const machineSoftwareColumns = (machineId: SQL) => sql`
  (SELECT json_agg(json_build_array(s.software_id, s.name, s.version, s.publisher, s.install_date, s.source, s.hive, s.arch) ORDER BY s.key)
   FROM machine_software s WHERE s.machine_id = ${machineId})`;

/** The software entries of `machineSoftwareColumns`. */
export function softwareFromColumns(columns: readonly SoftwareColumns[] | null): Software[] {
  return (columns ?? []).map(fromColumns);
}
