import type { OfficeSuite } from '@zhengban/protocol';
import { nonEmpty } from '../text.ts';
import { C2R_CONFIGURATION } from './paths.ts';
import type { RegistryView } from './registry.ts';
import type { UninstallEntry } from './software.ts';

/** A Microsoft Office suite found on the machine, before its licence is matched. */
export interface MsOfficeInstall {
  suite: Omit<OfficeSuite, 'activation'>;
  /** "2010" | "2013" | "2016" | "2019" | "2021" | "2024" | "365": matches licence rows. */
  year: string;
  /** Licence-name token: ProPlus, Standard, Professional, HomeBusiness, HomeStudent, O365ProPlus... */
  skuToken: string;
  /** Office 2010 licenses through OSPP, 2013-2024 through the Windows SPP; 2007 and 365 (vNext) leave no row to read. */
  licensing: 'ospp' | 'spp' | 'none';
  /** Where it was seen, for evidence. */
  seenAt: string;
}

/** MSI product codes: {BRMMxxxx-PPPP-LLLL-X000-000000FF1CE}; MM major version, PPPP product, LLLL language. */
const MSI_OFFICE_GUID = /^\{[0-9A-F]{2}(1[2-6])[0-9A-F]{4}-([0-9A-F]{4})-([0-9A-F]{4})-[0-9A-F]{4}-0000000FF1CE\}$/i;
const MSI_YEARS: Record<string, string> = { '12': '2007', '14': '2010', '15': '2013', '16': '2016' };
/** MSI product ids of suites (not single apps, Visio, Project, language packs or proofing tools). */
const MSI_SUITE_IDS = new Set(['0011', '0012', '0013', '0014', '002E', '002F', '0030', '0031', '0033', '0035', '003D', '008B', '00CA']);

/** Edition and licence token from a suite's name or product id. */
function editionOf(text: string): { edition: string; token: string } {
  if (/O365|Microsoft 365|Office 365/i.test(text)) return { edition: 'subscription', token: 'O365' };
  if (/Professional\s*Plus|ProPlus|专业增强版/i.test(text)) return { edition: 'proplus', token: 'ProPlus' };
  if (/Home\s*(and|&)?\s*Business|HomeBusiness|小型企业版/i.test(text)) return { edition: 'home-business', token: 'HomeBusiness' };
  if (/Home\s*(and|&)?\s*Student|HomeStudent|家庭和学生版/i.test(text)) return { edition: 'home-student', token: 'HomeStudent' };
  if (/Standard|标准版/i.test(text)) return { edition: 'standard', token: 'Standard' };
  if (/Enterprise/i.test(text)) return { edition: 'enterprise', token: 'Enterprise' };
  if (/Ultimate/i.test(text)) return { edition: 'ultimate', token: 'Ultimate' };
  if (/Small\s*Business/i.test(text)) return { edition: 'small-business', token: 'SmallBusiness' };
  if (/Professional|专业版/i.test(text)) return { edition: 'professional', token: 'Professional' };
  if (/Home/i.test(text)) return { edition: 'home', token: 'Home' };
  return { edition: 'unknown', token: '' };
}

/** Click-to-Run product release ids that are suites -> product names. Single apps, Visio and Project are not suites. */
function c2rSuite(id: string): { product: string; year: string; edition: string; token: string } | undefined {
  if (/^(O365|Microsoft365)/i.test(id)) {
    const product = /ProPlus|Enterprise/i.test(id)
      ? 'Microsoft 365 Apps for enterprise'
      : /Business|SmallBus/i.test(id)
        ? 'Microsoft 365 Apps for business'
        : /HomePrem/i.test(id)
          ? 'Microsoft 365 Family'
          : 'Microsoft 365 Apps';
    return { product, year: '365', edition: 'subscription', token: 'O365' };
  }
  const m = /^(ProPlus|Standard|Professional|HomeBusiness|HomeStudent|Home)(2019|2021|2024)?(Volume|Retail)$/i.exec(id);
  if (!m) return undefined;
  const [, sku, yearText, channel] = m as unknown as [string, string, string | undefined, string];
  const year = yearText ?? '2016';
  const names: Record<string, string> = {
    proplus: 'Professional Plus',
    standard: 'Standard',
    professional: 'Professional',
    homebusiness: 'Home and Business',
    homestudent: 'Home and Student',
    home: 'Home',
  };
  // Volume 2021 and 2024 are sold as "Office LTSC".
  const ltsc = channel.toLowerCase() === 'volume' && (year === '2021' || year === '2024') ? 'LTSC ' : '';
  const { edition, token } = editionOf(sku);
  return { product: `Office ${ltsc}${names[sku.toLowerCase()]} ${year}`, year, edition, token };
}

