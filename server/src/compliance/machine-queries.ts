import { sql } from 'drizzle-orm';
import type { Inventory } from '@zhengban/protocol';
import type { MachineProduct, UnrecognisedSoftware } from '../catalog/types.ts';
import { queryRows, type Db } from '../db/database.ts';
import { machineSoftwareColumns, softwareFromColumns } from '../ingest/queries.ts';
import { DIGEST_MIN_MACHINES, getMachineDigests, machinesThatDiffer } from './row-digest.ts';
import { leftChars, machineIdIn, textArray } from './sql-params.ts';

export { textArray } from './sql-params.ts';

/** What recomputing a machine needs to know about it. */
export interface MachineContext {
  machineId: string;
  orgId: string;
  orgPath: string;
  inventory: Pick<Inventory, 'os' | 'office' | 'software' | 'findings'>;
}

/** Machines in use (not retired) with an inventory, with their org, by id (ordered by id). */
export async function getMachineContexts(db: Db, where: { machineIds: readonly string[] }): Promise<MachineContext[]> {
  if (where.machineIds.length === 0) return [];
  // The software list lives in machine_software only (ingest/queries.ts): its rows, decoded in order.
  const rows = await queryRows<{
    machine_id: string;
    org_id: string;
    org_path: string;
    inventory: Omit<MachineContext['inventory'], 'software'>;
    software: Parameters<typeof softwareFromColumns>[0];
  }>(
    db,
    sql`SELECT m.id AS machine_id, m.org_id, o.path AS org_path,
               jsonb_build_object('os', m.inventory->'os', 'office', m.inventory->'office', 'findings', m.inventory->'findings') AS inventory,
               ${machineSoftwareColumns(sql`m.id`)} AS software
        FROM machines m JOIN orgs o ON o.id = m.org_id
        WHERE m.inventory IS NOT NULL AND m.retired_at IS NULL AND ${machineIdIn(sql`m.id`, where.machineIds)}
        ORDER BY m.id`,
  );
  return rows.map((r) => ({ machineId: r.machine_id, orgId: r.org_id, orgPath: r.org_path, inventory: { ...r.inventory, software: softwareFromColumns(r.software) } }));
}

/**
 * Ids of the machines in use with an inventory under an org path, in id order: a full recompute
 * takes them in batches. Listing them first (one scan) keeps each batch's query a plain lookup by
 * id, whatever the planner's statistics say; paging with "id > last AND <filters> LIMIT n" was
 * planned as a full scan and sort per batch while a new column had no statistics yet.
 */
