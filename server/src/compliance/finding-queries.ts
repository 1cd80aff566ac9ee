import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../db/database.ts';
import type { FindingRow } from './findings.ts';
import { textArray } from './machine-queries.ts';

/** A finding that opened or closed, for live events and alerts. */
export interface FindingChange {
  id: string;
  machineId: string;
  orgId: string;
  code: string;
  subject: string;
  severity: string;
  change: 'opened' | 'closed';
}

interface OpenFinding {
  id: string;
  machine_id: string;
  org_id: string;
  code: string;
  subject: string;
  severity: string;
  evidence: string;
}

/**
 * Makes the open findings of some machines, within a scope, equal `desired`: closes what is no
 * longer found, opens what is new, refreshes severity and evidence of what stays (no event).
 * `scope` is an SQL condition on machine_findings that says which findings `desired` speaks for
 * (e.g. all but the licence findings, or the licence findings of one allocation group).
 */
export async function syncFindings(
  db: Db,
  machines: ReadonlyArray<{ machineId: string; orgId: string }>,
  scope: SQL,
  desired: ReadonlyMap<string, readonly FindingRow[]>,
): Promise<FindingChange[]> {
  if (machines.length === 0) return [];
  const orgOf = new Map(machines.map((m) => [m.machineId, m.orgId]));
  const open = await queryRows<OpenFinding>(
    db,
    sql`SELECT id, machine_id, org_id, code, subject, severity, evidence FROM machine_findings
        WHERE closed_at IS NULL AND machine_id = ANY(${textArray([...orgOf.keys()])}::uuid[]) AND (${scope})`,
  );
  const existing = new Map(open.map((f) => [`${f.machine_id}|${f.code}|${f.subject}`, f]));
  const wanted = new Map<string, FindingRow & { machineId: string }>();
  for (const [machineId, rows] of desired) {
    if (!orgOf.has(machineId)) continue;
    for (const row of rows) wanted.set(`${machineId}|${row.code}|${row.subject}`, { ...row, machineId });
  }
  const changes: FindingChange[] = [];
  const toClose = open.filter((f) => !wanted.has(`${f.machine_id}|${f.code}|${f.subject}`));
  if (toClose.length) {
    await db.execute(sql`UPDATE machine_findings SET closed_at = now() WHERE id = ANY(${textArray(toClose.map((f) => f.id))}::uuid[])`);
    for (const f of toClose) changes.push({ id: f.id, machineId: f.machine_id, orgId: f.org_id, code: f.code, subject: f.subject, severity: f.severity, change: 'closed' });
  }
  const toOpen = [...wanted.entries()].filter(([key]) => !existing.has(key)).map(([, row]) => row);
  if (toOpen.length) {
    const col = (pick: (row: (typeof toOpen)[number]) => string) => textArray(toOpen.map(pick));
    const inserted = await queryRows<{ id: string; machine_id: string; org_id: string; code: string; subject: string; severity: string }>(
      db,
      sql`INSERT INTO machine_findings (machine_id, org_id, code, subject, severity, origin, evidence)
          SELECT machine_id::uuid, org_id::uuid, code, subject, severity, origin, left(evidence, 4096) FROM unnest(
            ${col((r) => r.machineId)}, ${col((r) => orgOf.get(r.machineId)!)}, ${col((r) => r.code)}, ${col((r) => r.subject)},
            ${col((r) => r.severity)}, ${col((r) => r.origin)}, ${col((r) => r.evidence)})
            AS u(machine_id, org_id, code, subject, severity, origin, evidence)
          RETURNING id, machine_id, org_id, code, subject, severity`,
    );
    for (const f of inserted) changes.push({ id: f.id, machineId: f.machine_id, orgId: f.org_id, code: f.code, subject: f.subject, severity: f.severity, change: 'opened' });
  }
  const toRefresh = [...wanted.entries()]
    .map(([key, row]) => [existing.get(key), row] as const)
    .filter(([old, row]) => old && (old.severity !== row.severity || old.evidence !== row.evidence.slice(0, 4096)));
  if (toRefresh.length) {
    await db.execute(sql`
      UPDATE machine_findings f SET severity = u.severity, evidence = left(u.evidence, 4096)
      FROM unnest(${textArray(toRefresh.map(([old]) => old!.id))}::uuid[], ${textArray(toRefresh.map(([, row]) => row.severity))},
                  ${textArray(toRefresh.map(([, row]) => row.evidence))}) AS u(id, severity, evidence)
      WHERE f.id = u.id`);
  }
  return changes.sort((a, b) => (a.machineId + a.code + a.subject < b.machineId + b.code + b.subject ? -1 : 1));
}
