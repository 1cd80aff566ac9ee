import type { FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { orgs } from '../db/schema.ts';
import { auditLog } from '../db/schema/audit.ts';

/** Who changed a return, from where. */
export interface ReturnActor {
  userId: string | null;
  username: string;
  ip: string | null;
}

/** The signed-in caller of a request. */
export function returnActorOf(request: FastifyRequest): ReturnActor {
  return { userId: request.viewer?.userId ?? null, username: request.viewer?.username ?? 'anonymous', ip: request.ip };
}

/**
 * Appends a return's submission or decision to the append-only audit log (issue #4's audit_log), in
 * the change's transaction. Written against the table directly because the log's own
 * `recordAudit` module was not yet committed when the returns landed; the row has the same shape
 * (the org's path stored so ancestors keep reading it).
 */
export async function auditReturnChange(
  tx: Db,
  entry: { actor: ReturnActor; action: string; returnId: string; orgId: string; before?: unknown; after?: unknown },
): Promise<void> {
  await tx.insert(auditLog).values({
    userId: entry.actor.userId,
    username: entry.actor.username.slice(0, 64),
    ip: entry.actor.ip?.slice(0, 64) ?? null,
    action: entry.action,
    targetType: 'annual-return',
    targetId: entry.returnId,
    orgId: entry.orgId,
    orgPath: sql`(SELECT ${orgs.path} FROM ${orgs} WHERE ${orgs.id} = ${entry.orgId})`,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}
