import { and, desc, eq, sql } from 'drizzle-orm';
import type { Scope } from '../access/scope.ts';
import { orgPathInScope } from '../access/scope.ts';
import type { Product } from '../catalog/types.ts';
import type { LicenceType } from '../compliance/licence-position.ts';
import { queryRows, type Db } from '../db/database.ts';
import { annualReturns } from '../db/schema/annual-return.ts';
import { endOfDayInChina, type AnnualSnapshot, type SnapshotLicence, type SnapshotMachine } from './fill.ts';
import type { AnnualReturnRow } from './form.ts';
import { officeColumnOf } from './office-suite.ts';
import type { RollupUnit, UnitReturnStatus } from './rollup.ts';

/** A stored version of a return, as read back. */
export type StoredReturn = typeof annualReturns.$inferSelect;

/**
 * The unit's machines and ledger rows as of `asOf` (YYYY-MM-DD), for `fillAnnualReturn`. A machine
 * is retired on the day when one of its retirement periods covers the day's end (so last year's
 * row still counts a PC retired this year); machines first seen after the day and licences are
 * filtered by the pure core, which also needs them to say why.
 */
export async function loadUnitSnapshot(db: Db, input: { orgId: string; year: number; asOf: string; products: ReadonlyMap<string, Product> }): Promise<AnnualSnapshot> {
  const endOfDay = endOfDayInChina(input.asOf);
  const machineRows = await queryRows<{ id: string; hostname: string; os_family: string | null; virtual: boolean | null; retired: boolean; has_agent: boolean; inventory_hash: string | null; first_seen_at: string | Date }>(db, sql`
    SELECT m.id, m.hostname, m.os_family, (m.inventory->'hardware'->>'virtual')::boolean AS virtual,
           EXISTS (SELECT 1 FROM machine_retirements r WHERE r.machine_id = m.id AND r.retired_at <= ${endOfDay}::timestamptz
                      AND (r.restored_at IS NULL OR r.restored_at > ${endOfDay}::timestamptz)) AS retired,
           EXISTS (SELECT 1 FROM agents a WHERE a.machine_id = m.id AND a.revoked_at IS NULL) AS has_agent,
           m.inventory_hash, m.first_seen_at
      FROM machines m WHERE m.org_id = ${input.orgId}`);
  const licenceRows = await queryRows<{ id: string; product_id: string; type: string; quantity: number; licence_count: number | null; starts_on: string | null; ends_on: string | null; purchased_on: string | null; recorded_on: string }>(db, sql`
    SELECT id, product_id, type, quantity, licence_count, starts_on::text AS starts_on, ends_on::text AS ends_on, purchased_on::text AS purchased_on,
           ((created_at AT TIME ZONE 'UTC') + interval '8 hours')::date::text AS recorded_on
      FROM licences WHERE org_id = ${input.orgId}`);
  const machines: SnapshotMachine[] = machineRows.map((m) => ({
    id: m.id,
    hostname: m.hostname,
    osFamily: (m.os_family ?? null) as SnapshotMachine['osFamily'],
    retired: m.retired,
    virtual: m.virtual === true,
    hasAgent: m.has_agent,
    inventoryHash: m.inventory_hash,
    firstSeenAt: new Date(m.first_seen_at).toISOString(),
  }));
  const licences: SnapshotLicence[] = licenceRows.map((l) => ({
    id: l.id,
    productId: l.product_id,
    column: officeColumnOf(input.products.get(l.product_id), input.products),
    type: l.type as LicenceType,
    quantity: Number(l.quantity),
    licenceCount: l.licence_count === null ? null : Number(l.licence_count),
    startsOn: l.starts_on,
    endsOn: l.ends_on,
    purchasedOn: l.purchased_on,
    recordedOn: l.recorded_on,
  }));
  return { year: input.year, asOf: input.asOf, machines, licences };
}

/** Every stored version of a unit's return for a year, newest first. */
export async function listReturnVersions(db: Db, orgId: string, year: number): Promise<StoredReturn[]> {
  return db.select().from(annualReturns).where(and(eq(annualReturns.orgId, orgId), eq(annualReturns.year, year))).orderBy(desc(annualReturns.version));
}

/** One stored version by id. */
export async function getReturnById(db: Db, id: string): Promise<StoredReturn | undefined> {
  const rows = await db.select().from(annualReturns).where(eq(annualReturns.id, id)).limit(1);
  return rows[0];
}

/** The row a stored version prints for its year. */
export function rowOfStored(stored: Pick<StoredReturn, 'year' | 'staffCount' | 'figures'>): AnnualReturnRow {
  const f = stored.figures;
  return { year: stored.year, staffCount: stored.staffCount, computers: f.computers ?? 0, windows: f.windows ?? 0, kylin: f.kylin ?? 0, msOffice: f.msOffice ?? 0, wps: f.wps ?? 0 };
}

/** The latest submitted or accepted version of a unit's return for a year. */
export async function getLatestCountedReturn(db: Db, orgId: string, year: number): Promise<StoredReturn | undefined> {
  const rows = await db
    .select()
    .from(annualReturns)
    .where(and(eq(annualReturns.orgId, orgId), eq(annualReturns.year, year), sql`${annualReturns.status} IN ('submitted', 'accepted')`))
    .orderBy(desc(annualReturns.version))
    .limit(1);
  return rows[0];
}

/**
 * Every unit in the scope with its latest version's status for the year and, when that version is
 * submitted or accepted, its row. One query (DISTINCT ON over the versions), so a city of thousands
 * of units rolls up at once.
 */
export async function listRollupUnits(db: Db, scope: Scope, year: number): Promise<RollupUnit[]> {
  const result = await queryRows<{ unit_id: string; unit_name: string; region: string | null; sector: string | null; status: string | null; staff_count: number | null; figures: Record<string, number> | null }>(db, sql`
    SELECT o.id AS unit_id, o.name AS unit_name, o.region, o.sector, r.status, r.staff_count, r.figures
      FROM orgs o
      LEFT JOIN (
        SELECT DISTINCT ON (org_id) org_id, status, staff_count, figures
          FROM annual_returns WHERE year = ${year}
         ORDER BY org_id, version DESC
      ) r ON r.org_id = o.id
     WHERE o.kind = 'unit' AND ${orgPathInScope(scope, sql`o.path`)}`);
  return result.map((r) => {
    const status = (r.status ?? 'none') as UnitReturnStatus;
    const counted = (status === 'submitted' || status === 'accepted') && r.figures;
    return {
      unitId: r.unit_id,
      unitName: r.unit_name,
      region: r.region,
      sector: r.sector,
      status,
      row: counted ? rowOfStored({ year, staffCount: Number(r.staff_count), figures: r.figures! }) : null,
    };
  });
}
