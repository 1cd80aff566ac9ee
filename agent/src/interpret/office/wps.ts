import type { Finding } from '@zhengban/protocol';

/** Words repackers put in the names of cracked WPS builds: special, green (portable), slimmed, cracked. */
export const CRACK_WORDS = ['特别版', '绿色版', '精简版', '破解', '免激活', '去广告', 'crack', 'cracked', 'keygen'];

/** The crack word found in any of the texts, if one is. */
export function findCrackWord(...texts: Array<string | undefined>): string | undefined {
  for (const text of texts) {
    if (!text) continue;
    const lower = text.toLowerCase();
    const word = CRACK_WORDS.find((w) => lower.includes(w.toLowerCase()));
    if (word) return word;
  }
  return undefined;
}

/** What a WPS version number says about the edition (FIELD-FACTS: the edition follows the version family). */
export interface WpsEdition {
  /** "WPS Office 2019 个人版", "WPS Office 2019 专业版", "WPS Office 2023 专业版". */
  product: string;
  edition: 'personal' | 'professional' | 'subscription';
  /** Personal builds are free for personal use only: never a unit licence. */
  personalUseOnly: boolean;
}

/**
 * WPS edition from its version: 11.1.0.x = 2019 personal (个人版); 11.8.2.x = 2019 professional
 * (专业版, serial-licensed; Linux builds named `...withsn`); 12.1.x = 2023 personal / WPS 365;
 * 12.8.x = 2023 professional / WPS 365. A 12.x build with a licence in place is WPS 365 or
 * professional, one without is the personal edition. Unknown families fall back to the words in
 * the name (个人版 / 专业版 / Professional).
 */
export function classifyWpsVersion(version: string | undefined, name: string | undefined, licensed: boolean): WpsEdition {
  const v = version ?? '';
  const text = `${name ?? ''} ${v}`;
  if (/withsn/i.test(v) || /^11\.8\./.test(v)) return { product: 'WPS Office 2019 专业版', edition: 'professional', personalUseOnly: false };
  if (/^11\.1\./.test(v)) return { product: 'WPS Office 2019 个人版', edition: 'personal', personalUseOnly: true };
  if (/^12\.8\./.test(v)) return { product: 'WPS Office 2023 专业版', edition: 'professional', personalUseOnly: false };
  if (/^12\.1\./.test(v)) {
    return licensed
      ? { product: 'WPS 365', edition: 'subscription', personalUseOnly: false }
      : { product: 'WPS Office 2023 个人版', edition: 'personal', personalUseOnly: true };
  }
  if (/专业版|professional|pro\b|企业版|enterprise|政务版/i.test(text)) return { product: 'WPS Office 专业版', edition: 'professional', personalUseOnly: false };
  if (/wps\s*365/i.test(text)) return { product: 'WPS 365', edition: 'subscription', personalUseOnly: false };
  if (/^10\./.test(v)) return { product: 'WPS Office 2016 个人版', edition: 'personal', personalUseOnly: true };
  return { product: 'WPS Office 个人版', edition: 'personal', personalUseOnly: true };
}

/** The findings a WPS install implies: personal-use-only edition, cracked repack. */
export function wpsFindings(wps: WpsEdition, where: string, crackWord: string | undefined): Finding[] {
  const findings: Finding[] = [];
  if (crackWord) {
    findings.push({ code: 'wps.cracked-build', severity: 'critical', evidence: `${where}: the name says "${crackWord}", a repacked cracked WPS build` });
  }
  if (wps.personalUseOnly) {
    findings.push({ code: 'wps.personal-edition', severity: 'medium', evidence: `${where}: ${wps.product} is free for personal use only, not a unit licence` });
  }
  return findings;
}
