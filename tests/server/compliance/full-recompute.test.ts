/**
 * The full recompute at fleet scale compares machines by digest and writes only differences
 * (server/src/compliance/row-digest.ts): PostgreSQL's digest of stored rows must equal the
 * server's digest of the same rows, whatever they contain, and a full recompute over a state where
 * a few stored rows drifted must repair exactly those rows and rewrite nothing else. Enough
 * machines (40) that the digest path runs (a batch of fewer than 16 is compared row by row).
 * Runs on PGlite and, with DATABASE_URL, on PostgreSQL.
 */
import t from 'tap';
import { MessageType, PROTOCOL_VERSION } from '@zhengban/protocol';
import { inventoryHash } from '@zhengban/protocol/hash';
import { bootstrap } from '../../../server/src/bootstrap/bootstrap.ts';
import { recomputeAll, refreshMachinesCompliance, todayInChina } from '../../../server/src/compliance/recompute.ts';
import { DIGEST_MIN_MACHINES, digestRows, getMachineDigests } from '../../../server/src/compliance/row-digest.ts';
import { ingestFullReport } from '../../../server/src/ingest/ingest-full.ts';
import { createTestDatabase } from '../../helpers/db.ts';
import { createUnit, enrolMachine, officeSuite, registry, windowsInventory } from './helpers.ts';

const testDb = await createTestDatabase();
t.teardown(testDb.close);
const { db, database } = testDb;
const seeded = await bootstrap(db, { adminPassword: 'test-admin-password' });

const unit = await createUnit(db, seeded.rootOrgId, '区档案馆');

const MACHINES = 40;

await database.query(`INSERT INTO licences (org_id, product_id, type, quantity, starts_on) VALUES ($1, 'windows-10-pro', 'perpetual-device', 15, '2023-01-01')`, [unit.id]);
const machineIds: string[] = [];
for (let i = 0; i < MACHINES; i++) {
  const enrolled = await enrolMachine(database, unit, `pc-${i}`);
  const inventory = windowsInventory(`pc-${i}`, {
    ...(i % 4 === 0 ? { kmsHost: 'kms.03k.org' } : {}),
    office: i % 3 === 0 ? [officeSuite('kingsoft', 'WPS Office 2019 个人版', 'personal')] : [officeSuite('microsoft', 'Office Professional Plus 2019', 'proplus')],
    software: [registry('WinRAR 6.24 (64-位)', 'win.rar GmbH'), registry('7-Zip 23.01 (x64)', 'Igor Pavlov'), registry(`Acme Billing ${i % 5}.1`, 'Acme Co., Ltd.')],
  });
  await ingestFullReport(db, enrolled.agentId, { v: PROTOCOL_VERSION, type: MessageType.InventoryFull, seq: 1, hash: inventoryHash(inventory), inventory });
  machineIds.push(enrolled.machineId);
}
// Whether or not the ingest already did it, the machines' compliance is current from here on.
await refreshMachinesCompliance(db, machineIds);
const asOf = todayInChina();

/** Everything a recompute derives, by content (finding ids change when a finding reopens). */
async function snapshot() {
  return {
    products: await database.query(`SELECT machine_id, product_id, edition, source, evidence, version FROM machine_products ORDER BY 1, 2`),
    unrecognised: await database.query(`SELECT machine_id, name_key, publisher_key, name, publisher FROM machine_unrecognised ORDER BY 1, 2, 3`),
    findings: await database.query(`SELECT machine_id, code, subject, severity, origin, evidence FROM machine_findings WHERE closed_at IS NULL ORDER BY 1, 2, 3`),
    positions: await database.query(`SELECT org_id, product_id, installs, licences, covered, shortfall, surplus, seats_used, detail FROM licence_positions ORDER BY 1, 2`),
  };
}

/** Row versions: a row rewritten by an UPDATE (even to the same values) gets a new xmin. */
async function rowVersions() {
  const rows = await database.query<{ key: string; xmin: string }>(
    `SELECT 'p:' || machine_id || ':' || product_id AS key, xmin::text FROM machine_products
     UNION ALL SELECT 'u:' || machine_id || ':' || name_key || ':' || publisher_key, xmin::text FROM machine_unrecognised
     UNION ALL SELECT 'f:' || id, xmin::text FROM machine_findings
     UNION ALL SELECT 'l:' || org_id || ':' || product_id, xmin::text FROM licence_positions`,
  );
  return new Map(rows.map((r) => [r.key, r.xmin]));
}

