import type { FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { auditLog } from '../db/schema/audit.ts';
import { orgs, users } from '../db/schema.ts';

/** Who made a change and from where. */
export interface AuditActor {
  /** Null for the system itself (start-up seeding) and for agents. */
  userId: string | null;
  /** Absent = looked up from userId when the entry is written. */
  username?: string;
  ip: string | null;
}

/** The system's own changes (seeding, housekeeping). */
export const SYSTEM_ACTOR: AuditActor = { userId: null, username: 'system', ip: null };

/** One change, as the audit log records it. */
export interface AuditEntry {
  actor: AuditActor;
  /** Dotted `<target>.<verb>`: `org.create`, `user.update`, `agent.revoke`, `licence.created`, ... */
  action: string;
  targetType: string;
  targetId?: string | null;
  /** The org the change belongs to; decides who may read the entry. */
  orgId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** The signed-in caller of a request and its address, as an audit actor (routes with a session only). */
export function actorOf(request: FastifyRequest): AuditActor & { userId: string } {
  const viewer = request.viewer;
  if (!viewer) throw new Error(`${request.method} ${request.routeOptions.url}: audit actor asked for on a route without a session`);
  return { userId: viewer.userId, username: viewer.username, ip: request.ip };
}

/** Keys whose values never enter the log, at any depth: the log is readable by many, secrets are not. */
const SECRET_KEYS = new Set(['password', 'passwordhash', 'currentpassword', 'newpassword', 'temporarypassword', 'secret', 'secrethash', 'token', 'tokenhash', 'csrftoken']);

/** A copy of a before/after value without secrets, dates as ISO strings, and nothing jsonb cannot store. */
export function redactForAudit(value: unknown, depth = 0): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value.replaceAll('\u0000', '');
  if (typeof value !== 'object') return typeof value === 'bigint' ? value.toString() : value;
  if (depth > 8) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => redactForAudit(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner === undefined) continue;
    out[key] = SECRET_KEYS.has(key.toLowerCase()) ? '[redacted]' : redactForAudit(inner, depth + 1);
  }
  return out;
}

/**
 * Appends one entry to the audit log. Call it with the transaction that makes the change, so the
 * change and its record commit together or not at all. The org's current path is stored with the
 * entry, so the entries of an org deleted later stay readable by its ancestors.
 */
export async function recordAudit(tx: Db, entry: AuditEntry): Promise<void> {
  const { actor } = entry;
  const username = actor.username ?? (actor.userId ? sql`COALESCE((SELECT ${users.username} FROM ${users} WHERE ${users.id} = ${actor.userId}), 'unknown')` : 'system');
  await tx.insert(auditLog).values({
    userId: actor.userId,
    username,
    ip: actor.ip?.slice(0, 64) ?? null,
    action: entry.action.slice(0, 64),
    targetType: entry.targetType.slice(0, 32),
    targetId: entry.targetId?.slice(0, 64) ?? null,
    orgId: entry.orgId ?? null,
    orgPath: entry.orgId ? sql`(SELECT ${orgs.path} FROM ${orgs} WHERE ${orgs.id} = ${entry.orgId})` : null,
    before: entry.before === undefined ? null : redactForAudit(entry.before),
    after: entry.after === undefined ? null : redactForAudit(entry.after),
  });
}
