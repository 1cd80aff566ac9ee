import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/database.ts';
import { textArray } from './machine-queries.ts';

/**
 * Which inventory each machine's compliance was computed from (table `machine_compliance`). A
 * machine is dirty when its stored inventory hash differs: an ingest committed and no refresh of
 * that inventory has (yet).
 */

/**
 * Records, as the first statement of a refresh transaction, the inventory hashes the machines are
 * about to be refreshed from. Read before the refresh reads the inventories, so the hash written
 * is never newer than what was computed: an ingest committing in between leaves the machine dirty
 * (refreshed once more), never wrongly clean. In id order, so concurrent refreshes of the same
 * machines (two server processes) wait on each other's rows without deadlocking.
 */
export async function recordRefreshStart(tx: Db, machineIds: readonly string[]): Promise<void> {
  if (machineIds.length === 0) return;
  await tx.execute(sql`
    INSERT INTO machine_compliance (machine_id, inventory_hash, refreshed_at)
    SELECT id, inventory_hash, now() FROM machines
    WHERE id = ANY(${textArray(machineIds)}::uuid[]) AND inventory_hash IS NOT NULL
    ORDER BY id
    ON CONFLICT (machine_id) DO UPDATE SET inventory_hash = excluded.inventory_hash, refreshed_at = excluded.refreshed_at`);
}

/** Dirty machines with the inventory hash each is dirty for, in id order. */
export async function listDirtyMachines(db: Db): Promise<Array<{ machineId: string; inventoryHash: string }>> {
  const rows = await queryRows<{ id: string; inventory_hash: string }>(
    db,
    sql`SELECT m.id, m.inventory_hash FROM machines m LEFT JOIN machine_compliance c ON c.machine_id = m.id
        WHERE m.inventory_hash IS NOT NULL AND c.inventory_hash IS DISTINCT FROM m.inventory_hash
        ORDER BY m.id`,
  );
  return rows.map((r) => ({ machineId: r.id, inventoryHash: r.inventory_hash }));
}
