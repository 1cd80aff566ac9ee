import { FIGURE_KEYS, type AnnualReturnRow, type ComputedFigures } from './form.ts';

/** Where a unit's return for the year stands. `none`: not even a draft saved. */
export type UnitReturnStatus = 'none' | 'draft' | 'submitted' | 'accepted' | 'returned';

/** One unit as the bureau's roll-up (汇总) sees it. */
export interface RollupUnit {
  unitId: string;
  unitName: string;
  region: string | null;
  sector: string | null;
  status: UnitReturnStatus;
  /** The latest submitted or accepted version's row; null otherwise. */
  row: AnnualReturnRow | null;
}

/** The six summed columns. */
export interface RollupTotals extends ComputedFigures {
  staffCount: number;
  units: number;
}

/** One subtotal line. */
export interface RollupGroup {
  key: string;
  totals: RollupTotals;
}

/** The city's roll-up for one year. */
export interface Rollup {
  year: number;
  /** Units in region, sector, name order. */
  units: RollupUnit[];
  byRegion: RollupGroup[];
  bySector: RollupGroup[];
  city: RollupTotals;
  /** Units with no submitted or accepted return: none, draft, or returned and not yet corrected. */
  notSubmitted: RollupUnit[];
}

/** Region or sector label of units that have none recorded. */
export const UNASSIGNED = '(未填)';

/** True when the unit's return counts towards the totals: submitted or accepted. */
export function isCounted(unit: Pick<RollupUnit, 'status' | 'row'>): boolean {
  return (unit.status === 'submitted' || unit.status === 'accepted') && unit.row !== null;
}

const zero = (): RollupTotals => ({ units: 0, staffCount: 0, computers: 0, windows: 0, kylin: 0, msOffice: 0, wps: 0 });

function add(totals: RollupTotals, row: AnnualReturnRow): void {
  totals.units += 1;
  totals.staffCount += row.staffCount ?? 0;
  for (const key of FIGURE_KEYS) totals[key] += row[key];
}

function groupBy(units: readonly RollupUnit[], keyOf: (u: RollupUnit) => string): RollupGroup[] {
  const groups = new Map<string, RollupTotals>();
  for (const unit of units) {
    const key = keyOf(unit);
    if (!groups.has(key)) groups.set(key, zero());
    if (isCounted(unit)) add(groups.get(key)!, unit.row!);
  }
  return [...groups.keys()].sort((a, b) => a.localeCompare(b, 'zh-CN')).map((key) => ({ key, totals: groups.get(key)! }));
}

/**
 * The bureau's roll-up (汇总): only submitted and accepted returns count, so the city total is
 * exactly the sum of its units' submitted returns; every other unit is listed as not submitted.
 * Pure.
 */
export function rollUpReturns(year: number, units: readonly RollupUnit[]): Rollup {
  const regionOf = (u: RollupUnit) => u.region || UNASSIGNED;
  const sectorOf = (u: RollupUnit) => u.sector || UNASSIGNED;
  const sorted = [...units].sort(
    (a, b) => regionOf(a).localeCompare(regionOf(b), 'zh-CN') || sectorOf(a).localeCompare(sectorOf(b), 'zh-CN') || a.unitName.localeCompare(b.unitName, 'zh-CN') || (a.unitId < b.unitId ? -1 : 1),
  );
  const city = zero();
  for (const unit of sorted) if (isCounted(unit)) add(city, unit.row!);
  return {
    year,
    units: sorted,
    byRegion: groupBy(sorted, regionOf),
    bySector: groupBy(sorted, sectorOf),
    city,
    notSubmitted: sorted.filter((u) => !isCounted(u)),
  };
}
