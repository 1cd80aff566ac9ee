import { sql, type SQL } from 'drizzle-orm';

/** SQL parameters and bounds shared by the compliance queries. */

/** A text[] parameter. */
export const textArray = (values: readonly (string | null)[]) => sql`${sql.param([...values])}::text[]`;

/**
 * `column` is one of `ids`. The range lets the planner walk the index from the smallest id to the
 * largest: a batch of a full recompute is a run of consecutive ids, and with `= ANY` alone it
 * chose a full scan of the table for every batch once the table was large.
 */
export function machineIdIn(column: SQL, ids: readonly string[]): SQL {
  let min = ids[0]!;
  let max = ids[0]!;
  for (const id of ids) {
    if (id < min) min = id;
    if (id > max) max = id;
  }
  return sql`${column} BETWEEN ${min}::uuid AND ${max}::uuid AND ${column} = ANY(${textArray(ids)}::uuid[])`;
}

/** `text` as PostgreSQL's left(text, n) keeps it: n characters (code points, not UTF-16 units). */
export function leftChars(text: string, n: number): string;
export function leftChars(text: string | null, n: number): string | null;
export function leftChars(text: string | null, n: number): string | null {
  if (text === null || text.length <= n) return text;
  return Array.from(text).slice(0, n).join('');
}
