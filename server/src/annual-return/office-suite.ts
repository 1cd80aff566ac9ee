import type { Product } from '../catalog/types.ts';

/** Which column of the form a ledger product counts in: 微软 office, 金山 WPS office, or neither. */
export type OfficeColumn = 'ms-office' | 'wps';

/**
 * The form column of a catalog product. Microsoft office products (Office, Microsoft 365 Apps)
 * and suites whose components include one (Microsoft 365 E3/E5) count as 微软 office; WPS
 * products as 金山 WPS. Personal-use-only editions (WPS 个人版, Microsoft 365 Personal) are never
 * a unit's licence, so a ledger row for one counts nowhere.
 */
export function officeColumnOf(product: Product | undefined, products: ReadonlyMap<string, Product>): OfficeColumn | null {
  if (!product || product.licenceModel === 'personal-use-only') return null;
  const isMicrosoftOffice = (p: Product | undefined) => p?.vendor === 'Microsoft' && p.category === 'office';
  if (isMicrosoftOffice(product)) return 'ms-office';
  if (product.vendor === 'Microsoft' && product.components?.some((id) => isMicrosoftOffice(products.get(id)))) return 'ms-office';
  if (product.id.startsWith('wps-')) return 'wps';
  return null;
}