/**
 * Microsoft Office suites, one per suite (FIELD-FACTS; OCS lists one Office fourteen times):
 * Click-to-Run from `ClickToRun\Configuration\ProductReleaseIds` and the `<ProductReleaseId> -
 * <culture>` Uninstall keys (the id, not the 16.0 version, tells the year); MSI installs from
 * product codes ending in 0000000FF1CE with a suite product id. Components, language packs and
 * proofing tools share a suite's GUID tail but not its product id, so they collapse into it.
 */
export function detectMsOffice(reg: RegistryView, entries: UninstallEntry[]): MsOfficeInstall[] {
  const found = new Map<string, MsOfficeInstall>();
  const c2rVersion = nonEmpty(reg.string(C2R_CONFIGURATION, 'VersionToReport')) ?? nonEmpty(reg.string(C2R_CONFIGURATION, 'ClientVersionToReport'));

  const c2rIds = new Map<string, string>();
  for (const id of (reg.string(C2R_CONFIGURATION, 'ProductReleaseIds') ?? '').split(',')) {
    if (nonEmpty(id)) c2rIds.set(id.trim().toLowerCase(), `registry ${C2R_CONFIGURATION} ProductReleaseIds`);
  }
  for (const e of entries) {
    const m = /^(\S+) - [a-z]{2,3}-[a-z0-9-]+$/i.exec(e.id);
    if (m && c2rSuite(m[1]!)) {
      if (!c2rIds.has(m[1]!.toLowerCase())) c2rIds.set(m[1]!.toLowerCase(), `registry ${e.keyPath}`);
    }
  }
  for (const [id, seenAt] of c2rIds) {
    const suite = c2rSuite(id);
    if (!suite) continue;
    const version = c2rVersion ?? entries.find((e) => e.id.toLowerCase().startsWith(`${id} - `))?.displayVersion;
    const key = `c2r|${suite.product}`;
    if (found.has(key)) continue;
    const install: MsOfficeInstall = {
      suite: { vendor: 'microsoft', product: suite.product, edition: suite.edition, scope: 'machine' },
      year: suite.year,
      skuToken: suite.token,
      licensing: suite.year === '365' ? 'none' : 'spp',
      seenAt,
    };
    if (version) install.suite.version = version;
    found.set(key, install);
  }

  for (const e of entries) {
    const m = MSI_OFFICE_GUID.exec(e.id);
    if (!m || !MSI_SUITE_IDS.has(m[2]!.toUpperCase()) || !e.displayName) continue;
    const year = MSI_YEARS[m[1]!]!;
    const { edition, token } = editionOf(e.displayName);
    const product = e.displayName.replace(/^Microsoft\s+/i, '').replace(/\s+-\s+[a-z]{2}-[a-z]{2}$/i, '');
    const key = `msi|${m[1]}|${m[2]!.toUpperCase()}`;
    if (found.has(key)) continue;
    const install: MsOfficeInstall = {
      suite: { vendor: 'microsoft', product, edition, scope: 'machine' },
      year,
      skuToken: token,
      licensing: year === '2010' ? 'ospp' : year === '2007' ? 'none' : 'spp',
      seenAt: `registry ${e.keyPath}`,
    };
    if (e.displayVersion) install.suite.version = e.displayVersion;
    found.set(key, install);
  }
  return [...found.values()];
}