t.test('PostgreSQL and the server digest the same rows alike, whatever the fields hold', async (t) => {
  // Nulls, empty strings, the encoding's own characters, CJK, an astral character (one code
  // point, two UTF-16 units, four UTF-8 bytes), and fields that would collide if simply joined.
  const sets: Array<Array<[nameKey: string, name: string, publisher: string | null]>> = [
    [['a', 'a', null]],
    [['a', 'a', '']],
    [['a', 'a', '-']],
    [['1:a', '2:bc', '-']],
    [['ab', 'c', null]],
    [['a', 'bc', null]],
    [['金山 wps 个人版', '金山 WPS 个人版', '珠海金山办公软件有限公司']],
    [['𝄞 music', '𝄞 Music', 'x']],
    [['a', 'b', null], ['c', 'c', 'd:e'], ['d', '', 'f']],
  ];
  const machines: string[] = [];
  for (const [i, rows] of sets.entries()) {
    const { machineId } = await enrolMachine(database, unit, `digest-${i}`);
    machines.push(machineId);
    for (const [nameKey, name, publisher] of rows) {
      await database.query(`INSERT INTO machine_unrecognised (machine_id, name_key, publisher_key, name, publisher) VALUES ($1, $2, '', $3, $4)`, [machineId, nameKey, name, publisher]);
    }
  }
  const stored = await getMachineDigests(db, 'machine_unrecognised', ['name_key', 'publisher_key', 'name', 'publisher'], ['name_key', 'publisher_key'], machines);
  t.same(
    machines.map((id) => stored.get(id)),
    sets.map((rows) => digestRows(rows.map(([nameKey, name, publisher]) => [nameKey, '', name, publisher]))),
    'one digest per machine, equal on both sides',
  );
  t.equal(new Set(stored.values()).size, sets.length, 'no two different row sets share a digest');
  await database.query(`DELETE FROM machine_unrecognised WHERE machine_id = ANY($1::uuid[])`, [machines]);
});

t.test('the state is not trivial', async (t) => {
  t.ok(MACHINES >= DIGEST_MIN_MACHINES * 2, 'enough machines for the digest path');
  const state = await snapshot();
  t.ok(state.products.length >= MACHINES * 4, `${state.products.length} products`);
  t.ok(state.unrecognised.length >= MACHINES, `${state.unrecognised.length} unrecognised entries`);
  const codes = new Set(state.findings.map((f) => (f as { code: string }).code));
  for (const code of ['licence.shortfall', 'kms.unapproved-host', 'software.personal-use-only']) t.ok(codes.has(code), `some ${code} finding is open`);
});

t.test('a full recompute with nothing to do rewrites no row', async (t) => {
  const before = await rowVersions();
  const result = await recomputeAll(db, {}, { asOf });
  t.same(result.events, [], 'no event');
  t.same(await rowVersions(), before, 'every row keeps its version');
});

t.test('a full recompute repairs exactly the rows that drifted', async (t) => {
  const expected = await snapshot();
  const [a, b, c, e] = [machineIds[3]!, machineIds[11]!, machineIds[20]!, machineIds[36]!];
  const [shortfall] = await database.query<{ id: string; machine_id: string }>(
    `SELECT id, machine_id FROM machine_findings WHERE code = 'licence.shortfall' AND closed_at IS NULL ORDER BY machine_id LIMIT 1`,
  );
  await database.query(`DELETE FROM machine_products WHERE machine_id = $1 AND product_id = 'winrar'`, [a]);
  await database.query(`UPDATE machine_products SET evidence = 'tampered' WHERE machine_id = $1 AND product_id = '7-zip'`, [b]);
  await database.query(`INSERT INTO machine_unrecognised (machine_id, name_key, publisher_key, name, publisher) VALUES ($1, 'stray', '', 'Stray 1.0', NULL)`, [c]);
  await database.query(`UPDATE machine_findings SET severity = 'low' WHERE id = $1`, [shortfall!.id]);
  await database.query(`UPDATE machine_findings SET closed_at = now() WHERE machine_id = $1 AND code = 'software.personal-use-only' AND closed_at IS NULL`, [machineIds[0]!]);
  await database.query(`DELETE FROM machine_findings WHERE machine_id = $1 AND code = 'kms.unapproved-host'`, [e]);
  const before = await rowVersions();

  const result = await recomputeAll(db, {}, { asOf });
  t.same(await snapshot(), expected, 'the derived state is back to what it was');
  const opened = result.findingChanges.filter((f) => f.change === 'opened').map((f) => `${f.machineId} ${f.code}`).sort();
  t.same(opened, [`${machineIds[0]!} software.personal-use-only`, `${e} kms.unapproved-host`].sort(), 'the closed and the deleted finding open again');
  t.same(result.findingChanges.filter((f) => f.change === 'closed'), [], 'no finding closes');
  t.same(result.positionsChanged, new Map(), 'no position changes');
  const after = await rowVersions();
  const rewritten = [...before].filter(([key, xmin]) => after.has(key) && after.get(key) !== xmin).map(([key]) => key);
  t.same(rewritten.sort(), [`f:${shortfall!.id}`, `p:${b}:7-zip`].sort(), 'only the tampered product and finding rows are rewritten');
  t.notOk(after.has(`u:${c}:stray:`), 'the stray unrecognised entry is deleted');
  t.ok(after.has(`p:${a}:winrar`), 'the deleted product is back');
});
