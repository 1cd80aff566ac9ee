import { randomUUID } from 'node:crypto';
import { and, asc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { scopeWhere, type Scope } from '../access/scope.ts';
import type { Db } from '../db/database.ts';
import { orgs, ORG_KINDS } from '../db/schema.ts';
import { escapeLike } from '../db/like.ts';

export type OrgKind = (typeof ORG_KINDS)[number];

export interface NewOrg {
  parentId: string | null;
  kind: OrgKind;
  name: string;
  creditCode?: string | null;
  sector?: string | null;
  region?: string | null;
  head?: string | null;
  liaison?: string | null;
  phone?: string | null;
  expectedMachines?: number | null;
}

/** Inserts an org under `parentId` (null = a root) and fills in its materialised path. */
export async function insertOrg(db: Db, org: NewOrg): Promise<{ id: string; path: string }> {
  const id = randomUUID();
  let parentPath = '/';
  if (org.parentId) {
    const [parent] = await db.select({ path: orgs.path }).from(orgs).where(eq(orgs.id, org.parentId));
    if (!parent) throw new Error(`inserting org: parent ${org.parentId} does not exist`);
    parentPath = parent.path;
  }
  const path = `${parentPath}${id}/`;
  await db.insert(orgs).values({ id, path, ...org });
  return { id, path };
}

/** An org by id, or undefined. */
export async function getOrgById(db: Db, id: string) {
  const [org] = await db.select().from(orgs).where(eq(orgs.id, id));
  return org;
}

/** The columns the API shows of an org (the path stays inside the server). */
export const orgColumns = {
  id: orgs.id,
  parentId: orgs.parentId,
  kind: orgs.kind,
  name: orgs.name,
  creditCode: orgs.creditCode,
  sector: orgs.sector,
  region: orgs.region,
  head: orgs.head,
  liaison: orgs.liaison,
  phone: orgs.phone,
  expectedMachines: orgs.expectedMachines,
  /** 0 for a root; the depth in the tree. */
  depth: sql<number>`(length(${orgs.path}) - length(replace(${orgs.path}, '/', '')) - 2)`.mapWith(Number),
  createdAt: orgs.createdAt,
};

export interface OrgFilter {
  /** Direct children of this org only. */
  parentId?: string | undefined;
  kind?: OrgKind | undefined;
  sector?: string | undefined;
  /** Part of the name or the credit code. */
  q?: string | undefined;
}

/** Orgs in scope, tree order (parents before children), one page at a time, with the total. */
export async function listOrgs(db: Db, scope: Scope, filter: OrgFilter, page: { limit: number; offset: number }) {
  const where: SQL[] = [scopeWhere(scope, orgs.id)];
  if (filter.parentId) where.push(eq(orgs.parentId, filter.parentId));
  if (filter.kind) where.push(eq(orgs.kind, filter.kind));
  if (filter.sector) where.push(eq(orgs.sector, filter.sector));
  if (filter.q) where.push(or(ilike(orgs.name, `%${escapeLike(filter.q)}%`), ilike(orgs.creditCode, `%${escapeLike(filter.q)}%`))!);
  const condition = and(...where);
  const [rows, [total]] = await Promise.all([
    db.select(orgColumns).from(orgs).where(condition).orderBy(asc(orgs.path)).limit(page.limit).offset(page.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(orgs).where(condition),
  ]);
  return { orgs: rows, total: total?.n ?? 0 };
}

/** One org as the API shows it, with how many direct children it has. */
export async function getOrgView(db: Db, id: string) {
  const [org] = await db
    .select({ ...orgColumns, childCount: sql<number>`(SELECT count(*)::int FROM ${orgs} c WHERE c.parent_id = ${orgs.id})` })
    .from(orgs)
    .where(eq(orgs.id, id));
  return org;
}
