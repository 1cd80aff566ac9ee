import { sql } from 'drizzle-orm';
import type { LoadedRuleSet } from '../catalog/queries.ts';
import type { Db } from '../db/database.ts';
import { syncUnitFindings } from './finding-queries.ts';
import { positionFindings, type FindingRow } from './findings.ts';
import { computeLicencePositions, type InstallInput, type LicenceInput, type LicencePosition } from './licence-position.ts';
import { textArray } from './sql-params.ts';
import { getInstallsByUnit, getLicencesByUnit, getStoredPositions, samePosition, writePositions, type PositionWrite } from './position-queries.ts';
import { LICENCE_FINDING_CODES, recordFindingChanges, type RecomputeResult } from './recompute-result.ts';

/** First half of the advisory-lock key of a unit's positions ("zhc"). */
const UNIT_LOCK_KEY = 0x7a6863;

const EMPTY_POSITION = {
  installs: 0,
  licences: 0,
  covered: 0,
  shortfall: 0,
  surplus: 0,
  seatsUsed: 0,
  machines: { installed: [], covered: [], uncovered: [], expired: [] },
  coveredBy: [],
} satisfies Omit<LicencePosition, 'productId'>;

/**
 * A unit's positions, one allocation group at a time. Groups never cover each other's installs
 * (catalog/groups.ts), so this equals one call over everything, and keeps the allocation's
 * per-licence scans within a group instead of across every product of a large unit.
 */
function computeByGroup(installs: readonly InstallInput[], licences: readonly LicenceInput[], asOf: string, loaded: LoadedRuleSet): Array<LicencePosition & { groupId: string }> {
  const groups = new Map<string, { installs: InstallInput[]; licences: LicenceInput[] }>();
  const groupOf = (productId: string) => {
    const id = loaded.groups.groupOf(productId);
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { installs: [], licences: [] }));
    return group;
  };
  for (const install of installs) groupOf(install.productId).installs.push(install);
  for (const licence of licences) groupOf(licence.productId).licences.push(licence);
  const positions: Array<LicencePosition & { groupId: string }> = [];
  for (const [groupId, group] of groups) {
    for (const position of computeLicencePositions(group.installs, group.licences, asOf, loaded.ruleSet)) positions.push({ ...position, groupId });
  }
  return positions.sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
}

/**
 * Machines whose licence finding for some product differs between two sets of positions of one
 * unit: uncovered or expired in one and not the other (what `positionFindings` turns into
 * `licence.shortfall` / `licence.subscription-expired`). Set differences only, so an ingest in a
 * unit of thousands of machines does not build every machine's findings twice.
 */
function machinesWithLicenceChanges(before: ReadonlyMap<string, LicencePosition>, after: readonly LicencePosition[]): Set<string> {
  const changed = new Set<string>();
  const status = (p: LicencePosition | undefined) => {
    const map = new Map<string, 'expired' | 'uncovered'>();
    for (const machineId of p?.machines.uncovered ?? []) map.set(machineId, 'uncovered');
    for (const machineId of p?.machines.expired ?? []) map.set(machineId, 'expired');
    return map;
  };
  const afterById = new Map(after.map((p) => [p.productId, p]));
  for (const productId of new Set([...before.keys(), ...afterById.keys()])) {
    const was = status(before.get(productId));
    const is = status(afterById.get(productId));
    for (const [machineId, value] of was) if (is.get(machineId) !== value) changed.add(machineId);
    for (const [machineId, value] of is) if (was.get(machineId) !== value) changed.add(machineId);
  }
  return changed;
}

/** Positions cut down to some machines' uncovered installs: what `positionFindings` needs for them. */
const forMachines = (positions: readonly LicencePosition[], machines: ReadonlySet<string>) =>
  positions.map((p) => ({ productId: p.productId, machines: { uncovered: p.machines.uncovered.filter((m) => machines.has(m)), expired: p.machines.expired.filter((m) => machines.has(m)) } }));

/**
 * The position step of every recompute: the licence positions (授权状况) of some units, for some
 * allocation groups (null = everything the units have), and the licence findings of their
 * machines for those groups. Reads installs, ledgers and stored positions of all the units with
 * one statement each, writes only the positions that changed, and records position and finding
 * events in `result`.
 *
 * Takes each unit's advisory lock first, in id order: one recompute per unit at a time. Under
 * READ COMMITTED the second waits and then reads the first one's committed installs, so two
 * machines ingested at once cannot hide each other.
 */
