import { sql } from 'drizzle-orm';
import type { LoadedRuleSet } from '../catalog/queries.ts';
import { recogniseInventory } from '../catalog/recognise.ts';
import type { UnrecognisedSoftware } from '../catalog/types.ts';
import type { Db } from '../db/database.ts';
import { syncFindings } from './finding-queries.ts';
import { machineFindings, type FindingRow } from './findings.ts';
import {
  getApprovedKmsHostsByPath,
  syncMachineProducts,
  syncMachineUnrecognised,
  type MachineContext,
  type ProductWrite,
} from './machine-queries.ts';
import { textArray } from './sql-params.ts';
import { LICENCE_FINDING_CODES, recordFindingChanges, type RecomputeResult } from './recompute-result.ts';

/**
 * The machine step of every recompute: recognition and the findings that depend only on a
 * machine's inventory and its unit's settings, for a batch of machines (one after an ingest, a
 * thousand in a full recompute). The work per machine is pure (recognition memoises each distinct
 * software entry per rule set); the database sees three set-based statements per batch that
 * write only what changed.
 *
 * Returns, per unit, the product ids that appeared or disappeared: the allocation groups whose
 * positions an ingest must recompute.
 */
export async function refreshMachines(
  db: Db,
  contexts: readonly MachineContext[],
  loaded: LoadedRuleSet,
  result: RecomputeResult,
  emitInstalls: boolean,
): Promise<Map<string, Set<string>>> {
  const touched = new Map<string, Set<string>>();
  if (contexts.length === 0) return touched;
  const ids = contexts.map((c) => c.machineId);
  const kmsHosts = await getApprovedKmsHostsByPath(db, [...new Set(contexts.map((c) => c.orgPath))]);
  const products: ProductWrite[] = [];
  const unrecognised: Array<UnrecognisedSoftware & { machineId: string }> = [];
  const desiredFindings = new Map<string, FindingRow[]>();
  for (const context of contexts) {
    const recognition = recogniseInventory(context.inventory, loaded.ruleSet);
    const machineId = context.machineId;
    for (const p of recognition.products) products.push({ machineId, productId: p.productId, edition: p.edition, source: p.source, evidence: p.evidence, version: p.version });
    for (const u of recognition.unrecognised) unrecognised.push({ machineId, nameKey: u.nameKey, publisherKey: u.publisherKey, name: u.name, publisher: u.publisher });
    desiredFindings.set(context.machineId, machineFindings(context.inventory, recognition.products, kmsHosts.get(context.orgPath) ?? [], loaded.ruleSet));
  }

  const contextOf = new Map(contexts.map((c) => [c.machineId, c]));
  for (const change of await syncMachineProducts(db, ids, products)) {
    const context = contextOf.get(change.machineId)!;
    const changed = touched.get(context.orgId) ?? new Set<string>();
    changed.add(change.productId);
    touched.set(context.orgId, changed);
    if (emitInstalls) {
      result.events.push({
        type: change.change === 'added' ? 'install.added' : 'install.removed',
        orgId: context.orgId,
        orgPath: context.orgPath,
        machineId: context.machineId,
        productId: change.productId,
      });
    }
  }
  await syncMachineUnrecognised(db, ids, unrecognised);
  const changes = await syncFindings(db, contexts, sql`NOT (code = ANY(${textArray(LICENCE_FINDING_CODES)}))`, desiredFindings);
  const pathOf = new Map(contexts.map((c) => [c.orgId, c.orgPath]));
  recordFindingChanges(result, changes, (orgId) => pathOf.get(orgId) ?? '');
  return touched;
}
