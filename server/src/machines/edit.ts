import { and, eq, ne, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import type { Db } from '../db/database.ts';
import { machines } from '../db/schema.ts';
import { badRequest, conflict } from '../errors.ts';
import { RegisteredMachineFields } from './fields.ts';
import { translateRegisterError } from './register.ts';

/**
 * Correcting a machine's record (修改登记信息). What the unit knows about a PC — asset tag, using
 * department, note — can be set on any machine (an agent cannot know them). Name, OS family and
 * serial are typed only for machines without an agent; an agent's reports decide them otherwise,
 * so a change would be overwritten by the next report and is refused.
 */

/** Fields of an edit: absent = unchanged; empty or null = cleared (the name cannot be cleared). */
export const MachineRecordEdit = RegisteredMachineFields.partial()
  .strict()
  .refine((edit) => Object.values(edit).some((value) => value !== undefined), { message: 'give at least one field to change' });
export type MachineRecordEdit = z.infer<typeof MachineRecordEdit>;

/** The fields only machines without an agent may have typed in. */
const AGENT_REPORTED = ['hostname', 'osFamily', 'serial'] as const;

const COLUMNS = {
  hostname: machines.hostname,
  osFamily: machines.osFamily,
  serial: machines.hardwareSerial,
  assetTag: machines.assetTag,
  department: machines.department,
  note: machines.note,
} as const;
type Field = keyof typeof COLUMNS;

export type MachineRecordFields = { [K in Field]: K extends 'hostname' ? string : string | null };

/**
 * Applies an edit in one transaction with one audit entry (`machine.edit`, the changed fields
 * before and after). 409 `machine.reported-by-agent` for a reported field on a machine with an
 * agent, 409 `machine.duplicate` for an asset tag or serial another machine of the unit has;
 * nothing is written then. An edit that changes nothing writes nothing.
 */
export async function editMachineRecord(db: Db, actor: AuditActor, machineId: string, edit: MachineRecordEdit): Promise<{ machine: MachineRecordFields & { id: string }; changed: Field[] }> {
  try {
    return await db.transaction(async (tx) => {
      const [current] = await tx
        .select({ orgId: machines.orgId, ...COLUMNS, hasAgent: sql<boolean>`EXISTS (SELECT 1 FROM agents a WHERE a.machine_id = machines.id)` })
        .from(machines)
        .where(eq(machines.id, machineId))
        .for('update');
      if (!current) throw badRequest('machine.not-found', 'the machine does not exist');
      const { orgId, hasAgent, ...before } = current;
      const changed = (Object.keys(COLUMNS) as Field[]).filter((field) => edit[field] !== undefined && edit[field] !== before[field]);
      const reported = changed.filter((field) => (AGENT_REPORTED as readonly string[]).includes(field));
      if (hasAgent && reported.length) {
        throw conflict('machine.reported-by-agent', `${reported.join(', ')} of a machine with an agent come from its reports; only the asset tag, department and note can be edited`);
      }
      if (changed.length === 0) return { machine: { id: machineId, ...before }, changed };

      const clash: SQL[] = [];
      if (changed.includes('assetTag') && edit.assetTag) clash.push(eq(machines.assetTag, edit.assetTag));
      if (changed.includes('serial') && edit.serial) clash.push(eq(machines.hardwareSerial, edit.serial));
      if (clash.length) {
        const [other] = await tx
          .select({ hostname: machines.hostname, assetTag: machines.assetTag })
          .from(machines)
          .where(and(eq(machines.orgId, orgId), ne(machines.id, machineId), or(...clash)));
        if (other) {
          const what = edit.assetTag && other.assetTag === edit.assetTag ? `asset tag ${edit.assetTag}` : `serial ${edit.serial}`;
          throw conflict('machine.duplicate', `the unit already has a machine with ${what}: ${other.hostname}`);
        }
      }

      const set = Object.fromEntries(changed.map((field) => [field === 'serial' ? 'hardwareSerial' : field, edit[field]]));
      await tx.update(machines).set(set).where(eq(machines.id, machineId));
      await recordAudit(tx, {
        actor,
        action: 'machine.edit',
        targetType: 'machine',
        targetId: machineId,
        orgId,
        before: Object.fromEntries(changed.map((field) => [field, before[field]])),
        after: Object.fromEntries(changed.map((field) => [field, edit[field]])),
      });
      const after = { ...before, ...Object.fromEntries(changed.map((field) => [field, edit[field]])) } as MachineRecordFields;
      return { machine: { id: machineId, ...after }, changed };
    });
  } catch (error) {
    return translateRegisterError(error);
  }
}
