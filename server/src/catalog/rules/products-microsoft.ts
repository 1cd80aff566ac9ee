import type { FamilyRights, Product } from '../types.ts';

/**
 * Microsoft operating systems and office suites. Built from tables so every edition of every year
 * is present with the same shape. Families carry downgrade rights: a newer version of the same
 * edition covers an older one (Windows 11 Pro covers 10 Pro and 7 Professional; Office 2021
 * covers 2019). Editions are separate families because edition changes are not a downgrade right,
 * except the down-edition rights listed in MICROSOFT_FAMILY_RIGHTS.
 */

const windowsDesktop: Array<[version: string, rank: number, editions: Array<[id: string, label: string, model?: Product['licenceModel']]>]> = [
  ['7', 7, [['home', 'Home Basic/Premium', 'oem'], ['pro', 'Professional'], ['enterprise', 'Enterprise'], ['ultimate', 'Ultimate']]],
  ['8.1', 8, [['home', '', 'oem'], ['pro', 'Pro'], ['enterprise', 'Enterprise']]],
  ['10', 10, [
    ['home', 'Home', 'oem'], ['pro', 'Pro'], ['enterprise', 'Enterprise'], ['education', 'Education'],
    ['enterprise-ltsc', 'Enterprise LTSC'], ['enterprise-g', 'Enterprise G (神州网信政府版)'], ['pro-education', 'Pro Education'],
  ]],
  ['11', 11, [['home', 'Home', 'oem'], ['pro', 'Pro'], ['enterprise', 'Enterprise'], ['education', 'Education'], ['enterprise-ltsc', 'Enterprise LTSC'], ['pro-education', 'Pro Education']]],
];

const windowsServer: Array<[version: string, rank: number]> = [
  ['2008 R2', 2008], ['2012', 2012], ['2012 R2', 2013], ['2016', 2016], ['2019', 2019], ['2022', 2022], ['2025', 2025],
];

/** Office perpetual editions by year; LTSC 2021/2024 are the same product line as the retail year. */
const officeYears = [2010, 2013, 2016, 2019, 2021, 2024];
const officeEditions: Array<[id: string, label: string, model: Product['licenceModel']]> = [
  ['proplus', 'Professional Plus', 'per-device'],
  ['standard', 'Standard', 'per-device'],
  ['professional', 'Professional', 'per-device'],
  ['home-business', 'Home and Business', 'per-device'],
  // Home and Student is licensed for non-commercial use only: a unit may not run it at all.
  ['home-student', 'Home and Student', 'personal-use-only'],
];

function windowsProducts(): Product[] {
  const products: Product[] = [];
  for (const [version, rank, editions] of windowsDesktop) {
    for (const [edition, label, model] of editions) {
      if (!label) continue;
      products.push({
        id: `windows-${version.replace('.', '')}-${edition}`,
        vendor: edition === 'enterprise-g' ? '神州网信 (C&M Information Technologies)' : 'Microsoft',
        name: `Windows ${version} ${label}`,
        category: 'os',
        domestic: false,
        licenceModel: model ?? 'per-device',
        family: `windows-${edition}`,
        rank,
      });
    }
  }
  for (const [version, rank] of windowsServer) {
    for (const [edition, label] of [['standard', 'Standard'], ['datacenter', 'Datacenter']] as const) {
      products.push({
        id: `windows-server-${version.toLowerCase().replace(' ', '')}-${edition}`,
        vendor: 'Microsoft',
        name: `Windows Server ${version} ${label}`,
        category: 'os',
        domestic: false,
        licenceModel: 'per-device',
        family: `windows-server-${edition}`,
        rank,
      });
    }
  }
  return products;
}

function officeProducts(): Product[] {
  const products: Product[] = [];
  for (const year of officeYears) {
    for (const [edition, label, model] of officeEditions) {
      products.push({
        id: `office-${edition}-${year}`,
        vendor: 'Microsoft',
        name: `Office ${label} ${year}${year >= 2021 && (edition === 'proplus' || edition === 'standard') ? ' (incl. LTSC)' : ''}`,
        category: 'office',
        domestic: false,
        licenceModel: model,
        family: `office-${edition}`,
        rank: year,
      });
    }
  }
  products.push(
    { id: 'm365-apps-enterprise', vendor: 'Microsoft', name: 'Microsoft 365 Apps for enterprise', category: 'office', domestic: false, licenceModel: 'subscription', family: 'm365-apps', rank: 2 },
    { id: 'm365-apps-business', vendor: 'Microsoft', name: 'Microsoft 365 Apps for business', category: 'office', domestic: false, licenceModel: 'subscription', family: 'm365-apps', rank: 1 },
    { id: 'm365-personal', vendor: 'Microsoft', name: 'Microsoft 365 Personal / Family', category: 'office', domestic: false, licenceModel: 'personal-use-only' },
  );
  for (const year of [2016, 2019, 2021, 2024]) {
    products.push(
      { id: `visio-professional-${year}`, vendor: 'Microsoft', name: `Visio Professional ${year}`, category: 'design', domestic: false, licenceModel: 'per-device', family: 'visio-professional', rank: year },
      { id: `project-professional-${year}`, vendor: 'Microsoft', name: `Project Professional ${year}`, category: 'other', domestic: false, licenceModel: 'per-device', family: 'project-professional', rank: year },
    );
  }
  for (const [version, rank] of [['2016', 2016], ['2017', 2017], ['2019', 2019], ['2022', 2022]] as const) {
    products.push({ id: `sql-server-${version}`, vendor: 'Microsoft', name: `SQL Server ${version}`, category: 'other', domestic: false, licenceModel: 'per-device', family: 'sql-server', rank });
  }
  // Suites: one seat covers every component on one machine (Microsoft 365 E3 = Windows Enterprise + Apps).
  products.push({
    id: 'm365-e3',
    vendor: 'Microsoft',
    name: 'Microsoft 365 E3 (suite: Windows Enterprise + Microsoft 365 Apps)',
    category: 'office',
    domestic: false,
    licenceModel: 'subscription',
    components: ['windows-11-enterprise', 'windows-10-enterprise', 'm365-apps-enterprise'],
  });
  return products;
}

export const MICROSOFT_PRODUCTS: Product[] = [...windowsProducts(), ...officeProducts()];

export const MICROSOFT_FAMILY_RIGHTS: FamilyRights[] = [
  // Down-edition rights (Microsoft Product Terms): Enterprise may run Pro; ProPlus may run Standard.
  { family: 'windows-enterprise', coversFamilies: ['windows-pro'] },
  { family: 'office-proplus', coversFamilies: ['office-standard'] },
  { family: 'windows-server-datacenter', coversFamilies: ['windows-server-standard'] },
];
