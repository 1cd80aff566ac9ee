import type { Hardware } from '@zhengban/protocol';
import { cleanHardwareValue, cleanUuid, isVirtualVendor, normaliseMac } from '../hardware-values.ts';
import { nonEmpty } from '../text.ts';
import { CRYPTOGRAPHY } from './paths.ts';
import type { RegistryView } from './registry.ts';
import { type WmiRow, wmiNumber, wmiRows, wmiString } from './wmi.ts';

/** Adapters whose MACs are software-made: host-side virtual switches, VPN taps, Bluetooth PAN. */
const VIRTUAL_ADAPTER = /(virtual ethernet adapter|vmnet|virtualbox host-only|hyper-v virtual|tap-windows|wintun|wireguard|bluetooth|npcap loopback|microsoft kernel debug|wan miniport|teredo|isatap)/i;

/**
 * Hardware identity on Windows: SMBIOS UUID and serial (Win32_ComputerSystemProduct, Win32_BIOS),
 * maker and model, the MachineGuid (changes on re-install: a hint), physical adapters' MACs, CPU
 * and memory when those classes were captured. Placeholder serials are dropped.
 */
export function readWindowsHardware(reg: RegistryView, wmi: Map<string, unknown>): Hardware {
  const product: WmiRow | undefined = wmiRows(wmi, 'Win32_ComputerSystemProduct')[0];
  const bios = wmiRows(wmi, 'Win32_BIOS')[0];
  const system = wmiRows(wmi, 'Win32_ComputerSystem')[0];
  const os = wmiRows(wmi, 'Win32_OperatingSystem')[0];
  const hw: Hardware = { macs: [] };
  const uuid = cleanUuid(wmiString(product, 'UUID'));
  if (uuid) hw.uuid = uuid;
  const serial = cleanHardwareValue(wmiString(product, 'IdentifyingNumber')) ?? cleanHardwareValue(wmiString(bios, 'SerialNumber'));
  if (serial) hw.serial = serial;
  const vendor = cleanHardwareValue(wmiString(product, 'Vendor')) ?? cleanHardwareValue(wmiString(system, 'Manufacturer')) ?? cleanHardwareValue(wmiString(bios, 'Manufacturer'));
  if (vendor) hw.vendor = vendor;
  const model = cleanHardwareValue(wmiString(product, 'Name')) ?? cleanHardwareValue(wmiString(system, 'Model'));
  if (model) hw.model = model;
  const machineGuid = nonEmpty(reg.string(CRYPTOGRAPHY, 'MachineGuid'))?.toLowerCase();
  if (machineGuid) hw.machineId = machineGuid;

  const macs = new Set<string>();
  for (const cls of ['Win32_NetworkAdapter', 'Win32_NetworkAdapterConfiguration']) {
    for (const row of wmiRows(wmi, cls)) {
      if (wmiString(row, 'PhysicalAdapter') === 'False') continue;
      if (VIRTUAL_ADAPTER.test(`${wmiString(row, 'Name') ?? ''} ${wmiString(row, 'Description') ?? ''}`)) continue;
      const mac = normaliseMac(wmiString(row, 'MACAddress'));
      if (mac) macs.add(mac);
    }
  }
  hw.macs = [...macs].sort();

  const cpu = nonEmpty(wmiString(wmiRows(wmi, 'Win32_Processor')[0], 'Name'))?.replace(/\s+/g, ' ');
  if (cpu) hw.cpu = cpu;
  const totalKb = wmiNumber(os, 'TotalVisibleMemorySize');
  const totalBytes = wmiNumber(system, 'TotalPhysicalMemory');
  if (totalKb !== undefined) hw.memoryMb = Math.floor(totalKb / 1024);
  else if (totalBytes !== undefined) hw.memoryMb = Math.floor(totalBytes / 1048576);
  // HypervisorPresent is also true on physical PCs with Hyper-V or VBS enabled: the maker decides.
  if (vendor || model) hw.virtual = isVirtualVendor(`${vendor ?? ''} ${model ?? ''}`);
  return hw;
}
