import type { Finding, Software } from '@zhengban/protocol';
import type { EvidenceBundle } from '../../evidence/bundle.ts';
import type { InventoryDraft } from '../finalize.ts';
import { BundleFiles, nonEmpty } from '../text.ts';
import { detectActivators } from './activators.ts';
import { readWindowsHardware } from './hardware.ts';
import { type LicenceRecord, readOsppLicences, readWmiLicences } from './licensing.ts';
import { detectMsOffice } from './ms-office.ts';
import { licenseMsOffice } from './office-licences.ts';
import { licenseWindows } from './os-activation.ts';
import { describeWindowsOs } from './os.ts';
import { COMPUTER_NAME } from './paths.ts';
import { RegistryView } from './registry.ts';
import { readUninstallEntries, readWindowsSoftware } from './software.ts';
import { hasWmiClass, wmiRows } from './wmi.ts';
import { detectWindowsWps, detectWindowsYozo } from './wps.ts';

/**
 * Interprets a Windows bundle: registry (.reg exports merged), WMI JSON, ospp.vbs output and
 * activator file traces. Missing pieces (PowerShell blocked: no WMI) make the answers `unknown`
 * rather than wrong; the manifest's capture errors say why.
 */
export function interpretWindows(bundle: EvidenceBundle): InventoryDraft {
  const files = new BundleFiles(bundle);
  const reg = new RegistryView(bundle.registry);
  const capturedAt = bundle.manifest.capturedAt;
  const osRow = wmiRows(bundle.wmi, 'Win32_OperatingSystem')[0];

  const facts = describeWindowsOs(reg, osRow);
  const entries = readUninstallEntries(reg);
  const software: Software[] = readWindowsSoftware(entries, facts.os.arch);

  const records: LicenceRecord[] = [
    ...readWmiLicences(wmiRows(bundle.wmi, 'SoftwareLicensingProduct'), 'SoftwareLicensingProduct'),
    ...readWmiLicences(wmiRows(bundle.wmi, 'OfficeSoftwareProtectionProduct'), 'OfficeSoftwareProtectionProduct'),
  ];
  const ospp = bundle.commands.get('ospp-dstatus');
  if (ospp !== undefined) records.push(...readOsppLicences(ospp));
  const hasSpp = hasWmiClass(bundle.wmi, 'SoftwareLicensingProduct');

  const findings: Finding[] = [];
  const windows = licenseWindows(facts, records, hasSpp, reg, capturedAt);
  findings.push(...windows.findings);

  const ms = licenseMsOffice(detectMsOffice(reg, entries), records, { spp: hasSpp, ospp: ospp !== undefined || hasWmiClass(bundle.wmi, 'OfficeSoftwareProtectionProduct') }, capturedAt);
  const wps = detectWindowsWps(entries);
  findings.push(...ms.findings, ...wps.findings);
  findings.push(...detectActivators(reg, files, bundle.commands.get('file-exists'), entries));

  return {
    collectedAt: capturedAt,
    hostname: nonEmpty(bundle.manifest.hostname) ?? nonEmpty(reg.string(COMPUTER_NAME, 'ComputerName')) ?? 'unknown',
    agentVersion: bundle.manifest.agentVersion,
    hardware: readWindowsHardware(reg, bundle.wmi),
    os: { ...facts.os, activation: windows.activation },
    office: [...ms.office, ...wps.office, ...detectWindowsYozo(entries)],
    software,
    findings,
    captureErrors: [...(bundle.manifest.errors ?? [])],
  };
}
