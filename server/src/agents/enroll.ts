import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { EnrollRequest, EnrollResponse } from '@zhengban/protocol';
import { generateToken, sha256Hex } from '../auth/secrets.ts';
import type { Db } from '../db/database.ts';
import { agents, enrollmentTokens, machines } from '../db/schema.ts';
import { unauthorized } from '../errors.ts';
import { identityFromHardware, matchMachine } from '../machines/identity.ts';
import { findMachineCandidates, identityUpdate, insertMachine } from '../machines/queries.ts';

/**
 * Consumes one use of an enrolment token, or explains in words why it cannot be used. The
 * conditional UPDATE makes "check and count" one step, so two agents racing for the last use
 * of a token cannot both win.
 */
async function consumeEnrollmentToken(tx: Db, token: string): Promise<{ tokenId: string; orgId: string }> {
  const tokenHash = sha256Hex(token);
  const [used] = await tx
    .update(enrollmentTokens)
    .set({ uses: sql`${enrollmentTokens.uses} + 1` })
    .where(
      and(
        eq(enrollmentTokens.tokenHash, tokenHash),
        isNull(enrollmentTokens.revokedAt),
        or(isNull(enrollmentTokens.expiresAt), gt(enrollmentTokens.expiresAt, sql`now()`)),
        or(isNull(enrollmentTokens.maxUses), lt(enrollmentTokens.uses, enrollmentTokens.maxUses)),
      ),
    )
    .returning({ tokenId: enrollmentTokens.id, orgId: enrollmentTokens.orgId });
  if (used) return used;

  const [found] = await tx.select().from(enrollmentTokens).where(eq(enrollmentTokens.tokenHash, tokenHash));
  if (!found) throw unauthorized('enroll.token-unknown', 'enrolment token is not valid: check it was copied whole');
  if (found.revokedAt) throw unauthorized('enroll.token-revoked', 'enrolment token was revoked: ask your administrator for a new one');
  if (found.expiresAt && found.expiresAt.getTime() <= Date.now()) {
    throw unauthorized('enroll.token-expired', `enrolment token expired at ${found.expiresAt.toISOString()}: ask for a new one`);
  }
  throw unauthorized('enroll.token-used-up', `enrolment token was already used ${found.uses} of ${found.maxUses} times: ask for a new one`);
}

/**
 * Trades an enrolment token for per-agent credentials (the secret is returned once; only its
 * hash is kept). The machine is found by hardware identity within the token's unit, so a
 * re-enrolled PC keeps its record; the agents it had before are revoked, since one PC reports
 * through one agent.
 */
export async function enrollAgent(db: Db, request: EnrollRequest): Promise<EnrollResponse> {
  return db.transaction(async (tx) => {
    const { tokenId, orgId } = await consumeEnrollmentToken(tx, request.token);
    const identity = identityFromHardware(request.hardware);
    // Matching stays within the token's unit: a token for one unit must not reach another
    // unit's machine records by claiming their hardware values.
    let machineId = matchMachine(identity, await findMachineCandidates(tx, orgId, identity));
    if (machineId) {
      await tx
        .update(machines)
        .set({ hostname: request.hostname, ...identityUpdate(identity, request.hardware) })
        .where(eq(machines.id, machineId));
      await tx
        .update(agents)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(agents.machineId, machineId), isNull(agents.revokedAt)));
    } else {
      machineId = await insertMachine(tx, { orgId, hostname: request.hostname, identity, hardware: request.hardware });
    }

    const secret = generateToken(32);
    const [agent] = await tx
      .insert(agents)
      .values({
        orgId,
        machineId,
        secretHash: sha256Hex(secret),
        platform: request.platform,
        agentVersion: request.agentVersion,
        enrollmentTokenId: tokenId,
      })
      .returning({ id: agents.id });
    return { agentId: agent!.id, secret, unitId: orgId };
  });
}
