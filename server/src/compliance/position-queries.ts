import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/database.ts';
import type { InstallInput, LicenceInput, LicencePosition } from './licence-position.ts';
import { textArray } from './sql-params.ts';

/**
 * Positions are read and written for many units at once (a full recompute takes units in chunks;
 * an ingest passes one unit): one statement per kind of row, whatever the number of units.
 */

/** An int[] parameter (nulls allowed). */
const intArray = (values: readonly (number | null)[]) => sql`${sql.param([...values])}::int[]`;

/**
 * Installs of the units' machines in use (a retired machine's installs need no licence), by unit,
 * for some products or all. Free products are left out here: the allocation ignores them, and
 * they are most of a fleet's installs. One row per unit and product, machine ids joined with
 * commas (far fewer rows to decode than one per install).
 *
 * For some products (an ingest, a ledger change), the units' machines come first and each one's
 * products are looked up by primary key: the `OFFSET 0` keeps the planner from turning this into
 * a scan of the product's installs across the whole fleet, which it chose whenever its statistics
 * said the product was rare (a product a new rule just put on 100,000 machines is "rare" until
 * the next ANALYZE): 8 s instead of milliseconds. For every product (a full recompute's chunk of
 * units) a plain join is right: most of the chunk's rows are read anyway.
 */
export async function getInstallsByUnit(
  db: Db,
  orgIds: readonly string[],
  productIds: readonly string[] | null,
  freeProductIds: readonly string[],
): Promise<Map<string, InstallInput[]>> {
  const units = sql`m.org_id = ANY(${textArray(orgIds)}::uuid[]) AND m.retired_at IS NULL`;
  const notFree = sql`mp.product_id <> ALL(${textArray(freeProductIds)})`;
  const rows = await queryRows<{ org_id: string; product_id: string; machines: string }>(
    db,
    productIds
      ? sql`SELECT m.org_id, p.product_id, string_agg(m.id::text, ',') AS machines
            FROM machines m
            CROSS JOIN LATERAL (
              SELECT mp.product_id FROM machine_products mp
              WHERE mp.machine_id = m.id AND mp.product_id = ANY(${textArray(productIds)}) AND ${notFree}
              OFFSET 0
            ) p
            WHERE ${units}
            GROUP BY m.org_id, p.product_id`
      : sql`SELECT m.org_id, mp.product_id, string_agg(m.id::text, ',') AS machines
            FROM machines m JOIN machine_products mp ON mp.machine_id = m.id
            WHERE ${units} AND ${notFree}
            GROUP BY m.org_id, mp.product_id`,
  );
  const byOrg = new Map<string, InstallInput[]>();
  for (const row of rows) {
    const list = byOrg.get(row.org_id) ?? [];
    for (const machineId of row.machines.split(',')) list.push({ machineId, productId: row.product_id });
    byOrg.set(row.org_id, list);
  }
  return byOrg;
}

/** The units' ledgers as the allocation reads them (seats = 套, or N licences for volume agreements), by unit. */
export async function getLicencesByUnit(db: Db, orgIds: readonly string[], productIds: readonly string[] | null): Promise<Map<string, LicenceInput[]>> {
  const filter = productIds ? sql`AND l.product_id = ANY(${textArray(productIds)})` : sql``;
  const rows = await queryRows<{
    org_id: string;
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
    sql`SELECT l.org_id, l.id, l.product_id, l.type, l.quantity, l.licence_count, l.starts_on::text, l.ends_on::text, l.purchased_on::text,
               (SELECT array_agg(lm.machine_id::text ORDER BY lm.machine_id) FROM licence_machines lm WHERE lm.licence_id = l.id) AS bound
        FROM licences l WHERE l.org_id = ANY(${textArray(orgIds)}::uuid[]) ${filter}`,
  );
  const byOrg = new Map<string, LicenceInput[]>();
  for (const r of rows) {
    const list = byOrg.get(r.org_id) ?? [];
    list.push({
      id: r.id,
      productId: r.product_id,
      type: r.type,
      seats: r.type === 'volume' ? (r.licence_count ?? r.quantity) : r.quantity,
      startsOn: r.starts_on ?? r.purchased_on,
      endsOn: r.ends_on,
      boundMachineIds: r.bound ?? [],
    });
    byOrg.set(r.org_id, list);
  }
  return byOrg;
}

interface StoredPosition {
  org_id: string;
  product_id: string;
  installs: number;
  licences: number | null;
  covered: number;
  shortfall: number;
  surplus: number | null;
  seats_used: number;
  detail: Partial<Pick<LicencePosition, 'coveredBy'>> & { machines?: Partial<LicencePosition['machines']> };
}

