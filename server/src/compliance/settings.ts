import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { orgs } from '../db/schema.ts';
import { complianceSettings } from '../db/schema/compliance.ts';
import { forbidden, notFound } from '../errors.ts';
import { auditLedgerChange } from '../ledger/audit.ts';
import { normaliseKmsHost } from './findings.ts';
import { recomputeAll } from './recompute.ts';

/** An org's compliance settings (defaults when never set). */
export async function getComplianceSettings(db: Db, orgId: string) {
  const [row] = await db.select().from(complianceSettings).where(eq(complianceSettings.orgId, orgId));
  return { orgId, approvedKmsHosts: row?.approvedKmsHosts ?? [], webhookUrl: row?.webhookUrl ?? null };
}

/**
 * Saves an org's approved KMS hosts (and, for bureau admins, its alert webhook), audited, then
 * recomputes everything under the org: a host added to the list closes its findings at once.
 */
export async function saveComplianceSettings(
  db: Db,
  actorUserId: string,
  orgId: string,
  input: { approvedKmsHosts: string[]; webhookUrl?: string | null | undefined },
  options: { webhookAllowed: boolean },
) {
  const [org] = await db.select({ path: orgs.path }).from(orgs).where(eq(orgs.id, orgId));
  if (!org) throw notFound('org.not-found', `no org ${orgId}`);
  const before = await getComplianceSettings(db, orgId);
  if (input.webhookUrl !== undefined && input.webhookUrl !== before.webhookUrl && !options.webhookAllowed) {
    throw forbidden('access.denied', 'only bureau administrators set the alert webhook');
  }
  const hosts = [...new Set(input.approvedKmsHosts.map(normaliseKmsHost))].sort();
  const webhookUrl = input.webhookUrl === undefined ? before.webhookUrl : input.webhookUrl;
  await db.transaction(async (tx) => {
    await tx
      .insert(complianceSettings)
      .values({ orgId, approvedKmsHosts: hosts, webhookUrl })
      .onConflictDoUpdate({ target: complianceSettings.orgId, set: { approvedKmsHosts: hosts, webhookUrl, updatedAt: sql`now()` } });
    await auditLedgerChange(tx, { actorUserId, orgId, action: 'compliance.settings-changed', targetId: orgId, detail: { before, after: { approvedKmsHosts: hosts, webhookUrl } } });
  });
  await recomputeAll(db, { orgPath: org.path });
  return getComplianceSettings(db, orgId);
}
