import { sql } from 'drizzle-orm';
import { loadRuleSet, type LoadedRuleSet } from '../catalog/queries.ts';
import { recogniseInventory } from '../catalog/recognise.ts';
import type { MachineProduct } from '../catalog/types.ts';
import { queryRows, type Db } from '../db/database.ts';
import { notifyLive, type LiveEventInput } from '../live/events.ts';
import { syncFindings, type FindingChange } from './finding-queries.ts';
import { machineFindings, positionFindings, SERVER_FINDING_CODES } from './findings.ts';
import { computeLicencePositions } from './licence-position.ts';
import {
  getApprovedKmsHostsByPath,
  getMachineContexts,
  getMachineProducts,
  replaceMachineUnrecognised,
  textArray,
  writeMachineProducts,
  type MachineContext,
  type ProductWrite,
} from './machine-queries.ts';
import { getUnitInstalls, getUnitLicences, getUnitProductIds, writeUnitPositions } from './position-queries.ts';

/**
 * Keeping compliance current (持续合规). Two entry points share every step:
 * - `refreshMachineCompliance` after an ingest: this machine's products, unrecognised entries and
 *   findings, then the positions of its unit for the allocation groups whose installs changed;
 * - `recomputeAll` after a rule change (or on demand): the same steps for every machine and every
 *   group of every unit in scope.
 * Because positions of one group depend only on that group's installs and licences, both give
 * identical results (tests/server/compliance/incremental.test.ts checks it).
 */

/** The date positions are computed for: today in China (ledger dates are local dates). */
export function todayInChina(now = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
}

/** First half of the advisory-lock key of a unit's positions ("zhc"). */
const UNIT_LOCK_KEY = 0x7a6863;

const LICENCE_CODES = [SERVER_FINDING_CODES.shortfall, SERVER_FINDING_CODES.subscriptionExpired];

export interface RecomputeOptions {
  /** Date of the positions (YYYY-MM-DD); default today in China. */
  asOf?: string;
}

/** What a recompute changed. */
export interface RecomputeResult {
  events: LiveEventInput[];
  findingChanges: FindingChange[];
  /** unit id -> product ids whose position changed. */
  positionsChanged: Map<string, string[]>;
}

const emptyResult = (): RecomputeResult => ({ events: [], findingChanges: [], positionsChanged: new Map() });

const sameProduct = (a: MachineProduct, b: MachineProduct) =>
  a.edition === b.edition && a.source === b.source && a.evidence.slice(0, 512) === b.evidence.slice(0, 512) && (a.version ?? null) === (b.version ?? null);

/**
 * Recognition and machine-level findings for a batch of machines. Returns, per unit, the product
 * ids whose installs changed.
 */
async function refreshMachines(db: Db, contexts: readonly MachineContext[], loaded: LoadedRuleSet, result: RecomputeResult, emitInstalls: boolean) {
  const touched = new Map<string, Set<string>>();
  if (contexts.length === 0) return touched;
  const ids = contexts.map((c) => c.machineId);
  const stored = await getMachineProducts(db, ids);
  const kmsHosts = await getApprovedKmsHostsByPath(db, [...new Set(contexts.map((c) => c.orgPath))]);
  const deletes: Array<{ machineId: string; productId: string }> = [];
  const upserts: ProductWrite[] = [];
  const unrecognised: Array<Parameters<typeof replaceMachineUnrecognised>[2][number]> = [];
  const desiredFindings = new Map<string, ReturnType<typeof machineFindings>>();
  for (const context of contexts) {
    const recognition = recogniseInventory(context.inventory, loaded.ruleSet);
    const before = new Map((stored.get(context.machineId) ?? []).map((p) => [p.productId, p]));
    const after = new Map(recognition.products.map((p) => [p.productId, p]));
    const changed = touched.get(context.orgId) ?? new Set<string>();
    for (const [productId, product] of after) {
      const old = before.get(productId);
      if (!old) {
        changed.add(productId);
        if (emitInstalls) result.events.push({ type: 'install.added', orgId: context.orgId, orgPath: context.orgPath, machineId: context.machineId, productId });
      }
      if (!old || !sameProduct(old, product)) upserts.push({ ...product, machineId: context.machineId });
    }
    for (const productId of before.keys()) {
      if (after.has(productId)) continue;
      changed.add(productId);
      deletes.push({ machineId: context.machineId, productId });
      if (emitInstalls) result.events.push({ type: 'install.removed', orgId: context.orgId, orgPath: context.orgPath, machineId: context.machineId, productId });
    }
    touched.set(context.orgId, changed);
    for (const entry of recognition.unrecognised) unrecognised.push({ ...entry, machineId: context.machineId });
    desiredFindings.set(
      context.machineId,
      machineFindings(context.inventory, recognition.products, kmsHosts.get(context.orgPath) ?? [], loaded.ruleSet),
    );
  }
  await writeMachineProducts(db, deletes, upserts);
  await replaceMachineUnrecognised(db, ids, unrecognised);
  const changes = await syncFindings(
    db,
    contexts,
    sql`NOT (code = ANY(${textArray(LICENCE_CODES)}))`,
    desiredFindings,
  );
  recordFindingChanges(changes, contexts, result);
  return touched;
}

