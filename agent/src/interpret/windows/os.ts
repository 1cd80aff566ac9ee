import type { OperatingSystem } from '@zhengban/protocol';
import { nonEmpty } from '../text.ts';
import { CURRENT_VERSION, ENVIRONMENT } from './paths.ts';
import type { RegistryView } from './registry.ts';
import { type WmiRow, wmiNumber, wmiString } from './wmi.ts';

/** EditionID -> the edition names the product uses, and the words of the product name. */
const EDITIONS: Record<string, { edition: string; words: string }> = {
  core: { edition: 'Home', words: 'Home' },
  coren: { edition: 'Home', words: 'Home N' },
  coresinglelanguage: { edition: 'Home', words: 'Home Single Language' },
  corecountryspecific: { edition: 'Home', words: 'Home China' },
  homebasic: { edition: 'Home', words: 'Home Basic' },
  homepremium: { edition: 'Home', words: 'Home Premium' },
  starter: { edition: 'Home', words: 'Starter' },
  professional: { edition: 'Professional', words: 'Pro' },
  professionaln: { edition: 'Professional', words: 'Pro N' },
  professionalworkstation: { edition: 'Professional', words: 'Pro for Workstations' },
  professionaleducation: { edition: 'Professional', words: 'Pro Education' },
  enterprise: { edition: 'Enterprise', words: 'Enterprise' },
  enterprisen: { edition: 'Enterprise', words: 'Enterprise N' },
  enterpriseg: { edition: 'EnterpriseG', words: 'Enterprise G' },
  enterprises: { edition: 'EnterpriseLTSC', words: 'Enterprise LTSC' },
  enterprisesn: { edition: 'EnterpriseLTSC', words: 'Enterprise N LTSC' },
  iotenterprises: { edition: 'EnterpriseLTSC', words: 'IoT Enterprise LTSC' },
  education: { edition: 'Education', words: 'Education' },
  educationn: { edition: 'Education', words: 'Education N' },
  ultimate: { edition: 'Ultimate', words: 'Ultimate' },
  serverstandard: { edition: 'ServerStandard', words: 'Standard' },
  serverdatacenter: { edition: 'ServerDatacenter', words: 'Datacenter' },
  serverdatacenteracor: { edition: 'ServerDatacenter', words: 'Datacenter' },
  serverstandardacor: { edition: 'ServerStandard', words: 'Standard' },
  serveressentials: { edition: 'ServerEssentials', words: 'Essentials' },
};

/** Win32_OperatingSystem.OperatingSystemSKU -> EditionID, for captures where the registry is missing. */
const SKU_EDITION_IDS: Record<number, string> = {
  1: 'Ultimate', 2: 'HomeBasic', 3: 'HomePremium', 4: 'Enterprise', 6: 'Business', 7: 'ServerStandard', 8: 'ServerDatacenter',
  11: 'Starter', 27: 'EnterpriseN', 48: 'Professional', 49: 'ProfessionalN', 72: 'EnterpriseEval', 79: 'ServerStandardEval',
  80: 'ServerDatacenterEval', 98: 'CoreN', 99: 'CoreCountrySpecific', 100: 'CoreSingleLanguage', 101: 'Core', 121: 'Education',
  122: 'EducationN', 125: 'EnterpriseS', 126: 'EnterpriseSN', 129: 'EnterpriseSEval', 161: 'ProfessionalWorkstation', 171: 'EnterpriseG',
};

/** Windows Server marketing year by build. */
function serverYear(build: number): string | undefined {
  if (build >= 26100) return '2025';
  if (build >= 20348) return '2022';
  if (build >= 17763) return '2019';
  if (build >= 14393) return '2016';
  if (build >= 9600) return '2012 R2';
  if (build >= 9200) return '2012';
  if (build >= 7600) return '2008 R2';
  return undefined;
}

/** LTSC/LTSB release by build: the year is part of the product (LTSC 2019 and 2021 are different purchases). */
function ltscYear(build: number): string | undefined {
  if (build >= 26100) return '2024';
  if (build >= 19044) return '2021';
  if (build >= 17763) return '2019';
  if (build >= 14393) return '2016';
  if (build >= 10240) return '2015';
  return undefined;
}

/** Client version by build (ProductName says "Windows 10" on Windows 11, so it is not used). */
function clientVersion(build: number, currentVersion: string | undefined): string | undefined {
  if (build >= 22000) return '11';
  if (build >= 10240) return '10';
  if (build >= 9600 || currentVersion === '6.3') return '8.1';
  if (build >= 9200 || currentVersion === '6.2') return '8';
  if (build >= 7600 || currentVersion === '6.1') return '7';
  return undefined;
}

