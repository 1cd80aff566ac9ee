import { sql, type SQL } from 'drizzle-orm';
import type { Scope } from '../access/scope.ts';
import { orgPathInScope } from '../access/scope.ts';
import { queryRows, type Db } from '../db/database.ts';

/**
 * Recognised products as installed on the machines in scope (软件 page): every product, free ones
 * included (licence positions leave free software out), with the machines behind each count.
 */

function scopeConditions(scope: Scope, orgId: string | undefined): SQL[] {
  const conditions: SQL[] = [orgPathInScope(scope, sql`o.path`)];
  if (orgId) conditions.push(sql`m.org_id = ${orgId}::uuid`);
  return conditions;
}

/** Each recognised product in scope with the machines and units that have it, most machines first. */
export async function listInstalledProducts(db: Db, scope: Scope, filter: { orgId?: string | undefined }) {
  return queryRows<{ productId: string; machines: number; units: number }>(
    db,
    sql`SELECT mp.product_id AS "productId", count(*)::int AS machines, count(DISTINCT m.org_id)::int AS units
        FROM machine_products mp JOIN machines m ON m.id = mp.machine_id JOIN orgs o ON o.id = m.org_id
        WHERE ${sql.join(scopeConditions(scope, filter.orgId), sql` AND `)}
        GROUP BY mp.product_id ORDER BY machines DESC, mp.product_id`,
  );
}

/** The machines in scope with one product, by hostname, a page at a time, with the total. */
export async function listProductMachines(db: Db, scope: Scope, filter: { productId: string; orgId?: string | undefined; limit: number; offset: number }) {
  const where = sql.join([...scopeConditions(scope, filter.orgId), sql`mp.product_id = ${filter.productId}`], sql` AND `);
  const [count] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM machine_products mp JOIN machines m ON m.id = mp.machine_id JOIN orgs o ON o.id = m.org_id WHERE ${where}`,
  );
  const machines = await queryRows<{ id: string; hostname: string; orgId: string; orgName: string; edition: string | null; version: string | null; source: string; evidence: string; lastSeenAt: string | null }>(
    db,
    sql`SELECT m.id, m.hostname, m.org_id AS "orgId", o.name AS "orgName", mp.edition, mp.version, mp.source, mp.evidence, m.last_seen_at AS "lastSeenAt"
        FROM machine_products mp JOIN machines m ON m.id = mp.machine_id JOIN orgs o ON o.id = m.org_id
        WHERE ${where} ORDER BY m.hostname, m.id LIMIT ${filter.limit} OFFSET ${filter.offset}`,
  );
  return { machines: machines.map((m) => ({ ...m, lastSeenAt: m.lastSeenAt === null ? null : new Date(m.lastSeenAt).toISOString() })), total: count?.n ?? 0 };
}
