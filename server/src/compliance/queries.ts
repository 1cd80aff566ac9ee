import { sql, type SQL } from 'drizzle-orm';
import type { Scope } from '../access/scope.ts';
import { orgPathInScope } from '../access/scope.ts';
import type { RuleSet } from '../catalog/types.ts';
import { queryRows, type Db } from '../db/database.ts';
import { NON_COMPLIANT_SEVERITIES } from './findings.ts';
import { textArray } from './machine-queries.ts';
import { escapeLike } from '../db/like.ts';

/** Licence positions in scope (numbers only; the machines come with one position). */
export async function listPositions(db: Db, scope: Scope, filter: { orgId?: string | undefined; productId?: string | undefined; shortfallOnly?: boolean }) {
  const conditions: SQL[] = [orgPathInScope(scope, sql`o.path`)];
  if (filter.orgId) conditions.push(sql`p.org_id = ${filter.orgId}::uuid`);
  if (filter.productId) conditions.push(sql`p.product_id = ${filter.productId}`);
  if (filter.shortfallOnly) conditions.push(sql`p.shortfall > 0`);
  return queryRows<{ orgId: string; orgName: string; productId: string; installs: number; licences: number | null; covered: number; shortfall: number; surplus: number | null; seatsUsed: number; computedAt: string }>(
    db,
    sql`SELECT p.org_id AS "orgId", o.name AS "orgName", p.product_id AS "productId", p.installs, p.licences, p.covered, p.shortfall,
               p.surplus, p.seats_used AS "seatsUsed", p.computed_at AS "computedAt"
        FROM licence_positions p JOIN orgs o ON o.id = p.org_id
        WHERE ${sql.join(conditions, sql` AND `)} ORDER BY o.name, p.product_id LIMIT 5000`,
  );
}

/** One position with the machines behind each number (hostnames included). */
export async function getPosition(db: Db, orgId: string, productId: string) {
  const [row] = await queryRows<{ detail: { machines: Record<string, string[]>; coveredBy: unknown[] } } & Record<string, unknown>>(
    db,
    sql`SELECT org_id AS "orgId", product_id AS "productId", installs, licences, covered, shortfall, surplus, seats_used AS "seatsUsed",
               detail, computed_at AS "computedAt"
        FROM licence_positions WHERE org_id = ${orgId}::uuid AND product_id = ${productId}`,
  );
  if (!row) return undefined;
  const ids = [...new Set(Object.values(row.detail.machines).flat())];
  const hosts = await queryRows<{ id: string; hostname: string }>(db, sql`SELECT id, hostname FROM machines WHERE id = ANY(${textArray(ids)}::uuid[])`);
  const { detail, ...numbers } = row;
  return { ...numbers, machines: detail.machines, coveredBy: detail.coveredBy, hostnames: Object.fromEntries(hosts.map((h) => [h.id, h.hostname])) };
}

/** What the findings list can be narrowed to. */
export interface FindingFilter {
  orgId?: string | undefined;
  machineId?: string | undefined;
  code?: string | undefined;
  severity?: string | undefined;
  /** Part of a hostname, any case. */
  hostname?: string | undefined;
  includeClosed: boolean;
  limit: number;
  offset: number;
}

/**
 * Findings in scope, open by default, newest first, one page of them with the total that match
 * (so the dashboard pages through every match, and filters apply to all findings, not to a page).
 */
