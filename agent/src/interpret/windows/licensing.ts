import type { Activation, ActivationChannel, ActivationStatus } from '@zhengban/protocol';
import { addMinutes } from '../dates.ts';
import { kmsHostName } from '../kms-hosts.ts';
import { nonEmpty, splitLines } from '../text.ts';
import { type WmiRow, wmiDate, wmiNumber, wmiString } from './wmi.ts';

export const WINDOWS_APPLICATION_ID = '55c92734-d682-4d71-983e-d6ec3f16059f';
/** Office 2013 and later license through the Windows SPP under this application id. */
export const OFFICE_APPLICATION_ID = '0ff1ce15-a989-479d-af46-f275c6370663';
/** Office 2010 licenses through its own OSPP service. */
export const OFFICE14_APPLICATION_ID = '59a52881-a989-479d-af46-f275c6370663';

/** One licence with a product key, from WMI SoftwareLicensingProduct or `ospp.vbs /dstatus`. */
export interface LicenceRecord {
  source: 'SoftwareLicensingProduct' | 'OfficeSoftwareProtectionProduct' | 'ospp.vbs /dstatus';
  /** "Windows(R), Professional edition", "Office 19, Office19ProPlus2019VL_KMS_Client_AE edition". */
  name: string;
  description: string;
  applicationId?: string;
  status: ActivationStatus;
  /** The raw status as the source said it, for evidence ("LicenseStatus=5 (Notification)"). */
  statusText: string;
  channel: ActivationChannel;
  partialKey?: string;
  graceMinutes?: number;
  kmsHost?: string;
  evaluationEnd?: string;
}

const LICENSE_STATUS: Record<number, [ActivationStatus, string]> = {
  0: ['unlicensed', 'Unlicensed'],
  1: ['licensed', 'Licensed'],
  2: ['grace', 'OOBGrace'],
  3: ['grace', 'OOTGrace'],
  // Non-genuine grace: Windows decided the copy is not genuine; the grace is a countdown, not a licence.
  4: ['unlicensed', 'NonGenuineGrace'],
  5: ['unlicensed', 'Notification'],
  6: ['grace', 'ExtendedGrace'],
};

/** Generic keys Windows shows for a digital licence (digital entitlement): last five characters. */
const DIGITAL_LICENCE_KEYS = new Set(['3V66T', '8HVX7', '6F4BT', '7CFBY', '2YV77', 'MHBPB', 'T83GX']);

/** Channel from ProductKeyChannel ("Volume:GVLK", "OEM:DM") or the Description ("VOLUME_KMSCLIENT channel"). */
export function channelFrom(text: string, partialKey: string | undefined): ActivationChannel {
  const t = text.toUpperCase();
  if (/EVAL/.test(t)) return 'eval';
  if (/OEM/.test(t)) return 'oem';
  if (/MAK/.test(t)) return 'mak';
  if (/GVLK|KMSCLIENT|KMS_CLIENT|VOLUME_KMS|CSVLK/.test(t)) return 'kms';
  if (/RETAIL|TIMEBASED_SUB|SUBSCRIPTION|BYPASS/.test(t)) return partialKey && DIGITAL_LICENCE_KEYS.has(partialKey.toUpperCase()) ? 'digital' : 'retail';
  return 'unknown';
}

/** Licence records from SoftwareLicensingProduct (or OfficeSoftwareProtectionProduct) rows that carry a key. */
export function readWmiLicences(rows: WmiRow[], source: LicenceRecord['source']): LicenceRecord[] {
  const out: LicenceRecord[] = [];
  for (const row of rows) {
    const partialKey = wmiString(row, 'PartialProductKey');
    if (!partialKey) continue;
    const code = wmiNumber(row, 'LicenseStatus') ?? -1;
    const [status, label] = LICENSE_STATUS[code] ?? (['unknown', 'unknown'] as const);
    const description = wmiString(row, 'Description') ?? '';
    const record: LicenceRecord = {
      source,
      name: wmiString(row, 'Name') ?? '',
      description,
      status,
      statusText: `LicenseStatus=${code} (${label})`,
      channel: channelFrom(`${wmiString(row, 'ProductKeyChannel') ?? ''} ${description}`, partialKey),
      partialKey,
    };
    const appId = wmiString(row, 'ApplicationID');
    if (appId) record.applicationId = appId.toLowerCase();
    const grace = wmiNumber(row, 'GracePeriodRemaining');
    if (grace !== undefined) record.graceMinutes = grace;
    const host = wmiString(row, 'KeyManagementServiceMachine') ?? wmiString(row, 'DiscoveredKeyManagementServiceMachineName');
    if (host) record.kmsHost = kmsHostName(host);
    const evalEnd = wmiDate(row, 'EvaluationEndDate');
    if (evalEnd && !evalEnd.startsWith('1601')) record.evaluationEnd = evalEnd;
    out.push(record);
  }
  return out;
}