const sameIds = (a: readonly string[] | undefined, b: readonly string[] | undefined) => {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/** True when two positions are equal: every number and every machine and licence behind them. */
export function samePosition(a: LicencePosition, b: LicencePosition): boolean {
  return (
    a.installs === b.installs &&
    a.licences === b.licences &&
    a.covered === b.covered &&
    a.shortfall === b.shortfall &&
    a.surplus === b.surplus &&
    a.seatsUsed === b.seatsUsed &&
    sameIds(a.machines.installed, b.machines.installed) &&
    sameIds(a.machines.covered, b.machines.covered) &&
    sameIds(a.machines.uncovered, b.machines.uncovered) &&
    sameIds(a.machines.expired, b.machines.expired) &&
    a.coveredBy.length === b.coveredBy.length &&
    a.coveredBy.every((c, i) => c.licenceId === b.coveredBy[i]!.licenceId && c.via === b.coveredBy[i]!.via && sameIds(c.machineIds, b.coveredBy[i]!.machineIds))
  );
}

/** The units' stored positions (all, or those of some allocation groups): unit -> product -> position. */
export async function getStoredPositions(db: Db, orgIds: readonly string[], groupIds: readonly string[] | null): Promise<Map<string, Map<string, LicencePosition>>> {
  const filter = groupIds ? sql`AND group_id = ANY(${textArray(groupIds)})` : sql``;
  const rows = await queryRows<StoredPosition>(
    db,
    sql`SELECT org_id, product_id, installs, licences, covered, shortfall, surplus, seats_used, detail FROM licence_positions
        WHERE org_id = ANY(${textArray(orgIds)}::uuid[]) ${filter}`,
  );
  const byOrg = new Map<string, Map<string, LicencePosition>>();
  for (const r of rows) {
    const machines = r.detail.machines ?? {};
    const position: LicencePosition = {
      productId: r.product_id,
      installs: r.installs,
      licences: r.licences,
      covered: r.covered,
      shortfall: r.shortfall,
      surplus: r.surplus,
      seatsUsed: r.seats_used,
      machines: { installed: machines.installed ?? [], covered: machines.covered ?? [], uncovered: machines.uncovered ?? [], expired: machines.expired ?? [] },
      coveredBy: r.detail.coveredBy ?? [],
    };
    const products = byOrg.get(r.org_id) ?? new Map<string, LicencePosition>();
    products.set(r.product_id, position);
    byOrg.set(r.org_id, products);
  }
  return byOrg;
}

/** A position to store. */
export type PositionWrite = LicencePosition & { orgId: string; groupId: string };

/** Deletes positions that no longer exist and writes those that changed: one statement each. */
export async function writePositions(db: Db, gone: ReadonlyArray<{ orgId: string; productId: string }>, changed: readonly PositionWrite[]): Promise<void> {
  if (gone.length) {
    await db.execute(sql`
      DELETE FROM licence_positions p USING unnest(${textArray(gone.map((g) => g.orgId))}::uuid[], ${textArray(gone.map((g) => g.productId))}) AS d(org_id, product_id)
      WHERE p.org_id = d.org_id AND p.product_id = d.product_id`);
  }
  if (changed.length === 0) return;
  const text = (pick: (p: PositionWrite) => string) => textArray(changed.map(pick));
  const int = (pick: (p: PositionWrite) => number | null) => intArray(changed.map(pick));
  await db.execute(sql`
    INSERT INTO licence_positions (org_id, product_id, group_id, installs, licences, covered, shortfall, surplus, seats_used, detail, computed_at)
    SELECT org_id::uuid, product_id, group_id, installs, licences, covered, shortfall, surplus, seats_used, detail::jsonb, now()
    FROM unnest(${text((p) => p.orgId)}, ${text((p) => p.productId)}, ${text((p) => p.groupId)}, ${int((p) => p.installs)}, ${int((p) => p.licences)},
                ${int((p) => p.covered)}, ${int((p) => p.shortfall)}, ${int((p) => p.surplus)}, ${int((p) => p.seatsUsed)},
                ${text((p) => JSON.stringify({ machines: p.machines, coveredBy: p.coveredBy }))})
      AS u(org_id, product_id, group_id, installs, licences, covered, shortfall, surplus, seats_used, detail)
    ON CONFLICT (org_id, product_id) DO UPDATE SET group_id = excluded.group_id, installs = excluded.installs, licences = excluded.licences,
      covered = excluded.covered, shortfall = excluded.shortfall, surplus = excluded.surplus, seats_used = excluded.seats_used,
      detail = excluded.detail, computed_at = excluded.computed_at`);
}
