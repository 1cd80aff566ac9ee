import { sql, type SQL } from 'drizzle-orm';
import type { Scope } from '../access/scope.ts';
import { orgPathInScope } from '../access/scope.ts';
import { queryRows, type Db } from '../db/database.ts';

/**
 * Open findings in scope counted by code and severity, with the machines they touch: the summary
 * above the 问题 list, exact however many findings there are (the list itself is paged).
 */
export async function countOpenFindings(db: Db, scope: Scope, filter: { orgId?: string | undefined }) {
  const conditions: SQL[] = [orgPathInScope(scope, sql`o.path`), sql`f.closed_at IS NULL`];
  if (filter.orgId) conditions.push(sql`f.org_id = ${filter.orgId}::uuid`);
  return queryRows<{ code: string; severity: string; findings: number; machines: number }>(
    db,
    sql`SELECT f.code, f.severity, count(*)::int AS findings, count(DISTINCT f.machine_id)::int AS machines
        FROM machine_findings f JOIN orgs o ON o.id = f.org_id
        WHERE ${sql.join(conditions, sql` AND `)}
        GROUP BY f.code, f.severity ORDER BY findings DESC, f.code, f.severity`,
  );
}
