import { eq } from 'drizzle-orm';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from './passwords.ts';
import { createSession, deleteSessionsOfUser } from './sessions.ts';
import type { Db } from '../db/database.ts';
import { users } from '../db/schema.ts';
import { badRequest, unauthorized } from '../errors.ts';
import { getUserByUsername } from '../users/queries.ts';

/** One message for unknown user and wrong password alike: the answer must not reveal which usernames exist. */
const BAD_CREDENTIALS = 'username or password is wrong';

/** Checks a username and password and starts a session; 401 when they do not match an active user. */
export async function logIn(db: Db, username: string, password: string): Promise<{ token: string; expiresAt: Date; userId: string }> {
  const user = await getUserByUsername(db, username);
  const matches = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_PASSWORD_HASH));
  if (!user || !matches) throw unauthorized('auth.invalid-credentials', BAD_CREDENTIALS);
  if (user.disabledAt) throw unauthorized('auth.user-disabled', 'this account is disabled: ask an administrator');
  const session = await createSession(db, user.id);
  return { ...session, userId: user.id };
}

/**
 * Replaces a user's password after checking the current one. Ends every other session of the
 * user (a changed password should lock out whoever else knew the old one) and clears
 * must_change_password. Returns a fresh session for the caller.
 */
export async function changePassword(
  db: Db,
  userId: string,
  currentPassword: string,
  newPassword: string,
): Promise<{ token: string; expiresAt: Date }> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user || !(await verifyPassword(currentPassword, user.passwordHash))) {
    throw unauthorized('auth.invalid-credentials', 'current password is wrong');
  }
  if (currentPassword === newPassword) throw badRequest('auth.password-unchanged', 'the new password must differ from the current one');
  const passwordHash = await hashPassword(newPassword);
  return db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, mustChangePassword: false }).where(eq(users.id, userId));
    await deleteSessionsOfUser(tx, userId);
    return createSession(tx, userId);
  });
}
