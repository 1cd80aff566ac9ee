import type { OsFamily } from '@zhengban/protocol';
import { isLicenceInForce, type LicenceType } from '../compliance/licence-position.ts';
import type { ComputedFigures, FigureKey } from './form.ts';
import type { OfficeColumn } from './office-suite.ts';

/** One machine of the unit as the snapshot saw it. */
export interface SnapshotMachine {
  id: string;
  hostname: string;
  /** The agent's OS classification of the last report, else the family given when it was registered; null = unknown. */
  osFamily: OsFamily | null;
  /** Retired (报废/停用) on the snapshot day: no longer one of the unit's computers. */
  retired: boolean;
  /** The hardware reports a hypervisor (inventory hardware.virtual). */
  virtual: boolean;
  /** Has an enrolled, unrevoked agent (false: registered by hand or from an offline bundle). */
  hasAgent: boolean;
  /** The machine's current inventory hash: frozen with a submitted return as its evidence. */
  inventoryHash: string | null;
  /** When the server first knew the machine (ISO timestamp). */
  firstSeenAt: string;
}

/** One ledger row (授权台账) as the snapshot saw it. */
export interface SnapshotLicence {
  id: string;
  productId: string;
  /** The form column the product counts in (see office-suite.ts). */
  column: OfficeColumn | null;
  type: LicenceType;
  /** 套 bought. */
  quantity: number;
  /** Volume and site agreements: the N licences of the agreement. */
  licenceCount: number | null;
  startsOn: string | null;
  endsOn: string | null;
  purchasedOn: string | null;
  /**
   * The day (China) the row was entered in the ledger: a row with neither a start nor a purchase
   * date is taken to start then, so it does not count in the years before anyone recorded it.
   */
  recordedOn: string;
}

/** Everything the return is filled from, as of one day. */
export interface AnnualSnapshot {
  /** 年度 */
  year: number;
  /** YYYY-MM-DD: the day the snapshot describes. */
  asOf: string;
  machines: readonly SnapshotMachine[];
  licences: readonly SnapshotLicence[];
}

/** The rows behind each figure: machine ids for the computer counts, ledger row ids for the sets. */
export type FigureEvidence = Record<FigureKey, string[]>;

/** Machines left out of every count, with why. */
export interface ExcludedMachines {
  retired: string[];
  virtual: string[];
  /** First seen after the snapshot day. */
  notYetKnown: string[];
}

/** What `fillAnnualReturn` gives: the figures and, for each, what is behind it. */
export interface FilledReturn {
  year: number;
  asOf: string;
  figures: ComputedFigures;
  evidence: FigureEvidence;
  /** Licences counted, each with the sets it adds (a volume agreement adds its N licences). */
  licenceSets: Record<string, number>;
  excluded: ExcludedMachines;
}

/** The last instant (ISO, UTC) of a day in China (UTC+8): snapshot days are the units' local dates. */
export function endOfDayInChina(day: string): string {
  return new Date(`${day}T23:59:59.999+08:00`).toISOString();
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Sets (套) a ledger row adds to its column. FIELD-FACTS "Counting rules used by inspectors": a
 * volume purchase is one 套 with N licences and counts are filled with actual licences, so a
 * volume or site agreement counts its `licenceCount` (its quantity when none was recorded); every
 * other type counts its quantity.
 */
export function setsOfLicence(licence: Pick<SnapshotLicence, 'type' | 'quantity' | 'licenceCount'>): number {
  if ((licence.type === 'volume' || licence.type === 'site') && licence.licenceCount != null) return licence.licenceCount;
  return licence.quantity;
}

/**
 * Fills the computed figures of the annual return (年度报表) from a dated snapshot. Pure.
 *
 * Rules (also in docs/ANNUAL-RETURN.md):
 * - 计算机总数: every machine record of the unit known on the snapshot day, counted once by
 *   machine id. The server merges re-enrolments of one PC by hardware identity into one record,
 *   so a PC re-imaged any number of times is one machine. Registered machines without an agent
 *   count. Retired machines do not.
 * - Virtual machines are not computers (台 counts devices): a VM is left out of every count and
 *   listed under `excluded.virtual`; its host PC counts if it is a machine of the unit.
 * - Dual boot: one PC is one machine record, counted once under the OS its agent reported last
 *   (the OS it was running when the unit used it); it is never counted under both columns.
 * - Windows: os family `windows`. Kylin: os family `kylin` only — NeoKylin (中标麒麟), UOS,
 *   Deepin and openKylin are not 银河麒麟. A registered machine never scanned has no OS and
 *   counts only in the total.
 * - Office / WPS sets: ledger rows in force on the snapshot day (started — start date, else
 *   purchase date, else the day it was entered in the ledger — and not ended; a subscription without an end date is not in force), in the
 *   column of their product, each adding `setsOfLicence` sets.
 */
export function fillAnnualReturn(snapshot: AnnualSnapshot): FilledReturn {
  const endOfDay = endOfDayInChina(snapshot.asOf);
  const evidence: FigureEvidence = { computers: [], windows: [], kylin: [], msOffice: [], wps: [] };
  const excluded: ExcludedMachines = { retired: [], virtual: [], notYetKnown: [] };
  const seen = new Set<string>();

  for (const machine of [...snapshot.machines].sort(byId)) {
    if (seen.has(machine.id)) continue;
    seen.add(machine.id);
    if (new Date(machine.firstSeenAt).toISOString() > endOfDay) excluded.notYetKnown.push(machine.id);
    else if (machine.retired) excluded.retired.push(machine.id);
    else if (machine.virtual) excluded.virtual.push(machine.id);
    else {
      evidence.computers.push(machine.id);
      if (machine.osFamily === 'windows') evidence.windows.push(machine.id);
      if (machine.osFamily === 'kylin') evidence.kylin.push(machine.id);
    }
  }

  const licenceSets: Record<string, number> = {};
  let msOffice = 0;
  let wps = 0;
  for (const licence of [...snapshot.licences].sort(byId)) {
    if (!licence.column || licenceSets[licence.id] !== undefined) continue;
    const startsOn = licence.startsOn ?? licence.purchasedOn ?? licence.recordedOn;
    if (!isLicenceInForce({ type: licence.type, startsOn, endsOn: licence.endsOn }, snapshot.asOf)) continue;
    const sets = setsOfLicence(licence);
    licenceSets[licence.id] = sets;
    if (licence.column === 'ms-office') {
      evidence.msOffice.push(licence.id);
      msOffice += sets;
    } else {
      evidence.wps.push(licence.id);
      wps += sets;
    }
  }

  return {
    year: snapshot.year,
    asOf: snapshot.asOf,
    figures: { computers: evidence.computers.length, windows: evidence.windows.length, kylin: evidence.kylin.length, msOffice, wps },
    evidence,
    licenceSets,
    excluded,
  };
}
