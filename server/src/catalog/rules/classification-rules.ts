/**
 * Tables that turn the agent's own classification (inventory.os and inventory.office[]) into
 * catalog products. The agent already decided what the OS and each office suite are; these
 * tables only name the catalog product for each of its answers.
 */

/** Windows edition as the agent reports it (os.edition, from EditionID) -> catalog edition slug. */
export const WINDOWS_EDITIONS: Record<string, string> = {
  home: 'home',
  core: 'home',
  coresinglelanguage: 'home',
  corecountryspecific: 'home',
  homebasic: 'home',
  homepremium: 'home',
  professional: 'pro',
  pro: 'pro',
  professionaleducation: 'pro-education',
  enterprise: 'enterprise',
  enterpriseeval: 'enterprise',
  enterpriseltsc: 'enterprise-ltsc',
  enterprises: 'enterprise-ltsc',
  enterpriseg: 'enterprise-g',
  education: 'education',
  ultimate: 'ultimate',
  serverstandard: 'standard',
  serverdatacenter: 'datacenter',
  serverstandardeval: 'standard',
  serverdatacentereval: 'datacenter',
};

/** Windows Server version as reported -> catalog version slug. */
export const WINDOWS_SERVER_VERSIONS: Record<string, string> = {
  '2008 r2': '2008r2',
  '2012': '2012',
  '2012 r2': '2012r2',
  '2016': '2016',
  '2019': '2019',
  '2022': '2022',
  '2025': '2025',
};

/** Linux-family OS products by os.product pattern, first match wins. */
export const LINUX_OS_PATTERNS: Array<[pattern: RegExp, productId: string]> = [
  // An unverified Kylin claim (os-release copied onto another system) is not Kylin.
  [/\(unverified\)/i, 'linux-other'],
  [/openkylin/i, 'openkylin'],
  [/kylinsec/i, 'kylinsec-os'],
  [/ubuntu/i, 'ubuntu'],
  [/debian/i, 'debian'],
];

/** Microsoft office products by product-name pattern; `{year}` is the four-digit year in the name. */
export const MICROSOFT_OFFICE_PATTERNS: Array<[pattern: RegExp, productId: string]> = [
  [/microsoft 365 apps for enterprise|office 365 proplus|microsoft 365 企业应用版/i, 'm365-apps-enterprise'],
  [/microsoft 365 apps for business|microsoft 365 商业应用版/i, 'm365-apps-business'],
  [/microsoft 365 (personal|family|个人版|家庭版)/i, 'm365-personal'],
  [/professional plus|proplus|专业增强版/i, 'office-proplus-{year}'],
  [/home (and|&) business|家庭和小型企业版/i, 'office-home-business-{year}'],
  [/home (and|&) student|家庭和学生版/i, 'office-home-student-{year}'],
  [/\bstandard\b|标准版/i, 'office-standard-{year}'],
  [/\bprofessional\b|专业版/i, 'office-professional-{year}'],
];

/** Office suites the agent reports with an edition instead of a year-specific name. */
export const MICROSOFT_OFFICE_EDITIONS: Record<string, string> = {
  proplus: 'office-proplus-{year}',
  standard: 'office-standard-{year}',
  'home-business': 'office-home-business-{year}',
  'home-student': 'office-home-student-{year}',
  professional: 'office-professional-{year}',
};

/** WPS professional editions are sold by year; other years map to the nearest listed one below. */
export const WPS_PROFESSIONAL_YEARS = [2016, 2019, 2023];