function recordFindingChanges(changes: FindingChange[], contexts: ReadonlyArray<{ orgId: string; orgPath: string }>, result: RecomputeResult) {
  const pathOf = new Map(contexts.map((c) => [c.orgId, c.orgPath]));
  for (const change of changes) {
    result.findingChanges.push(change);
    result.events.push({
      type: change.change === 'opened' ? 'finding.opened' : 'finding.closed',
      orgId: change.orgId,
      orgPath: pathOf.get(change.orgId) ?? '',
      machineId: change.machineId,
      code: change.code,
      subject: change.subject,
    });
  }
}

/**
 * Recomputes a unit's positions for some allocation groups (null = every group it has), and the
 * licence findings of its machines for those groups.
 */
export async function recomputeUnitGroups(
  db: Db,
  unit: { orgId: string; orgPath: string },
  groupIds: readonly string[] | null,
  loaded: LoadedRuleSet,
  asOf: string,
  result: RecomputeResult = emptyResult(),
): Promise<RecomputeResult> {
  // One recompute per unit at a time: under READ COMMITTED, the second waits here and then reads
  // the first one's committed installs, so two machines ingested at once cannot hide each other.
  await db.execute(sql`SELECT pg_advisory_xact_lock(${UNIT_LOCK_KEY}, hashtext(${unit.orgId}))`);
  const groups = groupIds ?? [...new Set((await getUnitProductIds(db, unit.orgId)).map((id) => loaded.groups.groupOf(id)))];
  if (groups.length === 0) return result;
  const productIds = [...new Set(groups.flatMap((g) => loaded.groups.productsOf(g)))];
  // A product no longer in the catalog (an admin rule retired) still has rows to clean up.
  const unknownFilter = groupIds === null ? null : productIds;
  const installs = await getUnitInstalls(db, unit.orgId, unknownFilter);
  const licences = await getUnitLicences(db, unit.orgId, unknownFilter);
  const positions = computeLicencePositions(installs, licences, asOf, loaded.ruleSet).map((p) => ({ ...p, groupId: loaded.groups.groupOf(p.productId) }));
  const changed = await writeUnitPositions(db, unit.orgId, groups, positions);
  if (changed.length) result.positionsChanged.set(unit.orgId, [...(result.positionsChanged.get(unit.orgId) ?? []), ...changed.map((p) => p.productId)]);
  for (const p of changed) {
    result.events.push({ type: 'position.changed', orgId: unit.orgId, orgPath: unit.orgPath, productId: p.productId, installs: p.installs, covered: p.covered, shortfall: p.shortfall });
  }
  const machines = await queryRows<{ id: string }>(db, sql`SELECT id FROM machines WHERE org_id = ${unit.orgId}::uuid`);
  const changes = await syncFindings(
    db,
    machines.map((m) => ({ machineId: m.id, orgId: unit.orgId })),
    sql`code = ANY(${textArray(LICENCE_CODES)}) AND subject = ANY(${textArray(productIds)})`,
    positionFindings(positions, loaded.ruleSet),
  );
  recordFindingChanges(changes, [unit], result);
  return result;
}

