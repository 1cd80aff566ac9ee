import type { Finding, OfficeSuite } from '@zhengban/protocol';
import { classifyWpsVersion, findCrackWord, wpsFindings } from '../office/wps.ts';
import type { UninstallEntry } from './software.ts';

/** WPS's Uninstall entries: the `Kingsoft Office` key, or a WPS display name (repacks rename the key). */
function isWpsEntry(e: UninstallEntry): boolean {
  if (!e.displayName || e.isUpdate) return false;
  if (/^kingsoft office$/i.test(e.id)) return true;
  return /^(WPS\s*(Office|365|办公)|金山\s*WPS)/i.test(e.displayName) && !/(云|cloud|输入法|pdf|图片|看图)/i.test(e.displayName);
}

/**
 * WPS Office on Windows (FIELD-FACTS): the personal edition installs per user (HKCU / HKU\<SID>)
 * with a DisplayName like "WPS Office (11.1.0.8612)"; professional installs per machine (HKLM).
 * The edition follows the version family; a repack names itself 特别版 / 绿色版 / 精简版 / 破解.
 * One suite per product and scope: five users with personal WPS are one personal-edition suite.
 */
export function detectWindowsWps(entries: UninstallEntry[]): { office: OfficeSuite[]; findings: Finding[] } {
  const office = new Map<string, OfficeSuite>();
  const findings: Finding[] = [];
  for (const e of entries.filter(isWpsEntry)) {
    const scope: OfficeSuite['scope'] = e.hive.startsWith('HKLM') ? 'machine' : 'user';
    const version = e.displayVersion ?? /\((\d+(?:\.\d+)+)\)/.exec(e.displayName ?? '')?.[1];
    const edition = classifyWpsVersion(version, e.displayName, scope === 'machine');
    const crack = findCrackWord(e.displayName, e.publisher);
    const where = `registry ${e.keyPath} DisplayName="${e.displayName}"`;
    findings.push(...wpsFindings(edition, where, crack));
    const key = `${edition.product}|${scope}`;
    if (office.has(key)) continue;
    const suite: OfficeSuite = {
      vendor: 'kingsoft',
      product: edition.product,
      edition: edition.edition,
      scope,
      activation: { status: crack ? 'unlicensed' : 'unknown', channel: 'unknown' },
    };
    if (version) suite.version = version;
    office.set(key, suite);
  }
  return { office: [...office.values()], findings };
}

/** Yozo Office (永中Office) on Windows, by display name. */
export function detectWindowsYozo(entries: UninstallEntry[]): OfficeSuite[] {
  const e = entries.find((x) => x.displayName && !x.isUpdate && /^(永中\s*Office|Yozo\s*Office)/i.test(x.displayName));
  if (!e) return [];
  const personal = /个人版|personal/i.test(e.displayName!);
  const suite: OfficeSuite = {
    vendor: 'yozo',
    product: personal ? '永中Office 个人版' : '永中Office',
    edition: personal ? 'personal' : 'professional',
    scope: e.hive.startsWith('HKLM') ? 'machine' : 'user',
    activation: { status: 'unknown', channel: 'unknown' },
  };
  if (e.displayVersion) suite.version = e.displayVersion;
  return [suite];
}
