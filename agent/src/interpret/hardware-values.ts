import { nonEmpty } from './text.ts';

/** Placeholder texts firmware vendors leave in DMI/SMBIOS fields (compared lower-case). */
const PLACEHOLDERS = new Set([
  'to be filled by o.e.m.',
  'to be filled by oem',
  'default string',
  'system serial number',
  'system product name',
  'system manufacturer',
  'not specified',
  'not applicable',
  'none',
  'n/a',
  'na',
  'oem',
  '0',
  '00000000',
  '0123456789',
  '123456789',
  'invalid',
  'unknown',
  'serial',
  'chassis serial number',
  'base board serial number',
]);

/** A DMI/WMI hardware string, or undefined when it is empty or a known placeholder. */
export function cleanHardwareValue(value: string | undefined | null): string | undefined {
  const v = nonEmpty(value);
  if (!v) return undefined;
  if (PLACEHOLDERS.has(v.toLowerCase())) return undefined;
  if (/^[0\s.\-_]+$/.test(v) || /^[f\s.\-_]+$/i.test(v)) return undefined;
  return v;
}

/** UUIDs that many boards share (all zeros, all Fs, AMI's sequential default). */
const BOGUS_UUIDS = new Set([
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '03000200-0400-0500-0006-000700080009',
  '00020003-0004-0005-0006-000700080009',
]);

/**
 * SMBIOS system UUID, lower-cased so Linux (`product_uuid`, lower-case) and Windows
 * (`Win32_ComputerSystemProduct.UUID`, upper-case) report the same machine the same way.
 */
export function cleanUuid(value: string | undefined | null): string | undefined {
  const v = nonEmpty(value)?.toLowerCase();
  if (!v || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v)) return undefined;
  return BOGUS_UUIDS.has(v) ? undefined : v;
}

/** `aa:bb:cc:dd:ee:ff` lower-case, or undefined for malformed, all-zero and broadcast addresses. */
export function normaliseMac(value: string | undefined | null): string | undefined {
  const v = nonEmpty(value)?.toLowerCase().replace(/-/g, ':');
  if (!v || !/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(v)) return undefined;
  if (v === '00:00:00:00:00:00' || v === 'ff:ff:ff:ff:ff:ff') return undefined;
  return v;
}

/** True when a vendor/model text names a hypervisor rather than a physical PC maker. */
export function isVirtualVendor(text: string): boolean {
  return /\b(qemu|kvm|vmware|virtualbox|innotek|xen|bochs|parallels|hyper-v|virtual machine|openstack|amazon ec2|google compute|alibaba cloud|huawei cloud|tencent cloud|firecracker)\b/i.test(
    text,
  );
}
