import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Viewer } from '../auth/viewer.ts';
import { orgs } from '../db/schema.ts';

/**
 * THE scoping rule: a viewer sees the rows whose org lies in the subtree of their own org.
 * Every read of org-owned data goes through this one condition, so role-based narrowing
 * (viewers vs admins, inspectors' campaigns) can later be added here and nowhere else.
 *
 * `orgIdColumn` is the org column of the table being read (machines.org_id, agents.org_id, ...).
 */
export function inViewerScope(viewer: Pick<Viewer, 'orgPath'>, orgIdColumn: AnyPgColumn): SQL {
  // Paths are built by the server from UUIDs and '/', so they hold no LIKE wildcards to escape.
  return sql`${orgIdColumn} IN (SELECT ${orgs.id} FROM ${orgs} WHERE ${orgs.path} LIKE ${`${viewer.orgPath}%`})`;
}
