/**
 * What the access tests compare: every row of every table with the org that owns it, so a test can
 * say "nothing changed at all" or "nothing owned by another unit changed", for tables that exist
 * today and tables added later alike (ownership is read from the columns: org_id, else the org of
 * the machine, licence, agent, campaign or user a row belongs to).
 */
import type { Database } from '../../../server/src/db/database.ts';

/** Tables whose changes are not data changes: sign-in bookkeeping. */
const IGNORED_TABLES = new Set(['sessions', 'login_throttle']);
/** Columns whose values identify a record to a person, besides ids. */
const NAME_COLUMNS: Record<string, string[]> = {
  orgs: ['name', 'credit_code'],
  machines: ['hostname'],
  users: ['username'],
  inspection_campaigns: ['name'],
  enrollment_tokens: ['label'],
  licences: ['contract_no'],
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OWNER_VIA: [column: string, table: string][] = [
  ['machine_id', 'machines'],
  ['licence_id', 'licences'],
  ['agent_id', 'agents'],
  ['campaign_id', 'inspection_campaigns'],
  ['user_id', 'users'],
];

interface TableInfo {
  name: string;
  owner: string | null;
  hasId: boolean;
}

/** Every row (as JSON text) with the id of the org that owns it (null = not org-owned). */
export type Snapshot = Map<string, { row: string; owner: string | null }[]>;

let tablesCache: TableInfo[] | undefined;

async function listTables(database: Database): Promise<TableInfo[]> {
  if (tablesCache) return tablesCache;
  const columns = await database.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'`,
  );
  const byTable = new Map<string, Set<string>>();
  for (const c of columns) (byTable.get(c.table_name) ?? byTable.set(c.table_name, new Set()).get(c.table_name)!).add(c.column_name);
  tablesCache = [...byTable].filter(([name]) => !IGNORED_TABLES.has(name)).map(([name, cols]) => {
    let owner: string | null = null;
    if (name === 'orgs') owner = 't.id';
    else if (cols.has('org_id')) owner = 't.org_id';
    else {
      const via = OWNER_VIA.find(([column]) => cols.has(column));
      if (via) owner = `(SELECT o.org_id FROM ${via[1]} o WHERE o.id = t.${via[0]})`;
    }
    return { name, owner, hasId: cols.has('id') };
  });
  return tablesCache;
}

export async function snapshotDatabase(database: Database): Promise<Snapshot> {
  const snapshot: Snapshot = new Map();
  for (const table of await listTables(database)) {
    const rows = await database.query<{ row: string; owner: string | null }>(
      `SELECT row_to_json(t)::text AS row, ${table.owner ?? 'NULL'}::text AS owner FROM "${table.name}" t`,
    );
    snapshot.set(table.name, rows.sort((a, b) => (a.row < b.row ? -1 : a.row > b.row ? 1 : 0)));
  }
  return snapshot;
}

/** Tables whose rows differ (restricted to rows owned by `owners` when given), with a sample. */
export function diffSnapshots(before: Snapshot, after: Snapshot, owners?: ReadonlySet<string>): string[] {
  const differences: string[] = [];
  for (const [table, rowsBefore] of before) {
    const pick = (rows: { row: string; owner: string | null }[]) => (owners ? rows.filter((r) => r.owner && owners.has(r.owner)) : rows).map((r) => r.row);
    const a = pick(rowsBefore);
    const b = pick(after.get(table) ?? []);
    if (a.length !== b.length || a.some((row, i) => row !== b[i])) {
      const gone = a.filter((row) => !b.includes(row)).slice(0, 1);
      const added = b.filter((row) => !a.includes(row)).slice(0, 1);
      differences.push(`${table}: -${gone.join('')} +${added.join('')}`.slice(0, 600));
    }
  }
  return differences;
}

/** Org ids and their materialised paths. */
export async function listOrgPaths(database: Database): Promise<{ id: string; path: string }[]> {
  return database.query<{ id: string; path: string }>('SELECT id::text, path FROM orgs');
}

/**
 * Orgs foreign to a scope: neither in it nor above it (a unit may know the names of the bureaus
 * it belongs to; everything beside it is another unit's).
 */
export function foreignOrgIds(orgs: { id: string; path: string }[], scopeRoots: string[]): Set<string> {
  const rootPaths = orgs.filter((o) => scopeRoots.includes(o.id)).map((o) => o.path);
  return new Set(orgs.filter((o) => !rootPaths.some((root) => o.path.startsWith(root) || root.startsWith(o.path))).map((o) => o.id));
}

/**
 * Strings that must never appear in an answer to this caller: ids of every record owned by a
 * foreign org, and the names, hostnames and usernames that identify them.
 */
export async function foreignMarkers(database: Database, foreign: ReadonlySet<string>): Promise<Set<string>> {
  const markers = new Set<string>();
  const owners = [...foreign];
  for (const table of await listTables(database)) {
    if (!table.owner) continue;
    const columns = [...(table.hasId ? ['id'] : []), ...(NAME_COLUMNS[table.name] ?? [])];
    if (!columns.length) continue;
    const rows = await database.query<Record<string, unknown>>(
      `SELECT ${columns.map((c) => `t.${c}::text AS ${c}`).join(', ')} FROM "${table.name}" t WHERE (${table.owner})::text = ANY($1::text[])`,
      [owners],
    );
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        if (typeof value !== 'string') continue;
        // Numeric ids (the audit log's) would match any number in an answer; names are specific enough.
        if (column === 'id' ? UUID.test(value) : value.length >= 3) markers.add(value);
      }
    }
  }
  return markers;
}
