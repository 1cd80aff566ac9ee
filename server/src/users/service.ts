import { and, eq } from 'drizzle-orm';
import type { Scope } from '../access/scope.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import { hashPassword } from '../auth/passwords.ts';
import { generatePassword } from '../auth/secrets.ts';
import { deleteSessionsOfUser } from '../auth/sessions.ts';
import { accountKey } from '../auth/throttle.ts';
import type { UserRole } from '../auth/viewer.ts';
import type { Db } from '../db/database.ts';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '../db/pg-errors.ts';
import { orgs, users } from '../db/schema.ts';
import { loginThrottle } from '../db/schema/sign-in.ts';
import { badRequest, conflict, forbidden } from '../errors.ts';
import { normaliseUsername } from './queries.ts';
import { explainRoleRefusal } from './roles.ts';

export interface NewUserInput {
  username: string;
  displayName: string | null;
  role: UserRole;
  orgId: string;
  /** Absent = a generated one, returned once. Either way the user must change it at first sign-in. */
  password?: string | undefined;
}

export interface UserPatch {
  displayName?: string | null | undefined;
  role?: UserRole | undefined;
  orgId?: string | undefined;
  disabled?: boolean | undefined;
}

async function checkRoleGrant(tx: Db, scope: Scope, role: UserRole, orgId: string): Promise<void> {
  const [org] = await tx.select({ kind: orgs.kind }).from(orgs).where(eq(orgs.id, orgId));
  if (!org) throw badRequest('org.not-found', 'the org does not exist');
  const refusal = explainRoleRefusal(scope.viewer.role, role, org.kind);
  if (refusal) throw forbidden('user.role-not-allowed', refusal);
}

const publicColumns = { id: users.id, username: users.username, displayName: users.displayName, role: users.role, orgId: users.orgId, disabledAt: users.disabledAt };

/** Creates a user in an org of the caller's scope with a role at or below the caller's, audited. */
export async function createUser(db: Db, scope: Scope, actor: AuditActor, input: NewUserInput): Promise<{ id: string; temporaryPassword?: string }> {
  const temporaryPassword = input.password ? undefined : generatePassword();
  const passwordHash = await hashPassword(input.password ?? temporaryPassword!);
  try {
    return await db.transaction(async (tx) => {
      await checkRoleGrant(tx, scope, input.role, input.orgId);
      const [row] = await tx
        .insert(users)
        .values({ username: normaliseUsername(input.username), displayName: input.displayName, role: input.role, orgId: input.orgId, passwordHash, mustChangePassword: true })
        .returning(publicColumns);
      await recordAudit(tx, { actor, action: 'user.create', targetType: 'user', targetId: row!.id, orgId: input.orgId, after: row });
      return temporaryPassword ? { id: row!.id, temporaryPassword } : { id: row!.id };
    });
  } catch (error) {
    if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw conflict('user.username-taken', `the username ${normaliseUsername(input.username)} is taken`);
    throw error;
  }
}

/**
 * Changes a user's name, role, org or disabled state (the access plugin checked the user and the
 * new org are in scope). Nobody changes their own role, org or disabled state: an admin cannot
 * lock themselves out by mistake. Disabling or moving someone ends their sessions.
 */
export async function updateUser(db: Db, scope: Scope, actor: AuditActor, userId: string, patch: UserPatch): Promise<void> {
  const self = userId === scope.viewer.userId;
  if (self && (patch.role !== undefined || patch.orgId !== undefined || patch.disabled !== undefined)) {
    throw forbidden('user.self-change', 'you cannot change your own role, org or disabled state: ask another administrator');
  }
  await db.transaction(async (tx) => {
    const [before] = await tx.select(publicColumns).from(users).where(eq(users.id, userId)).for('update');
    if (!before) throw badRequest('user.not-found', 'the user does not exist');
    // The caller must be allowed to give the role the user has now, and the one it gets.
    await checkRoleGrant(tx, scope, before.role, before.orgId);
    const role = patch.role ?? before.role;
    const orgId = patch.orgId ?? before.orgId;
    if (patch.role !== undefined || patch.orgId !== undefined) await checkRoleGrant(tx, scope, role, orgId);
    const disabledAt = patch.disabled === undefined ? before.disabledAt : patch.disabled ? (before.disabledAt ?? new Date()) : null;
    const [after] = await tx
      .update(users)
      .set({ displayName: patch.displayName === undefined ? before.displayName : patch.displayName, role, orgId, disabledAt })
      .where(eq(users.id, userId))
      .returning(publicColumns);
    if (disabledAt || role !== before.role || orgId !== before.orgId) await deleteSessionsOfUser(tx, userId);
    await recordAudit(tx, { actor, action: 'user.update', targetType: 'user', targetId: userId, orgId, before, after });
  });
}

/** Gives a user a new generated password they must change at the next sign-in; ends their sessions. */
export async function resetPassword(db: Db, scope: Scope, actor: AuditActor, userId: string): Promise<{ temporaryPassword: string }> {
  if (userId === scope.viewer.userId) throw forbidden('user.self-change', 'change your own password with POST /api/auth/password');
  const temporaryPassword = generatePassword();
  const passwordHash = await hashPassword(temporaryPassword);
  await db.transaction(async (tx) => {
    const [user] = await tx.select(publicColumns).from(users).where(eq(users.id, userId)).for('update');
    if (!user) throw badRequest('user.not-found', 'the user does not exist');
    await checkRoleGrant(tx, scope, user.role, user.orgId);
    await tx.update(users).set({ passwordHash, mustChangePassword: true }).where(and(eq(users.id, userId)));
    await deleteSessionsOfUser(tx, userId);
    // Sign-in failures counted against the account are forgiven with the new password.
    await tx.delete(loginThrottle).where(eq(loginThrottle.key, accountKey(user.username)));
    await recordAudit(tx, { actor, action: 'user.password-reset', targetType: 'user', targetId: userId, orgId: user.orgId });
  });
  return { temporaryPassword };
}
