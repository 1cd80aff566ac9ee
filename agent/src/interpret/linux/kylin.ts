import type { Activation, Finding, OperatingSystem, Software } from '@zhengban/protocol';
import { type BundleFiles, nonEmpty } from '../text.ts';
import { dateOnly } from '../dates.ts';
import type { ReleaseFiles } from './release-files.ts';

/** Kylin server codenames -> service pack (FIELD-FACTS: Tercel SP1, Sword SP2, Lance SP3, Halberd SP3 2403). */
const SERVER_CODENAMES: Record<string, string> = {
  tercel: 'SP1',
  sword: 'SP2',
  lance: 'SP3',
  halberd: 'SP3 2403',
};

/** Where the boot unit that enforces activation lives on a genuine install. */
export const KYLIN_ACTIVATION_UNIT_PATHS = [
  'lib/systemd/system/kylin-activation-check.service',
  'usr/lib/systemd/system/kylin-activation-check.service',
  'etc/systemd/system/kylin-activation-check.service',
];

function serverCodename(text: string): string | undefined {
  const m = /\b(tercel|sword|lance|halberd)\b/i.exec(text);
  return m ? m[1]!.toLowerCase() : undefined;
}

/** Kylin desktop or server: os-release words first, then Kylin's own files, then the package format. */
function kylinEdition(release: ReleaseFiles, software: Software[]): 'desktop' | 'server' {
  const os = release.osRelease;
  const words = [os.get('NAME'), os.get('PRETTY_NAME'), os.get('VERSION'), os.get('VERSION_US'), release.kyinfo.get('dist')?.get('name'), release.kylinRelease, release.productInfo]
    .filter(Boolean)
    .join(' ');
  if (/server|服务器/i.test(words) || serverCodename(words)) return 'server';
  if (/desktop|桌面/i.test(words)) return 'desktop';
  const rpm = software.some((s) => s.source === 'rpm');
  const dpkg = software.some((s) => s.source === 'dpkg');
  return rpm && !dpkg ? 'server' : 'desktop';
}

/** "SP1" from "银河麒麟桌面操作系统V10 (SP1)", "Kylin Linux Desktop V10 (SP1)", "Desktop-V10-SP1-...". */
function servicePack(text: string): string | undefined {
  const m = /\bSP\s*(\d)\b|[-(\s]SP(\d)[-)\s]/i.exec(` ${text} `);
  return m ? `SP${m[1] ?? m[2]}` : undefined;
}

/** Update number (2107, 2303, 2403, 2503): os-release KYLIN_RELEASE_ID (current), else .kyinfo's milestone (as installed). */
function releaseId(release: ReleaseFiles): string | undefined {
  const fromOsRelease = nonEmpty(release.osRelease.get('KYLIN_RELEASE_ID'));
  if (fromOsRelease && /^\d{4}$/.test(fromOsRelease)) return fromOsRelease;
  const milestone = release.kyinfo.get('dist')?.get('milestone') ?? '';
  return /-(\d{4})(?:-|$)/.exec(milestone)?.[1];
}

/** A date in `TERM:`/`term=` lines: 2024-06-30, 2024/06/30, 20240630. */
function termDate(value: string | undefined): string | undefined {
  return dateOnly(nonEmpty(value));
}

function licenseTerm(license: string | undefined): string | undefined {
  const m = license ? /^\s*TERM\s*[:=]\s*(.+)$/im.exec(license) : null;
  return termDate(m?.[1]);
}

/**
 * Kylin activation (FIELD-FACTS): `/etc/.kyactivation` exists only once activated; while
 * `/etc/LICENSE`'s TERM equals `.kyinfo`'s `[os] term` the system runs on its trial period. A
 * trial past its term, or neither file state, is unlicensed. Without `.kyinfo` at all the
 * activation scheme is not in use (or not captured): unknown.
 */
function kylinActivation(files: BundleFiles, release: ReleaseFiles, capturedAt: string): { activation: Activation; findings: Finding[] } {
  const kyTerm = termDate(release.kyinfo.get('os')?.get('term'));
  const licTerm = licenseTerm(release.license);
  const today = capturedAt.slice(0, 10);
  if (files.has('etc/.kyactivation')) {
    const activation: Activation = { status: 'licensed', channel: 'unknown' };
    if (kyTerm) activation.expires = kyTerm;
    return { activation, findings: [] };
  }
  if (release.kyinfo.size <= 1 && !release.license) return { activation: { status: 'unknown', channel: 'unknown' }, findings: [] };
  if (kyTerm && licTerm === kyTerm) {
    if (kyTerm < today) {
      return {
        activation: { status: 'unlicensed', channel: 'eval', expires: kyTerm },
        findings: [{ code: 'os.unlicensed', severity: 'high', evidence: `Kylin trial period ended on ${kyTerm} (/etc/LICENSE TERM:${licTerm} equals /etc/.kyinfo [os] term=${kyTerm}) and /etc/.kyactivation is absent` }],
      };
    }
    return {
      activation: { status: 'trial', channel: 'eval', expires: kyTerm },
      findings: [{ code: 'os.trial', severity: 'medium', evidence: `Kylin is on its trial period until ${kyTerm}: /etc/LICENSE TERM:${licTerm} equals /etc/.kyinfo [os] term=${kyTerm}; /etc/.kyactivation is absent` }],
    };
  }
  return {
    activation: { status: 'unlicensed', channel: 'unknown', ...(kyTerm ? { expires: kyTerm } : {}) },
    findings: [{ code: 'os.unlicensed', severity: 'high', evidence: `Kylin is not activated: /etc/.kyactivation is absent${licTerm ? ` (/etc/LICENSE TERM:${licTerm}, .kyinfo term=${kyTerm ?? 'none'})` : ''}` }],
  };
}

