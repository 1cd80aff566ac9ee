import { eq, inArray, or } from 'drizzle-orm';
import { isPathInScope, type Scope } from '../../access/scope.ts';
import { recordAudit, type AuditActor } from '../../audit/record.ts';
import type { Db } from '../../db/database.ts';
import { orgs } from '../../db/schema.ts';
import { ProblemsError } from '../../errors.ts';
import { readTable, UnreadableFileError, type TableFormat } from '../../orgs/import/read-table.ts';
import type { ImportProblem } from '../../orgs/import/unit-rows.ts';
import { findMachinesByTagOrSerial, insertRegisteredMachines, translateRegisterError } from '../register.ts';
import { findRepeatedRows, MACHINE_COLUMN_HEADINGS, parseMachineRows, type MachineRow } from './machine-rows.ts';

/**
 * Importing a list of machines without agents (XLSX or CSV): a preview that writes nothing and
 * lists every problem by row and column, then a commit that registers every row or none, audited
 * in the same transaction. Rows go to the unit the import was started from, or to the unit whose
 * credit code the row names (a bureau importing for several units); either must lie in scope.
 */

export interface ImportFile {
  format: TableFormat;
  bytes: Buffer;
}

export interface PlannedMachine extends MachineRow {
  orgId: string;
  unitName: string;
}

export interface MachineImportPlan {
  rows: PlannedMachine[];
  problems: ImportProblem[];
  summary: { rows: number; machines: number; units: number; problems: number };
}

const CODE = MACHINE_COLUMN_HEADINGS.creditCode.zh;

/** Reads and checks a machine list against the database without writing anything. */
export async function planMachineImport(db: Db, scope: Scope, orgId: string, file: ImportFile): Promise<MachineImportPlan> {
  let parsed;
  try {
    parsed = parseMachineRows(await readTable(file.format, file.bytes));
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    parsed = { machines: [], problems: [{ row: 1, column: null, message: { zh: '无法读取文件', en: error.message } }] };
  }
  const problems = [...parsed.problems];
  const codes = [...new Set(parsed.machines.map((m) => m.creditCode).filter((c): c is string => c !== null))];
  const columns = { id: orgs.id, name: orgs.name, kind: orgs.kind, path: orgs.path, creditCode: orgs.creditCode };
  const named = await db
    .select(columns)
    .from(orgs)
    .where(codes.length ? or(eq(orgs.id, orgId), inArray(orgs.creditCode, codes)) : eq(orgs.id, orgId));
  const target = named.find((o) => o.id === orgId);
  const byCode = new Map(named.filter((o) => o.creditCode && isPathInScope(scope, o.path)).map((o) => [o.creditCode!, o]));

  const placed: PlannedMachine[] = [];
  for (const row of parsed.machines) {
    const unit = row.creditCode ? byCode.get(row.creditCode) : target;
    if (!unit) {
      // Outside the scope reads like nonexistent: the import reveals no other unit.
      problems.push({ row: row.row, column: CODE, message: { zh: '您的管辖范围内没有该统一社会信用代码的单位', en: 'no unit in your scope has this credit code' } });
    } else if (unit.kind !== 'unit') {
      const message = row.creditCode
        ? { zh: '该统一社会信用代码属于局级机构，计算机须登记到单位', en: 'this credit code is a bureau or zone: machines are registered in units' }
        : { zh: `“${unit.name}”不是单位：请在“${CODE}”列写明每台计算机所属的单位`, en: `${unit.name} is not a unit: give each row's unit in the column ${CODE}` };
      problems.push({ row: row.row, column: CODE, message });
    } else {
      placed.push({ ...row, orgId: unit.id, unitName: unit.name });
    }
  }
  problems.push(...findRepeatedRows(placed));
  const existing = await findMachinesByTagOrSerial(
    db,
    [...new Set(placed.map((p) => p.orgId))],
    placed.flatMap((p) => (p.machine.assetTag ? [p.machine.assetTag] : [])),
    placed.flatMap((p) => (p.machine.serial ? [p.machine.serial] : [])),
  );
  for (const p of placed) {
    for (const field of ['assetTag', 'serial'] as const) {
      const value = p.machine[field];
      const found = value && existing.find((e) => e.orgId === p.orgId && e[field] === value);
      if (!found) continue;
      const heading = MACHINE_COLUMN_HEADINGS[field].zh;
      problems.push({ row: p.row, column: heading, message: { zh: `本单位已有该${heading}的计算机（${found.hostname}）`, en: `the unit already has a machine with this ${field} (${found.hostname})` } });
    }
  }
  problems.sort((a, b) => a.row - b.row);
  const badRows = new Set(problems.filter((p) => p.row > 1).map((p) => p.row));
  const rows = placed.filter((p) => !badRows.has(p.row));
  const dataRows = new Set([...parsed.machines.map((m) => m.row), ...badRows]).size;
  return { rows, problems, summary: { rows: dataRows, machines: rows.length, units: new Set(rows.map((r) => r.orgId)).size, problems: problems.length } };
}

/** Registers every machine of the file, or none: any problem refuses the whole file (400 with all of them). */
export async function commitMachineImport(db: Db, scope: Scope, actor: AuditActor, orgId: string, file: ImportFile): Promise<MachineImportPlan['summary']> {
  const plan = await planMachineImport(db, scope, orgId, file);
  if (plan.problems.length) throw new ProblemsError('import.invalid', `the file has ${plan.problems.length} problem(s); nothing was imported`, plan.problems);
  const byUnit = new Map<string, PlannedMachine[]>();
  for (const row of plan.rows) byUnit.set(row.orgId, [...(byUnit.get(row.orgId) ?? []), row]);
  try {
    await db.transaction(async (tx) => {
      for (const [unitId, rows] of byUnit) {
        await insertRegisteredMachines(tx, actor, unitId, rows.map((r) => r.machine), 'import');
        await recordAudit(tx, { actor, action: 'machine.import', targetType: 'org', targetId: unitId, orgId: unitId, after: { format: file.format, machines: rows.length } });
      }
    });
  } catch (error) {
    translateRegisterError(error);
  }
  return plan.summary;
}
