/**
 * The machine list behind GET /api/machines: search, filters, sorting and paging done by the
 * database, so a bureau with 100,000 machines gets a page in milliseconds. Every condition here
 * has an index behind it (db/schema.ts, machines table): hostname and serial contains-search use
 * trigram GIN indexes, the IP prefix a text_pattern_ops b-tree, the sort keys b-trees that end in
 * the id (a stable order for paging).
 */
import { and, count, eq, gte, ilike, isNotNull, isNull, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { scopeWhere, type Scope } from '../access/scope.ts';
import type { Db } from '../db/database.ts';
import { machines, orgs } from '../db/schema.ts';
import { machineFindings } from '../db/schema/compliance.ts';
import { machineSummaryColumns } from './queries.ts';
import { escapeLike } from '../db/like.ts';

export const MACHINE_SORT_KEYS = ['hostname', 'lastSeenAt', 'firstSeenAt', 'softwareCount', 'osFamily', 'activation', 'org'] as const;
export type MachineSortKey = (typeof MACHINE_SORT_KEYS)[number];

export interface MachineListQuery {
  /** Part of the hostname or serial number, or the start of the last IP address. */
  q?: string | undefined;
  osFamily?: string | undefined;
  /** An activation status; `unknown` also matches machines that never reported one. */
  activation?: string | undefined;
  /** true: only machines with open findings; false: only machines without. */
  hasFindings?: boolean | undefined;
  /** Last contact before this instant (machines never seen count as before anything). */
  seenBefore?: Date | undefined;
  /** Last contact at or after this instant. */
  seenAfter?: Date | undefined;
  /** This org and everything under it (the access plugin checked it lies in scope). */
  orgId?: string | undefined;
  /** Part of the department (使用部门) an admin recorded. */
  department?: string | undefined;
  /** true: only retired (报废/停用) machines; false: only those in use. */
  retired?: boolean | undefined;
  sort: MachineSortKey;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

const openFindings = sql<number>`(SELECT count(*)::int FROM ${machineFindings} WHERE ${machineFindings.machineId} = ${machines.id} AND ${machineFindings.closedAt} IS NULL)`;

const listColumns = {
  ...machineSummaryColumns,
  serial: machines.hardwareSerial,
  lastIp: machines.lastIp,
  assetTag: machines.assetTag,
  department: machines.department,
  retiredAt: machines.retiredAt,
  openFindings,
};

/** The WHERE conditions of a query: scope first, then each filter given. */
function conditionsOf(scope: Scope, query: MachineListQuery): SQL[] {
  const where: SQL[] = [scopeWhere(scope, machines.orgId)];
  if (query.orgId) {
    // The subtree of the chosen org, which the access plugin found inside the scope.
    where.push(sql`${machines.orgId} IN (SELECT ${orgs.id} FROM ${orgs} WHERE ${orgs.path} LIKE (SELECT ${orgs.path} FROM ${orgs} WHERE ${orgs.id} = ${query.orgId}) || '%')`);
  }
  const q = query.q?.trim();
  if (q) {
    const contains = `%${escapeLike(q)}%`;
    where.push(or(ilike(machines.hostname, contains), ilike(machines.hardwareSerial, contains), like(machines.lastIp, `${escapeLike(q)}%`))!);
  }
  if (query.osFamily) where.push(eq(machines.osFamily, query.osFamily));
  if (query.activation === 'unknown') where.push(or(eq(machines.osActivationStatus, 'unknown'), isNull(machines.osActivationStatus))!);
  else if (query.activation) where.push(eq(machines.osActivationStatus, query.activation));
  if (query.hasFindings !== undefined) {
    const exists = sql`EXISTS (SELECT 1 FROM ${machineFindings} WHERE ${machineFindings.machineId} = ${machines.id} AND ${machineFindings.closedAt} IS NULL)`;
    where.push(query.hasFindings ? exists : sql`NOT ${exists}`);
  }
  if (query.department?.trim()) where.push(ilike(machines.department, `%${escapeLike(query.department.trim())}%`));
  if (query.retired !== undefined) where.push(query.retired ? isNotNull(machines.retiredAt) : isNull(machines.retiredAt));
  if (query.seenBefore) where.push(or(lt(machines.lastSeenAt, query.seenBefore), isNull(machines.lastSeenAt))!);
  if (query.seenAfter) where.push(gte(machines.lastSeenAt, query.seenAfter));
  return where;
}

const SORT_COLUMNS: Record<MachineSortKey, AnyPgColumn> = {
  hostname: machines.hostname,
  lastSeenAt: machines.lastSeenAt,
  firstSeenAt: machines.firstSeenAt,
  softwareCount: machines.softwareCount,
  osFamily: machines.osFamily,
  activation: machines.osActivationStatus,
  org: orgs.name,
};

/**
 * ORDER BY: the chosen key, then the id so pages never overlap. Each indexed key is written exactly
 * as its index orders it, forwards or backwards, so the first page is read from the index instead of
 * sorting 100,000 rows (db/schema.ts): hostname, OS family and activation ascend with nulls last;
 * last seen descends with never-seen machines last, and ascends with them first (the longest silent).
 * Software count, first seen and unit name have no index: those orders sort (ties by hostname).
 */
function orderOf(query: MachineListQuery): SQL[] {
  const column = SORT_COLUMNS[query.sort];
  const desc = query.order === 'desc';
  if (query.sort === 'lastSeenAt') {
    return desc ? [sql`${column} DESC NULLS LAST`, sql`${machines.id} DESC NULLS LAST`] : [sql`${column} ASC NULLS FIRST`, sql`${machines.id} ASC NULLS FIRST`];
  }
  if (query.sort === 'hostname' || query.sort === 'osFamily' || query.sort === 'activation') {
    return desc ? [sql`${column} DESC`, sql`${machines.id} DESC`] : [sql`${column} ASC`, sql`${machines.id} ASC`];
  }
  // These sort anyway: ties in hostname order read better than in id order.
  return [desc ? sql`${column} DESC NULLS LAST` : sql`${column} ASC NULLS LAST`, sql`${machines.hostname} ASC`, sql`${machines.id} ASC`];
}

/** One page of the machines in scope that match the query, with the number that match in all. */
export async function listMachinePage(db: Db, scope: Scope, query: MachineListQuery) {
  const where = and(...conditionsOf(scope, query));
  const [rows, [total]] = await Promise.all([
    db
      .select(listColumns)
      .from(machines)
      .innerJoin(orgs, eq(orgs.id, machines.orgId))
      .where(where)
      .orderBy(...orderOf(query))
      .limit(query.limit)
      .offset(query.offset),
    db.select({ n: count() }).from(machines).where(where),
  ]);
  return { machines: rows, total: total?.n ?? 0 };
}
