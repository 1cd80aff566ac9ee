import { and, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { orgs, sessions, users } from '../db/schema.ts';
import { generateToken, sha256Hex } from './secrets.ts';
import type { Viewer } from './viewer.ts';

/** How long a sign-in lasts: a working day, so a shared office PC does not stay signed in for a week. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** Starts a session for a user; returns the token for the cookie (only its hash is stored). */
export async function createSession(db: Db, userId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = generateToken(32);
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.insert(sessions).values({ tokenHash: sha256Hex(token), userId, expiresAt });
  // Housekeeping at sign-in time keeps the table small without a scheduler.
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
  return { token, expiresAt };
}

/** The viewer behind a session token, or undefined when the token is unknown, expired, or the user is disabled. */
export async function getViewerBySessionToken(db: Db, token: string, now = new Date()): Promise<Viewer | undefined> {
  const [row] = await db
    .select({
      userId: users.id,
      username: users.username,
      role: users.role,
      orgId: users.orgId,
      orgPath: orgs.path,
      mustChangePassword: users.mustChangePassword,
      disabledAt: users.disabledAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(orgs, eq(orgs.id, users.orgId))
    .where(and(eq(sessions.tokenHash, sha256Hex(token)), gt(sessions.expiresAt, now)));
  if (!row || row.disabledAt) return undefined;
  const { disabledAt: _disabledAt, ...viewer } = row;
  return viewer;
}

/** Ends a session (sign-out). Unknown tokens are ignored. */
export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, sha256Hex(token)));
}

/** Ends every session of a user (password change, disabling). */
export async function deleteSessionsOfUser(db: Db, userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

