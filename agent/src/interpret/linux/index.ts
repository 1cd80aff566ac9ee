import type { EvidenceBundle } from '../../evidence/bundle.ts';
import type { InventoryDraft } from '../finalize.ts';
import { BundleFiles, nonEmpty } from '../text.ts';
import { readDpkgSoftware } from './dpkg.ts';
import { readLinuxHardware } from './hardware.ts';
import { readReleaseFiles } from './release-files.ts';
import { readRpmSoftware } from './rpm.ts';
import { normaliseArch, parseUname } from './uname.ts';
import { describeGenericLinux } from './generic-os.ts';
import { classifyLinux } from './classify.ts';
import { describeKylin } from './kylin.ts';
import { describeDeepin, describeNeoKylin, describeUos } from './other-families.ts';
import { detectLinuxOffice } from './office.ts';
import type { Finding, OperatingSystem, Software } from '@zhengban/protocol';

/** Most common package architecture, for bundles without `uname` output ("all"/"noarch" ignored). */
function archFromPackages(software: Software[]): string | undefined {
  const counts = new Map<string, number>();
  for (const s of software) {
    const a = normaliseArch(s.arch);
    if (!a || a === 'all' || a === 'noarch') continue;
    counts.set(a, (counts.get(a) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** Interprets a Linux bundle (any distribution) into an inventory draft. */
export function interpretLinux(bundle: EvidenceBundle): InventoryDraft {
  const files = new BundleFiles(bundle);
  const release = readReleaseFiles(files);
  const capturedAt = bundle.manifest.capturedAt;

  const software: Software[] = [];
  const dpkgStatus = files.text('var/lib/dpkg/status');
  if (dpkgStatus !== undefined) software.push(...readDpkgSoftware(dpkgStatus));
  const rpmQa = bundle.commands.get('rpm-qa');
  if (rpmQa !== undefined) software.push(...readRpmSoftware(rpmQa, capturedAt));

  const uname = parseUname(bundle.commands.get('uname'));
  const arch = uname.arch ?? normaliseArch(release.kyinfo.get('dist')?.get('arch')) ?? archFromPackages(software) ?? 'unknown';
  const findings: Finding[] = [];
  const classification = classifyLinux(release, software, dpkgStatus !== undefined || rpmQa !== undefined);
  if (classification.mismatch) findings.push({ code: 'os.release-mismatch', severity: 'medium', evidence: classification.mismatch });

  let os: OperatingSystem;
  switch (classification.family) {
    case 'kylin': {
      const kylin = describeKylin(files, release, software, arch, uname.kernel, capturedAt);
      os = kylin.os;
      findings.push(...kylin.findings);
      break;
    }
    case 'uos':
      os = describeUos(release, arch, uname.kernel);
      break;
    case 'deepin':
      os = describeDeepin(release, arch, uname.kernel);
      break;
    case 'neokylin':
      os = describeNeoKylin(release, software, arch, uname.kernel);
      break;
    default:
      os = describeGenericLinux(release, arch, uname.kernel);
      if (classification.osReleaseUnverified) os.product = `${os.product} (unverified)`;
  }
  const office = detectLinuxOffice(software, files);
  findings.push(...office.findings);

  return {
    collectedAt: capturedAt,
    hostname: nonEmpty(bundle.manifest.hostname) ?? nonEmpty(files.text('etc/hostname')) ?? 'unknown',
    agentVersion: bundle.manifest.agentVersion,
    hardware: readLinuxHardware(files),
    os,
    office: office.office,
    software,
    findings,
    captureErrors: [...(bundle.manifest.errors ?? [])],
  };
}
