import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../db/database.ts';
import { machineIdIn } from './sql-params.ts';

/**
 * Digests of a machine's stored rows, computed the same way by PostgreSQL and here, so a full
 * recompute can tell which machines changed from one short string per machine instead of reading
 * every row back (a fleet of 100,000 machines holds millions of product and finding rows; in a
 * recompute after a rule change almost all of them are already right).
 *
 * A row is its fields, each written as `<UTF-8 byte length>:<value>` or `-` for null: a prefix
 * code, so no field content can make two different row sets encode alike. Rows are concatenated
 * in a fixed order and hashed with SHA-256. Both sides must order rows alike; where they might
 * not (text outside ASCII sorts by bytes in SQL, by UTF-16 units here), the digests differ and
 * the machine is merely compared row by row: a mismatch costs time, never correctness.
 */

const encodeField = (value: string | null) => (value === null ? '-' : `${Buffer.byteLength(value)}:${value}`);

/** The digest of rows (arrays of fields), in the order given. */
export function digestRows(rows: ReadonlyArray<readonly (string | null)[]>): string {
  let text = '';
  for (const row of rows) for (const field of row) text += encodeField(field);
  return createHash('sha256').update(text).digest('hex');
}

/** The SQL aggregate that digests the rows of a group like `digestRows`: columns, ordered by `orderBy` (byte order). */
export function sqlDigest(columns: readonly string[], orderBy: readonly string[]): SQL {
  const encoded = sql.join(
    columns.map((column) => sql`CASE WHEN ${sql.identifier(column)} IS NULL THEN '-' ELSE octet_length(${sql.identifier(column)}) || ':' || ${sql.identifier(column)} END`),
    sql` || `,
  );
  const order = sql.join(
    orderBy.map((column) => sql`${sql.identifier(column)} COLLATE "C"`),
    sql`, `,
  );
  return sql`encode(sha256(convert_to(string_agg(${encoded}, '' ORDER BY ${order}), 'UTF8')), 'hex')`;
}

/** Below this many machines rows are compared directly: for an ingest's one machine, a digest pass is one round trip more. */
export const DIGEST_MIN_MACHINES = 16;

/** Digest of each machine's rows of `table` (columns in `orderBy` order) matching `where`; machines without rows are absent. */
export async function getStoredDigests(db: Db, table: string, columns: readonly string[], orderBy: readonly string[], where: SQL): Promise<Map<string, string>> {
  const rows = await queryRows<{ machine_id: string; digest: string }>(
    db,
    sql`SELECT machine_id, ${sqlDigest(columns, orderBy)} AS digest FROM ${sql.identifier(table)} WHERE ${where} GROUP BY machine_id`,
  );
  return new Map(rows.map((r) => [r.machine_id, r.digest]));
}

/** The same for some machines: their rows of a table keyed by `machine_id`. */
export async function getMachineDigests(db: Db, table: string, columns: readonly string[], orderBy: readonly string[], machineIds: readonly string[]): Promise<Map<string, string>> {
  return getStoredDigests(db, table, columns, orderBy, machineIdIn(sql`machine_id`, machineIds));
}

const EMPTY_DIGEST = digestRows([]);

/** The machines whose wanted rows (in the digest's order; none = no rows) differ from what is stored. */
export function machinesThatDiffer(
  machineIds: Iterable<string>,
  wanted: ReadonlyMap<string, ReadonlyArray<readonly (string | null)[]>>,
  stored: ReadonlyMap<string, string>,
): string[] {
  const differ: string[] = [];
  for (const machineId of machineIds) {
    const rows = wanted.get(machineId);
    if ((rows ? digestRows(rows) : EMPTY_DIGEST) !== (stored.get(machineId) ?? EMPTY_DIGEST)) differ.push(machineId);
  }
  return differ;
}
