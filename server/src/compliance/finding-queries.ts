import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../db/database.ts';
import type { FindingRow } from './findings.ts';
import { leftChars, machineIdIn, textArray } from './sql-params.ts';
import { DIGEST_MIN_MACHINES, getStoredDigests, machinesThatDiffer } from './row-digest.ts';

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
  return applyFindings(db, machineIdIn(sql`machine_id`, [...orgOf.keys()]), scope, desired, orgOf, machines.length >= DIGEST_MIN_MACHINES);
}

/**
 * The same for the machines of some units (`orgOf` gives the unit of each machine `desired`
 * names), read through the org index instead of a list of machines. `onlyMachines` narrows it to
 * some machines (the ones whose findings may have changed); without it, every machine of the
 * units is compared, by digest first.
 */
export async function syncUnitFindings(
  db: Db,
  orgIds: readonly string[],
  scope: SQL,
  desired: ReadonlyMap<string, readonly FindingRow[]>,
  orgOf: ReadonlyMap<string, string>,
  onlyMachines?: readonly string[],
): Promise<FindingChange[]> {
  if (orgIds.length === 0 || onlyMachines?.length === 0) return [];
  const units = sql`org_id = ANY(${textArray(orgIds)}::uuid[])`;
  if (!onlyMachines) return applyFindings(db, units, scope, desired, orgOf, true);
  return applyFindings(db, sql`${units} AND ${machineIdIn(sql`machine_id`, onlyMachines)}`, scope, desired, orgOf, onlyMachines.length >= DIGEST_MIN_MACHINES);
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * With `useDigest`, first compares each machine's open findings in scope by digest
 * (row-digest.ts) and goes on with the machines that differ only: a full recompute that changes
 * nothing reads one digest per machine instead of every open finding.
 */
async function applyFindings(
  db: Db,
  which: SQL,
  scope: SQL,
  desired: ReadonlyMap<string, readonly FindingRow[]>,
  orgOf: ReadonlyMap<string, string>,
  useDigest: boolean,
): Promise<FindingChange[]> {
  const wanted = new Map<string, FindingRow & { machineId: string }>();
  for (const [machineId, rows] of desired) {
    if (!orgOf.has(machineId)) continue;
    for (const row of rows) wanted.set(`${machineId}|${row.code}|${row.subject}`, { ...row, machineId });
  }
  let rowsIn = which;
  if (useDigest) {
    const stored = await getStoredDigests(db, 'machine_findings', ['code', 'subject', 'severity', 'evidence'], ['code', 'subject'], sql`closed_at IS NULL AND ${which} AND (${scope})`);
    const rows = new Map<string, Array<FindingRow & { machineId: string }>>();
    for (const row of wanted.values()) {
      const list = rows.get(row.machineId);
      if (list) list.push(row);
      else rows.set(row.machineId, [row]);
    }
    const fields = new Map(
      [...rows].map(([machineId, list]) => [
        machineId,
        list.sort((a, b) => byText(a.code, b.code) || byText(a.subject, b.subject)).map((r) => [r.code, r.subject, r.severity, leftChars(r.evidence, 4096)]),
      ]),
    );
    const differ = machinesThatDiffer(new Set([...stored.keys(), ...fields.keys()]), fields, stored);
    if (differ.length === 0) return [];
    const differing = new Set(differ);
    for (const [key, row] of wanted) if (!differing.has(row.machineId)) wanted.delete(key);
    rowsIn = sql`${which} AND ${machineIdIn(sql`machine_id`, differ)}`;
  }
  const open = await queryRows<OpenFinding>(
    db,
    sql`SELECT id, machine_id, org_id, code, subject, severity, evidence FROM machine_findings
        WHERE closed_at IS NULL AND ${rowsIn} AND (${scope})`,
  );
  const existing = new Map(open.map((f) => [`${f.machine_id}|${f.code}|${f.subject}`, f]));
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
    .filter(([old, row]) => old && (old.severity !== row.severity || old.evidence !== leftChars(row.evidence, 4096)));
  if (toRefresh.length) {
    await db.execute(sql`
      UPDATE machine_findings f SET severity = u.severity, evidence = left(u.evidence, 4096)
      FROM unnest(${textArray(toRefresh.map(([old]) => old!.id))}::uuid[], ${textArray(toRefresh.map(([, row]) => row.severity))},
                  ${textArray(toRefresh.map(([, row]) => row.evidence))}) AS u(id, severity, evidence)
      WHERE f.id = u.id AND (f.severity, f.evidence) IS DISTINCT FROM (u.severity, left(u.evidence, 4096))`);
  }
  const key = (c: FindingChange) => c.machineId + c.code + c.subject;
  return changes.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
