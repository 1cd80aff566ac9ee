import { and, eq, inArray, or, type SQL } from 'drizzle-orm';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import type { Db } from '../db/database.ts';
import { machines, orgs } from '../db/schema.ts';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '../db/pg-errors.ts';
import { badRequest, conflict } from '../errors.ts';
import type { RegisteredMachine } from './fields.ts';

/**
 * Registering machines that have no agent (登记无代理计算机): a PC that cannot run one, an
 * air-gapped or classified PC, a broken one awaiting repair. It is one of the unit's computers
 * from the day it is registered (the annual return counts it, under the OS family given); it has
 * no software facts, so licence positions and compliance rates never see it. When an agent later
 * enrols on it and reports the same serial, enrolment finds this record (machines/identity.ts).
 */

/** A machine of the unit that already carries one of the asset tags or serials. */
export interface ExistingMachine {
  id: string;
  orgId: string;
  hostname: string;
  assetTag: string | null;
  serial: string | null;
}

/** Machines of the given units already registered with one of these asset tags or serials. */
export async function findMachinesByTagOrSerial(db: Db, orgIds: readonly string[], assetTags: readonly string[], serials: readonly string[]): Promise<ExistingMachine[]> {
  const anyOf: SQL[] = [];
  if (assetTags.length) anyOf.push(inArray(machines.assetTag, [...assetTags]));
  if (serials.length) anyOf.push(inArray(machines.hardwareSerial, [...serials]));
  if (anyOf.length === 0 || orgIds.length === 0) return [];
  return db
    .select({ id: machines.id, orgId: machines.orgId, hostname: machines.hostname, assetTag: machines.assetTag, serial: machines.hardwareSerial })
    .from(machines)
    .where(and(inArray(machines.orgId, [...orgIds]), or(...anyOf)));
}

/** Inserts registered machines of one unit with an audit entry each; the caller's transaction. */
export async function insertRegisteredMachines(tx: Db, actor: AuditActor, orgId: string, rows: readonly RegisteredMachine[], how: 'form' | 'import'): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await tx
    .insert(machines)
    .values(
      rows.map((row) => ({
        orgId,
        hostname: row.hostname,
        osFamily: row.osFamily,
        hardwareSerial: row.serial,
        assetTag: row.assetTag,
        department: row.department,
        note: row.note,
        registeredBy: actor.userId,
      })),
    )
    .returning({ id: machines.id });
  for (const [i, { id }] of inserted.entries()) {
    await recordAudit(tx, { actor, action: 'machine.register', targetType: 'machine', targetId: id, orgId, after: { ...rows[i], how } });
  }
  return inserted.map((r) => r.id);
}

/** The org a machine is registered in: it must exist and be a unit (bureaus have no computers of their own on the form). */
export async function requireUnit(db: Db, orgId: string): Promise<{ id: string; name: string }> {
  const [org] = await db.select({ id: orgs.id, name: orgs.name, kind: orgs.kind }).from(orgs).where(eq(orgs.id, orgId));
  if (!org) throw badRequest('org.not-found', 'the org does not exist');
  if (org.kind !== 'unit') throw badRequest('machine.not-a-unit', 'machines are registered in a unit, not in a bureau or zone');
  return org;
}

/** A unique-index refusal (two admins registering one asset tag at once) as the same 409 the check gives. */
export function translateRegisterError(error: unknown): never {
  if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw conflict('machine.duplicate', 'a machine of the unit already has this asset tag');
  throw error;
}

/** Registers one machine without an agent in a unit. 409 when the unit already has its asset tag or serial. */
export async function registerMachine(db: Db, actor: AuditActor, orgId: string, input: RegisteredMachine): Promise<{ id: string }> {
  try {
    return await db.transaction(async (tx) => {
      await requireUnit(tx, orgId);
      const [existing] = await findMachinesByTagOrSerial(tx, [orgId], input.assetTag ? [input.assetTag] : [], input.serial ? [input.serial] : []);
      if (existing) {
        const what = input.assetTag && existing.assetTag === input.assetTag ? `asset tag ${input.assetTag}` : `serial ${input.serial}`;
        throw conflict('machine.duplicate', `the unit already has a machine with ${what}: ${existing.hostname}`);
      }
      const [id] = await insertRegisteredMachines(tx, actor, orgId, [input], 'form');
      return { id: id! };
    });
  } catch (error) {
    return translateRegisterError(error);
  }
}
