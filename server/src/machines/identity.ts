import type { Hardware } from '@zhengban/protocol';

/**
 * What tells one PC from another (DESIGN: hardware UUID + serial + MACs). Pure; no database.
 * Agents clean these values already; the server normalises again because it must not depend on
 * every agent version getting it right.
 */
export interface MachineIdentity {
  uuid?: string | undefined;
  serial?: string | undefined;
  macs: string[];
  /** /etc/machine-id or MachineGuid: copied by disk cloning, so it only ever supports a match. */
  osMachineId?: string | undefined;
}

/** UUIDs that many boards share; they identify nothing. */
const SHARED_UUIDS = new Set([
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '03000200-0400-0500-0006-000700080009',
  '00020003-0004-0005-0006-000700080009',
]);

/** Serial placeholders firmware vendors leave behind (lower-case). */
const PLACEHOLDER_SERIALS = new Set([
  'to be filled by o.e.m.',
  'to be filled by oem',
  'default string',
  'system serial number',
  'chassis serial number',
  'not specified',
  'not applicable',
  'none',
  'n/a',
  'na',
  'oem',
  'invalid',
  'unknown',
  '0',
  '0123456789',
  '123456789',
]);

function present(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

/** The identity a hardware report gives, with placeholders dropped and case normalised. */
export function identityFromHardware(hardware: Hardware | undefined): MachineIdentity {
  const uuid = present(hardware?.uuid)?.toLowerCase();
  const serial = present(hardware?.serial);
  const macs = new Set<string>();
  for (const mac of hardware?.macs ?? []) {
    const m = mac.trim().toLowerCase().replace(/-/g, ':');
    if (/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(m) && m !== '00:00:00:00:00:00' && m !== 'ff:ff:ff:ff:ff:ff') macs.add(m);
  }
  return {
    uuid: uuid && !SHARED_UUIDS.has(uuid) && !/^[0f-]+$/.test(uuid) ? uuid : undefined,
    serial: serial && !PLACEHOLDER_SERIALS.has(serial.toLowerCase()) && !/^[0\s.\-_]+$/.test(serial) ? serial : undefined,
    macs: [...macs].sort(),
    osMachineId: present(hardware?.machineId)?.toLowerCase(),
  };
}

/** A stored machine to compare against. */
export interface MachineCandidate extends MachineIdentity {
  id: string;
  /** Registered by hand or by import and never enrolled: known only by what was typed in. */
  agentless?: boolean;
}

function sharesMac(a: MachineIdentity, b: MachineIdentity): boolean {
  return a.macs.some((mac) => b.macs.includes(mac));
}

/** Two values both known and different: proof of two different PCs. */
function differs(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a !== b;
}

/**
 * Which stored machine (if any) a newly enrolling PC is. Rules, strongest first:
 * - a different known UUID or a different known serial is a different PC, whatever else matches
 *   (this is what keeps cloned images apart: they share the OS machine-id, never the UUID);
 * - the same UUID is the same PC (survives a reinstall, which changes the machine-id);
 * - a PC registered by hand without an agent is known only by the serial typed from its label:
 *   the first agent reporting that serial is that PC, so the unit never counts it twice;
 * - without UUIDs on both sides: the same serial plus a shared MAC or machine-id, or else the
 *   same machine-id plus a shared MAC.
 * Candidates come most recently seen first; the first match wins.
 */
export function matchMachine(identity: MachineIdentity, candidates: readonly MachineCandidate[]): string | undefined {
  const compatible = candidates.filter((c) => !differs(c.uuid, identity.uuid) && !differs(c.serial, identity.serial));
  const strong = compatible.find((c) => c.uuid !== undefined && c.uuid === identity.uuid);
  if (strong) return strong.id;
  const registered = compatible.find((c) => c.agentless && c.uuid === undefined && c.serial !== undefined && c.serial === identity.serial);
  if (registered) return registered.id;
  const weak = compatible.find((c) => {
    const sameSerial = c.serial !== undefined && c.serial === identity.serial;
    const sameMachineId = c.osMachineId !== undefined && c.osMachineId === identity.osMachineId;
    return (sameSerial && (sharesMac(c, identity) || sameMachineId)) || (sameMachineId && sharesMac(c, identity));
  });
  return weak?.id;
}
