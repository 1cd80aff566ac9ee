import type { Hardware } from '@zhengban/protocol';
import { type BundleFiles, nonEmpty, splitLines } from '../text.ts';
import { cleanHardwareValue, cleanUuid, isVirtualVendor, normaliseMac } from '../hardware-values.ts';

/** Interfaces whose MACs are made up by software and say nothing about the PC. */
const VIRTUAL_INTERFACE = /^(lo|veth|docker|br-|virbr|vnet|ifb|tun|tap|wg|dummy|cni|flannel|cali|vxlan|kube|zt|tailscale)/;

/** ARM CPU implementer codes seen on Chinese ARM PCs and servers (cpuinfo has no model name there). */
const ARM_IMPLEMENTERS: Record<string, string> = {
  '0x70': 'Phytium',
  '0x48': 'HiSilicon (Kunpeng)',
  '0x41': 'ARM',
  '0x51': 'Qualcomm',
};

/** ARM core part numbers with a known name (implementer:part). */
const ARM_PARTS: Record<string, string> = {
  '0x70:0x660': 'Phytium FTC660',
  '0x70:0x661': 'Phytium FTC661',
  '0x70:0x662': 'Phytium FTC662',
  '0x70:0x663': 'Phytium FTC663',
  '0x48:0xd01': 'HiSilicon Kunpeng 920 (TaiShan v110)',
  '0x48:0xd02': 'HiSilicon Kunpeng 930 (TaiShan v120)',
};

function readCpu(cpuinfo: string | undefined): { cpu?: string; hypervisor: boolean } {
  if (!cpuinfo) return { hypervisor: false };
  const fields = new Map<string, string>();
  let hypervisor = false;
  for (const line of splitLines(cpuinfo)) {
    const m = /^([^:]+?)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    if (!fields.has(key)) fields.set(key, m[2]!.trim());
    if (key === 'flags' && /\bhypervisor\b/.test(m[2]!)) hypervisor = true;
  }
  // x86 says `model name`; Loongarch `Model Name`; MIPS Loongson `cpu model`; some ARM kernels `Hardware`.
  const named = nonEmpty(fields.get('model name')) ?? nonEmpty(fields.get('cpu model')) ?? nonEmpty(fields.get('hardware'));
  if (named) return { cpu: named.replace(/\s+/g, ' '), hypervisor };
  const implementer = fields.get('cpu implementer');
  if (implementer) {
    const vendor = ARM_IMPLEMENTERS[implementer.toLowerCase()] ?? `ARM implementer ${implementer}`;
    const part = fields.get('cpu part')?.toLowerCase();
    const named = part ? ARM_PARTS[`${implementer.toLowerCase()}:${part}`] : undefined;
    return { cpu: named ?? (part ? `${vendor} part ${part}` : vendor), hypervisor };
  }
  return { hypervisor };
}

function readMemoryMb(meminfo: string | undefined): number | undefined {
  const m = meminfo ? /^MemTotal:\s*(\d+)\s*kB/im.exec(meminfo) : null;
  return m ? Math.floor(Number(m[1]) / 1024) : undefined;
}

/**
 * Hardware identity from DMI (`/sys/class/dmi/id/*`), `/etc/machine-id`, the MACs of
 * `/sys/class/net/<if>/address` (physical-looking interfaces only) and /proc's cpuinfo/meminfo.
 * Placeholder values vendors leave in DMI ("To Be Filled By O.E.M.") are dropped: two PCs with
 * the same placeholder serial must not look like one machine.
 */
export function readLinuxHardware(files: BundleFiles): Hardware {
  const dmi = (name: string) => cleanHardwareValue(files.text(`sys/class/dmi/id/${name}`));
  const hw: Hardware = { macs: [] };
  const uuid = cleanUuid(files.text('sys/class/dmi/id/product_uuid'));
  if (uuid) hw.uuid = uuid;
  const serial = dmi('product_serial') ?? dmi('board_serial') ?? dmi('chassis_serial');
  if (serial) hw.serial = serial;
  const vendor = dmi('sys_vendor') ?? dmi('board_vendor');
  if (vendor) hw.vendor = vendor;
  const model = dmi('product_name') ?? dmi('board_name');
  if (model) hw.model = model;
  const machineId = nonEmpty(files.text('etc/machine-id'));
  if (machineId && /^[0-9a-f]{32}$/i.test(machineId)) hw.machineId = machineId.toLowerCase();

  const macs = new Set<string>();
  for (const path of files.list('sys/class/net/')) {
    const m = /^sys\/class\/net\/([^/]+)\/address$/.exec(path);
    if (!m || VIRTUAL_INTERFACE.test(m[1]!)) continue;
    const mac = normaliseMac(files.text(path));
    if (mac) macs.add(mac);
  }
  hw.macs = [...macs].sort();

  const { cpu, hypervisor } = readCpu(files.text('proc/cpuinfo'));
  if (cpu) hw.cpu = cpu;
  const memoryMb = readMemoryMb(files.text('proc/meminfo'));
  if (memoryMb !== undefined) hw.memoryMb = memoryMb;
  const virtual = hypervisor || isVirtualVendor(`${vendor ?? ''} ${model ?? ''}`);
  if (virtual || vendor || cpu) hw.virtual = virtual;
  return hw;
}
