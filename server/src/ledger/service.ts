import { eq } from 'drizzle-orm';
import { loadRuleSet } from '../catalog/queries.ts';
import { recomputeUnitProducts } from '../compliance/recompute.ts';
import type { Db } from '../db/database.ts';
import { orgs } from '../db/schema.ts';
import { badRequest, notFound } from '../errors.ts';
import { auditLedgerChange } from './audit.ts';
import { checkLicenceFields, type LicenceFields, type LicenceProblem } from './licence-input.ts';
import { deleteLicenceRow, getLicence, insertLicences, licenceColumns, machinesOfOrg, updateLicenceRow } from './queries.ts';

/**
 * Ledger use cases. Each change commits with its audit entry, then the unit's positions for the
 * products concerned are recomputed (and their events published) at once: a purchase shows on
 * the dashboard as soon as it is entered.
 */

export class LicenceRejected extends Error {
  override name = 'LicenceRejected';
  constructor(readonly problems: LicenceProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  }
}

async function getUnit(db: Db, orgId: string) {
  const [org] = await db.select({ id: orgs.id, path: orgs.path, kind: orgs.kind }).from(orgs).where(eq(orgs.id, orgId));
  if (!org) throw notFound('org.not-found', `no org ${orgId}`);
  return org;
}

/** The problems of a licence for a unit: field rules, and OEM machines that are not the unit's. */
export async function validateLicence(db: Db, orgId: string, input: LicenceFields): Promise<LicenceProblem[]> {
  const { ruleSet } = await loadRuleSet(db);
  const problems = checkLicenceFields(input, ruleSet);
  const bound = [...new Set(input.boundMachineIds ?? [])];
  if (bound.length) {
    const own = await machinesOfOrg(db, orgId, bound);
    const foreign = bound.filter((id) => !own.has(id));
    if (foreign.length) problems.push({ field: 'boundMachineIds', message: `not machines of this unit: ${foreign.join(', ')}` });
  }
  return problems;
}

export async function createLicence(db: Db, actorUserId: string, orgId: string, input: LicenceFields) {
  const unit = await getUnit(db, orgId);
  const problems = await validateLicence(db, orgId, input);
  if (problems.length) throw new LicenceRejected(problems);
  const id = await db.transaction(async (tx) => {
    const [licenceId] = await insertLicences(tx, orgId, [input]);
    await auditLedgerChange(tx, { actorUserId, orgId, action: 'licence.created', targetId: licenceId!, detail: { after: licenceColumns(input), boundMachineIds: input.boundMachineIds ?? [] } });
    return licenceId!;
  });
  await recomputeUnitProducts(db, { orgId, orgPath: unit.path }, [input.product]);
  return (await getLicence(db, id))!;
}

export async function updateLicence(db: Db, actorUserId: string, id: string, input: LicenceFields) {
  const before = await getLicence(db, id);
  if (!before) throw notFound('licence.not-found', `no licence ${id}`);
  const unit = await getUnit(db, before.orgId);
  const problems = await validateLicence(db, before.orgId, input);
  if (problems.length) throw new LicenceRejected(problems);
  await db.transaction(async (tx) => {
    await updateLicenceRow(tx, id, input);
    await auditLedgerChange(tx, {
      actorUserId,
      orgId: before.orgId,
      action: 'licence.updated',
      targetId: id,
      detail: { before: { ...licenceColumnsOf(before), boundMachineIds: before.boundMachineIds }, after: { ...licenceColumns(input), boundMachineIds: input.boundMachineIds ?? [] } },
    });
  });
  await recomputeUnitProducts(db, { orgId: before.orgId, orgPath: unit.path }, [...new Set([before.productId, input.product])]);
  return (await getLicence(db, id))!;
}

export async function deleteLicence(db: Db, actorUserId: string, id: string): Promise<void> {
  const before = await getLicence(db, id);
  if (!before) throw notFound('licence.not-found', `no licence ${id}`);
  const unit = await getUnit(db, before.orgId);
  await db.transaction(async (tx) => {
    await deleteLicenceRow(tx, id);
    await auditLedgerChange(tx, { actorUserId, orgId: before.orgId, action: 'licence.deleted', targetId: id, detail: { before: licenceColumnsOf(before) } });
  });
  await recomputeUnitProducts(db, { orgId: before.orgId, orgPath: unit.path }, [before.productId]);
}

/** Imports rows all or none: any problem in any row refuses the whole file. */
export async function importLicences(db: Db, actorUserId: string, orgId: string, rows: ReadonlyArray<{ row: number; input: LicenceFields }>) {
  const unit = await getUnit(db, orgId);
  const problems: Array<LicenceProblem & { row: number }> = [];
  for (const { row, input } of rows) for (const problem of await validateLicence(db, orgId, input)) problems.push({ row, ...problem });
  if (problems.length) return { imported: 0, problems };
  if (rows.length === 0) throw badRequest('ledger.import-empty', 'the file holds no licence rows');
  const ids = await db.transaction(async (tx) => {
    const inserted = await insertLicences(tx, orgId, rows.map((r) => r.input));
    await auditLedgerChange(tx, { actorUserId, orgId, action: 'licence.imported', targetId: orgId, detail: { licenceIds: inserted, rows: rows.length } });
    return inserted;
  });
  await recomputeUnitProducts(db, { orgId, orgPath: unit.path }, [...new Set(rows.map((r) => r.input.product))]);
  return { imported: ids.length, licenceIds: ids, problems: [] };
}

function licenceColumnsOf(row: NonNullable<Awaited<ReturnType<typeof getLicence>>>) {
  const { id: _id, orgId: _orgId, createdAt: _c, updatedAt: _u, attachments: _a, boundMachineIds: _b, ...columns } = row;
  return columns;
}
