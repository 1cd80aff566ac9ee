import { coversByDowngrade } from '../catalog/groups.ts';
import type { Product, RuleSet } from '../catalog/types.ts';

/**
 * Licence positions (授权状况) of one unit: pure, over plain data. Which installs the unit's
 * licences in force cover, which they do not, and which seats are left. The allocation is
 * deterministic (same input, same output, whatever the input order) and runs in phases:
 *
 * 1. Installs are counted once per machine and product family: a machine with Office 2016 and
 *    Office 2019 counts one install, of the higher rank (2019).
 * 2. OEM licences cover installs on the machines they are bound to (exact product first, then by
 *    downgrade), one bound machine per seat.
 * 3. Site licences cover every install of their product and of what it downgrades to.
 * 4. Exact-version licences cover installs of their own product.
 * 5. Downgrade: leftover seats of higher ranks of the same family (or of a family with
 *    down-edition rights) cover what is still uncovered; installs are served from the highest
 *    rank down, each by the lowest-ranked licence that can cover it.
 * 6. Suites: one seat of a suite covers all still-uncovered component installs on one machine.
 *
 * Within each phase licences go by (start date, id) and installs by machine id. An install still
 * uncovered is a shortfall, or `subscription-expired` when a subscription for it has lapsed.
 */

export const LICENCE_TYPES = ['perpetual-device', 'subscription', 'oem', 'volume', 'site'] as const;
export type LicenceType = (typeof LICENCE_TYPES)[number];

/** One product on one machine of the unit. */
export interface InstallInput {
  machineId: string;
  productId: string;
}

/** One ledger licence as the allocation needs it. */
export interface LicenceInput {
  id: string;
  productId: string;
  type: LicenceType;
  /** Seats: 套 for per-device and subscription, N licences for volume; ignored for site and OEM. */
  seats: number;
  /** YYYY-MM-DD; a licence is in force from this day (purchase or subscription start). */
  startsOn: string | null;
  /** YYYY-MM-DD, inclusive; required for subscriptions, optional for others. */
  endsOn: string | null;
  /** OEM only: the machines the licence came with. */
  boundMachineIds: readonly string[];
}

export type CoverageVia = 'oem' | 'site' | 'exact' | 'downgrade' | 'suite';

/** One product's position in one unit. */
export interface LicencePosition {
  productId: string;
  /** Machines counted under this product (once per family). */
  installs: number;
  /** Seats of this product's own licences in force; null = unlimited (site licence). */
  licences: number | null;
  /** Installs of this product covered by any licence. */
  covered: number;
  /** Installs not covered. */
  shortfall: number;
  /** Own seats in force that cover nothing; null with a site licence. */
  surplus: number | null;
  /** Own seats used by installs of this or other products (downgrade, suite). */
  seatsUsed: number;
  machines: {
    installed: string[];
    covered: string[];
    uncovered: string[];
    /** Uncovered because a subscription for them lapsed. */
    expired: string[];
  };
  /** How this product's covered installs are covered: by which licence, how, which machines. */
  coveredBy: Array<{ licenceId: string; via: CoverageVia; machineIds: string[] }>;
}

export type CatalogView = Pick<RuleSet, 'products' | 'families'>;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** True when a licence is in force on `asOf` (YYYY-MM-DD). */
export function isLicenceInForce(licence: Pick<LicenceInput, 'type' | 'startsOn' | 'endsOn'>, asOf: string): boolean {
  if (licence.startsOn && licence.startsOn > asOf) return false;
  if (licence.endsOn && licence.endsOn < asOf) return false;
  // A subscription without an end date is not a subscription the ledger can trust.
  if (licence.type === 'subscription' && !licence.endsOn) return false;
  return true;
}

interface Slot {
  machineId: string;
  product: Product;
  coveredBy?: { licenceId: string; via: CoverageVia };
}

/** Installs after family de-duplication, keyed machine|product. */
function countedInstalls(installs: readonly InstallInput[], catalog: CatalogView): Slot[] {
  const best = new Map<string, Slot>();
  for (const install of installs) {
    const product = catalog.products.get(install.productId);
    if (!product || product.licenceModel === 'free') continue;
    const key = `${install.machineId}|${product.family ?? `product:${product.id}`}`;
    const current = best.get(key);
    if (!current || (product.rank ?? 0) > (current.product.rank ?? 0) || ((product.rank ?? 0) === (current.product.rank ?? 0) && product.id < current.product.id)) {
      best.set(key, { machineId: install.machineId, product });
    }
  }
  return [...best.values()].sort((a, b) => byText(a.machineId, b.machineId) || byText(a.product.id, b.product.id));
}

