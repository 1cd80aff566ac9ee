import { eq, sql } from 'drizzle-orm';
import { DUMMY_PASSWORD_HASH, hashPassword, needsRehash, verifyPassword } from './passwords.ts';
import { createSession, deleteSessionsOfUser } from './sessions.ts';
import { ACCOUNT_LIMIT, ADDRESS_LIMIT, accountKey, addressKey, clearFailures, getLocks, KeyedQueue, recordFailure } from './throttle.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import type { Db } from '../db/database.ts';
import { users } from '../db/schema.ts';
import { badRequest, RetryLaterError, unauthorized } from '../errors.ts';
import { getUserByUsername, normaliseUsername } from '../users/queries.ts';

/** One message for unknown user and wrong password alike: the answer must not reveal which usernames exist. */
const BAD_CREDENTIALS = 'username or password is wrong';

/**
 * Per-process state of sign-in: the per-account queue (one password check at a time per account)
 * and counters of how often the password KDF ran per account, for metrics and for the test that
 * proves a locked account costs no KDF at all.
 */
export class SignInGuard {
  readonly queue = new KeyedQueue();
  readonly #kdfRuns = new Map<string, number>();

  /** How often the KDF ran for this username (normalised) in this process. */
  kdfRunsFor(username: string): number {
    return this.#kdfRuns.get(normaliseUsername(username)) ?? 0;
  }

  countKdfRun(username: string): void {
    // Bounded: a flood of random usernames must not grow the map without end.
    if (this.#kdfRuns.size > 10_000) this.#kdfRuns.clear();
    this.#kdfRuns.set(username, (this.#kdfRuns.get(username) ?? 0) + 1);
  }
}

function lockedMessage(what: string, until: Date): RetryLaterError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  const minutes = Math.ceil(seconds / 60);
  return new RetryLaterError(
    what === 'account' ? 'auth.account-locked' : 'auth.address-locked',
    `too many failed sign-ins ${what === 'account' ? 'for this account' : 'from your address'}: try again in ${minutes} minute${minutes === 1 ? '' : 's'} (at ${until.toISOString()})`,
    seconds,
  );
}

export interface SignInAttempt {
  username: string;
  password: string;
  /** The client's address, for the per-address limit. */
  address: string;
}

/**
 * Checks a username and password and starts a session; 401 when they do not match an active user,
 * 429 while the account or the address is locked. A locked account or address never reaches the
 * KDF, and attempts for one account run one after another, so an attack on one account neither
 * burns CPU nor delays other users' sign-ins (no sleeps anywhere).
 */
export async function logIn(db: Db, guard: SignInGuard, attempt: SignInAttempt): Promise<{ token: string; expiresAt: Date; userId: string }> {
  const username = normaliseUsername(attempt.username);
  const account = accountKey(username);
  const address = addressKey(attempt.address);
  return guard.queue.run(account, async () => {
    const locks = await getLocks(db, [account, address]);
    const accountLock = locks.get(account);
    const addressLock = locks.get(address);
    if (accountLock || addressLock) {
      await recordFailure(db, address, ADDRESS_LIMIT);
      throw accountLock ? lockedMessage('account', accountLock) : lockedMessage('address', addressLock!);
    }

    const user = await getUserByUsername(db, username);
    guard.countKdfRun(username);
    const matches = await verifyPassword(attempt.password, user?.passwordHash ?? (await DUMMY_PASSWORD_HASH));
    if (!user || !matches) {
      const [accountLockedUntil] = await Promise.all([recordFailure(db, account, ACCOUNT_LIMIT), recordFailure(db, address, ADDRESS_LIMIT)]);
      if (accountLockedUntil) throw lockedMessage('account', accountLockedUntil);
      throw unauthorized('auth.invalid-credentials', BAD_CREDENTIALS);
    }
    if (user.disabledAt) throw unauthorized('auth.user-disabled', 'this account is disabled: ask an administrator');
    await clearFailures(db, account);
    // The password is at hand only now: the moment to move an old hash to today's parameters.
    const passwordHash = needsRehash(user.passwordHash) ? await hashPassword(attempt.password) : user.passwordHash;
    await db.update(users).set({ lastSignedInAt: sql`now()`, passwordHash }).where(eq(users.id, user.id));
    const session = await createSession(db, user.id);
    return { ...session, userId: user.id };
  });
}

/**
 * Replaces a user's password after checking the current one. Ends every other session of the
 * user (a changed password should lock out whoever else knew the old one) and clears
 * must_change_password. Returns a fresh session for the caller.
 */
export async function changePassword(
  db: Db,
  actor: AuditActor & { userId: string },
  currentPassword: string,
  newPassword: string,
): Promise<{ token: string; expiresAt: Date }> {
  const { userId } = actor;
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user || !(await verifyPassword(currentPassword, user.passwordHash))) {
    throw unauthorized('auth.invalid-credentials', 'current password is wrong');
  }
  if (currentPassword === newPassword) throw badRequest('auth.password-unchanged', 'the new password must differ from the current one');
  const passwordHash = await hashPassword(newPassword);
  return db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, mustChangePassword: false }).where(eq(users.id, userId));
    await deleteSessionsOfUser(tx, userId);
    await recordAudit(tx, { actor, action: 'user.password-changed', targetType: 'user', targetId: userId, orgId: user.orgId });
    return createSession(tx, userId);
  });
}
