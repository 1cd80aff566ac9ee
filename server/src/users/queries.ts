import { and, asc, eq, ilike, isNull, or, sql, type SQL } from 'drizzle-orm';
import { scopeWhere, type Scope } from '../access/scope.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { UserRole } from '../auth/viewer.ts';
import type { Db } from '../db/database.ts';
import { orgs, users } from '../db/schema.ts';

/** Usernames are case-insensitive: stored and compared lower-case. */
export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

export interface NewUser {
  username: string;
  password: string;
  orgId: string;
  role: UserRole;
  mustChangePassword?: boolean;
}

/** Creates a user with a scrypt-hashed password. */
export async function createUser(db: Db, input: NewUser): Promise<{ id: string }> {
  const [row] = await db
    .insert(users)
    .values({
      username: normaliseUsername(input.username),
      passwordHash: await hashPassword(input.password),
      orgId: input.orgId,
      role: input.role,
      mustChangePassword: input.mustChangePassword ?? false,
    })
    .returning({ id: users.id });
  return row!;
}

/** A user by username (any case), or undefined. */
export async function getUserByUsername(db: Db, username: string) {
  const [row] = await db.select().from(users).where(eq(users.username, normaliseUsername(username)));
  return row;
}

const viewColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  org: { id: orgs.id, name: orgs.name, kind: orgs.kind },
  mustChangePassword: users.mustChangePassword,
  createdAt: users.createdAt,
  lastSignedInAt: users.lastSignedInAt,
  disabledAt: users.disabledAt,
};

export interface UserFilter {
  orgId?: string | undefined;
  role?: UserRole | undefined;
  q?: string | undefined;
  includeDisabled?: boolean | undefined;
}

/** Users of orgs in scope (orgId: that org's subtree), by username, one page at a time, with the total. */
export async function listUsers(db: Db, scope: Scope, filter: UserFilter, page: { limit: number; offset: number }) {
  const where: SQL[] = [scopeWhere(scope, users.orgId)];
  if (filter.orgId) where.push(sql`${orgs.path} LIKE (SELECT o.path FROM ${orgs} o WHERE o.id = ${filter.orgId}) || '%'`);
  if (filter.role) where.push(eq(users.role, filter.role));
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(users.username, like), ilike(users.displayName, like))!);
  }
  if (!filter.includeDisabled) where.push(isNull(users.disabledAt));
  const condition = and(...where);
  const [rows, [total]] = await Promise.all([
    db.select(viewColumns).from(users).innerJoin(orgs, eq(orgs.id, users.orgId)).where(condition).orderBy(asc(users.username)).limit(page.limit).offset(page.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(users).innerJoin(orgs, eq(orgs.id, users.orgId)).where(condition),
  ]);
  return { users: rows, total: total?.n ?? 0 };
}

/** One user as the API shows it (never the password hash). */
export async function getUserView(db: Db, id: string) {
  const [row] = await db.select(viewColumns).from(users).innerJoin(orgs, eq(orgs.id, users.orgId)).where(eq(users.id, id));
  return row;
}
