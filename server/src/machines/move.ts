import { eq } from 'drizzle-orm';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import { loadRuleSet } from '../catalog/queries.ts';
import { recomputeUnitGroups, todayInChina } from '../compliance/recompute.ts';
import type { Db } from '../db/database.ts';
import { machineFindings } from '../db/schema/compliance.ts';
import { agents, machines, orgs } from '../db/schema.ts';
import { badRequest } from '../errors.ts';
import { notifyLive } from '../live/events.ts';

/**
 * Moves a machine to another org (both in the caller's scope): the machine, its agents (they
 * report for the machine's org from now on) and its findings follow; both units' licence positions
 * are recomputed; all in one transaction with the audit entry.
 */
export async function moveMachine(db: Db, actor: AuditActor, machineId: string, orgId: string): Promise<{ moved: boolean }> {
  return db.transaction(async (tx) => {
    const [machine] = await tx.select({ orgId: machines.orgId, hostname: machines.hostname }).from(machines).where(eq(machines.id, machineId)).for('update');
    if (!machine) throw badRequest('machine.not-found', 'the machine does not exist');
    if (machine.orgId === orgId) return { moved: false };
    const units = await tx.select({ id: orgs.id, path: orgs.path }).from(orgs).where(eq(orgs.id, machine.orgId));
    const [target] = await tx.select({ id: orgs.id, path: orgs.path }).from(orgs).where(eq(orgs.id, orgId));
    if (!target) throw badRequest('org.not-found', 'the org to move to does not exist');
    await tx.update(machines).set({ orgId }).where(eq(machines.id, machineId));
    await tx.update(agents).set({ orgId }).where(eq(agents.machineId, machineId));
    await tx.update(machineFindings).set({ orgId }).where(eq(machineFindings.machineId, machineId));
    // Recorded for both units, so the admins of each see the machine arrive or leave.
    for (const side of [machine.orgId, orgId]) {
      await recordAudit(tx, { actor, action: 'machine.move', targetType: 'machine', targetId: machineId, orgId: side, before: { orgId: machine.orgId, hostname: machine.hostname }, after: { orgId } });
    }
    // The machine's installs leave one unit's positions and join the other's.
    const loaded = await loadRuleSet(tx);
    const asOf = todayInChina();
    // In id order: each recompute takes its unit's advisory lock, and two moves in opposite
    // directions must take the two locks in the same order or deadlock.
    for (const unit of [...units, target].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      const result = await recomputeUnitGroups(tx, { orgId: unit.id, orgPath: unit.path }, null, loaded, asOf);
      await notifyLive(tx, result.events);
    }
    return { moved: true };
  });
}
