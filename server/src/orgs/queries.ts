import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { orgs, ORG_KINDS } from '../db/schema.ts';

export type OrgKind = (typeof ORG_KINDS)[number];

export interface NewOrg {
  parentId: string | null;
  kind: OrgKind;
  name: string;
  sector?: string;
  region?: string;
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
