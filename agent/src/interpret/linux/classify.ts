import type { OsFamily, Software } from '@zhengban/protocol';
import { nonEmpty } from '../text.ts';
import type { ReleaseFiles } from './release-files.ts';

/** Which domestic family a Linux machine belongs to, and how sure we are. */
export interface LinuxClassification {
  family: OsFamily;
  /** Kylin only: the package database or Kylin-only files agree with os-release. */
  corroborated: boolean;
  /** What claimed something the evidence did not back up, for a finding; empty when all agree. */
  mismatch?: string;
  /** os-release itself claims a family the evidence refutes: its product name must not be shown as fact. */
  osReleaseUnverified?: boolean;
}

/** Kylin-only packages: the activation stack, Kylin's own tools, RPM release tags `.ky10`. */
export function isKylinPackage(s: Pick<Software, 'name' | 'version' | 'source'>): boolean {
  if (/^(kylin-|libkylin|kylin_|kyinfo)/i.test(s.name) || s.name === 'kylin-release') return true;
  return s.source === 'rpm' && /\.ky\d+(\.|$)/i.test(s.version ?? '');
}

/** Files only a Kylin (Galaxy Kylin, 银河麒麟) install carries. */
function kylinFiles(release: ReleaseFiles): string[] {
  const found: string[] = [];
  if (release.kyinfo.size > 1 || (release.kyinfo.get('')?.size ?? 0) > 0) found.push('/etc/.kyinfo');
  if (release.kylinRelease && /kylin/i.test(release.kylinRelease) && !/neokylin/i.test(release.kylinRelease)) found.push('/etc/kylin-release');
  if (release.productInfo && /kylin/i.test(release.productInfo) && !/neokylin/i.test(release.productInfo)) found.push('/etc/.productinfo');
  return found;
}

/** os-release ID / NAME as the first word on what the machine is (compared case-insensitively). */
function familyFromOsRelease(release: ReleaseFiles): OsFamily | undefined {
  const id = nonEmpty(release.osRelease.get('ID'))?.toLowerCase();
  const name = nonEmpty(release.osRelease.get('NAME'))?.toLowerCase() ?? '';
  if (id === 'neokylin' || name.includes('neokylin') || name.includes('中标麒麟')) return 'neokylin';
  // KylinSec (麒麟信安), openKylin and Ubuntu Kylin share a word with Kylin and are not Kylin.
  if (id === 'kylinsec' || id === 'openkylin' || id === 'ubuntukylin' || /kylinsec|openkylin|ubuntu kylin/.test(name)) return 'linux';
  if (id === 'kylin' || name === 'kylin' || name.startsWith('kylin linux') || name.startsWith('kylin ')) return 'kylin';
  if (id === 'uos' || id === 'uniontech' || /^(uos|uniontech)\b/.test(name)) return 'uos';
  if (id === 'deepin' || name === 'deepin') return 'deepin';
  return id || name ? 'linux' : undefined;
}

/**
 * Decides the OS family. os-release's ID/NAME speaks first; Kylin must be corroborated by a
 * Kylin-only file or package because people copy Kylin's release files onto other systems to
 * pass an inspection (a Kylin os-release on a Debian whose packages are all Debian's is Debian).
 * lsb-release is never enough on its own: it only helps when os-release is missing and Kylin
 * files agree with it.
 */
export function classifyLinux(release: ReleaseFiles, software: Software[], hasPackageDatabase: boolean): LinuxClassification {
  const kylinEvidence = [...kylinFiles(release), ...software.filter(isKylinPackage).slice(0, 3).map((s) => `package ${s.name}`)];
  const corroborated = kylinEvidence.length > 0;
  const lsbId = nonEmpty(release.lsbRelease.get('DISTRIB_ID'))?.toLowerCase();
  const lsbSaysKylin = lsbId === 'kylin';
  const fromOsRelease = familyFromOsRelease(release);

  if (fromOsRelease === 'kylin') {
    // Without a package database there is nothing to cross-check with; trust os-release then.
    if (corroborated || !hasPackageDatabase) return { family: 'kylin', corroborated };
    return {
      family: 'linux',
      corroborated: false,
      osReleaseUnverified: true,
      mismatch: `/etc/os-release says ID=${release.osRelease.get('ID') ?? ''} NAME="${release.osRelease.get('NAME') ?? ''}" but no Kylin file (/etc/.kyinfo, /etc/kylin-release) or Kylin package (kylin-*) is present`,
    };
  }
  if (fromOsRelease === undefined) {
    if (release.neokylinRelease) return { family: 'neokylin', corroborated: false };
    if (corroborated) return { family: 'kylin', corroborated };
    if (lsbSaysKylin) {
      return { family: 'linux', corroborated: false, mismatch: '/etc/lsb-release says DISTRIB_ID=Kylin but there is no os-release and no Kylin file or package' };
    }
    return { family: 'linux', corroborated: false };
  }
  if (lsbSaysKylin && fromOsRelease !== 'neokylin') {
    return {
      family: fromOsRelease,
      corroborated,
      mismatch: `/etc/lsb-release says DISTRIB_ID=${release.lsbRelease.get('DISTRIB_ID')} but /etc/os-release says ID=${release.osRelease.get('ID') ?? ''}`,
    };
  }
  return { family: fromOsRelease, corroborated };
}
