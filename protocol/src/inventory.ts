import { z } from 'zod';
import {
  MAX_FINDINGS,
  MAX_HOSTNAME_LENGTH,
  MAX_ID_LENGTH,
  MAX_MACS,
  MAX_NAME_LENGTH,
  MAX_OFFICE_SUITES,
  MAX_PUBLISHER_LENGTH,
  MAX_SOFTWARE_ENTRIES,
  MAX_TEXT_LENGTH,
  MAX_VERSION_LENGTH,
} from './limits.ts';
import { safeString } from './strings.ts';

/** Operating-system families the product tells apart. NeoKylin, UOS and Deepin are not Kylin. */
export const OS_FAMILIES = ['windows', 'kylin', 'uos', 'neokylin', 'deepin', 'linux'] as const;
export const OsFamily = z.enum(OS_FAMILIES);
export type OsFamily = z.infer<typeof OsFamily>;

export const ACTIVATION_STATUSES = ['licensed', 'grace', 'trial', 'unlicensed', 'unknown'] as const;
export const ActivationStatus = z.enum(ACTIVATION_STATUSES);
export type ActivationStatus = z.infer<typeof ActivationStatus>;

export const ACTIVATION_CHANNELS = ['retail', 'oem', 'mak', 'kms', 'digital', 'eval', 'unknown'] as const;
export const ActivationChannel = z.enum(ACTIVATION_CHANNELS);
export type ActivationChannel = z.infer<typeof ActivationChannel>;

/** ISO date (YYYY-MM-DD) or date-time; stored as given. */
const DateText = safeString(40);

/** Licence state of an OS or an office suite as the agent observed it. */
export const Activation = z.object({
  status: ActivationStatus,
  channel: ActivationChannel,
  /** KMS host the client activates against (configured or discovered), when any. */
  kmsHost: safeString(MAX_HOSTNAME_LENGTH).optional(),
  /** When the licence lapses: KMS renewal deadline, Kylin service term, subscription end. */
  expires: DateText.optional(),
});
export type Activation = z.infer<typeof Activation>;

/** What identifies the physical or virtual PC across re-installs (DESIGN: uuid + serial + MACs). */
export const Hardware = z.object({
  uuid: safeString(64).optional(),
  serial: safeString(128).optional(),
  vendor: safeString(MAX_PUBLISHER_LENGTH).optional(),
  model: safeString(MAX_NAME_LENGTH).optional(),
  /** /etc/machine-id or the Windows MachineGuid: changes on re-install, kept as a hint only. */
  machineId: safeString(64).optional(),
  macs: z.array(safeString(17)).max(MAX_MACS),
  cpu: safeString(MAX_NAME_LENGTH).optional(),
  memoryMb: z.number().int().nonnegative().optional(),
  virtual: z.boolean().optional(),
});
export type Hardware = z.infer<typeof Hardware>;

export const OperatingSystem = z.object({
  family: OsFamily,
  /** Human product name, e.g. "Windows 11 Pro", "Kylin Desktop V10 SP1". */
  product: safeString(MAX_NAME_LENGTH),
  /** Windows: Home | Professional | Enterprise | Education | EnterpriseLTSC | Server...; Kylin: desktop | server. */
  edition: safeString(64).optional(),
  /** "7", "10", "11"; "V10 SP1 2403"; "12" for Debian. */
  version: safeString(MAX_VERSION_LENGTH).optional(),
  build: safeString(MAX_VERSION_LENGTH).optional(),
  /** uname machine names: x86_64, aarch64, loongarch64, mips64, i686. */
  arch: safeString(32),
  kernel: safeString(MAX_VERSION_LENGTH).optional(),
  activation: Activation,
});
export type OperatingSystem = z.infer<typeof OperatingSystem>;

export const OFFICE_VENDORS = ['microsoft', 'kingsoft', 'yozo'] as const;
export const OfficeVendor = z.enum(OFFICE_VENDORS);

export const OfficeSuite = z.object({
  vendor: OfficeVendor,
  /** "Office Professional Plus 2019", "Microsoft 365 Apps for enterprise", "WPS Office 2019 专业版". */
  product: safeString(MAX_NAME_LENGTH),
  /** proplus | standard | professional | personal | subscription | home-business | ... */
  edition: safeString(64),
  version: safeString(MAX_VERSION_LENGTH).optional(),
  scope: z.enum(['machine', 'user']),
  activation: Activation,
});
export type OfficeSuite = z.infer<typeof OfficeSuite>;

export const SOFTWARE_SOURCES = ['registry', 'dpkg', 'rpm'] as const;
export const SoftwareSource = z.enum(SOFTWARE_SOURCES);

/** One installed program as the package database or the Uninstall keys list it. */
export const Software = z.object({
  /**
   * Stable identifier within its source: dpkg "name:arch", rpm "name.arch",
   * registry Uninstall subkey name. Together with source and hive it is the software's key.
   */
  id: safeString(MAX_ID_LENGTH),
  name: safeString(MAX_NAME_LENGTH),
  version: safeString(MAX_VERSION_LENGTH).optional(),
  publisher: safeString(MAX_PUBLISHER_LENGTH).optional(),
  /** YYYY-MM-DD when known. */
  installDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  source: SoftwareSource,
  /** Registry only: HKLM, HKLM-WOW64 (32-bit view) or HKU\<SID> for per-user installs. */
  hive: safeString(128).optional(),
  arch: safeString(32).optional(),
});
export type Software = z.infer<typeof Software>;

export const FINDING_SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;

/** Something an inspector would write down: an unlicensed OS, an activator, a personal-use WPS. */
export const Finding = z.object({
  /** Dotted code, e.g. os.unlicensed, kms.public-host, activator.kmspico, wps.personal-edition. */
  code: z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/).max(64),
  severity: z.enum(FINDING_SEVERITIES),
  /** What was seen, in words an inspector can check: paths, registry values, hosts. */
  evidence: safeString(MAX_TEXT_LENGTH),
});
export type Finding = z.infer<typeof Finding>;

/** A capture step that failed; the report says what is missing instead of failing. */
export const CaptureError = z.object({
  source: safeString(MAX_NAME_LENGTH),
  message: safeString(MAX_TEXT_LENGTH),
});
export type CaptureError = z.infer<typeof CaptureError>;

/** The inventory document: everything the agent knows about one machine. */
export const Inventory = z.object({
  collectedAt: z.iso.datetime({ offset: true }),
  hostname: safeString(MAX_HOSTNAME_LENGTH),
  agentVersion: safeString(64),
  hardware: Hardware,
  os: OperatingSystem,
  office: z.array(OfficeSuite).max(MAX_OFFICE_SUITES),
  software: z.array(Software).max(MAX_SOFTWARE_ENTRIES),
  findings: z.array(Finding).max(MAX_FINDINGS),
  captureErrors: z.array(CaptureError).max(200).default([]),
});
export type Inventory = z.infer<typeof Inventory>;
export type InventoryInput = z.input<typeof Inventory>;
