import type { Activation, Finding } from '@zhengban/protocol';
import { publicKmsReason, kmsHostName } from '../kms-hosts.ts';
import { nonEmpty } from '../text.ts';
import { type LicenceRecord, WINDOWS_APPLICATION_ID, activationOf, bestRecord, describeRecord } from './licensing.ts';
import type { WindowsOsFacts } from './os.ts';
import { SPP } from './paths.ts';
import type { RegistryView } from './registry.ts';

function isWindowsRecord(r: LicenceRecord): boolean {
  return r.applicationId === WINDOWS_APPLICATION_ID || (r.applicationId === undefined && /^Windows/i.test(r.name));
}

/**
 * Windows activation from the licence row with a product key (FIELD-FACTS): LicenseStatus,
 * channel, KMS host and renewal deadline; evaluation editions are trials. Without WMI evidence
 * the status is unknown (the KMS host configured in SoftwareProtectionPlatform is still shown).
 * Findings: os.unlicensed, os.trial, os.home-edition, kms.public-host.
 */
export function licenseWindows(
  facts: WindowsOsFacts,
  records: LicenceRecord[],
  hasSpp: boolean,
  reg: RegistryView,
  capturedAt: string,
): { activation: Activation; findings: Finding[] } {
  const findings: Finding[] = [];
  const best = bestRecord(records.filter(isWindowsRecord));
  let activation: Activation;
  if (best) {
    activation = activationOf(best, capturedAt);
    if (facts.evaluation && activation.channel !== 'eval') activation.channel = 'eval';
  } else {
    activation = { status: hasSpp ? 'unlicensed' : 'unknown', channel: facts.evaluation ? 'eval' : 'unknown' };
    const configured = nonEmpty(reg.string(SPP, 'KeyManagementServiceName'));
    if (configured) activation.kmsHost = kmsHostName(configured);
  }
  const what = best ? describeRecord(best) : 'SoftwareLicensingProduct has no Windows licence with a product key';

  if (activation.status === 'unlicensed' && hasSpp) {
    findings.push({ code: 'os.unlicensed', severity: 'high', evidence: `${facts.os.product} is not activated: ${what}` });
  }
  // An evaluation edition is a trial whatever its licence row says, until it lapses.
  if (activation.channel === 'eval' && activation.status !== 'unlicensed') activation.status = 'trial';
  if (activation.status === 'trial' || activation.status === 'grace') {
    const until = activation.expires ? ` until ${activation.expires}` : '';
    const kind = activation.status === 'trial' ? 'an evaluation edition' : 'in its grace period, not activated';
    findings.push({ code: 'os.trial', severity: 'medium', evidence: `${facts.os.product} is ${kind}${until}: ${what}` });
  }
  if (facts.os.edition === 'Home') {
    findings.push({ code: 'os.home-edition', severity: 'medium', evidence: `EditionID=${facts.editionId ?? 'unknown'} (${facts.os.product}): Home editions are not in a unit's licensed series` });
  }
  if (activation.kmsHost) {
    const reason = publicKmsReason(activation.kmsHost);
    if (reason) findings.push({ code: 'kms.public-host', severity: 'critical', evidence: `Windows activates against KMS host ${activation.kmsHost}: ${reason}${best ? ` (${best.source})` : ` (registry ${SPP} KeyManagementServiceName)`}` });
  }
  return { activation, findings };
}
