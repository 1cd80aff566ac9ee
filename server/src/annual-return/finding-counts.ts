import { sql } from 'drizzle-orm';
import { NON_COMPLIANT_SEVERITIES } from '../compliance/findings.ts';
import { textArray } from '../compliance/machine-queries.ts';
import { queryRows, type Db } from '../db/database.ts';
import { endOfDayInChina } from './fill.ts';
import type { FindingCounts } from './summary-text.ts';

/**
 * The unit's findings of a year for the annual summary (问题发现与整改), from `machine_findings`:
 * only findings that make a machine non-compliant (severity medium, high, critical, as in
 * docs/COMPLIANCE.md) count. The year runs from 1 January (China time) to the end of `asOf`.
 * A finding closed in the same transaction that retired its machine (closed_at equal to the
 * retirement's retired_at) was not rectified: the machine left, the problem was not fixed.
 */
export async function loadYearFindingCounts(db: Db, orgId: string, year: number, asOf: string): Promise<FindingCounts> {
  const start = new Date(`${year}-01-01T00:00:00+08:00`).toISOString();
  const end = endOfDayInChina(asOf);
  const [row] = await queryRows<{ found: number; rectified: number; retired: number; earlier: number }>(
    db,
    sql`WITH f AS (
          SELECT f.opened_at, f.closed_at,
                 f.closed_at IS NOT NULL AND f.closed_at <= ${end}::timestamptz AS closed,
                 EXISTS (SELECT 1 FROM machine_retirements r WHERE r.machine_id = f.machine_id AND r.retired_at = f.closed_at) AS by_retirement
            FROM machine_findings f
           WHERE f.org_id = ${orgId}::uuid AND f.severity = ANY(${textArray([...NON_COMPLIANT_SEVERITIES])})
             AND f.opened_at <= ${end}::timestamptz AND (f.closed_at IS NULL OR f.closed_at >= ${start}::timestamptz)
        )
        SELECT count(*) FILTER (WHERE opened_at >= ${start}::timestamptz)::int AS found,
               count(*) FILTER (WHERE opened_at >= ${start}::timestamptz AND closed AND NOT by_retirement)::int AS rectified,
               count(*) FILTER (WHERE opened_at >= ${start}::timestamptz AND closed AND by_retirement)::int AS retired,
               count(*) FILTER (WHERE opened_at < ${start}::timestamptz AND closed AND NOT by_retirement)::int AS earlier
          FROM f`,
  );
  const found = row?.found ?? 0;
  const rectified = row?.rectified ?? 0;
  const closedByRetirement = row?.retired ?? 0;
  return { found, rectified, closedByRetirement, stillOpen: found - rectified - closedByRetirement, earlierRectified: row?.earlier ?? 0 };
}
