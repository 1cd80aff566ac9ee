import { sql } from 'drizzle-orm';
import type { Inventory } from '@zhengban/protocol';
import type { MachineProduct, UnrecognisedSoftware } from '../catalog/types.ts';
import { queryRows, type Db } from '../db/database.ts';

/** A text[] parameter. */
export const textArray = (values: readonly (string | null)[]) => sql`${sql.param([...values])}::text[]`;

/** What recomputing a machine needs to know about it. */
export interface MachineContext {
  machineId: string;
  orgId: string;
  orgPath: string;
  inventory: Pick<Inventory, 'os' | 'office' | 'software' | 'findings'>;
}

/** Machines in use (not retired) with an inventory, with their org; by id, or every machine under an org path. */
export async function getMachineContexts(db: Db, where: { machineIds: readonly string[] } | { orgPath: string; afterId: string; limit: number }): Promise<MachineContext[]> {
  const filter =
    'machineIds' in where
      ? sql`m.id = ANY(${textArray(where.machineIds)}::uuid[])`
      : sql`o.path LIKE ${`${where.orgPath}%`} AND m.id > ${where.afterId}::uuid`;
  const limit = 'limit' in where ? sql`LIMIT ${where.limit}` : sql``;
  const rows = await queryRows<{ machine_id: string; org_id: string; org_path: string; inventory: MachineContext['inventory'] }>(
    db,
    sql`SELECT m.id AS machine_id, m.org_id, o.path AS org_path,
               jsonb_build_object('os', m.inventory->'os', 'office', m.inventory->'office',
                                  'software', m.inventory->'software', 'findings', m.inventory->'findings') AS inventory
        FROM machines m JOIN orgs o ON o.id = m.org_id
        WHERE m.inventory IS NOT NULL AND m.retired_at IS NULL AND ${filter}
        ORDER BY m.id ${limit}`,
  );
  return rows.map((r) => ({ machineId: r.machine_id, orgId: r.org_id, orgPath: r.org_path, inventory: r.inventory }));
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

/** Stored products of machines, by machine id. */
export async function getMachineProducts(db: Db, machineIds: readonly string[]): Promise<Map<string, MachineProduct[]>> {
  const rows = await queryRows<{ machine_id: string; product_id: string; edition: string | null; source: MachineProduct['source']; evidence: string; version: string | null }>(
    db,
    sql`SELECT machine_id, product_id, edition, source, evidence, version FROM machine_products
        WHERE machine_id = ANY(${textArray(machineIds)}::uuid[])`,
  );
  const result = new Map<string, MachineProduct[]>();
  for (const r of rows) {
    const list = result.get(r.machine_id) ?? [];
    list.push({ productId: r.product_id, edition: r.edition, source: r.source, evidence: r.evidence, version: r.version });
    result.set(r.machine_id, list);
  }
  return result;
}

/** One machine's product row to write. */
export interface ProductWrite extends MachineProduct {
  machineId: string;
}

/** Deletes (machine, product) pairs and upserts rows, in two statements. */
export async function writeMachineProducts(db: Db, deletes: ReadonlyArray<{ machineId: string; productId: string }>, upserts: readonly ProductWrite[]): Promise<void> {
  if (deletes.length) {
    await db.execute(sql`
      DELETE FROM machine_products mp USING unnest(${textArray(deletes.map((d) => d.machineId))}::uuid[], ${textArray(deletes.map((d) => d.productId))}) AS d(machine_id, product_id)
      WHERE mp.machine_id = d.machine_id AND mp.product_id = d.product_id`);
  }
  if (upserts.length) {
    const col = (pick: (row: ProductWrite) => string | null) => textArray(upserts.map(pick));
    await db.execute(sql`
      INSERT INTO machine_products (machine_id, product_id, edition, source, evidence, version)
      SELECT machine_id::uuid, product_id, edition, source, left(evidence, 512), left(version, 128) FROM unnest(
        ${col((r) => r.machineId)}, ${col((r) => r.productId)}, ${col((r) => r.edition)}, ${col((r) => r.source)},
        ${col((r) => r.evidence)}, ${col((r) => r.version)}) AS u(machine_id, product_id, edition, source, evidence, version)
      ON CONFLICT (machine_id, product_id) DO UPDATE SET
        edition = excluded.edition, source = excluded.source, evidence = excluded.evidence, version = excluded.version`);
  }
}

/** Replaces the unrecognised entries of machines (few rows per machine: delete and insert). */
export async function replaceMachineUnrecognised(db: Db, machineIds: readonly string[], rows: ReadonlyArray<UnrecognisedSoftware & { machineId: string }>): Promise<void> {
  await db.execute(sql`DELETE FROM machine_unrecognised WHERE machine_id = ANY(${textArray(machineIds)}::uuid[])`);
  if (rows.length === 0) return;
  const col = (pick: (row: (typeof rows)[number]) => string | null) => textArray(rows.map(pick));
  await db.execute(sql`
    INSERT INTO machine_unrecognised (machine_id, name_key, publisher_key, name, publisher)
    SELECT machine_id::uuid, left(name_key, 512), left(publisher_key, 256), left(name, 512), left(publisher, 256) FROM unnest(
      ${col((r) => r.machineId)}, ${col((r) => r.nameKey)}, ${col((r) => r.publisherKey)}, ${col((r) => r.name)}, ${col((r) => r.publisher)})
      AS u(machine_id, name_key, publisher_key, name, publisher)
    ON CONFLICT DO NOTHING`);
}
