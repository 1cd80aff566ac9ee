import { eq } from 'drizzle-orm';
import { hashPassword } from '../auth/passwords.ts';
import type { UserRole } from '../auth/viewer.ts';
import type { Db } from '../db/database.ts';
import { users } from '../db/schema.ts';

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
