import type { Finding, OfficeSuite, Software } from '@zhengban/protocol';
import { classifyWpsVersion, findCrackWord, wpsFindings } from '../office/wps.ts';
import type { BundleFiles } from '../text.ts';

/** WPS package names on Linux: upstream `wps-office`, Kylin's archive `wpsoffice`, the UOS store id. */
const WPS_PACKAGES = /^(wps-office|wpsoffice|cn\.wps\.wps-office(-pro)?|wps-office-pro)$/i;
/** Yozo Office (永中Office) package names. */
const YOZO_PACKAGES = /^(yozo-office|yozooffice|yozo-office-.*|cn\.yozo\..*)$/i;

/** Where WPS for Linux keeps its serial once a professional licence is installed. */
export const WPS_LINUX_LICENSE_PATH = 'opt/kingsoft/.auth/license2.dat';

/**
 * Office suites on a Linux machine from its packages: WPS (never `libwps-*`, LibreOffice's
 * import filter) and Yozo Office. One suite per product even when a machine carries two WPS
 * package names (an upgrade from the Kylin archive build to the store build): the newest wins.
 */
export function detectLinuxOffice(software: Software[], files: BundleFiles): { office: OfficeSuite[]; findings: Finding[] } {
  const office: OfficeSuite[] = [];
  const findings: Finding[] = [];

  const wps = software.filter((s) => WPS_PACKAGES.test(s.name)).sort((a, b) => compareVersions(b.version, a.version))[0];
  if (wps) {
    const hasLicence = files.has(WPS_LINUX_LICENSE_PATH);
    const edition = classifyWpsVersion(wps.version, wps.name, hasLicence);
    const where = `${wps.source} package ${wps.name} ${wps.version ?? ''}`.trim();
    const crack = findCrackWord(wps.name, wps.version, wps.publisher);
    findings.push(...wpsFindings(edition, where, crack));
    let status: OfficeSuite['activation']['status'] = 'unknown';
    if (!edition.personalUseOnly) status = hasLicence ? 'licensed' : 'unlicensed';
    if (crack) status = 'unlicensed';
    if (!edition.personalUseOnly && !hasLicence) {
      findings.push({ code: 'office.unlicensed', severity: 'high', evidence: `${where} is the ${edition.product} build but /${WPS_LINUX_LICENSE_PATH} (its serial) is absent` });
    }
    const suite: OfficeSuite = { vendor: 'kingsoft', product: edition.product, edition: edition.edition, scope: 'machine', activation: { status, channel: 'unknown' } };
    if (wps.version) suite.version = wps.version;
    office.push(suite);
  }

  const yozo = software.filter((s) => YOZO_PACKAGES.test(s.name)).sort((a, b) => compareVersions(b.version, a.version))[0];
  if (yozo) {
    const personal = /个人版|personal/i.test(`${yozo.name} ${yozo.version ?? ''}`);
    const suite: OfficeSuite = {
      vendor: 'yozo',
      product: personal ? '永中Office 个人版' : '永中Office',
      edition: personal ? 'personal' : 'professional',
      scope: 'machine',
      activation: { status: 'unknown', channel: 'unknown' },
    };
    if (yozo.version) suite.version = yozo.version;
    office.push(suite);
  }
  return { office, findings };
}

/** Compares dotted versions numerically, part by part ("11.1.0.11720" < "11.8.2.1132"). */
export function compareVersions(a: string | undefined, b: string | undefined): number {
  const pa = (a ?? '').split(/[^0-9]+/).filter(Boolean).map(Number);
  const pb = (b ?? '').split(/[^0-9]+/).filter(Boolean).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}
