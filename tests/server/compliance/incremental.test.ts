/**
 * Incremental recompute equals full recompute: a seeded random sequence of ingests (full reports
 * and deltas through the real ingest functions, each recomputing only what it touched) and ledger
 * changes, then everything derived is wiped and recomputed from scratch; both states must be
 * identical. Runs on PGlite and, with DATABASE_URL, on PostgreSQL.
 */
import t from 'tap';
import { diffInventory, MessageType, PROTOCOL_VERSION, type Inventory } from '@zhengban/protocol';
import { inventoryHash } from '@zhengban/protocol/hash';
import { bootstrap } from '../../../server/src/bootstrap/bootstrap.ts';
import { recomputeAll, recomputeUnitProducts, todayInChina } from '../../../server/src/compliance/recompute.ts';
import { ingestDeltaReport } from '../../../server/src/ingest/ingest-delta.ts';
import { ingestFullReport } from '../../../server/src/ingest/ingest-full.ts';
import { createTestDatabase } from '../../helpers/db.ts';
import { createUnit, enrolMachine, officeSuite, registry, windowsInventory } from './helpers.ts';

const testDb = await createTestDatabase();
t.teardown(testDb.close);
const { db, database } = testDb;
const seeded = await bootstrap(db, { adminPassword: 'test-admin-password' });

