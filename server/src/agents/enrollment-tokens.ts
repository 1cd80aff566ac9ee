import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { generateToken, sha256Hex } from '../auth/secrets.ts';
import type { Db } from '../db/database.ts';
import { enrollmentTokens } from '../db/schema.ts';

export interface NewEnrollmentToken {
  orgId: string;
  label: string;
  /** Absent = never expires. */
  expiresAt?: Date;
  /** Absent = unlimited. */
  maxUses?: number;
  /** Absent = a fresh random token. */
  token?: string;
}

/** Creates an enrolment token and returns its text; only its hash is stored. */
export async function createEnrollmentToken(db: Db, input: NewEnrollmentToken): Promise<{ id: string; token: string }> {
  const token = input.token ?? generateToken(24);
  const [row] = await db
    .insert(enrollmentTokens)
    .values({
      orgId: input.orgId,
      label: input.label,
      tokenHash: sha256Hex(token),
      expiresAt: input.expiresAt ?? null,
      maxUses: input.maxUses ?? null,
    })
    .returning({ id: enrollmentTokens.id });
  return { id: row!.id, token };
}

/** Revokes a token: enrolments with it fail from now on; agents enrolled with it keep working. */
export async function revokeEnrollmentToken(db: Db, id: string): Promise<void> {
  await db.update(enrollmentTokens).set({ revokedAt: sql`now()` }).where(and(eq(enrollmentTokens.id, id), isNull(enrollmentTokens.revokedAt)));
}

/**
 * Makes `token` a valid unlimited token for `orgId` under `label`, and revokes any other token
 * that carried the label: when the operator changes ZHENGBAN_ENROLL_TOKEN, the old value stops
 * working instead of staying valid forever.
 */
export async function upsertLabelledToken(db: Db, orgId: string, label: string, token: string): Promise<void> {
  const tokenHash = sha256Hex(token);
  await db
    .update(enrollmentTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(enrollmentTokens.label, label), ne(enrollmentTokens.tokenHash, tokenHash), isNull(enrollmentTokens.revokedAt)));
  await db
    .insert(enrollmentTokens)
    .values({ orgId, label, tokenHash })
    .onConflictDoUpdate({
      target: enrollmentTokens.tokenHash,
      set: { orgId, label, revokedAt: null, expiresAt: null, maxUses: null },
    });
}
