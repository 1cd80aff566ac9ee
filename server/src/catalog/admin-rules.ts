import { sql } from 'drizzle-orm';
import type { Scope } from '../access/scope.ts';
import { orgPathInScope } from '../access/scope.ts';
import { recomputeAll, type RecomputeResult } from '../compliance/recompute.ts';
import { emptyResult, mergeResult } from '../compliance/recompute-result.ts';
import { queryRows, type Db } from '../db/database.ts';
import { catalogRules } from '../db/schema/catalog.ts';
import { badRequest } from '../errors.ts';
import { auditLedgerChange } from '../ledger/audit.ts';
import { escapeLike } from '../db/like.ts';
import { loadRuleSet } from './queries.ts';
import type { Product, SoftwareRule } from './types.ts';

export interface NewRule {
  name: string;
  publisher?: string | undefined;
  sources?: SoftwareRule['sources'] | undefined;
  productId: string | null;
  edition?: string | undefined;
  note?: string | undefined;
  /** A product to add to the catalog with the rule (its id is the rule's productId). */
  product?: Product | undefined;
}

function checkPattern(field: string, pattern: string): void {
  try {
    new RegExp(pattern, 'iu');
  } catch (error) {
    throw badRequest('catalog.rule-invalid', `${field}: not a valid regular expression (${(error as Error).message})`);
  }
}

/**
 * Adds a recognition rule (audited) and applies it to existing data at once: a full recompute of
 * every org in the admin's scope (rules are global, but an admin's recompute stays in their
 * scope; other bureaus' data follows at their next recompute or ingest).
 */
export async function addCatalogRule(db: Db, scope: Scope, rule: NewRule): Promise<{ ruleId: number; revision: string; recompute: RecomputeResult }> {
  checkPattern('name', rule.name);
  if (rule.publisher) checkPattern('publisher', rule.publisher);
  const { ruleSet } = await loadRuleSet(db);
  if (rule.product && rule.product.id !== rule.productId) throw badRequest('catalog.rule-invalid', 'product.id must equal productId');
  if (rule.product && ruleSet.products.has(rule.product.id)) throw badRequest('catalog.rule-invalid', `product ${rule.product.id} already exists: name it in productId without a product`);
  if (rule.productId && !rule.product && !ruleSet.products.has(rule.productId)) throw badRequest('catalog.rule-invalid', `unknown product ${rule.productId}: give a product definition with the rule`);
  const ruleId = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(catalogRules)
      .values({
        namePattern: rule.name,
        publisherPattern: rule.publisher ?? null,
        sources: rule.sources ?? null,
        productId: rule.productId,
        edition: rule.edition ?? null,
        note: rule.note ?? null,
        product: rule.product ?? null,
        createdBy: scope.viewer.userId,
      })
      .returning({ id: catalogRules.id });
    await auditLedgerChange(tx, { actorUserId: scope.viewer.userId, orgId: scope.viewer.orgId, action: 'catalog.rule-added', targetId: String(row!.id), detail: { ...rule } });
    return row!.id;
  });
  // A rule can touch every machine in scope: merge without spreading (10^5 events overflow the stack).
  const recompute = emptyResult();
  for (const orgPath of scope.paths) mergeResult(recompute, await recomputeAll(db, { orgPath }));
  return { ruleId, revision: (await loadRuleSet(db)).ruleSet.version, recompute };
}

/** Admin rules, newest first. */
export async function listAdminRules(db: Db) {
  return queryRows(
    db,
    sql`SELECT id, name_pattern AS "name", publisher_pattern AS "publisher", sources, product_id AS "productId", edition, note, product,
               created_by AS "createdBy", created_at AS "createdAt", retired_at AS "retiredAt"
        FROM ${catalogRules} ORDER BY id DESC`,
  );
}

/** What the unrecognised queue can be narrowed to. */
export interface UnrecognisedFilter {
  orgId?: string | undefined;
  /** Part of the name or publisher, any case. */
  q?: string | undefined;
  limit: number;
  offset: number;
}

/**
 * Unrecognised software in scope (one unit, or everything), by normalised name and publisher, most
 * machines first: one page and how many entries match, so a city's reviewers page through all of
 * it and search it.
 */
export async function listUnrecognised(db: Db, scope: Scope, filter: UnrecognisedFilter) {
  const conditions = [orgPathInScope(scope, sql`o.path`)];
  if (filter.orgId) conditions.push(sql`m.org_id = ${filter.orgId}::uuid`);
  if (filter.q) {
    const pattern = `%${escapeLike(filter.q)}%`;
    conditions.push(sql`(u.name ILIKE ${pattern} OR u.publisher ILIKE ${pattern})`);
  }
  const grouped = sql`SELECT u.name_key, u.publisher_key, min(u.name) AS name, min(u.publisher) AS publisher, count(DISTINCT u.machine_id)::int AS machines
        FROM machine_unrecognised u JOIN machines m ON m.id = u.machine_id JOIN orgs o ON o.id = m.org_id
        WHERE ${sql.join(conditions, sql` AND `)}
        GROUP BY u.name_key, u.publisher_key`;
  const rows = await queryRows<{ nameKey: string; publisherKey: string; name: string; publisher: string | null; machines: number; total: number }>(
    db,
    sql`SELECT g.name_key AS "nameKey", g.publisher_key AS "publisherKey", g.name, g.publisher, g.machines, count(*) OVER ()::int AS total
        FROM (${grouped}) g ORDER BY g.machines DESC, g.name_key, g.publisher_key LIMIT ${filter.limit} OFFSET ${filter.offset}`,
  );
  // Past the last page no row carries the total: count the groups then.
  const total = rows[0]?.total ?? (filter.offset > 0 ? ((await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM (${grouped}) g`))[0]?.n ?? 0) : 0);
  return { unrecognised: rows.map(({ total: _total, ...row }) => row), total };
}
