import { sql } from 'drizzle-orm';
import { canonicalJson } from '@zhengban/protocol';
import { queryRows, type Db } from '../db/database.ts';
import type { InstallInput, LicenceInput, LicencePosition } from './licence-position.ts';
import { textArray } from './machine-queries.ts';

/** Installs of a unit's machines in use (a retired machine's installs need no licence), for some products or all. */
export async function getUnitInstalls(db: Db, orgId: string, productIds: readonly string[] | null): Promise<InstallInput[]> {
  const filter = productIds ? sql`AND mp.product_id = ANY(${textArray(productIds)})` : sql``;
  const rows = await queryRows<{ machine_id: string; product_id: string }>(
    db,
    sql`SELECT mp.machine_id, mp.product_id FROM machine_products mp JOIN machines m ON m.id = mp.machine_id
        WHERE m.org_id = ${orgId}::uuid AND m.retired_at IS NULL ${filter}`,
  );
  return rows.map((r) => ({ machineId: r.machine_id, productId: r.product_id }));
}

/** A unit's ledger as the allocation reads it (seats = 套, or N licences for volume agreements). */
export async function getUnitLicences(db: Db, orgId: string, productIds: readonly string[] | null): Promise<LicenceInput[]> {
  const filter = productIds ? sql`AND l.product_id = ANY(${textArray(productIds)})` : sql``;
  const rows = await queryRows<{
    id: string;
    product_id: string;
    type: LicenceInput['type'];
    quantity: number;
    licence_count: number | null;
    starts_on: string | null;
    ends_on: string | null;
    purchased_on: string | null;
    bound: string[] | null;
  }>(
    db,
    sql`SELECT l.id, l.product_id, l.type, l.quantity, l.licence_count, l.starts_on::text, l.ends_on::text, l.purchased_on::text,
               (SELECT array_agg(lm.machine_id::text ORDER BY lm.machine_id) FROM licence_machines lm WHERE lm.licence_id = l.id) AS bound
        FROM licences l WHERE l.org_id = ${orgId}::uuid ${filter}`,
  );
  return rows.map((r) => ({
    id: r.id,
    productId: r.product_id,
    type: r.type,
    seats: r.type === 'volume' ? (r.licence_count ?? r.quantity) : r.quantity,
    startsOn: r.starts_on ?? r.purchased_on,
    endsOn: r.ends_on,
    boundMachineIds: r.bound ?? [],
  }));
}

/** Allocation groups that have positions or licences in a unit (a full recompute visits them all). */
export async function getUnitProductIds(db: Db, orgId: string): Promise<string[]> {
  const rows = await queryRows<{ product_id: string }>(
    db,
    sql`SELECT product_id FROM licence_positions WHERE org_id = ${orgId}::uuid
        UNION SELECT product_id FROM licences WHERE org_id = ${orgId}::uuid
        UNION SELECT DISTINCT mp.product_id FROM machine_products mp JOIN machines m ON m.id = mp.machine_id WHERE m.org_id = ${orgId}::uuid`,
  );
  return rows.map((r) => r.product_id);
}

interface StoredPosition {
  product_id: string;
  installs: number;
  licences: number | null;
  covered: number;
  shortfall: number;
  surplus: number | null;
  seats_used: number;
  detail: Pick<LicencePosition, 'machines' | 'coveredBy'>;
}

const fingerprint = (p: Omit<LicencePosition, 'productId'>) =>
  canonicalJson([p.installs, p.licences, p.covered, p.shortfall, p.surplus, p.seatsUsed, p.machines, p.coveredBy]);

/**
 * Stores a unit's positions for some allocation groups: rows that changed are written, rows of
 * those groups that no longer have installs or licences are deleted. Returns the positions that
 * changed (a deleted one as all zeros), for events.
 */
export async function writeUnitPositions(
  db: Db,
  orgId: string,
  groupIds: readonly string[],
  positions: ReadonlyArray<LicencePosition & { groupId: string }>,
): Promise<LicencePosition[]> {
  const stored = await queryRows<StoredPosition>(
    db,
    sql`SELECT product_id, installs, licences, covered, shortfall, surplus, seats_used, detail FROM licence_positions
        WHERE org_id = ${orgId}::uuid AND group_id = ANY(${textArray(groupIds)})`,
  );
  const before = new Map(
    stored.map((r) => [
      r.product_id,
      fingerprint({ installs: r.installs, licences: r.licences, covered: r.covered, shortfall: r.shortfall, surplus: r.surplus, seatsUsed: r.seats_used, machines: r.detail.machines, coveredBy: r.detail.coveredBy }),
    ]),
  );
  const changed = positions.filter((p) => before.get(p.productId) !== fingerprint(p));
  const gone = [...before.keys()].filter((id) => !positions.some((p) => p.productId === id));
  if (gone.length) {
    await db.execute(sql`DELETE FROM licence_positions WHERE org_id = ${orgId}::uuid AND product_id = ANY(${textArray(gone)})`);
  }
  for (const p of changed) {
    const detail = JSON.stringify({ machines: p.machines, coveredBy: p.coveredBy });
    await db.execute(sql`
      INSERT INTO licence_positions (org_id, product_id, group_id, installs, licences, covered, shortfall, surplus, seats_used, detail, computed_at)
      VALUES (${orgId}::uuid, ${p.productId}, ${p.groupId}, ${p.installs}, ${p.licences}, ${p.covered}, ${p.shortfall}, ${p.surplus}, ${p.seatsUsed}, ${detail}::jsonb, now())
      ON CONFLICT (org_id, product_id) DO UPDATE SET group_id = excluded.group_id, installs = excluded.installs, licences = excluded.licences,
        covered = excluded.covered, shortfall = excluded.shortfall, surplus = excluded.surplus, seats_used = excluded.seats_used,
        detail = excluded.detail, computed_at = excluded.computed_at`);
  }
  const empty = { installs: 0, licences: 0, covered: 0, shortfall: 0, surplus: 0, seatsUsed: 0, machines: { installed: [], covered: [], uncovered: [], expired: [] }, coveredBy: [] };
  return [...changed, ...gone.map((productId) => ({ productId, ...empty }))];
}
