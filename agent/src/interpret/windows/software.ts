import type { Software } from '@zhengban/protocol';
import { dateOnly } from '../dates.ts';
import { nonEmpty } from '../text.ts';
import { HKLM_UNINSTALL, HKLM_WOW64_UNINSTALL, UNINSTALL_SUFFIX } from './paths.ts';
import type { RegistryView } from './registry.ts';

/** One Uninstall subkey with the values interpretation uses (including the ones that exclude it). */
export interface UninstallEntry {
  /** Full key path, for evidence text. */
  keyPath: string;
  /** Subkey name: the entry's id ("Kingsoft Office", "{90160000-0011-0000-1000-0000000FF1CE}"). */
  id: string;
  hive: string;
  displayName?: string;
  displayVersion?: string;
  publisher?: string;
  installDate?: string;
  systemComponent: boolean;
  /** An update or a component of another entry (ParentKeyName / ReleaseType). */
  isUpdate: boolean;
}

/** The Uninstall key roots of a registry view: HKLM, its 32-bit view, every user hive, HKCU. */
function uninstallRoots(reg: RegistryView): Array<{ path: string; hive: string }> {
  const roots = [
    { path: HKLM_UNINSTALL, hive: 'HKLM' },
    { path: HKLM_WOW64_UNINSTALL, hive: 'HKLM-WOW64' },
  ];
  for (const sid of reg.subkeys('HKU')) {
    // HKU\<SID>_Classes is the user's class registration hive, not a profile; .DEFAULT is an
    // alias of S-1-5-18 and would list LocalSystem's programs twice.
    if (/_classes$/i.test(sid) || sid.toLowerCase() === '.default') continue;
    roots.push({ path: `HKU\\${sid}\\Software\\${UNINSTALL_SUFFIX}`, hive: `HKU\\${sid}` });
    roots.push({ path: `HKU\\${sid}\\Software\\WOW6432Node\\${UNINSTALL_SUFFIX}`, hive: `HKU\\${sid}` });
  }
  // A capture that exported HKCU (it ran as the logged-on user) has no SID to name the hive by.
  roots.push({ path: `HKCU\\Software\\${UNINSTALL_SUFFIX}`, hive: 'HKCU' });
  return roots;
}

/** Every Uninstall subkey, excluded or not (office and WPS detection look at all of them). */
export function readUninstallEntries(reg: RegistryView): UninstallEntry[] {
  const out: UninstallEntry[] = [];
  for (const root of uninstallRoots(reg)) {
    for (const id of reg.subkeys(root.path)) {
      const key = `${root.path}\\${id}`;
      const entry: UninstallEntry = {
        keyPath: key,
        id,
        hive: root.hive,
        systemComponent: reg.number(key, 'SystemComponent') === 1,
        isUpdate: nonEmpty(reg.string(key, 'ParentKeyName')) !== undefined || nonEmpty(reg.string(key, 'ReleaseType')) !== undefined,
      };
      const displayName = nonEmpty(reg.string(key, 'DisplayName'));
      if (displayName) entry.displayName = displayName;
      const version = nonEmpty(reg.string(key, 'DisplayVersion'));
      if (version) entry.displayVersion = version;
      const publisher = nonEmpty(reg.string(key, 'Publisher'));
      if (publisher) entry.publisher = publisher;
      const date = dateOnly(reg.string(key, 'InstallDate'));
      if (date) entry.installDate = date;
      out.push(entry);
    }
  }
  return out;
}

/** True for entries the software list shows: a DisplayName, not a system component, not an update. */
export function isListedProgram(e: UninstallEntry): boolean {
  return e.displayName !== undefined && !e.systemComponent && !e.isUpdate;
}

/**
 * Installed programs as Programs and Features shows them (FIELD-FACTS): entries without a
 * DisplayName, with SystemComponent=1, or with ParentKeyName/ReleaseType (updates) are left out.
 * 64-bit Windows: HKLM entries are 64-bit programs (`x64`), WOW6432Node ones 32-bit (`x86`).
 */
export function readWindowsSoftware(entries: UninstallEntry[], osArch: string): Software[] {
  const hklmArch = osArch === 'x86_64' ? 'x64' : osArch === 'aarch64' ? 'arm64' : osArch === 'i686' ? 'x86' : undefined;
  return entries.filter(isListedProgram).map((e) => {
    const s: Software = { id: e.id, name: e.displayName!, source: 'registry', hive: e.hive };
    if (e.displayVersion) s.version = e.displayVersion;
    if (e.publisher) s.publisher = e.publisher;
    if (e.installDate) s.installDate = e.installDate;
    if (e.hive === 'HKLM-WOW64') s.arch = 'x86';
    else if (e.hive === 'HKLM' && hklmArch) s.arch = hklmArch;
    return s;
  });
}
