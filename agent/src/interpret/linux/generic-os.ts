import type { OperatingSystem } from '@zhengban/protocol';
import { nonEmpty } from '../text.ts';
import type { ReleaseFiles } from './release-files.ts';

/** Product name of any Linux from os-release: PRETTY_NAME, else NAME + VERSION, else NAME. */
export function genericProduct(release: ReleaseFiles): string {
  const os = release.osRelease;
  const pretty = nonEmpty(os.get('PRETTY_NAME'));
  if (pretty) return pretty;
  const name = nonEmpty(os.get('NAME'));
  const version = nonEmpty(os.get('VERSION'));
  if (name && version) return `${name} ${version}`;
  const fromReleaseFile = nonEmpty((release.neokylinRelease ?? release.kylinRelease)?.split(/\r?\n/)[0]?.replace(/\s+release\s+/i, ' '));
  return name ?? nonEmpty(release.lsbRelease.get('DISTRIB_DESCRIPTION')) ?? fromReleaseFile ?? 'Linux';
}

/**
 * A Linux that is none of the domestic families the product tells apart (Debian, Ubuntu,
 * RHEL...): family `linux`, product from PRETTY_NAME, version from VERSION_ID, and Debian's
 * point release (`/etc/debian_version`, "12.5") as the build. No activation concept: unknown.
 */
export function describeGenericLinux(release: ReleaseFiles, arch: string, kernel: string | undefined): OperatingSystem {
  const os: OperatingSystem = {
    family: 'linux',
    product: genericProduct(release),
    arch,
    activation: { status: 'unknown', channel: 'unknown' },
  };
  const version = nonEmpty(release.osRelease.get('VERSION_ID'));
  if (version) os.version = version;
  const id = release.osRelease.get('ID')?.toLowerCase();
  if (id === 'debian' && release.debianVersion && /^\d/.test(release.debianVersion)) os.build = release.debianVersion;
  if (kernel) os.kernel = kernel;
  return os;
}
