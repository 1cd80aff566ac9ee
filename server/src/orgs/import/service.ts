import { eq, inArray } from 'drizzle-orm';
import { isPathInScope, type Scope } from '../../access/scope.ts';
import { recordAudit, type AuditActor } from '../../audit/record.ts';
import type { Db } from '../../db/database.ts';
import { orgs } from '../../db/schema.ts';
import { badRequest, ProblemsError } from '../../errors.ts';
import { insertOrg } from '../queries.ts';
import { translateOrgWriteError } from '../service.ts';
import { readTable, UnreadableFileError, type TableFormat } from './read-table.ts';
import { parseUnitRows, type ImportProblem, type UnitRow } from './unit-rows.ts';

export interface ImportFile {
  format: TableFormat;
  bytes: Buffer;
}

export interface PlannedRow extends UnitRow {
  /** create = a new unit under the import's parent; update = the unit with this credit code in your scope gets these values. */
  action: 'create' | 'update';
  existingId: string | null;
}

export interface ImportPlan {
  rows: PlannedRow[];
  problems: ImportProblem[];
  summary: { rows: number; create: number; update: number; problems: number };
}

/**
 * Reads and checks an import file against the database without writing anything: which rows
 * create a unit, which update the unit that already has the credit code, and every problem.
 */
export async function planUnitImport(db: Db, scope: Scope, file: ImportFile): Promise<ImportPlan> {
  let parsed;
  try {
    parsed = parseUnitRows(await readTable(file.format, file.bytes));
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    parsed = { units: [], problems: [{ row: 1, column: null, message: { zh: '无法读取文件', en: error.message } }] };
  }
  const { units, problems } = parsed;
  const codes = units.map((u) => u.unit.creditCode);
  const existing = codes.length ? await db.select({ id: orgs.id, path: orgs.path, creditCode: orgs.creditCode }).from(orgs).where(inArray(orgs.creditCode, codes)) : [];
  const byCode = new Map(existing.map((org) => [org.creditCode!, org]));
  const rows: PlannedRow[] = [];
  for (const unit of units) {
    const found = byCode.get(unit.unit.creditCode);
    if (found && !isPathInScope(scope, found.path)) {
      // Credit codes are public registry data; saying one is taken outside the scope reveals no unit's records.
      problems.push({ row: unit.row, column: '统一社会信用代码', message: { zh: '该统一社会信用代码已被辖区外的单位使用', en: 'this credit code belongs to a unit outside your scope' } });
      continue;
    }
    rows.push({ ...unit, action: found ? 'update' : 'create', existingId: found?.id ?? null });
  }
  problems.sort((a, b) => a.row - b.row);
  const create = rows.filter((r) => r.action === 'create').length;
  return { rows, problems, summary: { rows: rows.length + new Set(problems.filter((p) => p.row > 1).map((p) => p.row)).size, create, update: rows.length - create, problems: problems.length } };
}

/**
 * Imports the units of a file under `parentId`: every row or none. With any problem nothing is
 * written and the answer lists them all; otherwise all rows are written and audited in one
 * transaction (a database refusal half-way rolls back every row before it).
 */
export async function commitUnitImport(db: Db, scope: Scope, actor: AuditActor, parentId: string, file: ImportFile) {
  const plan = await planUnitImport(db, scope, file);
  if (plan.problems.length) throw new ProblemsError('import.invalid', `the file has ${plan.problems.length} problem(s); nothing was imported`, plan.problems);
  const [parent] = await db.select({ kind: orgs.kind }).from(orgs).where(eq(orgs.id, parentId));
  if (!parent) throw badRequest('org.not-found', 'the org to import into does not exist');
  try {
    await db.transaction(async (tx) => {
      for (const row of plan.rows) {
        if (row.action === 'update') {
          const [before] = await tx.select().from(orgs).where(eq(orgs.id, row.existingId!)).for('update');
          await tx.update(orgs).set(row.unit).where(eq(orgs.id, row.existingId!));
          await recordAudit(tx, { actor, action: 'org.update', targetType: 'org', targetId: row.existingId, orgId: row.existingId, before, after: row.unit });
        } else {
          const { id } = await insertOrg(tx, { parentId, kind: 'unit', ...row.unit });
          await recordAudit(tx, { actor, action: 'org.create', targetType: 'org', targetId: id, orgId: id, after: { parentId, kind: 'unit', ...row.unit } });
        }
      }
      await recordAudit(tx, { actor, action: 'org.import', targetType: 'org', targetId: parentId, orgId: parentId, after: { format: file.format, ...plan.summary } });
    });
  } catch (error) {
    translateOrgWriteError(error);
  }
  return plan.summary;
}
