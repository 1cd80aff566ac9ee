/**
 * The product catalog's vocabulary. Pure data types: no database, no Fastify. The built-in
 * catalog and recognition rules (rules/) and the rules bureau admins add (stored in the database)
 * share these shapes, so one matcher serves both.
 */

export const PRODUCT_CATEGORIES = ['os', 'office', 'antivirus', 'industrial', 'design', 'other'] as const;
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];

/**
 * How a product is licensed. `personal-use-only` is free for individuals and may not be used by
 * a unit at all (WPS 个人版, Office Home & Student); `oem` is sold only with hardware.
 */
export const LICENCE_MODELS = ['free', 'per-device', 'per-user', 'subscription', 'personal-use-only', 'oem'] as const;
export type LicenceModel = (typeof LICENCE_MODELS)[number];

/** A canonical product (规范产品). */
export interface Product {
  /** Stable kebab-case id, e.g. `windows-11-pro`, `office-proplus-2019`, `wps-professional-2019`. */
  id: string;
  vendor: string;
  name: string;
  category: ProductCategory;
  /** 国产: developed by a domestic vendor (counts towards the domestic-software rate where relevant). */
  domestic: boolean;
  licenceModel: LicenceModel;
  /**
   * Downgrade family: a licence for a product covers an install of a product of the same family
   * whose `rank` is not higher (Office 2021 covers 2019; Windows 11 Pro covers 10 Pro).
   */
  family?: string;
  /** Version rank within the family (a year or a major version). */
  rank?: number;
  /** Suites only: the products one suite licence covers on one machine. */
  components?: string[];
}

/**
 * Down-edition rights between families: a licence of family `family` also covers installs of
 * the listed families (ProPlus may run Standard), at the same or a lower rank.
 */
export interface FamilyRights {
  family: string;
  coversFamilies: string[];
}

export const SOFTWARE_SOURCES_MATCHED = ['registry', 'dpkg', 'rpm'] as const;

/**
 * One recognition rule for an installed-software entry. Patterns are regular-expression sources,
 * matched case-insensitively against the entry's name and publisher as reported (not normalised),
 * so an admin can copy a name from the unrecognised list and anchor it.
 */
export interface SoftwareRule {
  /** Stable id: `builtin:<slug>` for built-in rules, `db:<n>` for admin rules. */
  id: string;
  name: string;
  publisher?: string;
  /** Limit to some sources (e.g. only Windows Uninstall entries). Absent = any source. */
  sources?: Array<(typeof SOFTWARE_SOURCES_MATCHED)[number]>;
  /**
   * The product the entry is an install of, or null for entries that are not products of their
   * own: parts of an office suite already recognised from `office[]`, language packs, updates.
   */
  productId: string | null;
  /** Edition to record (e.g. `reader`, `cc`), when the product has several. */
  edition?: string;
  /** Why an entry is ignored (productId null); shown in the rules list. */
  note?: string;
}

/** The whole rule set the matcher works with. */
export interface RuleSet {
  /** Built-in version plus the admin rules' revision, e.g. `2025.1+db.3`. */
  version: string;
  products: ReadonlyMap<string, Product>;
  families: readonly FamilyRights[];
  /** Tried in order; admin rules come first so they can override a built-in rule. */
  softwareRules: readonly SoftwareRule[];
}

/** What an inventory item was recognised as. */
export interface ProductMatch {
  productId: string;
  edition: string | null;
}

/** Where a machine's product came from: the agent's OS or office classification, or a software entry. */
export const MATCH_SOURCES = ['os', 'office', 'software'] as const;
export type MatchSource = (typeof MATCH_SOURCES)[number];

/** One product found on one machine, with the raw text it was recognised from. */
export interface MachineProduct extends ProductMatch {
  source: MatchSource;
  /** The OS product, office product or software name that matched (for people checking a rule). */
  evidence: string;
  version: string | null;
}

/** A software entry no rule matched, keyed for counting across machines. */
export interface UnrecognisedSoftware {
  /** Normalised name (versions, architecture and language tags removed, lower case). */
  nameKey: string;
  /** Normalised publisher ('' when none). */
  publisherKey: string;
  /** One raw name and publisher as reported, to show. */
  name: string;
  publisher: string | null;
}
