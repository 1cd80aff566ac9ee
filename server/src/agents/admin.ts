/**
 * Administering enrolment tokens and agents (issue #4): list within scope, create and revoke
 * tokens, revoke agents and rotate their secrets. Every change is audited in its own transaction,
 * which also publishes an `agent.revoked` live event: on commit every server node closes the
 * agent's socket if it holds it (agent-socket/revocation.ts). This node also closes it at once
 * through `disconnect`, without waiting for the NOTIFY round trip.
 */
import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { scopeWhere, type Scope } from '../access/scope.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import { generateToken, sha256Hex } from '../auth/secrets.ts';
import type { Db } from '../db/database.ts';
import { agents, enrollmentTokens, machines, orgs } from '../db/schema.ts';
import { conflict } from '../errors.ts';
import { notifyLive } from '../live/events.ts';
import { createEnrollmentToken } from './enrollment-tokens.ts';

/** Closes an agent's live socket on this node (the other nodes hear the `agent.revoked` event). */
export type DisconnectAgent = (agentId: string, reason: 'revoked' | 'secret-rotated') => void;

const tokenColumns = {
  id: enrollmentTokens.id,
  orgId: enrollmentTokens.orgId,
  orgName: orgs.name,
  label: enrollmentTokens.label,
  createdAt: enrollmentTokens.createdAt,
  expiresAt: enrollmentTokens.expiresAt,
  maxUses: enrollmentTokens.maxUses,
  uses: enrollmentTokens.uses,
  revokedAt: enrollmentTokens.revokedAt,
  /** active | expired | used-up | revoked */
  state: sql<string>`CASE
    WHEN ${enrollmentTokens.revokedAt} IS NOT NULL THEN 'revoked'
    WHEN ${enrollmentTokens.expiresAt} IS NOT NULL AND ${enrollmentTokens.expiresAt} <= now() THEN 'expired'
    WHEN ${enrollmentTokens.maxUses} IS NOT NULL AND ${enrollmentTokens.uses} >= ${enrollmentTokens.maxUses} THEN 'used-up'
    ELSE 'active' END`,
};

/** Enrolment tokens of orgs in scope (never the token text: only its hash is stored), newest first. */
export async function listEnrollmentTokens(db: Db, scope: Scope, filter: { orgId?: string | undefined; activeOnly?: boolean | undefined }) {
  const where: SQL[] = [scopeWhere(scope, enrollmentTokens.orgId)];
  if (filter.orgId) where.push(eq(enrollmentTokens.orgId, filter.orgId));
  if (filter.activeOnly) where.push(sql`${tokenColumns.state} = 'active'`);
  return db.select(tokenColumns).from(enrollmentTokens).innerJoin(orgs, eq(orgs.id, enrollmentTokens.orgId)).where(and(...where)).orderBy(desc(enrollmentTokens.createdAt)).limit(1000);
}

/** One token as listed. */
export async function getEnrollmentTokenView(db: Db, id: string) {
  const [row] = await db.select(tokenColumns).from(enrollmentTokens).innerJoin(orgs, eq(orgs.id, enrollmentTokens.orgId)).where(eq(enrollmentTokens.id, id));
  return row;
}

/** Issues a token for an org in scope; the token text is returned here, once. Audited. */
export async function issueEnrollmentToken(db: Db, actor: AuditActor, input: { orgId: string; label: string; expiresAt: Date | null; maxUses: number | null }) {
  return db.transaction(async (tx) => {
    const created = await createEnrollmentToken(tx, { orgId: input.orgId, label: input.label, ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}), ...(input.maxUses ? { maxUses: input.maxUses } : {}) });
    await recordAudit(tx, { actor, action: 'enrollment-token.create', targetType: 'enrollment-token', targetId: created.id, orgId: input.orgId, after: input });
    return created;
  });
}

