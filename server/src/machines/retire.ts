import { and, eq, isNull, sql } from 'drizzle-orm';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import { loadRuleSet } from '../catalog/queries.ts';
import { syncFindings } from '../compliance/finding-queries.ts';
import { recomputeUnitGroups, refreshMachineCompliance, todayInChina } from '../compliance/recompute.ts';
import type { Db } from '../db/database.ts';
import { machineRetirements } from '../db/schema/machine-retirements.ts';
import { machines, orgs } from '../db/schema.ts';
import { conflict, notFound } from '../errors.ts';
import { notifyLive, type LiveEventInput } from '../live/events.ts';

/**
 * Retiring (报废/停用) and restoring a machine. A retired machine is no longer one of the unit's
 * computers: the annual return leaves it out from the day it was retired, its installs leave the
 * unit's licence positions and its findings are closed (it can no longer be rectified). Restoring
 * undoes all of it: its inventory is recognised again and the positions take its installs back.
 * Each change runs in one transaction with its audit entry; the retirement row keeps who, when
 * and why, so the history survives any number of retire/restore cycles.
 */

/** The machine row locked for the change, with its unit's path. */
async function lockMachine(tx: Db, machineId: string) {
  const [machine] = await tx
    .select({ id: machines.id, orgId: machines.orgId, orgPath: orgs.path, hostname: machines.hostname, retiredAt: machines.retiredAt })
    .from(machines)
    .innerJoin(orgs, eq(orgs.id, machines.orgId))
    .where(eq(machines.id, machineId))
    .for('update', { of: machines });
  if (!machine) throw notFound('machine.not-found', `no machine ${machineId}`);
  return machine;
}

/** Recomputes every licence position of the unit (a machine's installs joined or left them). */
async function recomputeUnit(tx: Db, unit: { orgId: string; orgPath: string }): Promise<LiveEventInput[]> {
  const result = await recomputeUnitGroups(tx, unit, null, await loadRuleSet(tx), todayInChina());
  return result.events;
}

export interface RetirementResult {
  machineId: string;
  retiredAt: string | null;
  /** Findings closed (retire) or opened again (restore) with it. */
  findingsChanged: number;
}

/** Retires a machine, saying why. 409 when it is retired already. */
export async function retireMachine(db: Db, actor: AuditActor, machineId: string, reason: string): Promise<RetirementResult> {
  return db.transaction(async (tx) => {
    const machine = await lockMachine(tx, machineId);
    if (machine.retiredAt) throw conflict('machine.already-retired', `${machine.hostname} has been retired since ${machine.retiredAt.toISOString()}`);
    const [retirement] = await tx.insert(machineRetirements).values({ machineId, retiredBy: actor.userId, reason }).returning();
    // retired_at and the findings' closed_at are both the transaction's now(): equal values say
    // "closed because the machine was retired", which the annual summary must not call rectified.
    await tx.update(machines).set({ retiredAt: sql`now()` }).where(eq(machines.id, machineId));
    const closed = await syncFindings(tx, [{ machineId, orgId: machine.orgId }], sql`TRUE`, new Map());
    const events: LiveEventInput[] = closed.map((f) => ({ type: 'finding.closed', orgId: f.orgId, orgPath: machine.orgPath, machineId, code: f.code, subject: f.subject }));
    events.push(...(await recomputeUnit(tx, machine)));
    await recordAudit(tx, {
      actor,
      action: 'machine.retire',
      targetType: 'machine',
      targetId: machineId,
      orgId: machine.orgId,
      before: { hostname: machine.hostname, retiredAt: null },
      after: { retiredAt: retirement!.retiredAt, reason, findingsClosed: closed.length },
    });
    await notifyLive(tx, events);
    return { machineId, retiredAt: retirement!.retiredAt.toISOString(), findingsChanged: closed.length };
  });
}

/** Puts a retired machine back in use, saying why. 409 when it is not retired. */
export async function restoreMachine(db: Db, actor: AuditActor, machineId: string, reason: string): Promise<RetirementResult> {
  return db.transaction(async (tx) => {
    const machine = await lockMachine(tx, machineId);
    if (!machine.retiredAt) throw conflict('machine.not-retired', `${machine.hostname} is not retired`);
    await tx
      .update(machineRetirements)
      .set({ restoredAt: sql`now()`, restoredBy: actor.userId, restoreReason: reason })
      .where(and(eq(machineRetirements.machineId, machineId), isNull(machineRetirements.restoredAt)));
    await tx.update(machines).set({ retiredAt: null }).where(eq(machines.id, machineId));
    // Its inventory is recognised again (findings reopen as new rows: the old ones stay closed as
    // history), then every position of the unit takes its installs back.
    const refreshed = await refreshMachineCompliance(tx, machineId);
    await notifyLive(tx, await recomputeUnit(tx, machine));
    const reopened = refreshed.findingChanges.filter((f) => f.change === 'opened').length;
    await recordAudit(tx, {
      actor,
      action: 'machine.restore',
      targetType: 'machine',
      targetId: machineId,
      orgId: machine.orgId,
      before: { hostname: machine.hostname, retiredAt: machine.retiredAt },
      after: { retiredAt: null, reason, findingsReopened: reopened },
    });
    return { machineId, retiredAt: null, findingsChanged: reopened };
  });
}