const OSPP_STATUS: Record<string, ActivationStatus> = {
  LICENSED: 'licensed',
  OOB_GRACE: 'grace',
  OOT_GRACE: 'grace',
  EXTENDED_GRACE: 'grace',
  NON_GENUINE_GRACE: 'unlicensed',
  NOTIFICATIONS: 'unlicensed',
  UNLICENSED: 'unlicensed',
};

/**
 * Licence records from `cscript ospp.vbs /dstatus`. The script host banner and the
 * "---Processing---" / "---Exiting---" lines are localised on Chinese Windows ("---正在处理---");
 * the field labels (LICENSE NAME, LICENSE STATUS, ...) are not, so only labels are read.
 */
export function readOsppLicences(text: string): LicenceRecord[] {
  const out: LicenceRecord[] = [];
  let block: Map<string, string> | undefined;
  const kmsLines: string[] = [];
  const flush = () => {
    if (block && block.has('LICENSE NAME')) {
      const partialKey = block.get('LAST 5 CHARACTERS OF INSTALLED PRODUCT KEY');
      const rawStatus = (block.get('LICENSE STATUS') ?? '').replace(/-/g, ' ').trim().replace(/\s+/g, '_').toUpperCase();
      const description = block.get('LICENSE DESCRIPTION') ?? '';
      const record: LicenceRecord = {
        source: 'ospp.vbs /dstatus',
        name: block.get('LICENSE NAME')!,
        description,
        status: OSPP_STATUS[rawStatus] ?? 'unknown',
        statusText: `LICENSE STATUS: ---${rawStatus}---`,
        channel: channelFrom(description, partialKey),
      };
      if (partialKey) record.partialKey = partialKey;
      const grace = /\((\d+)\s*minute/i.exec(block.get('REMAINING GRACE') ?? '');
      if (grace) record.graceMinutes = Number(grace[1]);
      const host = kmsLines.map((l) => /(?:override defined|from DNS|KMS machine name)[^:]*:\s*(\S+)/i.exec(l)?.[1]).find((h) => h && !/not available/i.test(h));
      if (host) record.kmsHost = kmsHostName(host);
      // ospp prints partial keys only for installed keys; a block without one is not a licence.
      if (partialKey) out.push(record);
    }
    block = new Map();
    kmsLines.length = 0;
  };
  for (const line of splitLines(text)) {
    if (/^-{3,}/.test(line.trim())) {
      flush();
      continue;
    }
    const m = /^\s*([A-Za-z0-9 ]+?)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    block ??= new Map();
    const label = m[1]!.toUpperCase();
    if (/KMS/.test(label)) kmsLines.push(line.trim());
    if (!block.has(label)) block.set(label, m[2]!.trim());
  }
  flush();
  return out;
}

/** The protocol Activation a licence record amounts to at capture time. */
export function activationOf(record: LicenceRecord, capturedAt: string): Activation {
  const activation: Activation = { status: record.status, channel: record.channel };
  if (record.channel === 'kms' && record.kmsHost) activation.kmsHost = record.kmsHost;
  const grace = record.graceMinutes ?? 0;
  // Licensed with no grace left means permanent (retail, OEM, MAK, digital); a positive grace on a
  // licensed KMS client is the 180-day renewal deadline; on a grace status it is the countdown.
  if (record.channel === 'eval' && record.evaluationEnd) activation.expires = record.evaluationEnd.replace(/\.\d{3}Z$/, 'Z');
  else if (grace > 0 && (record.status !== 'licensed' || record.channel === 'kms' || record.channel === 'eval')) {
    const expires = addMinutes(capturedAt, grace);
    if (expires) activation.expires = expires;
  }
  return activation;
}

const RANK: Record<ActivationStatus, number> = { licensed: 4, grace: 3, trial: 2, unlicensed: 1, unknown: 0 };

/** The record that best describes the product: licensed beats grace beats unlicensed. */
export function bestRecord(records: LicenceRecord[]): LicenceRecord | undefined {
  return [...records].sort((a, b) => RANK[b.status] - RANK[a.status])[0];
}

/** Evidence text for a record: where it came from, its name, key tail and status. */
export function describeRecord(r: LicenceRecord): string {
  const key = r.partialKey ? ` (key ending ${r.partialKey})` : '';
  return `${r.source} "${nonEmpty(r.name) ?? 'unnamed'}"${key}: ${r.statusText}, channel ${r.description || r.channel}`;
}
