/**
 * The fields an admin types about a machine without an agent (登记无代理计算机) and about a
 * retirement (报废/停用), checked the same way by the routes and by the import. Lengths match the
 * columns (db/schema.ts MACHINE_TEXT_LENGTH).
 */
import { z } from 'zod';
import { MAX_HOSTNAME_LENGTH, OsFamily } from '@zhengban/protocol';
import { MACHINE_TEXT_LENGTH as L } from '../db/schema.ts';
import { COLUMN_LENGTH } from '../db/lengths.ts';
import { LineText, PlainText } from '../routes/schemas.ts';

const line = (max: number) => LineText.trim().max(max, `at most ${max} characters`);
/** Optional text: empty or blank means none. */
const optionalLine = (max: number) =>
  line(max)
    .nullish()
    .transform((value) => (value ? value : null));

/** 计算机名称: the name the unit knows the PC by (its hostname when it has one). */
export const MachineName = line(MAX_HOSTNAME_LENGTH).min(1, 'must not be empty');

/** The fields of one registered machine. `osFamily` null = not known (counted only in the total). */
export const RegisteredMachineFields = z.object({
  hostname: MachineName,
  osFamily: OsFamily.nullish().transform((value) => value ?? null),
  assetTag: optionalLine(L.assetTag),
  serial: optionalLine(COLUMN_LENGTH.hardwareSerial),
  department: optionalLine(L.department),
  note: PlainText.trim()
    .max(L.note, `at most ${L.note} characters`)
    .nullish()
    .transform((value) => (value ? value : null)),
});
export type RegisteredMachine = z.infer<typeof RegisteredMachineFields>;

/** Why a machine is retired or restored (kept with the retirement and in the audit log). */
export const RetirementReason = PlainText.trim().min(1, 'say why').max(L.reason, `at most ${L.reason} characters`);
