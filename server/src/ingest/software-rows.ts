import { softwareKey, type Software } from '@zhengban/protocol';

/**
 * Pure ingest logic: which machine_software rows a report inserts, changes and deletes, and the
 * software list the rows stand for. No database here; the queries next door write what these
 * functions decide.
 *
 * The rows are the only stored copy of a machine's software list (the inventory document on the
 * machine row is kept without it): `softwareFromRows` gives the list back exactly, entry for
 * entry, so a delta applies to it and its result hash checks as it would against the agent's own.
 */

/** One machine_software row (without the machine id). Absent optional fields are null. */
export interface SoftwareRow {
  key: string;
  softwareId: string;
  name: string;
  version: string | null;
  publisher: string | null;
  installDate: string | null;
  source: string;
  hive: string | null;
  arch: string | null;
}

/** The rows to write so the table matches a new software list; nothing else is touched. */
export interface SoftwareRowChanges {
  /** Rows whose key is not stored yet. */
  inserts: SoftwareRow[];
  /** Rows whose key is stored with some other field value. */
  updates: SoftwareRow[];
  /** Keys of rows to delete. */
  deletes: string[];
}

export function toSoftwareRow(s: Software): SoftwareRow {
  return {
    key: softwareKey(s),
    softwareId: s.id,
    name: s.name,
    version: s.version ?? null,
    publisher: s.publisher ?? null,
    installDate: s.installDate ?? null,
    source: s.source,
    hive: s.hive ?? null,
    arch: s.arch ?? null,
  };
}

/** A software entry's columns in table order, from software_id to arch (no key: it is derived). */
export type SoftwareColumns = [string, string, string | null, string | null, string | null, string, string | null, string | null];

/** The software entry columns stand for: null columns are absent fields, as the agent sent them. */
export function fromColumns([id, name, version, publisher, installDate, source, hive, arch]: Readonly<SoftwareColumns>): Software {
  const software: Software = { id, name, source: source as Software['source'] };
  if (version !== null) software.version = version;
  if (publisher !== null) software.publisher = publisher;
  if (installDate !== null) software.installDate = installDate;
  if (hive !== null) software.hive = hive;
  if (arch !== null) software.arch = arch;
  return software;
}

/** The software entry a row stands for. */
export function toSoftware(row: SoftwareRow): Software {
  return fromColumns([row.softwareId, row.name, row.version, row.publisher, row.installDate, row.source, row.hive, row.arch]);
}

/** A machine's software list from its rows, in key order (the hash sorts by key anyway). */
export function softwareFromRows(rows: readonly SoftwareRow[]): Software[] {
  return [...rows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(toSoftware);
}

export function sameSoftwareRow(a: SoftwareRow, b: SoftwareRow): boolean {
  return (
    a.key === b.key &&
    a.softwareId === b.softwareId &&
    a.name === b.name &&
    a.version === b.version &&
    a.publisher === b.publisher &&
    a.installDate === b.installDate &&
    a.source === b.source &&
    a.hive === b.hive &&
    a.arch === b.arch
  );
}

/**
 * The software list as rows, one per key. When a list names a key twice the last entry wins,
 * as in the protocol's applyInventoryDelta (a row can hold only one).
 */
export function softwareRowsByKey(software: readonly Software[]): Map<string, SoftwareRow> {
  const rows = new Map<string, SoftwareRow>();
  for (const s of software) {
    const row = toSoftwareRow(s);
    rows.set(row.key, row);
  }
  return rows;
}

/**
 * The changes that turn the stored rows into a new software list (a full report's, or the result
 * of applying a delta): only new, changed and removed entries are written.
 */
export function diffSoftwareRows(stored: readonly SoftwareRow[], incoming: readonly Software[]): SoftwareRowChanges {
  const next = softwareRowsByKey(incoming);
  const before = new Map(stored.map((row) => [row.key, row]));
  const changes: SoftwareRowChanges = { inserts: [], updates: [], deletes: [] };
  for (const [key, row] of next) {
    const old = before.get(key);
    if (!old) changes.inserts.push(row);
    else if (!sameSoftwareRow(old, row)) changes.updates.push(row);
  }
  for (const key of before.keys()) if (!next.has(key)) changes.deletes.push(key);
  return changes;
}
