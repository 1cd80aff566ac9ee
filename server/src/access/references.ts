/**
 * References: request values (path parameters, query or body fields) that name an org-owned
 * record. A route declares them in its access policy; the access plugin resolves each value to the
 * org that owns the record and refuses the request when that org lies outside the caller's scope.
 */
import { eq } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../db/database.ts';
import { agents, enrollmentTokens, machines, orgs, users } from '../db/schema.ts';
import { inspectionCampaigns } from '../db/schema/inspections.ts';

/** A kind of org-owned record and how to find the org that owns one. */
export interface OrgReference {
  /** Record kind in messages and error codes: `machine` -> `machine.not-found`. */
  readonly kind: string;
  /** The owning org's id, or undefined when no such record exists. */
  resolve(db: Db, id: string): Promise<string | undefined>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A reference to rows of a table with a UUID primary key and an org column: `ownedBy('licence',
 * licences.id, licences.orgId)`. Non-UUID values resolve to nothing (PostgreSQL would refuse to
 * compare them with a uuid column).
 */
export function ownedBy(kind: string, idColumn: AnyPgColumn, orgIdColumn: AnyPgColumn): OrgReference {
  return {
    kind,
    async resolve(db, id) {
      if (!UUID.test(id)) return undefined;
      const rows = await db.select({ orgId: orgIdColumn }).from(idColumn.table).where(eq(idColumn, id.toLowerCase())).limit(1);
      return (rows[0]?.orgId as string | undefined) ?? undefined;
    },
  };
}

/** An org (bureau, zone or unit): owned by itself. */
export const orgRef = ownedBy('org', orgs.id, orgs.id);
export const machineRef = ownedBy('machine', machines.id, machines.orgId);
export const agentRef = ownedBy('agent', agents.id, agents.orgId);
export const userRef = ownedBy('user', users.id, users.orgId);
export const enrollmentTokenRef = ownedBy('enrollment-token', enrollmentTokens.id, enrollmentTokens.orgId);
export const campaignRef = ownedBy('campaign', inspectionCampaigns.id, inspectionCampaigns.orgId);
