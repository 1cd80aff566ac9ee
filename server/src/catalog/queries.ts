import { asc, isNull, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/database.ts';
import { catalogRules } from '../db/schema/catalog.ts';
import { buildAllocationGroups, type AllocationGroups } from './groups.ts';
import { buildRuleSet } from './rules/index.ts';
import type { Product, RuleSet, SoftwareRule } from './types.ts';

/** The rule set in force with its allocation groups. */
export interface LoadedRuleSet {
  ruleSet: RuleSet;
  groups: AllocationGroups;
  /** Changes whenever an admin rule is added or retired. */
  revision: string;
}

/** Rule sets by the content of their admin rules; a handful at most (tests run several databases). */
const cache = new Map<string, LoadedRuleSet>();
const CACHE_SIZE = 8;

/**
 * The rule set in force: built-ins plus the admin rules of the database, read on every call (a
 * rule added by another server process applies at once; admin rules are few). Building the rule
 * set and its groups is cached by the rules' content.
 */
export async function loadRuleSet(db: Db): Promise<LoadedRuleSet> {
  const rows = await db.select().from(catalogRules).where(isNull(catalogRules.retiredAt)).orderBy(asc(catalogRules.id));
  const [state] = await queryRows<{ max: number | null }>(db, sql`SELECT max(id) AS max FROM ${catalogRules}`);
  const revision = `${state?.max ?? 0}:${JSON.stringify(rows.map((r) => [r.id, r.namePattern, r.publisherPattern, r.sources, r.productId, r.edition, r.product]))}`;
  const cached = cache.get(revision);
  if (cached) return cached;
  const products: Product[] = rows.flatMap((row) => (row.product ? [row.product] : []));
  // Newest first: a later admin rule corrects an earlier one.
  const rules: SoftwareRule[] = [...rows].reverse().map((row) => ({
    id: `db:${row.id}`,
    name: row.namePattern,
    ...(row.publisherPattern ? { publisher: row.publisherPattern } : {}),
    ...(row.sources?.length ? { sources: row.sources as SoftwareRule['sources'] } : {}),
    productId: row.productId,
    ...(row.edition ? { edition: row.edition } : {}),
    ...(row.note ? { note: row.note } : {}),
  }));
  const ruleSet = buildRuleSet({ revision: state?.max ?? 0, products, rules });
  const loaded = { ruleSet, groups: buildAllocationGroups(ruleSet), revision };
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(revision, loaded);
  return loaded;
}
