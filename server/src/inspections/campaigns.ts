import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { scopeWhere, type Scope } from '../access/scope.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import type { Db } from '../db/database.ts';
import { campaignInspectors, campaignUnits, CAMPAIGN_KINDS, inspectionCampaigns } from '../db/schema/inspections.ts';
import { orgs, users } from '../db/schema.ts';
import { badRequest } from '../errors.ts';

export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

/**
 * The org paths an inspector may read: the units of the open campaigns it is assigned to (and
 * whatever lies under those units). Installed as the inspector scope source at start-up.
 */
export async function listInspectorPaths(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .select({ path: orgs.path })
    .from(campaignInspectors)
    .innerJoin(inspectionCampaigns, eq(inspectionCampaigns.id, campaignInspectors.campaignId))
    .innerJoin(campaignUnits, eq(campaignUnits.campaignId, inspectionCampaigns.id))
    .innerJoin(orgs, eq(orgs.id, campaignUnits.orgId))
    .where(and(eq(campaignInspectors.userId, userId), isNull(inspectionCampaigns.closedAt)));
  return rows.map((row) => row.path);
}

export interface CampaignInput {
  orgId: string;
  name: string;
  kind: CampaignKind;
  startsOn: string | null;
  endsOn: string | null;
  unitIds: string[];
  inspectorIds: string[];
}

export interface CampaignPatch {
  name?: string | undefined;
  startsOn?: string | null | undefined;
  endsOn?: string | null | undefined;
  unitIds?: string[] | undefined;
  inspectorIds?: string[] | undefined;
  closed?: boolean | undefined;
}

async function checkInspectors(tx: Db, inspectorIds: string[]): Promise<void> {
  if (!inspectorIds.length) return;
  const rows = await tx.select({ id: users.id, role: users.role, username: users.username }).from(users).where(inArray(users.id, inspectorIds));
  const wrong = rows.filter((row) => row.role !== 'inspector');
  if (wrong.length) throw badRequest('campaign.not-inspector', `only users with the inspector role can be assigned: ${wrong.map((w) => w.username).join(', ')}`);
}

async function replaceMembers(tx: Db, campaignId: string, unitIds: string[] | undefined, inspectorIds: string[] | undefined): Promise<void> {
  if (unitIds) {
    await tx.delete(campaignUnits).where(eq(campaignUnits.campaignId, campaignId));
    if (unitIds.length) await tx.insert(campaignUnits).values([...new Set(unitIds)].map((orgId) => ({ campaignId, orgId })));
  }
  if (inspectorIds) {
    await checkInspectors(tx, inspectorIds);
    await tx.delete(campaignInspectors).where(eq(campaignInspectors.campaignId, campaignId));
    if (inspectorIds.length) await tx.insert(campaignInspectors).values([...new Set(inspectorIds)].map((userId) => ({ campaignId, userId })));
  }
}

/** Creates a campaign run by an org in scope, covering units in scope, with inspectors in scope; audited. */
export async function createCampaign(db: Db, actor: AuditActor, input: CampaignInput): Promise<{ id: string }> {
  return db.transaction(async (tx) => {
    const { unitIds, inspectorIds, ...fields } = input;
    const [row] = await tx.insert(inspectionCampaigns).values(fields).returning({ id: inspectionCampaigns.id });
    await replaceMembers(tx, row!.id, unitIds, inspectorIds);
    await recordAudit(tx, { actor, action: 'campaign.create', targetType: 'campaign', targetId: row!.id, orgId: input.orgId, after: input });
    return { id: row!.id };
  });
}

/** Changes a campaign, replaces its units or inspectors, or closes it (its inspectors lose access); audited. */
export async function updateCampaign(db: Db, actor: AuditActor, id: string, patch: CampaignPatch): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await getCampaign(tx, id);
    if (!before) throw badRequest('campaign.not-found', 'the campaign does not exist');
    const { unitIds, inspectorIds, closed, ...fields } = patch;
    const set: Partial<typeof inspectionCampaigns.$inferInsert> = { ...fields };
    if (closed !== undefined) set.closedAt = closed ? (before.closedAt ?? new Date()) : null;
    if (Object.keys(set).length) await tx.update(inspectionCampaigns).set(set).where(eq(inspectionCampaigns.id, id));
    await replaceMembers(tx, id, unitIds, inspectorIds);
    await recordAudit(tx, { actor, action: 'campaign.update', targetType: 'campaign', targetId: id, orgId: before.orgId, before, after: await getCampaign(tx, id) });
  });
}

/**
 * One campaign with its units and inspectors; with a scope, only those in it (a unit moved out of
 * the bureau's subtree since stays in the campaign but is not shown).
 */
export async function getCampaign(db: Db, id: string, scope?: Scope) {
  const [campaign] = await db.select().from(inspectionCampaigns).where(eq(inspectionCampaigns.id, id));
  if (!campaign) return undefined;
  const [units, inspectors] = await Promise.all([
    db.select({ id: orgs.id, name: orgs.name }).from(campaignUnits).innerJoin(orgs, eq(orgs.id, campaignUnits.orgId)).where(and(eq(campaignUnits.campaignId, id), scope ? scopeWhere(scope, orgs.id) : undefined)).orderBy(asc(orgs.name)),
    db.select({ id: users.id, username: users.username, displayName: users.displayName }).from(campaignInspectors).innerJoin(users, eq(users.id, campaignInspectors.userId)).where(and(eq(campaignInspectors.campaignId, id), scope ? scopeWhere(scope, users.orgId) : undefined)).orderBy(asc(users.username)),
  ]);
  return { ...campaign, units, inspectors };
}

/** Campaigns run by orgs in scope, newest first, with how many units and inspectors each has. */
export async function listCampaigns(db: Db, scope: Scope) {
  return db
    .select({
      id: inspectionCampaigns.id,
      orgId: inspectionCampaigns.orgId,
      name: inspectionCampaigns.name,
      kind: inspectionCampaigns.kind,
      startsOn: inspectionCampaigns.startsOn,
      endsOn: inspectionCampaigns.endsOn,
      closedAt: inspectionCampaigns.closedAt,
      unitCount: sql<number>`(SELECT count(*)::int FROM ${campaignUnits} WHERE ${campaignUnits.campaignId} = ${inspectionCampaigns.id})`,
      inspectorCount: sql<number>`(SELECT count(*)::int FROM ${campaignInspectors} WHERE ${campaignInspectors.campaignId} = ${inspectionCampaigns.id})`,
    })
    .from(inspectionCampaigns)
    .where(scopeWhere(scope, inspectionCampaigns.orgId))
    .orderBy(desc(inspectionCampaigns.createdAt))
    .limit(1000);
}

/** The open campaigns an inspector works on (shown at /api/auth/me). */
export async function listCampaignsOfInspector(db: Db, userId: string) {
  return db
    .select({ id: inspectionCampaigns.id, name: inspectionCampaigns.name, kind: inspectionCampaigns.kind })
    .from(campaignInspectors)
    .innerJoin(inspectionCampaigns, eq(inspectionCampaigns.id, campaignInspectors.campaignId))
    .where(and(eq(campaignInspectors.userId, userId), isNull(inspectionCampaigns.closedAt)))
    .orderBy(asc(inspectionCampaigns.name));
}