export async function refreshPositions(
  db: Db,
  units: ReadonlyArray<{ orgId: string; orgPath: string }>,
  groupIds: readonly string[] | null,
  loaded: LoadedRuleSet,
  asOf: string,
  result: RecomputeResult,
): Promise<RecomputeResult> {
  if (units.length === 0 || groupIds?.length === 0) return result;
  const sorted = [...units].sort((a, b) => (a.orgId < b.orgId ? -1 : a.orgId > b.orgId ? 1 : 0));
  for (const unit of sorted) await db.execute(sql`SELECT pg_advisory_xact_lock(${UNIT_LOCK_KEY}, hashtext(${unit.orgId}))`);
  const orgIds = sorted.map((u) => u.orgId);
  const productIds = groupIds ? [...new Set(groupIds.flatMap((g) => loaded.groups.productsOf(g)))] : null;
  const freeProductIds = [...loaded.ruleSet.products.values()].filter((p) => p.licenceModel === 'free').map((p) => p.id);
  const installs = await getInstallsByUnit(db, orgIds, productIds, freeProductIds);
  const licences = await getLicencesByUnit(db, orgIds, productIds);
  const stored = await getStoredPositions(db, orgIds, groupIds);

  const changed: PositionWrite[] = [];
  const gone: Array<{ orgId: string; productId: string }> = [];
  const desiredFindings = new Map<string, FindingRow[]>();
  const orgOfMachine = new Map<string, string>();
  // For some groups (an ingest, a ledger change), only machines whose licence findings differ
  // between the stored and the new positions are synced: the open licence findings are always
  // those of the stored positions (both are written in one transaction). A full recompute
  // compares every machine, which also repairs findings that drifted.
  const maybeChanged: string[] | undefined = groupIds ? [] : undefined;
  for (const unit of sorted) {
    const unitInstalls = installs.get(unit.orgId) ?? [];
    for (const install of unitInstalls) orgOfMachine.set(install.machineId, unit.orgId);
    const positions = computeByGroup(unitInstalls, licences.get(unit.orgId) ?? [], asOf, loaded);
    const before = stored.get(unit.orgId) ?? new Map<string, LicencePosition>();
    const unitChanged = positions.filter((p) => {
      const old = before.get(p.productId);
      return !old || !samePosition(old, p);
    });
    const present = new Set(positions.map((p) => p.productId));
    const unitGone = [...before.keys()].filter((productId) => !present.has(productId));
    for (const p of unitChanged) changed.push({ ...p, orgId: unit.orgId });
    for (const productId of unitGone) gone.push({ orgId: unit.orgId, productId });
    const events = [...unitChanged, ...unitGone.map((productId) => ({ productId, ...EMPTY_POSITION }))];
    if (events.length) result.positionsChanged.set(unit.orgId, [...(result.positionsChanged.get(unit.orgId) ?? []), ...events.map((p) => p.productId)]);
    for (const p of events) {
      result.events.push({ type: 'position.changed', orgId: unit.orgId, orgPath: unit.orgPath, productId: p.productId, installs: p.installs, covered: p.covered, shortfall: p.shortfall });
    }
    if (maybeChanged) {
      const machines = machinesWithLicenceChanges(before, positions);
      const wanted = positionFindings(forMachines(positions, machines), loaded.ruleSet);
      for (const machineId of machines) {
        maybeChanged.push(machineId);
        orgOfMachine.set(machineId, unit.orgId);
        desiredFindings.set(machineId, wanted.get(machineId) ?? []);
      }
    } else {
      for (const [machineId, rows] of positionFindings(positions, loaded.ruleSet)) desiredFindings.set(machineId, rows);
    }
  }
  await writePositions(db, gone, changed);

  const scope = productIds
    ? sql`code = ANY(${textArray(LICENCE_FINDING_CODES)}) AND subject = ANY(${textArray(productIds)})`
    : sql`code = ANY(${textArray(LICENCE_FINDING_CODES)})`;
  const changes = await syncUnitFindings(db, orgIds, scope, desiredFindings, orgOfMachine, maybeChanged);
  const pathOf = new Map(sorted.map((u) => [u.orgId, u.orgPath]));
  recordFindingChanges(result, changes, (orgId) => pathOf.get(orgId) ?? '');
  return result;
}
