import type { OperatingSystem, Software } from '@zhengban/protocol';
import { nonEmpty } from '../text.ts';
import { genericProduct } from './generic-os.ts';
import type { ReleaseFiles } from './release-files.ts';

const UNKNOWN_ACTIVATION = { status: 'unknown', channel: 'unknown' } as const;

/**
 * UOS / UnionTech OS (统信). The edition lives in `/etc/os-version` ([Version] SystemName,
 * ProductType, EditionName, MajorVersion, MinorVersion, OsBuild); os-release alone says little
 * more than "uos 20". Desktop and server exist, the server in RPM and dpkg flavours, so the
 * package format decides nothing here.
 */
export function describeUos(release: ReleaseFiles, arch: string, kernel: string | undefined): OperatingSystem {
  const v = release.osVersion.get('version') ?? new Map<string, string>();
  const systemName = nonEmpty(v.get('systemname'));
  const productType = nonEmpty(v.get('producttype'))?.toLowerCase();
  const editionName = nonEmpty(v.get('editionname'));
  const major = nonEmpty(v.get('majorversion')) ?? nonEmpty(release.osRelease.get('VERSION_ID'));
  const minor = nonEmpty(v.get('minorversion'));
  const words = `${systemName ?? ''} ${release.osRelease.get('NAME') ?? ''} ${release.osRelease.get('PRETTY_NAME') ?? ''}`;
  const edition = productType === 'server' || /server|服务器/i.test(words) ? 'server' : 'desktop';

  const product = systemName
    ? [systemName, major, editionName].filter(Boolean).join(' ')
    : genericProduct(release);
  const os: OperatingSystem = { family: 'uos', product, edition, arch, activation: { ...UNKNOWN_ACTIVATION } };
  const version = [major, minor].filter(Boolean).join(' ');
  if (version) os.version = version;
  const build = nonEmpty(v.get('osbuild'));
  if (build) os.build = build;
  if (kernel) os.kernel = kernel;
  return os;
}

/** Deepin (深度): ID is `deepin` or `Deepin` depending on the release. A desktop distribution. */
export function describeDeepin(release: ReleaseFiles, arch: string, kernel: string | undefined): OperatingSystem {
  const os: OperatingSystem = { family: 'deepin', product: genericProduct(release), edition: 'desktop', arch, activation: { ...UNKNOWN_ACTIVATION } };
  const version = nonEmpty(release.osRelease.get('VERSION_ID'));
  if (version) os.version = version;
  if (kernel) os.kernel = kernel;
  return os;
}

/**
 * NeoKylin (中标麒麟): RHEL-like and RPM-based, a different product from Kylin. VERSION_ID is
 * not numeric ("V7Update6"); `/etc/neokylin-release` carries the full name.
 */
export function describeNeoKylin(release: ReleaseFiles, software: Software[], arch: string, kernel: string | undefined): OperatingSystem {
  const words = `${release.osRelease.get('NAME') ?? ''} ${release.osRelease.get('PRETTY_NAME') ?? ''} ${release.neokylinRelease ?? ''}`;
  const edition = /server/i.test(words) ? 'server' : /desktop/i.test(words) ? 'desktop' : software.some((s) => /\.nd\d/.test(s.version ?? '')) ? 'desktop' : 'server';
  const os: OperatingSystem = { family: 'neokylin', product: genericProduct(release), edition, arch, activation: { ...UNKNOWN_ACTIVATION } };
  const version = nonEmpty(release.osRelease.get('VERSION_ID')) ?? /release\s+(\S+)/i.exec(release.neokylinRelease ?? '')?.[1];
  if (version) os.version = version;
  if (kernel) os.kernel = kernel;
  return os;
}
