import type { FamilyRights, Product, RuleSet, SoftwareRule } from '../types.ts';
import { DOMESTIC_OFFICE_PRODUCTS, DOMESTIC_OS_PRODUCTS } from './products-domestic.ts';
import { MICROSOFT_FAMILY_RIGHTS, MICROSOFT_PRODUCTS } from './products-microsoft.ts';
import { SOFTWARE_PRODUCTS } from './products-software.ts';
import { BUILTIN_SOFTWARE_RULES } from './software-rules.ts';

/**
 * Version of the built-in catalog and rules. Raise it whenever a product or a rule here changes:
 * the server then recomputes every machine's products at start (a changed rule set must apply to
 * existing data, not only to the next report).
 */
export const RULESET_VERSION = '2025.1';

export const BUILTIN_PRODUCTS: readonly Product[] = [
  ...MICROSOFT_PRODUCTS,
  ...DOMESTIC_OS_PRODUCTS,
  ...DOMESTIC_OFFICE_PRODUCTS,
  ...SOFTWARE_PRODUCTS,
];

export const BUILTIN_FAMILY_RIGHTS: readonly FamilyRights[] = MICROSOFT_FAMILY_RIGHTS;

export { BUILTIN_SOFTWARE_RULES };

/**
 * The rule set in force: the built-ins plus what bureau admins added (their products extend the
 * catalog; their rules are tried before the built-in ones so they can correct them).
 */
export function buildRuleSet(
  admin: { revision: number; products: readonly Product[]; rules: readonly SoftwareRule[] } = { revision: 0, products: [], rules: [] },
): RuleSet {
  const products = new Map<string, Product>();
  for (const product of [...BUILTIN_PRODUCTS, ...admin.products]) products.set(product.id, product);
  return {
    version: admin.revision > 0 ? `${RULESET_VERSION}+db.${admin.revision}` : RULESET_VERSION,
    products,
    families: BUILTIN_FAMILY_RIGHTS,
    softwareRules: [...admin.rules, ...BUILTIN_SOFTWARE_RULES],
  };
}