/**
 * After an ingest, inside its transaction: recognises the machine's inventory, refreshes its
 * findings and the positions its changed installs touch, and publishes the events (delivered
 * when the transaction commits).
 */
export async function refreshMachineCompliance(tx: Db, machineId: string, options: RecomputeOptions = {}): Promise<RecomputeResult> {
  const result = emptyResult();
  const [context] = await getMachineContexts(tx, { machineIds: [machineId] });
  if (!context) return result;
  const loaded = await loadRuleSet(tx);
  const touched = await refreshMachines(tx, [context], loaded, result, true);
  const products = [...(touched.get(context.orgId) ?? [])];
  if (products.length) {
    const groups = [...new Set(products.map((id) => loaded.groups.groupOf(id)))];
    await recomputeUnitGroups(tx, context, groups, loaded, options.asOf ?? todayInChina(), result);
  }
  await notifyLive(tx, result.events);
  return result;
}

/** Machines per transaction in a full recompute. */
const BATCH_MACHINES = 500;

/**
 * Full recompute of everything under an org path (default: everything): every machine's products
 * and findings, then every unit's positions. Batched in short transactions; publishes
 * position and finding events, not install events (a rule change is not an install).
 */
export async function recomputeAll(db: Db, scope: { orgPath?: string } = {}, options: RecomputeOptions = {}): Promise<RecomputeResult> {
  const result = emptyResult();
  const orgPath = scope.orgPath ?? '/';
  const loaded = await loadRuleSet(db);
  let afterId = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const contexts = await getMachineContexts(tx, { orgPath, afterId, limit: BATCH_MACHINES });
      const batchResult = emptyResult();
      await refreshMachines(tx, contexts, loaded, batchResult, false);
      await notifyLive(tx, batchResult.events);
      result.events.push(...batchResult.events);
      result.findingChanges.push(...batchResult.findingChanges);
      return contexts;
    });
    if (batch.length < BATCH_MACHINES) break;
    afterId = batch.at(-1)!.machineId;
  }
  const units = await queryRows<{ id: string; path: string }>(
    db,
    sql`SELECT o.id, o.path FROM orgs o WHERE o.path LIKE ${`${orgPath}%`}
          AND (EXISTS (SELECT 1 FROM machines m WHERE m.org_id = o.id) OR EXISTS (SELECT 1 FROM licences l WHERE l.org_id = o.id)
               OR EXISTS (SELECT 1 FROM licence_positions p WHERE p.org_id = o.id))
        ORDER BY o.id`,
  );
  const asOf = options.asOf ?? todayInChina();
  for (const unit of units) {
    await db.transaction(async (tx) => {
      const unitResult = await recomputeUnitGroups(tx, { orgId: unit.id, orgPath: unit.path }, null, loaded, asOf);
      await notifyLive(tx, unitResult.events);
      result.events.push(...unitResult.events);
      result.findingChanges.push(...unitResult.findingChanges);
      for (const [org, ids] of unitResult.positionsChanged) result.positionsChanged.set(org, ids);
    });
  }
  return result;
}

/**
 * After a ledger change (or a unit setting): recomputes the unit's positions for the groups of the
 * given products, in its own transaction, and publishes the events.
 */
export async function recomputeUnitProducts(
  db: Db,
  unit: { orgId: string; orgPath: string },
  productIds: readonly string[],
  options: RecomputeOptions = {},
): Promise<RecomputeResult> {
  return db.transaction(async (tx) => {
    const loaded = await loadRuleSet(tx);
    const groups = [...new Set(productIds.map((id) => loaded.groups.groupOf(id)))];
    const result = await recomputeUnitGroups(tx, unit, groups, loaded, options.asOf ?? todayInChina());
    await notifyLive(tx, result.events);
    return result;
  });
}
