import type { Finding, OfficeSuite } from '@zhengban/protocol';
import { publicKmsReason } from '../kms-hosts.ts';
import { type LicenceRecord, activationOf, bestRecord, describeRecord } from './licensing.ts';
import type { MsOfficeInstall } from './ms-office.ts';

const OFFICE_YEARS: Record<string, string> = { '14': '2010', '15': '2013', '16': '2016', '19': '2019', '21': '2021', '24': '2024' };
const SUITE_TOKENS = ['O365', 'ProPlus', 'HomeBusiness', 'HomeStudent', 'Standard', 'Professional', 'Home'];

/** Year and SKU token of an Office licence name ("Office 19, Office19ProPlus2019VL_KMS_Client_AE edition"). */
export function officeLicenceKey(name: string): { year: string; token: string } | undefined {
  const m = /^Office\s*(\d{2})\s*,\s*Office(?:\d{2})?([A-Za-z0-9_-]+)/i.exec(name.trim());
  if (!m) return undefined;
  const sku = m[2]!;
  // Visio and Project licences sit next to the suites' but are separate products.
  if (/^(Visio|Project|Word|Excel|PowerPoint|Outlook|Access|Publisher|OneNote|Skype|Lync|Groove)/i.test(sku)) return undefined;
  const token = SUITE_TOKENS.find((t) => sku.toLowerCase().startsWith(t.toLowerCase()));
  if (!token) return undefined;
  return { year: token === 'O365' ? '365' : (OFFICE_YEARS[m[1]!] ?? m[1]!), token };
}

/** True for records that are Office licences (by application id or by name). */
export function isOfficeRecord(r: LicenceRecord): boolean {
  return r.applicationId?.endsWith('-a989-479d-af46-f275c6370663') === true || /^Office\s*\d{2}\s*,/i.test(r.name);
}

/**
 * Attaches a licence to each Office suite: the best record with the same year and SKU token.
 * A suite with licensing evidence but no matching key is unlicensed (office.unlicensed); without
 * evidence (no WMI, no ospp output, Microsoft 365's token licensing) it is unknown.
 */
export function licenseMsOffice(
  installs: MsOfficeInstall[],
  records: LicenceRecord[],
  evidence: { spp: boolean; ospp: boolean },
  capturedAt: string,
): { office: OfficeSuite[]; findings: Finding[] } {
  const office: OfficeSuite[] = [];
  const findings: Finding[] = [];
  const officeRecords = records.filter(isOfficeRecord);
  for (const install of installs) {
    const matches = officeRecords.filter((r) => {
      const key = officeLicenceKey(r.name);
      return key !== undefined && key.year === install.year && key.token.toLowerCase() === install.skuToken.toLowerCase();
    });
    const best = bestRecord(matches);
    let activation: OfficeSuite['activation'];
    if (best) {
      activation = activationOf(best, capturedAt);
      if (best.status === 'unlicensed') {
        findings.push({ code: 'office.unlicensed', severity: 'high', evidence: `${install.suite.product}: ${describeRecord(best)}` });
      }
      const reason = best.channel === 'kms' && best.kmsHost ? publicKmsReason(best.kmsHost) : undefined;
      if (reason) findings.push({ code: 'kms.public-host', severity: 'critical', evidence: `${install.suite.product} activates against KMS host ${best.kmsHost}: ${reason} (${best.source})` });
    } else {
      const hasEvidence = install.licensing === 'spp' ? evidence.spp || evidence.ospp : install.licensing === 'ospp' ? evidence.ospp : false;
      activation = { status: hasEvidence ? 'unlicensed' : 'unknown', channel: 'unknown' };
      if (hasEvidence) {
        findings.push({ code: 'office.unlicensed', severity: 'high', evidence: `${install.suite.product} (${install.seenAt}) has no installed product key in ${install.licensing === 'ospp' ? 'ospp.vbs /dstatus' : 'SoftwareLicensingProduct or ospp.vbs /dstatus'}` });
      }
    }
    office.push({ ...install.suite, activation });
  }
  return { office, findings };
}