/** Missing or masked activation-check unit on a Kylin that uses activation: how cracks bypass it. */
function activationCheckFindings(files: BundleFiles, release: ReleaseFiles): Finding[] {
  if (release.kyinfo.size <= 1) return [];
  const present = KYLIN_ACTIVATION_UNIT_PATHS.filter((p) => files.has(p));
  const masked = present.find((p) => p.startsWith('etc/') && (files.text(p) ?? '').trim() === '');
  if (masked) {
    return [{ code: 'activator.kylin-activation-bypass', severity: 'critical', evidence: `/${masked} is masked (empty or linked to /dev/null): Kylin's activation check does not run at boot` }];
  }
  if (present.length > 0) return [];
  return [
    {
      code: 'activator.kylin-activation-bypass',
      severity: 'critical',
      evidence: 'kylin-activation-check.service is missing from /lib/systemd/system, /usr/lib/systemd/system and /etc/systemd/system on a Kylin install that has /etc/.kyinfo',
    },
  ];
}

/**
 * Describes a Kylin machine: product "Kylin Desktop V10 SP1" or "Kylin Linux Advanced Server
 * V10", version "V10 SP1 2403" / "V10 SP2", edition desktop | server, activation and the
 * findings it implies (trial, unlicensed, activation check removed, community edition).
 */
export function describeKylin(
  files: BundleFiles,
  release: ReleaseFiles,
  software: Software[],
  arch: string,
  kernel: string | undefined,
  capturedAt: string,
): { os: OperatingSystem; findings: Finding[] } {
  const osr = release.osRelease;
  const edition = kylinEdition(release, software);
  const major = (/\bv(\d+)\b/i.exec(`${osr.get('VERSION_ID') ?? ''} ${osr.get('VERSION') ?? ''} ${release.lsbRelease.get('DISTRIB_RELEASE') ?? ''}`)?.[1] ?? '10').trim();
  const vMajor = `V${major}`;
  const findings: Finding[] = [];
  let product: string;
  let version: string;
  let build: string | undefined;

  if (edition === 'server') {
    const text = [osr.get('VERSION'), osr.get('PRETTY_NAME'), release.kylinRelease, release.productInfo].filter(Boolean).join(' ');
    const codename = serverCodename(text);
    const sp = codename ? SERVER_CODENAMES[codename] : servicePack(text);
    product = `Kylin Linux Advanced Server ${vMajor}`;
    version = sp ? `${vMajor} ${sp}` : vMajor;
    build = /Build[\w./-]+/i.exec(release.productInfo ?? '')?.[0];
  } else {
    const text = [osr.get('VERSION_US'), osr.get('VERSION'), osr.get('PRETTY_NAME'), release.lsbRelease.get('DISTRIB_DESCRIPTION'), release.kyinfo.get('dist')?.get('milestone')]
      .filter(Boolean)
      .join(' ');
    const sp = servicePack(text);
    const juniper = /juniper/i.test(text) && !sp;
    product = sp ? `Kylin Desktop ${vMajor} ${sp}` : `Kylin Desktop ${vMajor}`;
    const update = sp ? releaseId(release) : undefined;
    version = [vMajor, sp, update].filter(Boolean).join(' ');
    build = nonEmpty(release.kyinfo.get('dist')?.get('milestone')) ?? (juniper ? 'juniper' : undefined);
  }

  const { activation, findings: activationFindings } = kylinActivation(files, release, capturedAt);
  findings.push(...activationFindings, ...activationCheckFindings(files, release));
  const type = nonEmpty(release.lsbRelease.get('DISTRIB_VERSION_TYPE'))?.toLowerCase();
  if (type === 'community') {
    findings.push({ code: 'os.community-edition', severity: 'medium', evidence: '/etc/lsb-release DISTRIB_VERSION_TYPE=community: the non-commercial community edition, not a licensed Kylin' });
  }

  const os: OperatingSystem = { family: 'kylin', product, edition, version, arch, activation };
  if (build) os.build = build;
  if (kernel) os.kernel = kernel;
  return { os, findings };
}
