/**
 * The route x role x scope check of one route for one role. Returns the problems found (empty =
 * the route keeps this role inside its scope), so the same check can also prove that it catches a
 * route whose scoping was removed.
 *
 * - The caller's own variant: every reference filled with an id in its scope. It must not fail
 *   with 5xx, must not answer with anything of another unit (ids, names), and must not change any
 *   row another unit owns.
 * - One foreign variant per reference and foreign unit: that reference set to another unit's
 *   record. It must be refused (403/404) and must change nothing at all.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { OrgReference } from '../../../server/src/access/references.ts';
import type { UserRole } from '../../../server/src/auth/viewer.ts';
import type { GuardedRoute } from '../../../server/src/plugins/access.ts';
import { diffSnapshots, foreignMarkers, foreignOrgIds, listOrgPaths, snapshotDatabase } from './database-state.ts';
import { MATRIX_CASES, type CaseContext } from './matrix-cases.ts';
import { scopeKeys, type OrgKey, type World } from './world.ts';

type Part = 'params' | 'querystring' | 'body';
interface Reference {
  part: Part;
  field: string;
  reference: OrgReference;
}

let counter = 0;

function referencesOf(route: GuardedRoute): Reference[] {
  if (route.access.kind !== 'scoped') return [];
  return (['params', 'querystring', 'body'] as const).flatMap((part) =>
    Object.entries(route.access.kind === 'scoped' ? (route.access.refs[part] ?? {}) : {}).map(([field, reference]) => ({ part, field, reference })),
  );
}

/** The text of an answer, with the cells of an XLSX file; undefined for files the check cannot read. */
async function answerText(res: LightMyRequestResponse): Promise<string | undefined> {
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('spreadsheetml')) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => void cells.push(cell.text))));
    return cells.join('\n');
  }
  if (type.includes('json') || type.startsWith('text/')) return res.body;
  return undefined;
}

export interface MatrixTarget {
  world: World;
  /** The app whose routes are checked (the world's, or one with extra routes). */
  app: FastifyInstance;
}

/** Checks one route for one role; returns what went wrong. */
export async function checkRouteForRole(target: MatrixTarget, route: GuardedRoute, role: UserRole): Promise<string[]> {
  const { world, app } = target;
  const database = world.testApp.database;
  const name = `${route.method} ${route.url} as ${role}`;
  const problems: string[] = [];
  const key = `${route.method} ${route.url}`;
  const spec = MATRIX_CASES[key] ?? {};
  if (route.hasBody && !spec.body && !spec.raw) return [`${key} takes a body but has no case in tests/server/access/matrix-cases.ts`];
  if (route.websocket) return [];

  const scopeRoots = role === 'bureau-admin' || role === 'bureau-viewer' ? [world.orgs.A] : [world.orgs.A1];
  const orgs = await listOrgPaths(database);
  const foreign = foreignOrgIds(orgs, scopeRoots);
  const markers = await foreignMarkers(database, foreign);
  const inScope = (k: OrgKey) => scopeKeys(role).includes(k);

  const idsOf = (kind: string) => {
    const byKey = world.ids[kind];
    if (!byKey) throw new Error(`no fixture records of kind "${kind}": add them to tests/server/access/world.ts`);
    return byKey;
  };
  let ownIdsInScope = true;
  const own = (kind: string): string => {
    const byKey = idsOf(kind);
    const keys = Object.keys(byKey) as OrgKey[];
    const key = keys.find((k) => k === 'A1') ?? keys.find(inScope);
    if (!key) ownIdsInScope = false;
    return byKey[key ?? keys[0]!]!;
  };
  const context: CaseContext = { world, role, own, orgs: world.orgs, unique: `${Date.now().toString(36)}${counter++}` };
  const refs = referencesOf(route);
  const build = async (override?: { ref: Reference; value: string }): Promise<InjectOptions> => {
    let url = route.url;
    for (const ref of refs.filter((r) => r.part === 'params')) {
      const value = override?.ref === ref ? override.value : own(ref.reference.kind);
      url = url.replace(`:${ref.field}`, value);
    }
    const query: Record<string, string> = { ...(spec.query?.(context) ?? {}) };
    for (const ref of refs.filter((r) => r.part === 'querystring')) {
      if (override?.ref === ref) query[ref.field] = override.value;
    }
    const options: InjectOptions = { method: route.method as InjectOptions['method'], url, query };
    if (spec.raw) {
      const raw = await spec.raw(context);
      options.payload = raw.payload;
      options.headers = { 'content-type': raw.contentType };
    } else if (spec.body) {
      const body = spec.body(context) as Record<string, unknown>;
      // Fields named ...Ids hold lists (the access plugin's naming rule).
      if (override?.ref.part === 'body') body[override.ref.field] = override.ref.field.endsWith('Ids') ? [override.value] : override.value;
      options.payload = body as InjectOptions['payload'];
    }
    return options;
  };
  const send = async (options: InjectOptions) => {
    const res = await app.inject({ ...options, headers: { ...world.sessions[role].headers, ...(options.headers ?? {}) } });
    if (spec.endsSession) await world.refresh(role);
    return res;
  };

  // The caller's own variant.
  let before = await snapshotDatabase(database);
  const ownRes = await send(await build());
  if (ownRes.statusCode >= 500) problems.push(`${name}: own request answered ${ownRes.statusCode} ${ownRes.body.slice(0, 200)}`);
  const allowed = route.access.kind !== 'scoped' || route.access.roles.includes(role);
  if (allowed && ownRes.statusCode === 400 && ownRes.json().code === 'request.invalid') {
    problems.push(`${name}: the matrix case is not a valid request (${ownRes.json().message}); fix it in matrix-cases.ts`);
  }
  // Scoping must not over-reach either: a read of the caller's own records is answered.
  if (allowed && ownIdsInScope && route.method === 'GET' && ownRes.statusCode >= 400) {
    problems.push(`${name}: refused the caller's own records: ${ownRes.statusCode} ${ownRes.body.slice(0, 200)}`);
  }
  const text = spec.binary ? undefined : await answerText(ownRes);
  if (text !== undefined) {
    const leaked = [...markers].filter((marker) => text.includes(marker));
    if (leaked.length) problems.push(`${name}: the answer holds another unit's data: ${leaked.slice(0, 5).join(', ')}`);
  }
  let after = await snapshotDatabase(database);
  for (const change of diffSnapshots(before, after, foreign)) problems.push(`${name}: changed another unit's rows: ${change}`);

  // One foreign variant per reference and foreign record.
  for (const ref of refs) {
    // Fixture records are keyed by the org that owns them: the truth, whatever the route's resolver says.
    const candidates = Object.entries(idsOf(ref.reference.kind)).filter(([key]) => foreign.has(world.orgs[key as OrgKey]));
    for (const [, value] of candidates as [string, string][]) {
      before = after;
      const res = await send(await build({ ref, value }));
      after = await snapshotDatabase(database);
      const label = `${name} with ${ref.part}.${ref.field} = another unit's ${ref.reference.kind}`;
      if (res.statusCode !== 403 && res.statusCode !== 404) problems.push(`${label}: answered ${res.statusCode} ${res.body.slice(0, 200)} (expected 403 or 404)`);
      for (const change of diffSnapshots(before, after)) problems.push(`${label}: changed data: ${change}`);
    }
  }
  return problems;
}
