import type { Inventory, OfficeSuite, OperatingSystem, Software } from '@zhengban/protocol';
import { normalisePublisher, normaliseSoftwareName } from './normalise.ts';
import {
  LINUX_OS_PATTERNS,
  MICROSOFT_OFFICE_EDITIONS,
  MICROSOFT_OFFICE_PATTERNS,
  WINDOWS_EDITIONS,
  WINDOWS_SERVER_VERSIONS,
  WPS_PROFESSIONAL_YEARS,
} from './rules/classification-rules.ts';
import type { MachineProduct, ProductMatch, RuleSet, SoftwareRule, UnrecognisedSoftware } from './types.ts';

/**
 * Recognition (产品识别): pure functions from what an agent reported to catalog products. The OS
 * and office suites come from the agent's classification (it already told Kylin from a copied
 * os-release, and a C2R install from its language packs); everything else from software entries
 * by rule. A match names a product only if the rule set has that product.
 */

const compiled = new WeakMap<SoftwareRule, { name: RegExp; publisher: RegExp | undefined }>();

function patternsOf(rule: SoftwareRule) {
  let patterns = compiled.get(rule);
  if (!patterns) {
    patterns = { name: new RegExp(rule.name, 'iu'), publisher: rule.publisher ? new RegExp(rule.publisher, 'iu') : undefined };
    compiled.set(rule, patterns);
  }
  return patterns;
}

/**
 * Rule verdicts by entry, per rule set. A fleet repeats the same few thousand (source, name,
 * publisher) triples across every machine, and a verdict depends on nothing else, so a full
 * recompute matches each triple once instead of once per machine. Rule sets are immutable (a new
 * admin rule builds a new one), so a verdict never goes stale; the map is bounded and starts over
 * when full.
 */
const verdicts = new WeakMap<RuleSet, Map<string, SoftwareRule | null>>();
const VERDICTS_PER_RULE_SET = 200_000;

function matchSoftwareRule(entry: Pick<Software, 'name' | 'publisher' | 'source'>, ruleSet: RuleSet): SoftwareRule | undefined {
  const name = entry.name.trim();
  for (const rule of ruleSet.softwareRules) {
    if (rule.sources && !rule.sources.includes(entry.source)) continue;
    const patterns = patternsOf(rule);
    if (!patterns.name.test(name)) continue;
    if (patterns.publisher && !patterns.publisher.test(entry.publisher ?? '')) continue;
    return rule;
  }
  return undefined;
}

/** The first rule that matches a software entry, or undefined. */
export function findSoftwareRule(entry: Pick<Software, 'name' | 'publisher' | 'source'>, ruleSet: RuleSet): SoftwareRule | undefined {
  let memo = verdicts.get(ruleSet);
  if (!memo) verdicts.set(ruleSet, (memo = new Map()));
  const key = `${entry.source}\u0000${entry.name}\u0000${entry.publisher ?? ''}`;
  let verdict = memo.get(key);
  if (verdict === undefined) {
    verdict = matchSoftwareRule(entry, ruleSet) ?? null;
    if (memo.size >= VERDICTS_PER_RULE_SET) memo.clear();
    memo.set(key, verdict);
  }
  return verdict ?? undefined;
}

/** Review keys by raw name and publisher (pure string work, memoised like rule verdicts). */
const reviewKeys = new Map<string, { nameKey: string; publisherKey: string }>();

function reviewKeyOf(name: string, publisher: string | undefined) {
  const key = `${name}\u0000${publisher ?? ''}`;
  let keys = reviewKeys.get(key);
  if (!keys) {
    keys = { nameKey: normaliseSoftwareName(name), publisherKey: normalisePublisher(publisher) };
    if (reviewKeys.size >= VERDICTS_PER_RULE_SET) reviewKeys.clear();
    reviewKeys.set(key, keys);
  }
  return keys;
}

/** A software entry's product, or null when no rule names one (unmatched or ignored). */
export function recogniseSoftware(entry: Pick<Software, 'name' | 'publisher' | 'source'>, ruleSet: RuleSet): ProductMatch | null {
  const rule = findSoftwareRule(entry, ruleSet);
  if (!rule?.productId || !ruleSet.products.has(rule.productId)) return null;
  return { productId: rule.productId, edition: rule.edition ?? null };
}

const known = (ruleSet: RuleSet, productId: string, edition: string | null): ProductMatch | null =>
  ruleSet.products.has(productId) ? { productId, edition } : null;

