import type { Product, RuleSet } from './types.ts';

/**
 * Allocation groups: products whose licences can cover each other's installs (one downgrade
 * family, families joined by down-edition rights, a suite and its components). Licence positions
 * of one group are computed together and never depend on another group, which is what lets an
 * ingest recompute only the groups it touched and still equal a full recompute.
 */
export interface AllocationGroups {
  /** Group id of a product (the smallest product id in the group, so it is stable). */
  groupOf(productId: string): string;
  /** Every product id of a group. */
  productsOf(groupId: string): readonly string[];
}

/** Computes the groups of a rule set's catalog (union-find over family, rights and suite links). */
export function buildAllocationGroups(ruleSet: Pick<RuleSet, 'products' | 'families'>): AllocationGroups {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(id, root);
    return root;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  const byFamily = new Map<string, string>();
  const familyKey = (family: string) => `family:${family}`;
  for (const product of ruleSet.products.values()) {
    parent.set(product.id, find(product.id));
    if (product.family) {
      union(familyKey(product.family), product.id);
      byFamily.set(product.family, product.id);
    }
    for (const component of product.components ?? []) union(product.id, component);
  }
  for (const rights of ruleSet.families) for (const covered of rights.coversFamilies) union(familyKey(rights.family), familyKey(covered));
  // Components bring their families along (a suite's Windows 11 Enterprise covers Windows 10 Enterprise).
  const members = new Map<string, string[]>();
  for (const product of ruleSet.products.values()) {
    const root = find(product.id);
    members.set(root, [...(members.get(root) ?? []), product.id]);
  }
  const groupIdOfRoot = new Map<string, string>();
  for (const [root, ids] of members) groupIdOfRoot.set(root, [...ids].sort()[0]!);
  const productsByGroup = new Map<string, string[]>();
  for (const [root, ids] of members) productsByGroup.set(groupIdOfRoot.get(root)!, [...ids].sort());
  return {
    groupOf: (productId) => (ruleSet.products.has(productId) ? groupIdOfRoot.get(find(productId))! : productId),
    productsOf: (groupId) => productsByGroup.get(groupId) ?? [groupId],
  };
}

/** True when a licence of `licensed` covers an install of `installed` by downgrade or down-edition rights. */
export function coversByDowngrade(licensed: Product, installed: Product, ruleSet: Pick<RuleSet, 'families'>): boolean {
  if (!licensed.family || !installed.family || licensed.rank === undefined || installed.rank === undefined) return false;
  if (installed.rank > licensed.rank) return false;
  if (licensed.family === installed.family) return true;
  return ruleSet.families.some((r) => r.family === licensed.family && r.coversFamilies.includes(installed.family!));
}