/** Computes the positions of every product that has installs or licences among the inputs. */
export function computeLicencePositions(
  installs: readonly InstallInput[],
  licences: readonly LicenceInput[],
  asOf: string,
  catalog: CatalogView,
): LicencePosition[] {
  const slots = countedInstalls(installs, catalog);
  const order = (a: LicenceInput, b: LicenceInput) => byText(a.startsOn ?? '', b.startsOn ?? '') || byText(a.id, b.id);
  const inForce = licences.filter((l) => catalog.products.has(l.productId) && isLicenceInForce(l, asOf)).sort(order);
  const remaining = new Map(inForce.map((l) => [l.id, l.type === 'oem' ? new Set(l.boundMachineIds).size : Math.max(0, l.seats)]));
  const used = new Map<string, number>();
  const productOf = (l: LicenceInput) => catalog.products.get(l.productId)!;
  const canCover = (l: LicenceInput, slot: Slot) => l.productId === slot.product.id || coversByDowngrade(productOf(l), slot.product, catalog);
  const take = (l: LicenceInput, slot: Slot, via: CoverageVia, seat = true) => {
    slot.coveredBy = { licenceId: l.id, via };
    if (seat) {
      remaining.set(l.id, remaining.get(l.id)! - 1);
      used.set(l.id, (used.get(l.id) ?? 0) + 1);
    }
  };
  const open = () => slots.filter((s) => !s.coveredBy);

  // 2. OEM: only on the bound machines.
  for (const l of inForce.filter((x) => x.type === 'oem')) {
    for (const machineId of [...new Set(l.boundMachineIds)].sort(byText)) {
      const candidates = open().filter((s) => s.machineId === machineId && canCover(l, s));
      const slot = candidates.find((s) => s.product.id === l.productId) ?? candidates[0];
      if (slot) take(l, slot, 'oem');
    }
  }
  // 3. Site: unlimited.
  for (const l of inForce.filter((x) => x.type === 'site')) {
    for (const slot of open()) if (canCover(l, slot)) take(l, slot, 'site', false);
    used.set(l.id, slots.filter((s) => s.coveredBy?.licenceId === l.id).length);
  }
  const seated = inForce.filter((x) => x.type !== 'oem' && x.type !== 'site');
  // 4. Exact version.
  for (const l of seated) {
    for (const slot of open()) {
      if (remaining.get(l.id)! <= 0) break;
      if (slot.product.id === l.productId) take(l, slot, 'exact');
    }
  }
  // 5. Downgrade: highest installed rank first, lowest sufficient licence rank first.
  const downgradable = seated.filter((l) => productOf(l).family !== undefined);
  const byRankDesc = open().sort((a, b) => (b.product.rank ?? 0) - (a.product.rank ?? 0) || byText(a.machineId, b.machineId) || byText(a.product.id, b.product.id));
  for (const slot of byRankDesc) {
    const candidates = downgradable
      .filter((l) => remaining.get(l.id)! > 0 && canCover(l, slot))
      .sort((a, b) => (productOf(a).rank ?? 0) - (productOf(b).rank ?? 0) || order(a, b));
    if (candidates[0]) take(candidates[0], slot, 'downgrade');
  }
  // 6. Suites: one seat per machine covers all its component installs.
  for (const l of seated.filter((x) => productOf(x).components?.length)) {
    const components = productOf(l).components!.map((id) => catalog.products.get(id)).filter((p): p is Product => p !== undefined);
    const coversSlot = (slot: Slot) => components.some((c) => c.id === slot.product.id || coversByDowngrade(c, slot.product, catalog));
    const machines = [...new Set(open().filter(coversSlot).map((s) => s.machineId))].sort(byText);
    for (const machineId of machines) {
      if (remaining.get(l.id)! <= 0) break;
      const onMachine = open().filter((s) => s.machineId === machineId && coversSlot(s));
      onMachine.forEach((slot, i) => take(l, slot, 'suite', i === 0));
    }
  }

  const lapsed = licences.filter((l) => l.type === 'subscription' && l.endsOn && l.endsOn < asOf && catalog.products.has(l.productId));
  const lapsedFor = (slot: Slot) => lapsed.some((l) => canCover(l, slot));
  return buildPositions(slots, inForce, licences, used, lapsedFor, catalog);
}

function buildPositions(
  slots: Slot[],
  inForce: LicenceInput[],
  all: readonly LicenceInput[],
  used: Map<string, number>,
  lapsedFor: (slot: Slot) => boolean,
  catalog: CatalogView,
): LicencePosition[] {
  const productIds = new Set<string>([...slots.map((s) => s.product.id), ...all.filter((l) => catalog.products.has(l.productId)).map((l) => l.productId)]);
  const positions: LicencePosition[] = [];
  for (const productId of [...productIds].sort(byText)) {
    const mine = slots.filter((s) => s.product.id === productId);
    const own = inForce.filter((l) => l.productId === productId);
    const site = own.some((l) => l.type === 'site');
    const seats = own.reduce((sum, l) => sum + (l.type === 'oem' ? new Set(l.boundMachineIds).size : Math.max(0, l.seats)), 0);
    const seatsUsed = own.filter((l) => l.type !== 'site').reduce((sum, l) => sum + (used.get(l.id) ?? 0), 0);
    const covered = mine.filter((s) => s.coveredBy);
    const uncovered = mine.filter((s) => !s.coveredBy);
    const groups = new Map<string, { licenceId: string; via: CoverageVia; machineIds: string[] }>();
    for (const slot of covered) {
      const key = `${slot.coveredBy!.licenceId}|${slot.coveredBy!.via}`;
      const group = groups.get(key) ?? { ...slot.coveredBy!, machineIds: [] };
      group.machineIds.push(slot.machineId);
      groups.set(key, group);
    }
    positions.push({
      productId,
      installs: mine.length,
      licences: site ? null : seats,
      covered: covered.length,
      shortfall: uncovered.length,
      surplus: site ? null : seats - seatsUsed,
      seatsUsed,
      machines: {
        installed: mine.map((s) => s.machineId),
        covered: covered.map((s) => s.machineId),
        uncovered: uncovered.map((s) => s.machineId),
        expired: uncovered.filter(lapsedFor).map((s) => s.machineId),
      },
      coveredBy: [...groups.values()].sort((a, b) => byText(a.licenceId, b.licenceId) || byText(a.via, b.via)),
    });
  }
  return positions;
}
