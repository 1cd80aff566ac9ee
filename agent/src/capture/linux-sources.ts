/**
 * What Linux capture reads, and why (agent/README.md has the same table for people).
 * Paths are absolute on the machine; each is copied verbatim to `files/<path>` when it exists.
 */
export const LINUX_RELEASE_FILES = [
  '/etc/os-release', // the distribution's own name and version: ID, NAME, VERSION_ID, KYLIN_RELEASE_ID
  '/etc/lsb-release', // DISTRIB_* lines; Kylin's DISTRIB_VERSION_TYPE=community marks the free edition
  '/etc/.kyinfo', // Kylin: dist name, milestone, arch, service key, service term
  '/etc/.kyactivation', // Kylin: exists only on an activated system
  '/etc/LICENSE', // Kylin: TERM line; equal to .kyinfo's term on a trial
  '/etc/kylin-release', // Kylin server
  '/etc/.productinfo', // Kylin server product and release
  '/etc/os-version', // UOS: edition and minor version
  '/etc/debian_version', // Debian point release
  '/etc/machine-id', // re-install hint for the hardware identity
] as const;

/** Read only when /etc/os-release is absent (os-release(5) says to fall back to it). */
export const LINUX_OS_RELEASE_FALLBACK = '/usr/lib/os-release';

export const LINUX_PACKAGE_FILES = [
  '/var/lib/dpkg/status', // installed packages on Debian, Ubuntu, Kylin desktop, UOS, Deepin
] as const;

export const LINUX_LICENCE_FILES = [
  '/opt/kingsoft/.auth/license2.dat', // WPS Office professional serial: its presence marks a licensed WPS
  // Kylin's boot-time activation check; cracks remove it to bypass activation. Any of these places.
  '/usr/lib/systemd/system/kylin-activation-check.service',
  '/lib/systemd/system/kylin-activation-check.service',
  '/etc/systemd/system/kylin-activation-check.service',
] as const;

export const LINUX_HARDWARE_FILES = [
  '/proc/cpuinfo', // CPU model (model name / Model Name / CPU part per architecture)
  '/proc/meminfo', // MemTotal
] as const;

/** DMI identity (SMBIOS); uuid and serials are root-only. */
export const DMI_DIR = '/sys/class/dmi/id';
export const DMI_FIELDS = ['product_uuid', 'product_serial', 'sys_vendor', 'product_name', 'board_serial', 'chassis_type'] as const;

export const NET_CLASS_DIR = '/sys/class/net';
/** Virtual interfaces that can have a `device` link all the same, or never identify the PC. */
export const VIRTUAL_INTERFACE_PREFIXES = ['lo', 'docker', 'veth', 'br-', 'virbr', 'vnet', 'tun', 'tap', 'ifb', 'bond', 'team', 'wg', 'zt'] as const;

/** DESIGN.md's exact rpm query: name, epoch:version-release, arch, vendor, install time; tab-separated. */
export const RPM_QUERY_FORMAT = '%{NAME}\\t%{EPOCH}:%{VERSION}-%{RELEASE}\\t%{ARCH}\\t%{VENDOR}\\t%{INSTALLTIME}\\n';
