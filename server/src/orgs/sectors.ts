/**
 * Sectors (行业) of units and their legalisation deadlines, from the seed work plan (2023): Party
 * and government organs 100% genuine office software this year (part of the annual appraisal);
 * state-owned enterprises within two years; education, health, transport, energy, banking,
 * insurance, securities and small financial institutions within three; private enterprises within
 * five. 其他 has no deadline of its own.
 */
export interface Sector {
  /** The name as the seed prints it; stored in orgs.sector. */
  name: string;
  english: string;
  /** Years from the plan year within which the sector must be fully genuine; null = none set. */
  withinYears: number | null;
}

/** The year of the work plan the deadlines count from. */
export const SECTOR_PLAN_YEAR = 2023;

export const SECTORS = [
  { name: '党政机关', english: 'Party and government organs', withinYears: 0 },
  { name: '国有企业', english: 'state-owned enterprises', withinYears: 2 },
  { name: '教育', english: 'education', withinYears: 3 },
  { name: '医疗', english: 'health', withinYears: 3 },
  { name: '交通', english: 'transport', withinYears: 3 },
  { name: '能源', english: 'energy', withinYears: 3 },
  { name: '银行', english: 'banking', withinYears: 3 },
  { name: '保险', english: 'insurance', withinYears: 3 },
  { name: '证券', english: 'securities', withinYears: 3 },
  { name: '中小金融机构', english: 'small financial institutions', withinYears: 3 },
  { name: '民营企业', english: 'private enterprises', withinYears: 5 },
  { name: '其他', english: 'other', withinYears: null },
] as const satisfies readonly Sector[];

export type SectorName = (typeof SECTORS)[number]['name'];
export const SECTOR_NAMES = SECTORS.map((s) => s.name) as [SectorName, ...SectorName[]];

/** The year by whose end a sector must be fully genuine (null when the plan sets none). */
export function sectorDeadlineYear(sector: Sector): number | null {
  return sector.withinYears === null ? null : SECTOR_PLAN_YEAR + sector.withinYears;
}
