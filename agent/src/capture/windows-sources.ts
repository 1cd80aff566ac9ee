/**
 * What Windows capture reads, and why (agent/src/service/README.md is not the place; the agent
 * README's capture table mirrors this file). Registry paths are written the way reg.exe takes them.
 */

const UNINSTALL = 'Microsoft\\Windows\\CurrentVersion\\Uninstall';

/** Uninstall keys of the machine: 64-bit programs, then 32-bit ones (WOW6432Node). */
export const MACHINE_UNINSTALL_KEYS = [`HKLM\\SOFTWARE\\${UNINSTALL}`, `HKLM\\SOFTWARE\\WOW6432Node\\${UNINSTALL}`] as const;

/** Per-user keys under `HKU\<SID>\`: per-user installs (WPS personal edition) and Kingsoft settings. */
export const USER_KEY_SUFFIXES = [`Software\\${UNINSTALL}`, `Software\\WOW6432Node\\${UNINSTALL}`, 'Software\\Kingsoft'] as const;

/**
 * Keys exported whole with `reg export` (absent ones are skipped: absence is evidence too). Each is
 * small; the big `Windows NT\CurrentVersion` subtree is read differently (see CURRENT_VERSION_KEY).
 */
export const EXPORTED_KEYS = [
  ...MACHINE_UNINSTALL_KEYS,
  'HKLM\\SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration', // ProductReleaseIds: which C2R products
  'HKLM\\SOFTWARE\\Kingsoft', // WPS machine-wide install and edition
  'HKLM\\SOFTWARE\\WOW6432Node\\Kingsoft',
  'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\SoftwareProtectionPlatform', // KMS host set by hand or by an activator
  // Image File Execution Options hooks that redirect the licensing services to a fake KMS.
  'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options\\SppExtComObj.exe',
  'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options\\sppsvc.exe',
  'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options\\osppsvc.exe',
  // Scheduled tasks by path (AutoPico, AutoKMS, R@1n-KMS, activation renewal). The Tree's key names
  // are the task paths, which is all detection needs; TaskCache\Tasks adds binary blobs, not names.
  'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tree',
  // Activator services (Microsoft Toolkit's AutoKMS, KMSpico's KMSELDI, KMSAuto's service).
  'HKLM\\SYSTEM\\CurrentControlSet\\Services\\AutoKMS',
  'HKLM\\SYSTEM\\CurrentControlSet\\Services\\KMSELDI',
  'HKLM\\SYSTEM\\CurrentControlSet\\Services\\KMSAuto',
  'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Service_KMS',
  'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment', // PROCESSOR_ARCHITECTURE
  'HKLM\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName', // NetBIOS name
] as const;

/**
 * Edition, build, UBR, DisplayVersion. Only this key's own values are wanted: its subtree (Fonts,
 * Perflib counters, AppCompatFlags, the task cache...) runs to tens of MB, so it is read with
 * `reg query` (values and subkey names, no recursion) and written as a .reg file here.
 */
export const CURRENT_VERSION_KEY = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion';

/** Values read one by one with `reg query /v` (their keys have large subtrees that are not wanted). */
export const SINGLE_VALUES = [
  { key: 'HKLM\\SOFTWARE\\Microsoft\\Cryptography', value: 'MachineGuid' }, // changes on re-install: identity hint
] as const;

/**
 * Values never copied into a bundle, whatever key they are in: they hold or encode a full product
 * key. A bundle goes to the server and to inspectors; the last five characters (WMI
 * PartialProductKey) are enough to tell keys apart.
 */
export const SECRET_VALUE_NAMES = ['BackupProductKeyDefault', 'DigitalProductId', 'DigitalProductId4', 'ProductKey'] as const;

/**
 * Activator traces looked for on disk, in %VARIABLE% form (expanded with the machine's own folders).
 * Keep in step with agent/src/interpret/windows/activators.ts ACTIVATOR_PATHS (a test checks).
 */
export const ACTIVATOR_PATH_TEMPLATES = [
  '%ProgramFiles%\\KMSpico',
  '%ProgramFiles(x86)%\\KMSpico',
  '%SystemRoot%\\SECOH-QAD.exe',
  '%SystemRoot%\\SECOH-QAD.dll',
  '%ProgramData%\\KMSAutoS',
  '%ProgramFiles%\\KMSAuto Net',
  '%SystemRoot%\\KMSAutoS',
  '%ProgramFiles%\\Microsoft Toolkit',
  '%SystemRoot%\\AutoKMS',
  '%SystemRoot%\\AutoKMS\\AutoKMS.exe',
  '%SystemRoot%\\Tasks\\R@1n-KMS',
  '%SystemRoot%\\System32\\SppExtComObjHook.dll',
  '%SystemRoot%\\System32\\SppExtComObjPatcher.exe',
] as const;

/** Office's licence script: Office 2010 (14) to 2016+ (16), 64- and 32-bit installs. */
export const OSPP_SCRIPT_TEMPLATES = [16, 15, 14].flatMap((v) => [
  `%ProgramFiles%\\Microsoft Office\\Office${v}\\OSPP.VBS`,
  `%ProgramFiles(x86)%\\Microsoft Office\\Office${v}\\OSPP.VBS`,
]);

/** Time limits: reg.exe answers in milliseconds; PowerShell starts in 1-3 s, ospp.vbs can take 10 s. */
export const REG_TIMEOUT_MS = 15_000;
export const POWERSHELL_TIMEOUT_MS = 60_000;
export const WMIC_TIMEOUT_MS = 30_000;
export const OSPP_TIMEOUT_MS = 60_000;
