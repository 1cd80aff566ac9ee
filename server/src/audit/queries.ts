import { and, desc, eq, gte, like, lt, or, sql, type SQL } from 'drizzle-orm';
import { orgPathInScope, scopeWhere, type Scope } from '../access/scope.ts';
import type { Db } from '../db/database.ts';
import { auditLog } from '../db/schema/audit.ts';
import { orgs } from '../db/schema.ts';
import { escapeLike } from '../db/like.ts';

/** Filters of the audit log view and export. */
export interface AuditFilter {
  /** Entries of this org and everything under it. */
  orgId?: string | undefined;
  /** Exact action (`user.create`) or a prefix ending in a dot (`user.`). */
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  /** Entries made by this user. */
  userId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/**
 * Entries the scope may read: those of orgs in scope now, and those whose org path at writing time
 * lay in scope (the entries of a deleted org stay with its ancestors).
 */
function auditScopeWhere(scope: Scope): SQL {
  return or(scopeWhere(scope, auditLog.orgId), orgPathInScope(scope, auditLog.orgPath))!;
}

function filterWhere(filter: AuditFilter): SQL[] {
  const where: SQL[] = [];
  if (filter.orgId) {
    const under = sql`(SELECT ${orgs.path} FROM ${orgs} WHERE ${orgs.id} = ${filter.orgId}) || '%'`;
    where.push(or(sql`${auditLog.orgPath} LIKE ${under}`, sql`${auditLog.orgId} IN (SELECT ${orgs.id} FROM ${orgs} WHERE ${orgs.path} LIKE ${under})`)!);
  }
  if (filter.action) where.push(filter.action.endsWith('.') ? like(auditLog.action, `${escapeLike(filter.action)}%`) : eq(auditLog.action, filter.action));
  if (filter.targetType) where.push(eq(auditLog.targetType, filter.targetType));
  if (filter.targetId) where.push(eq(auditLog.targetId, filter.targetId));
  if (filter.userId) where.push(eq(auditLog.userId, filter.userId));
  if (filter.from) where.push(gte(auditLog.at, filter.from));
  if (filter.to) where.push(lt(auditLog.at, filter.to));
  return where;
}

const entryColumns = {
  id: auditLog.id,
  at: auditLog.at,
  userId: auditLog.userId,
  username: auditLog.username,
  ip: auditLog.ip,
  action: auditLog.action,
  targetType: auditLog.targetType,
  targetId: auditLog.targetId,
  orgId: auditLog.orgId,
  orgName: orgs.name,
  before: auditLog.before,
  after: auditLog.after,
};

/** Audit entries in scope matching the filter, newest first, one page at a time, with the total. */
export async function listAuditEntries(db: Db, scope: Scope, filter: AuditFilter, page: { limit: number; offset: number }) {
  const where = and(auditScopeWhere(scope), ...filterWhere(filter));
  const [entries, [total]] = await Promise.all([
    db.select(entryColumns).from(auditLog).leftJoin(orgs, eq(orgs.id, auditLog.orgId)).where(where).orderBy(desc(auditLog.id)).limit(page.limit).offset(page.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(where),
  ]);
  return { entries, total: total?.n ?? 0 };
}

export type AuditRow = Awaited<ReturnType<typeof listAuditEntries>>['entries'][number];
