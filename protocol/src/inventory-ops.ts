import type { Finding, Inventory, OfficeSuite, Software } from './inventory.ts';
import type { InventoryDelta } from './delta.ts';

/**
 * Pure operations on inventories (no zod, no node): the canonical text the hash covers, the delta
 * between two inventories and its application. Agents and the server must compute exactly the
 * same results; this file is their one definition, importable without loading any schema.
 */

/** The key that identifies one software entry on one machine (what a delta adds and removes by). */
export function softwareKey(s: Pick<Software, 'source' | 'hive' | 'id'>): string {
  return `${s.source}|${s.hive ?? ''}|${s.id}`;
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Pure: the delta that turns `prev` into `next`. */
export function diffInventory(prev: Inventory, next: Inventory): InventoryDelta {
  const before = new Map(prev.software.map((s) => [softwareKey(s), s]));
  const after = new Map(next.software.map((s) => [softwareKey(s), s]));
  const upserted: Software[] = [];
  const removed: string[] = [];
  for (const [key, s] of after) {
    const old = before.get(key);
    if (!old || !sameJson(old, s)) upserted.push(s);
  }
  for (const key of before.keys()) if (!after.has(key)) removed.push(key);

  const delta: InventoryDelta = { collectedAt: next.collectedAt, software: { upserted, removed } };
  if (prev.hostname !== next.hostname) delta.hostname = next.hostname;
  if (prev.agentVersion !== next.agentVersion) delta.agentVersion = next.agentVersion;
  if (!sameJson(prev.hardware, next.hardware)) delta.hardware = next.hardware;
  if (!sameJson(prev.os, next.os)) delta.os = next.os;
  if (!sameJson(sortedOffice(prev.office), sortedOffice(next.office))) delta.office = next.office;
  if (!sameJson(sortedFindings(prev.findings), sortedFindings(next.findings))) delta.findings = next.findings;
  if (!sameJson(prev.captureErrors, next.captureErrors)) delta.captureErrors = next.captureErrors;
  return delta;
}

/** True when the delta changes nothing but the collection time. */
export function isEmptyDelta(delta: InventoryDelta): boolean {
  const { collectedAt: _collectedAt, software, ...sections } = delta;
  return software.upserted.length === 0 && software.removed.length === 0 && Object.keys(sections).length === 0;
}

/** Pure: `prev` with `delta` applied. Removing an absent key is a no-op (hash check catches drift). */
export function applyInventoryDelta(prev: Inventory, delta: InventoryDelta): Inventory {
  const software = new Map(prev.software.map((s) => [softwareKey(s), s]));
  for (const key of delta.software.removed) software.delete(key);
  for (const s of delta.software.upserted) software.set(softwareKey(s), s);
  return {
    collectedAt: delta.collectedAt,
    hostname: delta.hostname ?? prev.hostname,
    agentVersion: delta.agentVersion ?? prev.agentVersion,
    hardware: delta.hardware ?? prev.hardware,
    os: delta.os ?? prev.os,
    office: delta.office ?? prev.office,
    software: [...software.values()],
    findings: delta.findings ?? prev.findings,
    captureErrors: delta.captureErrors ?? prev.captureErrors,
  };
}

function sortedOffice(office: OfficeSuite[]): OfficeSuite[] {
  return [...office].sort((a, b) => compare(`${a.vendor}|${a.product}|${a.scope}`, `${b.vendor}|${b.product}|${b.scope}`));
}

function sortedFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => compare(`${a.code}|${a.evidence}`, `${b.code}|${b.evidence}`));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON texts of object keys seen so far: inventories repeat a few dozen keys thousands of times. */
const quotedKeys = new Map<string, string>();

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 1_000) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/**
 * JSON with object keys sorted and `undefined` dropped: the same data always gives the same text,
 * whichever end built it. Written as loops rather than entries/filter/sort/map/join chains: the
 * server hashes every report with it (a 300-entry inventory is ~8,000 values), and the text must
 * stay byte-for-byte what it always was (tests/protocol/canonical-json.test.ts).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      // A hole (sparse array) stays empty, as Array#map + join would leave it.
      if (!(i in value)) continue;
      const item: unknown = value[i];
      out += item === undefined ? 'null' : canonicalJson(item);
    }
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as `compare` does.
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (out.length > 1) out += ',';
    out += quoteKey(key) + ':' + canonicalJson(item);
  }
  return out + '}';
}

/**
 * The text an inventory's hash is computed over: everything but `collectedAt` (a rescan that
 * finds nothing new must give the same hash), with lists in key order (order carries no meaning).
 */
export function inventoryHashInput(inventory: Inventory): string {
  const { collectedAt: _collectedAt, ...rest } = inventory;
  return canonicalJson({
    ...rest,
    // Keys computed once per entry, not once per comparison.
    software: inventory.software
      .map((s) => ({ key: softwareKey(s), s }))
      .sort((a, b) => compare(a.key, b.key))
      .map(({ s }) => s),
    office: sortedOffice(inventory.office),
    findings: sortedFindings(inventory.findings),
  });
}
