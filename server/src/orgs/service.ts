import { and, count, eq, sql } from 'drizzle-orm';
import type { Scope } from '../access/scope.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import type { Db } from '../db/database.ts';
import { PG_FOREIGN_KEY_VIOLATION, PG_UNIQUE_VIOLATION, pgErrorCode } from '../db/pg-errors.ts';
import { enrollmentTokens, machines, orgs, users } from '../db/schema.ts';
import { AppError, badRequest, conflict, forbidden } from '../errors.ts';
import { UNIT_ADMIN_FIELDS, type OrgFieldValues } from './fields.ts';
import { getOrgById, insertOrg, type OrgKind } from './queries.ts';

/** Which kinds may sit under which: bureaus and zones hold anything; units hold only units (所属单位). */
const ALLOWED_CHILDREN: Record<OrgKind, readonly OrgKind[]> = {
  bureau: ['bureau', 'zone', 'unit'],
  zone: ['bureau', 'zone', 'unit'],
  unit: ['unit'],
};

function checkPlacement(parentKind: OrgKind, kind: OrgKind): void {
  if (!ALLOWED_CHILDREN[parentKind].includes(kind)) throw badRequest('org.invalid-parent', `a ${kind} cannot be placed under a ${parentKind}`);
}

/** The caller's own top org cannot be moved or deleted by the caller: it would leave their own scope. */
function checkNotScopeRoot(scope: Scope, path: string, verb: string): void {
  if (scope.paths.includes(path)) throw forbidden('org.own-root', `you cannot ${verb} your own organisation; ask an administrator above it`);
}

/** Database refusals that are the caller's doing, as answers. */
export function translateOrgWriteError(error: unknown): never {
  if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw conflict('org.credit-code-taken', 'another unit already has this credit code');
  throw error;
}

export interface NewOrgInput extends OrgFieldValues {
  parentId: string;
  kind: OrgKind;
}

/** Creates an org under a parent in scope (the access plugin checked the parent), audited. */
export async function createOrg(db: Db, actor: AuditActor, input: NewOrgInput): Promise<{ id: string }> {
  try {
    return await db.transaction(async (tx) => {
      const parent = await getOrgById(tx, input.parentId);
      if (!parent) throw badRequest('org.invalid-parent', 'the parent org does not exist');
      checkPlacement(parent.kind, input.kind);
      const { id } = await insertOrg(tx, input);
      await recordAudit(tx, { actor, action: 'org.create', targetType: 'org', targetId: id, orgId: id, after: input });
      return { id };
    });
  } catch (error) {
    translateOrgWriteError(error);
  }
}

/**
 * Changes an org's fields, audited with before and after. A unit admin may change only the
 * contacts (head, liaison, phone) of its unit; name, credit code, sector and region are the
 * bureau's register.
 */
export async function updateOrg(db: Db, scope: Scope, actor: AuditActor, id: string, patch: Partial<OrgFieldValues>): Promise<void> {
  if (scope.viewer.role !== 'bureau-admin') {
    const others = Object.keys(patch).filter((key) => !(UNIT_ADMIN_FIELDS as readonly string[]).includes(key));
    if (others.length) throw forbidden('access.denied', `your role (${scope.viewer.role}) may change only ${UNIT_ADMIN_FIELDS.join(', ')}, not ${others.join(', ')}`);
  }
  try {
    await db.transaction(async (tx) => {
      const [before] = await tx.select().from(orgs).where(eq(orgs.id, id)).for('update');
      if (!before) throw badRequest('org.not-found', 'the org does not exist');
      if (Object.keys(patch).length === 0) return;
      await tx.update(orgs).set(patch).where(eq(orgs.id, id));
      const changed = Object.fromEntries(Object.keys(patch).map((key) => [key, before[key as keyof typeof before]]));
      await recordAudit(tx, { actor, action: 'org.update', targetType: 'org', targetId: id, orgId: id, before: changed, after: patch });
    });
  } catch (error) {
    translateOrgWriteError(error);
  }
}

/**
 * Moves an org and its whole subtree under another parent (both in scope): rewrites every path of
 * the subtree in one statement, in one transaction with the audit entry.
 */
export async function moveOrg(db: Db, scope: Scope, actor: AuditActor, id: string, parentId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [org] = await tx.select().from(orgs).where(eq(orgs.id, id)).for('update');
    const [parent] = await tx.select().from(orgs).where(eq(orgs.id, parentId));
    if (!org || !parent) throw badRequest('org.not-found', 'the org or its new parent does not exist');
    checkNotScopeRoot(scope, org.path, 'move');
    if (parent.path.startsWith(org.path)) throw badRequest('org.move-cycle', 'an org cannot be moved under itself or one of its own sub-orgs');
    checkPlacement(parent.kind, org.kind);
    if (org.parentId === parent.id) return;
    const newPath = `${parent.path}${org.id}/`;
    await tx
      .update(orgs)
      // ::int: with an untyped parameter PostgreSQL would pick the regular-expression form of substring.
      .set({ path: sql`${newPath} || substring(${orgs.path} from ${org.path.length + 1}::int)` })
      .where(sql`${orgs.path} LIKE ${`${org.path}%`}`);
    await tx.update(orgs).set({ parentId: parent.id }).where(eq(orgs.id, org.id));
    await recordAudit(tx, { actor, action: 'org.move', targetType: 'org', targetId: id, orgId: id, before: { parentId: org.parentId }, after: { parentId: parent.id } });
  });
}

/**
 * Deletes an org that holds nothing any more (no sub-orgs, people, machines or agents); its
 * enrolment tokens go with it. Anything else that still points at it makes the delete fail whole.
 */
export async function deleteOrg(db: Db, scope: Scope, actor: AuditActor, id: string): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      const [org] = await tx.select().from(orgs).where(eq(orgs.id, id)).for('update');
      if (!org) throw badRequest('org.not-found', 'the org does not exist');
      checkNotScopeRoot(scope, org.path, 'delete');
      // One after another: a transaction is one connection, and pg refuses overlapping queries on it.
      const [children] = await tx.select({ n: count() }).from(orgs).where(eq(orgs.parentId, id));
      const [people] = await tx.select({ n: count() }).from(users).where(eq(users.orgId, id));
      const [pcs] = await tx.select({ n: count() }).from(machines).where(eq(machines.orgId, id));
      const held = [
        children!.n ? `${children!.n} sub-org(s)` : '',
        people!.n ? `${people!.n} user(s)` : '',
        pcs!.n ? `${pcs!.n} machine(s)` : '',
      ].filter(Boolean);
      if (held.length) throw conflict('org.not-empty', `${org.name} still has ${held.join(', ')}: move or remove them first`);
      // Written before the delete, while the org's path can still be looked up for the entry.
      await recordAudit(tx, { actor, action: 'org.delete', targetType: 'org', targetId: id, orgId: id, before: org });
      await tx.delete(enrollmentTokens).where(and(eq(enrollmentTokens.orgId, id)));
      await tx.delete(orgs).where(eq(orgs.id, id));
    });
  } catch (error) {
    if (pgErrorCode(error) === PG_FOREIGN_KEY_VIOLATION) {
      throw new AppError(409, 'org.not-empty', 'the org still has records (agents, licences, returns, ...) that belong to it: move or remove them first');
    }
    throw error;
  }
}
