import { sql } from 'drizzle-orm';
import { loadRuleSet, type LoadedRuleSet } from '../catalog/queries.ts';
import { queryRows, type Db } from '../db/database.ts';
import { notifyLive } from '../live/events.ts';
import { getMachineContexts, getMachineIdsUnder } from './machine-queries.ts';
import { emptyResult, mergeResult, todayInChina, type RecomputeOptions, type RecomputeResult } from './recompute-result.ts';
import { refreshMachines } from './refresh-machines.ts';
import { refreshPositions } from './refresh-positions.ts';

export { todayInChina, type RecomputeOptions, type RecomputeResult } from './recompute-result.ts';

/**
 * Keeping compliance current (持续合规). Two steps, shared by every entry point:
 * - the machine step (refresh-machines.ts): products, unrecognised entries and inventory findings
 *   of a batch of machines;
 * - the position step (refresh-positions.ts): licence positions and licence findings of a set of
 *   units, for some allocation groups or all.
 * `refreshMachineCompliance` runs both for one machine after an ingest (positions only for the
 * groups whose installs changed); `recomputeAll` runs them for every machine and every unit in
 * scope after a rule change. Because positions of one group depend only on that group's installs
 * and licences, both give identical results (tests/server/compliance/incremental.test.ts).
 */

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
  return refreshPositions(db, [unit], groupIds, loaded, asOf, result);
}

/**
 * After ingests: recognises the machines' inventories in one pass, refreshes their findings and,
 * per unit, the positions their changed installs touch, and publishes the events (delivered when
 * the transaction commits). Units go in id order, so two processes refreshing machines of the
 * same units take the unit locks in the same order.
 *
 * Free products are left out of "touched": the allocation ignores their installs, so a change in
 * them changes no position, and most of what agents install and remove is free.
 */
export async function refreshMachinesCompliance(tx: Db, machineIds: readonly string[], options: RecomputeOptions = {}): Promise<RecomputeResult> {
  const result = emptyResult();
  const contexts = await getMachineContexts(tx, { machineIds });
  if (contexts.length === 0) return result;
  const loaded = await loadRuleSet(tx);
  const touched = await refreshMachines(tx, contexts, loaded, result, true);
  const units = new Map(contexts.map((c) => [c.orgId, c]));
  const asOf = options.asOf ?? todayInChina();
  for (const orgId of [...touched.keys()].sort()) {
    const products = [...touched.get(orgId)!].filter((id) => loaded.ruleSet.products.get(id)?.licenceModel !== 'free');
    if (products.length === 0) continue;
    const groups = [...new Set(products.map((id) => loaded.groups.groupOf(id)))];
    await refreshPositions(tx, [units.get(orgId)!], groups, loaded, asOf, result);
  }
  await notifyLive(tx, result.events);
  return result;
}

/** One machine after its ingest, inside the ingest's transaction (see refreshMachinesCompliance). */
export async function refreshMachineCompliance(tx: Db, machineId: string, options: RecomputeOptions = {}): Promise<RecomputeResult> {
  return refreshMachinesCompliance(tx, [machineId], options);
}

/**
 * Machines per transaction in the machine step of a full recompute: large enough that per-statement
 * costs vanish, small enough that a transaction stays well under a second.
 */
const BATCH_MACHINES = 1000;
/** Machines (of whole units) per transaction in the position step. */
const CHUNK_MACHINES = 5000;

/** Units under an org path that have machines, licences or positions, with their machine counts. */
async function getUnitsToRecompute(db: Db, orgPath: string) {
  return queryRows<{ id: string; path: string; machines: number }>(
    db,
    sql`SELECT o.id, o.path, (SELECT count(*) FROM machines m WHERE m.org_id = o.id)::int AS machines
        FROM orgs o WHERE o.path LIKE ${`${orgPath}%`}
          AND (EXISTS (SELECT 1 FROM machines m WHERE m.org_id = o.id) OR EXISTS (SELECT 1 FROM licences l WHERE l.org_id = o.id)
               OR EXISTS (SELECT 1 FROM licence_positions p WHERE p.org_id = o.id))
        ORDER BY o.id`,
  );
}

/**
 * Batches in flight at once in a full recompute. Two: while one batch's statements run in
 * PostgreSQL, the next one's recognition runs here, so the database and this process work at the
 * same time instead of taking turns. Batches touch disjoint machines (and chunks disjoint units),
 * so they never wait on each other's rows. PGlite runs one transaction at a time anyway.
 */
const BATCHES_IN_FLIGHT = 2;

/** Runs `work` for every item, at most `concurrency` at a time; results in item order. */
async function mapConcurrently<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** Units in chunks of whole units of up to CHUNK_MACHINES machines (a larger unit is a chunk of its own). */
function chunkUnits<T extends { machines: number }>(units: readonly T[]): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let machines = 0;
  for (const unit of units) {
    if (chunk.length && machines + unit.machines > CHUNK_MACHINES) {
      chunks.push(chunk);
      chunk = [];
      machines = 0;
    }
    chunk.push(unit);
    machines += unit.machines;
  }
  if (chunk.length) chunks.push(chunk);
  return chunks;
}

/**
 * Full recompute of everything under an org path (default: everything): every machine's products
 * and findings, then every unit's positions. Batched in short transactions, each publishing its
 * position and finding events (not install events: a rule change is not an install).
 */
export async function recomputeAll(db: Db, scope: { orgPath?: string } = {}, options: RecomputeOptions = {}): Promise<RecomputeResult> {
  const orgPath = scope.orgPath ?? '/';
  const loaded = await loadRuleSet(db);
  const machineIds = await getMachineIdsUnder(db, orgPath);
  const batches = Array.from({ length: Math.ceil(machineIds.length / BATCH_MACHINES) }, (_, i) => machineIds.slice(i * BATCH_MACHINES, (i + 1) * BATCH_MACHINES));
  const machineResults = await mapConcurrently(batches, BATCHES_IN_FLIGHT, (ids) =>
    db.transaction(async (tx) => {
      const batch = emptyResult();
      await refreshMachines(tx, await getMachineContexts(tx, { machineIds: ids }), loaded, batch, false);
      await notifyLive(tx, batch.events);
      return batch;
    }),
  );

  const asOf = options.asOf ?? todayInChina();
  const chunks = chunkUnits(await getUnitsToRecompute(db, orgPath));
  const positionResults = await mapConcurrently(chunks, BATCHES_IN_FLIGHT, (chunk) =>
    db.transaction(async (tx) => {
      const part = emptyResult();
      await refreshPositions(tx, chunk.map((u) => ({ orgId: u.id, orgPath: u.path })), null, loaded, asOf, part);
      await notifyLive(tx, part.events);
      return part;
    }),
  );
  const result = emptyResult();
  for (const part of [...machineResults, ...positionResults]) mergeResult(result, part);
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