/** Deterministic PRNG (mulberry32): the same sequence on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(20250601);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

const OS = [
  ['Windows 10 Pro', 'Professional', '10'],
  ['Windows 11 Pro', 'Professional', '11'],
  ['Windows 7 Professional', 'Professional', '7'],
  ['Windows 10 Home', 'Core', '10'],
  ['Windows 10 Enterprise', 'Enterprise', '10'],
] as const;
const OFFICE = [
  [],
  [officeSuite('microsoft', 'Office Professional Plus 2016', 'proplus')],
  [officeSuite('microsoft', 'Office Professional Plus 2019', 'proplus', 'kms.unit.local')],
  [officeSuite('microsoft', 'Office LTSC Professional Plus 2021', 'proplus', 'kms8.msguides.com')],
  [officeSuite('kingsoft', 'WPS Office 2019 个人版', 'personal')],
  [officeSuite('kingsoft', 'WPS Office 2019 专业版', 'professional'), officeSuite('microsoft', 'Office Standard 2016', 'standard')],
];
const SOFTWARE = [
  registry('WinRAR 6.24 (64-位)', 'win.rar GmbH'),
  registry('7-Zip 23.01 (x64)', 'Igor Pavlov'),
  registry('AutoCAD 2022 - 简体中文 (Simplified Chinese)', 'Autodesk'),
  registry('Adobe Acrobat DC (64-bit)', 'Adobe'),
  registry('Acme Billing 3.1', 'Acme Co., Ltd.'),
  registry('CAXA CAD电子图板 2023', 'CAXA'),
];
const LICENCES: Array<[product: string, type: string, quantity: number, startsOn: string | null, endsOn: string | null]> = [
  ['windows-11-pro', 'perpetual-device', 2, '2023-01-01', null],
  ['office-proplus-2021', 'volume', 1, '2023-01-01', null],
  ['autocad-2022', 'subscription', 1, '2024-01-01', '2024-12-31'],
  ['autocad-2022', 'subscription', 1, '2025-01-01', '2099-12-31'],
  ['winrar', 'site', 1, null, null],
  ['wps-professional-2019', 'perpetual-device', 1, '2022-01-01', null],
  ['windows-10-enterprise', 'perpetual-device', 1, '2022-01-01', null],
];

function randomInventory(hostname: string): Inventory {
  const os = pick(OS);
  return windowsInventory(hostname, {
    os: [os[0], os[1], os[2]],
    ...(rand() < 0.4 ? { kmsHost: pick(['kms.unit.local', 'kms.03k.org']) } : {}),
    office: pick(OFFICE),
    software: SOFTWARE.filter(() => rand() < 0.5),
  });
}

const asOf = todayInChina();
const root = seeded.rootOrgId;
const zone = await createUnit(db, root, '岳麓区版权局', 'zone');
const units = [await createUnit(db, zone.id, '区财政局'), await createUnit(db, zone.id, '区教育局'), await createUnit(db, root, '市卫健委')];
await database.query(`INSERT INTO compliance_settings (org_id, approved_kms_hosts) VALUES ($1, ARRAY['kms.unit.local']::varchar[])`, [units[0]!.id]);

interface SimMachine {
  agentId: string;
  seq: number;
  inventory: Inventory | null;
  unit: (typeof units)[number];
}
const machines: SimMachine[] = [];
for (let i = 0; i < 9; i++) {
  const unit = units[i % units.length]!;
  const enrolled = await enrolMachine(database, unit, `pc-${i}`);
  machines.push({ agentId: enrolled.agentId, seq: 0, inventory: null, unit });
}

async function addLicence(unit: (typeof units)[number]) {
  const [productId, type, quantity, startsOn, endsOn] = pick(LICENCES);
  await database.query(
    `INSERT INTO licences (org_id, product_id, type, quantity, licence_count, starts_on, ends_on) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [unit.id, productId, type, quantity, type === 'volume' ? 3 : null, startsOn, endsOn],
  );
  // What the ledger service does after a change: recompute that product's group in that unit.
  await recomputeUnitProducts(db, { orgId: unit.id, orgPath: unit.path }, [productId], { asOf });
}

t.test('a random sequence of ingests and ledger changes', async (t) => {
  let applied = 0;
  for (let step = 0; step < 80; step++) {
    const machine = pick(machines);
    if (rand() < 0.12) {
      await addLicence(machine.unit);
      continue;
    }
    const next = randomInventory(machine.inventory?.hostname ?? `pc-${step}`);
    machine.seq += 1;
    const outcome =
      machine.inventory && rand() < 0.6
        ? await ingestDeltaReport(db, machine.agentId, {
            v: PROTOCOL_VERSION,
            type: MessageType.InventoryDelta,
            seq: machine.seq,
            baseHash: inventoryHash(machine.inventory),
            hash: inventoryHash(next),
            delta: diffInventory(machine.inventory, next),
          })
        : await ingestFullReport(db, machine.agentId, { v: PROTOCOL_VERSION, type: MessageType.InventoryFull, seq: machine.seq, hash: inventoryHash(next), inventory: next });
    if (outcome.result === 'applied') applied += 1;
    machine.inventory = next;
  }
  t.ok(applied > 50, `${applied} reports applied`);
});

async function snapshot() {
  const positions = await database.query(`SELECT org_id, product_id, group_id, installs, licences, covered, shortfall, surplus, seats_used, detail
                                            FROM licence_positions ORDER BY org_id, product_id`);
  const findings = await database.query(`SELECT machine_id, org_id, code, subject, severity, origin, evidence
                                           FROM machine_findings WHERE closed_at IS NULL ORDER BY machine_id, code, subject`);
  const products = await database.query(`SELECT machine_id, product_id, edition, source, evidence, version FROM machine_products ORDER BY machine_id, product_id`);
  const unrecognised = await database.query(`SELECT machine_id, name_key, publisher_key FROM machine_unrecognised ORDER BY machine_id, name_key`);
  return { positions, findings, products, unrecognised };
}

t.test('the incremental state is not trivial', async (t) => {
  const state = await snapshot();
  t.ok(state.positions.length >= 10, `${state.positions.length} positions`);
  const codes = new Set(state.findings.map((f) => (f as { code: string }).code));
  for (const code of ['licence.shortfall', 'kms.unapproved-host', 'software.personal-use-only']) t.ok(codes.has(code), `some ${code} finding is open`);
  t.ok(state.unrecognised.length > 0, 'unrecognised entries are recorded');
});

t.test('a full recompute over the incremental state changes nothing', async (t) => {
  const before = await snapshot();
  const result = await recomputeAll(db, {}, { asOf });
  t.same(result.events, [], 'no event: nothing changed');
  t.same(await snapshot(), before);
});

t.test('a full recompute from scratch gives the same positions, findings and products', async (t) => {
  const incremental = await snapshot();
  await database.query(`DELETE FROM licence_positions`);
  await database.query(`DELETE FROM machine_findings`);
  await database.query(`DELETE FROM machine_products`);
  await database.query(`DELETE FROM machine_unrecognised`);
  await recomputeAll(db, {}, { asOf });
  const full = await snapshot();
  t.same(full.positions, incremental.positions, 'licence positions');
  t.same(full.findings, incremental.findings, 'open findings');
  t.same(full.products, incremental.products, 'recognised products');
  t.same(full.unrecognised, incremental.unrecognised, 'unrecognised entries');
});
