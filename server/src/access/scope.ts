/**
 * THE scoping rule. A caller's scope is a set of org subtrees: a bureau or unit role sees the
 * subtree of its own org; an inspector sees the subtrees of the units of the inspection campaigns
 * it is assigned to. Every read of org-owned data filters with `scopeWhere`, every reference in a
 * request is checked with `isOrgInScope` (plugins/access.ts does that before the handler runs).
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Viewer } from '../auth/viewer.ts';
import type { Db } from '../db/database.ts';
import { orgs } from '../db/schema.ts';

/** What a signed-in caller may reach. */
export interface Scope {
  readonly viewer: Viewer;
  /** Materialised paths of the subtree roots in scope; empty = nothing. */
  readonly paths: readonly string[];
  /** Whether the caller's role may change data at all (admins) — per route, the policy decides. */
  readonly canWrite: boolean;
}

/**
 * Where inspectors' campaign units come from. Kept as a hook so that the scoping rule does not
 * depend on the inspections module; `setInspectorScopeSource` is called once at start-up.
 */
export type InspectorScopeSource = (db: Db, userId: string) => Promise<string[]>;
let inspectorPaths: InspectorScopeSource = async () => [];

/** Installs the query that lists the org paths an inspector may read. */
export function setInspectorScopeSource(source: InspectorScopeSource): void {
  inspectorPaths = source;
}

/** The scope of a signed-in user. */
export async function scopeForViewer(db: Db, viewer: Viewer): Promise<Scope> {
  if (viewer.role === 'inspector') return { viewer, paths: removeNested(await inspectorPaths(db, viewer.userId)), canWrite: false };
  return { viewer, paths: [viewer.orgPath], canWrite: viewer.role === 'bureau-admin' || viewer.role === 'unit-admin' };
}

/** Drops paths that lie inside another path of the list (they add nothing and cost a LIKE each). */
function removeNested(paths: string[]): string[] {
  const sorted = [...new Set(paths)].sort();
  return sorted.filter((path, i) => !sorted.slice(0, i).some((other) => path.startsWith(other)));
}

/** True when an org with this materialised path lies in scope. */
export function isPathInScope(scope: Scope, path: string): boolean {
  return scope.paths.some((root) => path.startsWith(root));
}

/** SQL condition on a table's org column: the row's org lies in scope. */
export function scopeWhere(scope: Scope, orgIdColumn: AnyPgColumn): SQL {
  return sql`${orgIdColumn} IN (SELECT ${orgs.id} FROM ${orgs} WHERE ${orgPathInScope(scope, orgs.path)})`;
}

/** SQL condition on a materialised-path column: the path lies in scope. */
export function orgPathInScope(scope: Scope, pathColumn: AnyPgColumn | SQL): SQL {
  if (scope.paths.length === 0) return sql`false`;
  // Paths are built by the server from UUIDs and '/', so they hold no LIKE wildcards to escape.
  const each = scope.paths.map((root) => sql`${pathColumn} LIKE ${`${root}%`}`);
  return sql`(${sql.join(each, sql` OR `)})`;
}

/** True when the org exists and lies in scope. */
export async function isOrgInScope(db: Db, scope: Scope, orgId: string): Promise<boolean> {
  const [org] = await db.select({ path: orgs.path }).from(orgs).where(eq(orgs.id, orgId));
  return org ? isPathInScope(scope, org.path) : false;
}