/** The OS product of an inventory's `os` section. */
export function recogniseOs(os: Pick<OperatingSystem, 'family' | 'product' | 'edition' | 'version'>, ruleSet: RuleSet): ProductMatch | null {
  const product = os.product ?? '';
  const version = os.version ?? '';
  switch (os.family) {
    case 'windows':
      return recogniseWindows(product, os.edition ?? '', version, ruleSet);
    case 'kylin': {
      const server = os.edition === 'server' || /server/i.test(product);
      const major = /V(\d+)/i.exec(`${version} ${product}`)?.[1] ?? '10';
      const sp = /\bSP\d+\b/i.exec(version)?.[0]?.toUpperCase() ?? null;
      return known(ruleSet, `kylin-${server ? 'server' : 'desktop'}-v${major}`, sp) ?? known(ruleSet, `kylin-${server ? 'server' : 'desktop'}-v10`, sp);
    }
    case 'uos': {
      const server = os.edition === 'server' || /server/i.test(product);
      const edition = /(professional|enterprise|home|education|community)/i.exec(product)?.[1]?.toLowerCase() ?? null;
      return known(ruleSet, server ? 'uos-server-20' : 'uos-desktop-20', edition);
    }
    case 'neokylin':
      return known(ruleSet, os.edition === 'server' || /server/i.test(product) ? 'neokylin-server-v7' : 'neokylin-desktop-v7', version || null);
    case 'deepin':
      return known(ruleSet, 'deepin', version || null);
    case 'linux': {
      const hit = LINUX_OS_PATTERNS.find(([pattern]) => pattern.test(product));
      return known(ruleSet, hit?.[1] ?? 'linux-other', null);
    }
  }
}

function recogniseWindows(product: string, rawEdition: string, version: string, ruleSet: RuleSet): ProductMatch | null {
  const evaluation = /evaluation|eval$/i.test(`${product} ${rawEdition}`);
  const editionKey = rawEdition.toLowerCase().replace(/[^a-z]/g, '');
  let edition = WINDOWS_EDITIONS[editionKey];
  const server = /server/i.test(product) || editionKey.startsWith('server');
  if (server) {
    const serverVersion = /server (\d{4}( r2)?)/i.exec(product)?.[1]?.toLowerCase() ?? version.toLowerCase();
    const slug = WINDOWS_SERVER_VERSIONS[serverVersion];
    edition ??= /datacenter/i.test(product) ? 'datacenter' : 'standard';
    return slug ? known(ruleSet, `windows-server-${slug}-${edition}`, evaluation ? 'evaluation' : null) : null;
  }
  // Fall back to the product name when the edition id is missing (PowerShell blocked, old WMI).
  if (!edition) {
    const fromName = /windows \S+ (.+)$/i.exec(product)?.[1]?.toLowerCase().replace(/[^a-z]/g, '') ?? '';
    edition = WINDOWS_EDITIONS[fromName] ?? (/ltsc|ltsb/i.test(product) ? 'enterprise-ltsc' : undefined);
  }
  if (edition === 'enterprise' && /ltsc|ltsb/i.test(product)) edition = 'enterprise-ltsc';
  const major = /^(7|8\.1|10|11)\b/.exec(version)?.[1] ?? /windows (7|8\.1|10|11)\b/i.exec(product)?.[1];
  if (!edition || !major) return null;
  const detail = evaluation ? 'evaluation' : (/LTS[BC] \d{4}/i.exec(product)?.[0] ?? null);
  return known(ruleSet, `windows-${major.replace('.', '')}-${edition}`, detail);
}