/** uname-style machine name from WMI OSArchitecture (localised: "64 位"), the environment, or BuildLabEx. */
function windowsArch(reg: RegistryView, osRow: WmiRow | undefined): string {
  const wmiArch = wmiString(osRow, 'OSArchitecture')?.toLowerCase() ?? '';
  if (/arm/.test(wmiArch) && /64/.test(wmiArch)) return 'aarch64';
  if (/64/.test(wmiArch)) return 'x86_64';
  if (/32/.test(wmiArch)) return 'i686';
  const env = reg.string(ENVIRONMENT, 'PROCESSOR_ARCHITECTURE')?.toUpperCase();
  if (env === 'AMD64') return 'x86_64';
  if (env === 'ARM64') return 'aarch64';
  if (env === 'X86') return 'i686';
  const lab = reg.string(CURRENT_VERSION, 'BuildLabEx') ?? reg.string(CURRENT_VERSION, 'BuildLab') ?? '';
  if (/arm64fre/i.test(lab)) return 'aarch64';
  if (/amd64fre/i.test(lab)) return 'x86_64';
  if (/x86fre/i.test(lab)) return 'i686';
  if (reg.hasKey('HKLM\\SOFTWARE\\WOW6432Node')) return 'x86_64';
  return 'unknown';
}

/** What the OS description needs beyond the protocol fields: the raw EditionID, for findings. */
export interface WindowsOsFacts {
  os: Omit<OperatingSystem, 'activation'>;
  editionId?: string;
  /** Evaluation editions (EditionID ...Eval): a time-limited trial whatever the licence rows say. */
  evaluation: boolean;
}

/**
 * The Windows edition and version from `Windows NT\CurrentVersion` and Win32_OperatingSystem
 * (FIELD-FACTS): 10 vs 11 by build (>= 22000 is 11), EditionID mapped to Home / Professional /
 * Enterprise / Education / EnterpriseLTSC / Server*, build as `CurrentBuild.UBR`.
 */
export function describeWindowsOs(reg: RegistryView, osRow: WmiRow | undefined): WindowsOsFacts {
  const cv = (name: string) => nonEmpty(reg.string(CURRENT_VERSION, name));
  const buildText = cv('CurrentBuild') ?? cv('CurrentBuildNumber') ?? wmiString(osRow, 'BuildNumber') ?? /\d+\.\d+\.(\d+)/.exec(wmiString(osRow, 'Version') ?? '')?.[1];
  const build = Number(buildText ?? 0);
  const ubr = reg.number(CURRENT_VERSION, 'UBR');
  const sku = wmiNumber(osRow, 'OperatingSystemSKU');
  let editionId = cv('EditionID') ?? (sku !== undefined ? SKU_EDITION_IDS[sku] : undefined);
  const evaluation = /eval$/i.test(editionId ?? '');
  if (editionId && evaluation) editionId = editionId.replace(/eval$/i, '');
  const caption = wmiString(osRow, 'Caption') ?? '';
  const productType = wmiNumber(osRow, 'ProductType');
  const isServer =
    /^server/i.test(editionId ?? '') || cv('InstallationType')?.toLowerCase() === 'server' || (productType !== undefined && productType !== 1) || /server/i.test(caption);

  const mapped = editionId ? EDITIONS[editionId.toLowerCase()] : undefined;
  const edition = mapped?.edition ?? editionId;
  let version: string | undefined;
  let product: string;
  if (isServer) {
    version = serverYear(build) ?? /Server (\d{4}( R2)?)/i.exec(`${cv('ProductName') ?? ''} ${caption}`)?.[1];
    product = ['Windows Server', version, mapped?.words ?? editionId?.replace(/^Server/i, '')].filter(Boolean).join(' ');
  } else {
    version = clientVersion(build, cv('CurrentVersion'));
    let words = mapped?.words ?? editionId ?? '';
    // Windows 7 called it "Professional"; 8 and later "Pro".
    if (version === '7' && edition === 'Professional') words = words.replace(/^Pro\b/, 'Professional');
    if (edition === 'EnterpriseLTSC') {
      const year = ltscYear(build);
      if (year && build < 17763) words = words.replace('LTSC', 'LTSB');
      if (year) words = `${words} ${year}`;
    }
    product = version ? `Windows ${version}${words ? ` ${words}` : ''}` : (cv('ProductName') ?? (caption || 'Windows'));
  }
  if (evaluation) product += ' Evaluation';

  const os: Omit<OperatingSystem, 'activation'> = { family: 'windows', product, arch: windowsArch(reg, osRow) };
  if (edition) os.edition = edition;
  if (version) os.version = version;
  if (build > 0) os.build = ubr !== undefined ? `${build}.${ubr}` : String(build);
  const major = reg.number(CURRENT_VERSION, 'CurrentMajorVersionNumber');
  const minor = reg.number(CURRENT_VERSION, 'CurrentMinorVersionNumber');
  const kernel = wmiString(osRow, 'Version') ?? (major !== undefined && build ? `${major}.${minor ?? 0}.${build}` : cv('CurrentVersion') && build ? `${cv('CurrentVersion')}.${build}` : undefined);
  if (kernel) os.kernel = kernel;
  const result: WindowsOsFacts = { os, evaluation };
  if (editionId) result.editionId = editionId;
  return result;
}
