import { softwareKey, type InventoryDelta, type Software } from '@zhengban/protocol';

/**
 * Pure ingest logic: which machine_software rows a report inserts, changes and deletes. No
 * database here; the queries next door write what these functions decide.
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
  /** Rows to insert, or to overwrite because a field changed. */
  upserts: SoftwareRow[];
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

/** Full report: the changes that turn the stored rows into the incoming list. */
export function diffSoftwareRows(stored: readonly SoftwareRow[], incoming: readonly Software[]): SoftwareRowChanges {
  const next = softwareRowsByKey(incoming);
  const before = new Map(stored.map((row) => [row.key, row]));
  const upserts: SoftwareRow[] = [];
  for (const [key, row] of next) {
    const old = before.get(key);
    if (!old || !sameSoftwareRow(old, row)) upserts.push(row);
  }
  const deletes = [...before.keys()].filter((key) => !next.has(key));
  return { upserts, deletes };
}

/**
 * Delta report: the row changes a delta makes to the software list it was based on. Upserts that
 * change nothing and removals of keys that are not there are dropped, so a re-stated entry costs
 * no write.
 */
export function softwareChangesForDelta(base: readonly Software[], delta: InventoryDelta): SoftwareRowChanges {
  const before = softwareRowsByKey(base);
  const upserted = softwareRowsByKey(delta.software.upserted);
  const upserts = [...upserted.values()].filter((row) => {
    const old = before.get(row.key);
    return !old || !sameSoftwareRow(old, row);
  });
  const deletes = [...new Set(delta.software.removed)].filter((key) => before.has(key) && !upserted.has(key));
  return { upserts, deletes };
}