export async function getMachineIdsUnder(db: Db, orgPath: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT m.id FROM machines m JOIN orgs o ON o.id = m.org_id
        WHERE o.path LIKE ${`${orgPath}%`} AND m.inventory IS NOT NULL AND m.retired_at IS NULL ORDER BY m.id`,
  );
  return rows.map((r) => r.id);
}

/** Approved KMS hosts of every org on a path: a bureau's list applies to all units below it. */
export async function getApprovedKmsHostsByPath(db: Db, orgPaths: readonly string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  const ids = [...new Set(orgPaths.flatMap((path) => path.split('/').filter(Boolean)))];
  if (ids.length === 0) return result;
  const rows = await queryRows<{ org_id: string; hosts: string[] }>(
    db,
    sql`SELECT org_id, approved_kms_hosts AS hosts FROM compliance_settings WHERE org_id = ANY(${textArray(ids)}::uuid[])`,
  );
  const byOrg = new Map(rows.map((r) => [r.org_id, r.hosts]));
  for (const path of orgPaths) result.set(path, path.split('/').filter(Boolean).flatMap((id) => byOrg.get(id) ?? []));
  return result;
}

/** One machine's product row, as stored. */
export interface ProductWrite extends MachineProduct {
  machineId: string;
}

/** A product that appeared on or left a machine. */
export interface InstallChange {
  machineId: string;
  productId: string;
  change: 'added' | 'removed';
}

/** A product row as the columns hold it (evidence and version truncated). */
const asStored = (p: ProductWrite): ProductWrite =>
  p.evidence.length <= 512 && (p.version?.length ?? 0) <= 128
    ? p
    : { machineId: p.machineId, productId: p.productId, edition: p.edition, source: p.source, evidence: leftChars(p.evidence, 512), version: leftChars(p.version ?? null, 128) };
const sameProductRow = (a: ProductWrite, b: ProductWrite) => a.edition === b.edition && a.source === b.source && a.evidence === b.evidence && a.version === b.version;

/** Rows per machine, in insertion order. */
function byMachine<T extends { machineId: string }>(rows: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.machineId);
    if (list) list.push(row);
    else map.set(row.machineId, [row]);
  }
  return map;
}

/**
 * The machines worth comparing row by row: all of a small batch; of a large one, those whose
 * stored rows' digest differs from the wanted rows' (row-digest.ts).
 */
async function machinesToCompare<T extends { machineId: string }>(
  db: Db,
  machineIds: readonly string[],
  wanted: readonly T[],
  digest: { table: string; columns: string[]; orderBy: string[]; fieldsOf: (row: T) => (string | null)[]; compare: (a: T, b: T) => number },
): Promise<readonly string[]> {
  if (machineIds.length < DIGEST_MIN_MACHINES) return machineIds;
  const stored = await getMachineDigests(db, digest.table, digest.columns, digest.orderBy, machineIds);
  const rows = new Map([...byMachine(wanted)].map(([machineId, list]) => [machineId, list.sort(digest.compare).map(digest.fieldsOf)]));
  return machinesThatDiffer(machineIds, rows, stored);
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Makes the stored products of some machines equal `rows`, writing only the differences (a full
 * recompute that changes nothing writes nothing): machines whose digest matches are skipped, the
 * others are read back and diffed row by row. Returns the products added and removed, by
 * machine, then change, then product.
 */
export async function syncMachineProducts(db: Db, machineIds: readonly string[], rows: readonly ProductWrite[]): Promise<InstallChange[]> {
  if (machineIds.length === 0) return [];
  const wantedRows = rows.map(asStored);
  const compared = await machinesToCompare(db, machineIds, wantedRows, {
    table: 'machine_products',
    columns: ['product_id', 'edition', 'source', 'evidence', 'version'],
    orderBy: ['product_id'],
    fieldsOf: (r) => [r.productId, r.edition, r.source, r.evidence, r.version],
    compare: (a, b) => byText(a.productId, b.productId),
  });
  if (compared.length === 0) return [];
  const comparedSet = new Set(compared);
  const stored = await queryRows<{ machine_id: string; product_id: string; edition: string | null; source: MachineProduct['source']; evidence: string; version: string | null }>(
    db,
    sql`SELECT machine_id, product_id, edition, source, evidence, version FROM machine_products WHERE ${machineIdIn(sql`machine_id`, compared)}`,
  );
  const before = new Map(
    stored.map((r) => [`${r.machine_id}|${r.product_id}`, { machineId: r.machine_id, productId: r.product_id, edition: r.edition, source: r.source, evidence: r.evidence, version: r.version }]),
  );
  const changes: InstallChange[] = [];
  const upserts: ProductWrite[] = [];
  const wanted = new Set<string>();
  for (const row of wantedRows) {
    if (!comparedSet.has(row.machineId)) continue;
    const key = `${row.machineId}|${row.productId}`;
    wanted.add(key);
    const old = before.get(key);
    if (!old) changes.push({ machineId: row.machineId, productId: row.productId, change: 'added' });
    if (!old || !sameProductRow(old, row)) upserts.push(row);
  }
  const deletes = [...before.entries()].filter(([key]) => !wanted.has(key)).map(([, row]) => row);
  for (const row of deletes) changes.push({ machineId: row.machineId, productId: row.productId, change: 'removed' });
  if (deletes.length) {
    await db.execute(sql`
      DELETE FROM machine_products mp USING unnest(${textArray(deletes.map((d) => d.machineId))}::uuid[], ${textArray(deletes.map((d) => d.productId))}) AS d(machine_id, product_id)
      WHERE mp.machine_id = d.machine_id AND mp.product_id = d.product_id`);
  }
  if (upserts.length) {
    const col = (pick: (row: ProductWrite) => string | null) => textArray(upserts.map(pick));
    await db.execute(sql`
      INSERT INTO machine_products (machine_id, product_id, edition, source, evidence, version)
      SELECT machine_id::uuid, product_id, edition, source, evidence, version FROM unnest(
        ${col((r) => r.machineId)}, ${col((r) => r.productId)}, ${col((r) => r.edition)}, ${col((r) => r.source)},
        ${col((r) => r.evidence)}, ${col((r) => r.version)}) AS u(machine_id, product_id, edition, source, evidence, version)
      ON CONFLICT (machine_id, product_id) DO UPDATE SET
        edition = excluded.edition, source = excluded.source, evidence = excluded.evidence, version = excluded.version`);
  }
  const order = (c: InstallChange) => `${c.machineId}|${c.change}|${c.productId}`;
  return changes.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

type UnrecognisedRow = UnrecognisedSoftware & { machineId: string };

/**
 * Makes the unrecognised entries of some machines equal `rows`, writing only the differences.
 * Entries whose keys are equal once truncated to the columns are one row (the first wins).
 */
export async function syncMachineUnrecognised(db: Db, machineIds: readonly string[], rows: readonly UnrecognisedRow[]): Promise<void> {
  if (machineIds.length === 0) return;
  const keyOf = (r: { machineId: string; nameKey: string; publisherKey: string }) => `${r.machineId}|${r.nameKey}|${r.publisherKey}`;
  const wanted = new Map<string, UnrecognisedRow>();
  for (const row of rows) {
    const truncated = { machineId: row.machineId, nameKey: leftChars(row.nameKey, 512), publisherKey: leftChars(row.publisherKey, 256), name: leftChars(row.name, 512), publisher: leftChars(row.publisher, 256) };
    if (!wanted.has(keyOf(truncated))) wanted.set(keyOf(truncated), truncated);
  }
  const compared = new Set(
    await machinesToCompare(db, machineIds, [...wanted.values()], {
      table: 'machine_unrecognised',
      columns: ['name_key', 'publisher_key', 'name', 'publisher'],
      orderBy: ['name_key', 'publisher_key'],
      fieldsOf: (r) => [r.nameKey, r.publisherKey, r.name, r.publisher],
      compare: (a, b) => byText(a.nameKey, b.nameKey) || byText(a.publisherKey, b.publisherKey),
    }),
  );
  if (compared.size === 0) return;
  for (const [key, row] of wanted) if (!compared.has(row.machineId)) wanted.delete(key);
  const stored = await queryRows<{ machine_id: string; name_key: string; publisher_key: string; name: string; publisher: string | null }>(
    db,
    sql`SELECT machine_id, name_key, publisher_key, name, publisher FROM machine_unrecognised WHERE ${machineIdIn(sql`machine_id`, [...compared])}`,
  );
  const before = new Map(stored.map((r) => [keyOf({ machineId: r.machine_id, nameKey: r.name_key, publisherKey: r.publisher_key }), r]));
  const deletes = [...before.entries()].filter(([key]) => !wanted.has(key)).map(([, row]) => row);
  const upserts = [...wanted.entries()].filter(([key, row]) => {
    const old = before.get(key);
    return !old || old.name !== row.name || old.publisher !== row.publisher;
  });
  if (deletes.length) {
    await db.execute(sql`
      DELETE FROM machine_unrecognised mu
      USING unnest(${textArray(deletes.map((d) => d.machine_id))}::uuid[], ${textArray(deletes.map((d) => d.name_key))}, ${textArray(deletes.map((d) => d.publisher_key))})
        AS d(machine_id, name_key, publisher_key)
      WHERE mu.machine_id = d.machine_id AND mu.name_key = d.name_key AND mu.publisher_key = d.publisher_key`);
  }
  if (upserts.length === 0) return;
  const col = (pick: (row: UnrecognisedRow) => string | null) => textArray(upserts.map(([, row]) => pick(row)));
  await db.execute(sql`
    INSERT INTO machine_unrecognised (machine_id, name_key, publisher_key, name, publisher)
    SELECT machine_id::uuid, name_key, publisher_key, name, publisher FROM unnest(
      ${col((r) => r.machineId)}, ${col((r) => r.nameKey)}, ${col((r) => r.publisherKey)}, ${col((r) => r.name)}, ${col((r) => r.publisher)})
      AS u(machine_id, name_key, publisher_key, name, publisher)
    ON CONFLICT (machine_id, name_key, publisher_key) DO UPDATE SET name = excluded.name, publisher = excluded.publisher`);
}