/** Revokes a token: no more enrolments with it; agents enrolled with it keep working. Audited; revoking twice is a no-op. */
export async function revokeToken(db: Db, actor: AuditActor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(enrollmentTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(enrollmentTokens.id, id), isNull(enrollmentTokens.revokedAt)))
      .returning({ orgId: enrollmentTokens.orgId, label: enrollmentTokens.label });
    if (row) await recordAudit(tx, { actor, action: 'enrollment-token.revoke', targetType: 'enrollment-token', targetId: id, orgId: row.orgId, before: { revoked: false, label: row.label }, after: { revoked: true } });
  });
}

/** Agents of orgs in scope with their machine, newest enrolment first. */
export async function listAgents(db: Db, scope: Scope, filter: { orgId?: string | undefined; machineId?: string | undefined; includeRevoked?: boolean | undefined }) {
  const where: SQL[] = [scopeWhere(scope, agents.orgId)];
  if (filter.orgId) where.push(eq(agents.orgId, filter.orgId));
  if (filter.machineId) where.push(eq(agents.machineId, filter.machineId));
  if (!filter.includeRevoked) where.push(isNull(agents.revokedAt));
  return db
    .select({
      id: agents.id,
      orgId: agents.orgId,
      machine: { id: machines.id, hostname: machines.hostname },
      platform: agents.platform,
      agentVersion: agents.agentVersion,
      lastSeq: agents.lastSeq,
      enrolledAt: agents.enrolledAt,
      lastSeenAt: agents.lastSeenAt,
      secretRotatedAt: agents.secretRotatedAt,
      revokedAt: agents.revokedAt,
    })
    .from(agents)
    .innerJoin(machines, eq(machines.id, agents.machineId))
    .where(and(...where))
    .orderBy(desc(agents.enrolledAt))
    .limit(5000);
}

/**
 * Revokes an agent: its secret stops working, its live socket is closed at once, and every report
 * it sends from now on is refused (HTTP 401 `agent.revoked` at the next connection). Audited.
 */
export async function revokeAgent(db: Db, actor: AuditActor, disconnect: DisconnectAgent, agentId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(agents)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(agents.id, agentId), isNull(agents.revokedAt)))
      .returning({ orgId: agents.orgId, machineId: agents.machineId });
    if (!row) return;
    await recordAudit(tx, { actor, action: 'agent.revoke', targetType: 'agent', targetId: agentId, orgId: row.orgId, before: { revoked: false, machineId: row.machineId }, after: { revoked: true } });
    await announceRevocation(tx, { agentId, orgId: row.orgId, machineId: row.machineId, reason: 'revoked' });
  });
  // Also when it was revoked already: a socket that slipped through is closed all the same.
  disconnect(agentId, 'revoked');
}

/**
 * Gives an agent a new secret, returned here once; the old one stops working and the live socket
 * (authenticated with it) is closed. The agent then needs the new secret in its credentials.json,
 * or it enrols again (see the server README, "Agents"). Audited, without the secret.
 */
export async function rotateAgentSecret(db: Db, actor: AuditActor, disconnect: DisconnectAgent, agentId: string): Promise<{ agentId: string; secret: string }> {
  const secret = generateToken(32);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(agents)
      .set({ secretHash: sha256Hex(secret), secretRotatedAt: sql`now()` })
      .where(and(eq(agents.id, agentId), isNull(agents.revokedAt)))
      .returning({ orgId: agents.orgId, machineId: agents.machineId });
    if (!row) throw conflict('agent.revoked', 'a revoked agent cannot get a new secret: enrol the machine again');
    await recordAudit(tx, { actor, action: 'agent.rotate-secret', targetType: 'agent', targetId: agentId, orgId: row.orgId });
    await announceRevocation(tx, { agentId, orgId: row.orgId, machineId: row.machineId, reason: 'secret-rotated' });
  });
  disconnect(agentId, 'secret-rotated');
  return { agentId, secret };
}

/** Publishes `agent.revoked` in the transaction: delivered to every node (and the unit's dashboards) on commit. */
async function announceRevocation(tx: Db, event: { agentId: string; orgId: string; machineId: string; reason: 'revoked' | 'secret-rotated' }) {
  const [org] = await tx.select({ path: orgs.path }).from(orgs).where(eq(orgs.id, event.orgId));
  await notifyLive(tx, [{ type: 'agent.revoked', orgPath: org?.path ?? '/', ...event }]);
}
