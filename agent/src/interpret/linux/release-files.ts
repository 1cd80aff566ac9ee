import { type BundleFiles, nonEmpty } from '../text.ts';
import { parseIni, parseKeyValueFile } from './key-value.ts';

/** The release-describing files of a Linux machine, parsed; each absent one is empty. */
export interface ReleaseFiles {
  osRelease: Map<string, string>;
  lsbRelease: Map<string, string>;
  /** `/etc/.kyinfo` sections (`dist`, `servicekey`, `os`). */
  kyinfo: Map<string, Map<string, string>>;
  /** UOS `/etc/os-version` sections (`version`). */
  osVersion: Map<string, Map<string, string>>;
  kylinRelease?: string;
  productInfo?: string;
  debianVersion?: string;
  neokylinRelease?: string;
  /** `/etc/LICENSE` on Kylin. */
  license?: string;
}

/**
 * Reads every release file a classifier may cross-check. os-release lives in `/etc` or, on
 * systems where /etc/os-release is a dangling link, `/usr/lib/os-release`.
 */
export function readReleaseFiles(files: BundleFiles): ReleaseFiles {
  const osReleaseText = files.text('etc/os-release') ?? files.text('usr/lib/os-release');
  return {
    osRelease: parseKeyValueFile(osReleaseText ?? ''),
    lsbRelease: parseKeyValueFile(files.text('etc/lsb-release') ?? ''),
    kyinfo: parseIni(files.text('etc/.kyinfo') ?? ''),
    osVersion: parseIni(files.text('etc/os-version') ?? ''),
    kylinRelease: nonEmpty(files.text('etc/kylin-release')),
    productInfo: nonEmpty(files.text('etc/.productinfo')),
    debianVersion: nonEmpty(files.text('etc/debian_version')),
    neokylinRelease: nonEmpty(files.text('etc/neokylin-release')),
    license: nonEmpty(files.text('etc/LICENSE')),
  };
}
