import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Scope } from '../access/scope.ts';
import { scopeWhere } from '../access/scope.ts';
import type { Db } from '../db/database.ts';
import { machines } from '../db/schema.ts';
import { licenceAttachments, licenceMachines, licences } from '../db/schema/ledger.ts';
import type { LicenceFields } from './licence-input.ts';

/** Column values of a licence from its fields (bindings are rows of their own). */
export function licenceColumns(input: LicenceFields) {
  return {
    productId: input.product,
    type: input.type,
    quantity: input.quantity,
    licenceCount: input.licenceCount ?? null,
    startsOn: input.startsOn ?? null,
    endsOn: input.endsOn ?? null,
    purchasedOn: input.purchasedOn ?? null,
    contractNo: input.contractNo || null,
    invoiceNo: input.invoiceNo || null,
    supplier: input.supplier || null,
    amountFen: input.amountFen ?? null,
    note: input.note || null,
  };
}

/** Inserts licences of one unit with their OEM bindings; returns their ids in order. */
export async function insertLicences(tx: Db, orgId: string, inputs: readonly LicenceFields[]): Promise<string[]> {
  if (inputs.length === 0) return [];
  const rows = await tx
    .insert(licences)
    .values(inputs.map((input) => ({ orgId, ...licenceColumns(input) })))
    .returning({ id: licences.id });
  const bindings = rows.flatMap((row, i) => [...new Set(inputs[i]!.boundMachineIds ?? [])].map((machineId) => ({ licenceId: row.id, machineId })));
  if (bindings.length) await tx.insert(licenceMachines).values(bindings);
  return rows.map((r) => r.id);
}

/** Replaces a licence's fields and bindings. */
export async function updateLicenceRow(tx: Db, id: string, input: LicenceFields): Promise<void> {
  await tx.update(licences).set({ ...licenceColumns(input), updatedAt: sql`now()` }).where(eq(licences.id, id));
  await tx.delete(licenceMachines).where(eq(licenceMachines.licenceId, id));
  const bound = [...new Set(input.boundMachineIds ?? [])];
  if (bound.length) await tx.insert(licenceMachines).values(bound.map((machineId) => ({ licenceId: id, machineId })));
}

export async function deleteLicenceRow(tx: Db, id: string): Promise<void> {
  await tx.delete(licences).where(eq(licences.id, id));
}

/** Machine ids among `ids` that belong to `orgId` (OEM bindings must stay in the unit). */
export async function machinesOfOrg(db: Db, orgId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.select({ id: machines.id }).from(machines).where(and(eq(machines.orgId, orgId), inArray(machines.id, [...ids])));
  return new Set(rows.map((r) => r.id));
}

/** One licence with its bindings and attachments. */
export async function getLicence(db: Db, id: string) {
  const [licence] = await db.select().from(licences).where(eq(licences.id, id));
  if (!licence) return undefined;
  const bound = await db.select({ machineId: licenceMachines.machineId }).from(licenceMachines).where(eq(licenceMachines.licenceId, id)).orderBy(asc(licenceMachines.machineId));
  const attachments = await db
    .select({ id: licenceAttachments.id, fileName: licenceAttachments.fileName, contentType: licenceAttachments.contentType, sizeBytes: licenceAttachments.sizeBytes, sha256: licenceAttachments.sha256, createdAt: licenceAttachments.createdAt })
    .from(licenceAttachments)
    .where(eq(licenceAttachments.licenceId, id))
    .orderBy(asc(licenceAttachments.createdAt));
  return { ...licence, boundMachineIds: bound.map((b) => b.machineId), attachments };
}

/** The licences in scope, optionally of one org or product, newest first. */
export async function listLicences(db: Db, scope: Scope, filter: { orgId?: string; productId?: string | undefined; limit: number; offset: number }) {
  const where = and(
    scopeWhere(scope, licences.orgId),
    filter.orgId ? eq(licences.orgId, filter.orgId) : undefined,
    filter.productId ? eq(licences.productId, filter.productId) : undefined,
  );
  const rows = await db.select().from(licences).where(where).orderBy(sql`${licences.createdAt} DESC, ${licences.id}`).limit(filter.limit).offset(filter.offset);
  const [count] = await db.select({ total: sql<number>`count(*)::int` }).from(licences).where(where);
  return { licences: rows, total: count?.total ?? 0 };
}