export async function listFindings(db: Db, scope: Scope, filter: FindingFilter) {
  const conditions: SQL[] = [orgPathInScope(scope, sql`o.path`)];
  if (!filter.includeClosed) conditions.push(sql`f.closed_at IS NULL`);
  if (filter.orgId) conditions.push(sql`f.org_id = ${filter.orgId}::uuid`);
  if (filter.machineId) conditions.push(sql`f.machine_id = ${filter.machineId}::uuid`);
  if (filter.code) conditions.push(sql`f.code = ${filter.code}`);
  if (filter.severity) conditions.push(sql`f.severity = ${filter.severity}`);
  if (filter.hostname) conditions.push(sql`m.hostname ILIKE ${`%${escapeLike(filter.hostname)}%`}`);
  const where = sql.join(conditions, sql` AND `);
  const from = sql`machine_findings f JOIN orgs o ON o.id = f.org_id JOIN machines m ON m.id = f.machine_id`;
  const findings = await queryRows(
    db,
    sql`SELECT f.id, f.machine_id AS "machineId", m.hostname, f.org_id AS "orgId", o.name AS "orgName", f.code, f.subject, f.severity,
               f.origin, f.evidence, f.opened_at AS "openedAt", f.closed_at AS "closedAt"
        FROM ${from} WHERE ${where} ORDER BY f.opened_at DESC, f.id LIMIT ${filter.limit} OFFSET ${filter.offset}`,
  );
  // A page that is not full and not empty ends the list: its total needs no count.
  if (findings.length > 0 && findings.length < filter.limit) return { findings, total: filter.offset + findings.length };
  const [count] = await queryRows<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM ${from} WHERE ${where}`);
  return { findings, total: count!.total };
}

export const RATE_GROUPINGS = ['unit', 'region', 'sector'] as const;
export type RateGrouping = (typeof RATE_GROUPINGS)[number];

/**
 * Compliance and domestic-software rates in scope, grouped by unit, region or sector (the
 * definitions are compliance/definitions.ts and docs/COMPLIANCE.md).
 */
export async function computeRates(db: Db, scope: Scope, by: RateGrouping, catalog: Pick<RuleSet, 'products'>) {
  const products = [...catalog.products.values()];
  const kylin = products.filter((p) => p.id.startsWith('kylin-')).map((p) => p.id);
  const domesticOs = products.filter((p) => p.category === 'os' && p.domestic).map((p) => p.id);
  const domesticOffice = products.filter((p) => p.category === 'office' && p.domestic).map((p) => p.id);
  const key = by === 'unit' ? sql`o.id::text` : by === 'region' ? sql`coalesce(o.region, '')` : sql`coalesce(o.sector, '')`;
  const rows = await queryRows<{
    key: string;
    label: string;
    machines: number;
    compliant: number;
    os_machines: number;
    kylin: number;
    domestic_os: number;
    office_installs: number;
    domestic_office: number;
  }>(
    db,
    // One pass over the machines' product rows and one over their open findings, each joined to
    // the machines in scope (hash joins for a city, index lookups for a unit), instead of five
    // correlated subqueries per machine: the city-wide overview reads 100,000 machines.
    sql`WITH ms AS (
          SELECT m.id, ${key} AS key, o.name AS label
          FROM machines m JOIN orgs o ON o.id = m.org_id
          WHERE m.inventory IS NOT NULL AND m.retired_at IS NULL AND ${orgPathInScope(scope, sql`o.path`)}
        ),
        products AS (
          SELECT p.machine_id,
                 bool_or(p.source = 'os') AS has_os,
                 bool_or(p.product_id = ANY(${textArray(kylin)})) AS kylin,
                 bool_or(p.product_id = ANY(${textArray(domesticOs)})) AS domestic_os,
                 count(*) FILTER (WHERE p.source = 'office') AS office,
                 count(*) FILTER (WHERE p.source = 'office' AND p.product_id = ANY(${textArray(domesticOffice)})) AS domestic_office
          FROM machine_products p JOIN ms ON ms.id = p.machine_id
          GROUP BY p.machine_id
        ),
        non_compliant AS (
          SELECT DISTINCT f.machine_id FROM machine_findings f JOIN ms ON ms.id = f.machine_id
          WHERE f.closed_at IS NULL AND f.severity = ANY(${textArray([...NON_COMPLIANT_SEVERITIES])})
        )
        SELECT ms.key, ${by === 'unit' ? sql`min(ms.label)` : sql`ms.key`} AS label, count(*)::int AS machines,
          count(*) FILTER (WHERE nc.machine_id IS NULL)::int AS compliant,
          count(*) FILTER (WHERE p.has_os)::int AS os_machines,
          count(*) FILTER (WHERE p.kylin)::int AS kylin,
          count(*) FILTER (WHERE p.domestic_os)::int AS domestic_os,
          coalesce(sum(p.office), 0)::int AS office_installs,
          coalesce(sum(p.domestic_office), 0)::int AS domestic_office
        FROM ms LEFT JOIN products p ON p.machine_id = ms.id LEFT JOIN non_compliant nc ON nc.machine_id = ms.id
        GROUP BY ms.key ORDER BY ${by === 'unit' ? sql`min(ms.label)` : sql`ms.key`}`,
  );
  const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);
  return rows.map((r) => ({
    key: r.key,
    label: r.label,
    machines: r.machines,
    compliantMachines: r.compliant,
    complianceRate: ratio(r.compliant, r.machines),
    osMachines: r.os_machines,
    kylinMachines: r.kylin,
    kylinShare: ratio(r.kylin, r.os_machines),
    domesticOsMachines: r.domestic_os,
    domesticOsShare: ratio(r.domestic_os, r.os_machines),
    officeSuites: r.office_installs,
    domesticOfficeSuites: r.domestic_office,
    domesticOfficeShare: ratio(r.domestic_office, r.office_installs),
  }));
}