/** The product of one office suite the agent classified. */
export function recogniseOffice(suite: Pick<OfficeSuite, 'vendor' | 'product' | 'edition' | 'version'>, ruleSet: RuleSet): ProductMatch | null {
  switch (suite.vendor) {
    case 'microsoft': {
      const year = /\b(20(10|13|16|19|21|24))\b/.exec(suite.product)?.[1] ?? yearOfOfficeVersion(suite.version);
      const ltsc = /ltsc/i.test(suite.product) ? 'LTSC' : null;
      const hit = MICROSOFT_OFFICE_PATTERNS.find(([pattern]) => pattern.test(suite.product));
      const template = hit?.[1] ?? MICROSOFT_OFFICE_EDITIONS[suite.edition];
      if (!template) return null;
      if (template.includes('{year}') && !year) return null;
      return known(ruleSet, template.replace('{year}', year ?? ''), ltsc);
    }
    case 'kingsoft': {
      const year = Number(/\b(20\d\d)\b/.exec(suite.product)?.[1] ?? 0) || null;
      if (suite.edition === 'personal' || /个人版/.test(suite.product)) return known(ruleSet, 'wps-personal', year ? String(year) : null);
      if (/wps 365/i.test(suite.product) || suite.edition === 'subscription') return known(ruleSet, 'wps-365', null);
      const listed = [...WPS_PROFESSIONAL_YEARS].reverse().find((y) => y <= (year ?? 2019)) ?? WPS_PROFESSIONAL_YEARS[0]!;
      return known(ruleSet, `wps-professional-${listed}`, year ? String(year) : null);
    }
    case 'yozo':
      return known(ruleSet, 'yozo-office', suite.edition || null);
  }
}

/** Office 2010 = 14.x, 2013 = 15.x; 16.0 is every later year, so it tells nothing. */
function yearOfOfficeVersion(version: string | undefined): string | undefined {
  const major = version?.split('.')[0];
  return major === '14' ? '2010' : major === '15' ? '2013' : undefined;
}

/** Everything recognised on one machine: each product once, plus the entries no rule matched. */
export interface InventoryRecognition {
  products: MachineProduct[];
  unrecognised: UnrecognisedSoftware[];
}

/**
 * Recognises a whole inventory. Each product appears once per machine (the first source that
 * found it wins: OS, then office suites, then software entries in name order). Windows software
 * entries that no rule matches are returned for review; Linux package entries that no rule
 * matches are parts of the distribution and are not.
 */
export function recogniseInventory(inventory: Pick<Inventory, 'os' | 'office' | 'software'>, ruleSet: RuleSet): InventoryRecognition {
  const products = new Map<string, MachineProduct>();
  const add = (match: ProductMatch | null, item: Omit<MachineProduct, keyof ProductMatch>) => {
    if (match && !products.has(match.productId)) {
      products.set(match.productId, { productId: match.productId, edition: match.edition, source: item.source, evidence: item.evidence, version: item.version });
    }
  };
  add(recogniseOs(inventory.os, ruleSet), { source: 'os', evidence: inventory.os.product, version: inventory.os.version ?? null });
  for (const suite of inventory.office) {
    add(recogniseOffice(suite, ruleSet), { source: 'office', evidence: suite.product, version: suite.version ?? null });
  }
  // Software entries in name order, without sorting: for each product (and each review key) the
  // entry with the smallest name wins, the first listed among equal names, which is exactly the
  // first entry of a stable sort by name.
  const softwareProducts = new Map<string, { entry: Software; rule: SoftwareRule }>();
  const unrecognisedEntries = new Map<string, { entry: Software; nameKey: string; publisherKey: string }>();
  for (const entry of inventory.software) {
    const rule = findSoftwareRule(entry, ruleSet);
    if (rule) {
      if (rule.productId && ruleSet.products.has(rule.productId)) {
        const current = softwareProducts.get(rule.productId);
        if (!current || entry.name < current.entry.name) softwareProducts.set(rule.productId, { entry, rule });
      }
      continue;
    }
    if (entry.source !== 'registry') continue;
    const keys = reviewKeyOf(entry.name, entry.publisher);
    const key = `${keys.nameKey}\u0000${keys.publisherKey}`;
    const current = unrecognisedEntries.get(key);
    if (!current || entry.name < current.entry.name) unrecognisedEntries.set(key, { entry, nameKey: keys.nameKey, publisherKey: keys.publisherKey });
  }
  for (const { entry, rule } of softwareProducts.values()) {
    add({ productId: rule.productId!, edition: rule.edition ?? null }, { source: 'software', evidence: entry.name, version: entry.version ?? null });
  }
  const unrecognised = [...unrecognisedEntries.values()].map(({ entry, nameKey, publisherKey }) => ({ nameKey, publisherKey, name: entry.name, publisher: entry.publisher ?? null }));
  return {
    products: [...products.values()].sort((a, b) => (a.productId < b.productId ? -1 : 1)),
    unrecognised: unrecognised.sort((a, b) => (a.nameKey < b.nameKey ? -1 : a.nameKey > b.nameKey ? 1 : a.publisherKey < b.publisherKey ? -1 : 1)),
  };
}
