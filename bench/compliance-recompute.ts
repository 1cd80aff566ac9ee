/**
 * Full compliance recompute for N machines on PostgreSQL (default 100,000): a fresh database is
 * filled with bulk SQL (units, machines with realistic Windows/Kylin inventories, office suites,
 * common software and some unknown programs, a ledger per unit), then `recomputeAll` runs three
 * times: from nothing (every product, finding and position written), with nothing changed (what
 * a rule change that matches nothing costs), and after a bureau admin's rule that turns an
 * unrecognised program on every machine into a licensed product (the case the
 * full recompute exists for). Prints seconds, machines/s and what each run changed.
 *
 * Baselines measured in the same run, on the same rows:
 * - read floor: reading every machine's inventory parts through the same driver, in the same
 *   batches of 1,000 (what any recompute that looks at every machine must at least do);
 * - write floor: `INSERT INTO <copy> SELECT * FROM machine_products`, a server-side bulk copy of
 *   the product rows into an identical table (what writing them from nothing must at least cost).
 *
 *   npm run bench -- compliance-recompute [--machines 100000] [--units 200] [--software 20] [--keep]
 */
import { parseArgs } from 'node:util';
import { bootstrap } from '../server/src/bootstrap/bootstrap.ts';
import { recomputeAll } from '../server/src/compliance/recompute.ts';
import { openDatabase } from '../server/src/db/database.ts';
import { BenchDatabase } from './sim/bench-server.ts';

const { values } = parseArgs({
  options: {
    machines: { type: 'string', default: '100000' },
    units: { type: 'string', default: '200' },
    software: { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
  },
});
const MACHINES = Number(values.machines);
const UNITS = Number(values.units);
const SOFTWARE = Number(values.software);
/** Machines inserted per INSERT ... SELECT statement. */
const CHUNK = 10_000;

/** Software names the catalog knows (and a few it does not), with publishers, as Windows lists them. */
const SOFTWARE_NAMES: Array<[string, string]> = [
  ['WinRAR 6.24 (64-位)', 'win.rar GmbH'],
  ['7-Zip 23.01 (x64)', 'Igor Pavlov'],
  ['Google Chrome', 'Google LLC'],
  ['Mozilla Firefox (x64 zh-CN)', 'Mozilla'],
  ['Adobe Acrobat DC (64-bit)', 'Adobe'],
  ['AutoCAD 2022 - 简体中文 (Simplified Chinese)', 'Autodesk'],
  ['CAXA CAD电子图板 2023', 'CAXA'],
  ['福昕阅读器', '福建福昕软件开发股份有限公司'],
  ['360安全卫士', '360安全中心'],
  ['火绒安全软件', '北京火绒网络科技有限公司'],
  ['腾讯QQ', '腾讯科技(深圳)有限公司'],
  ['微信', '腾讯科技(深圳)有限公司'],
  ['VLC media player', 'VideoLAN'],
  ['数科OFD阅读器', '北京数科网维技术有限责任公司'],
  ['Acme Billing 3.1', 'Acme Co., Ltd.'],
  ['财务报表助手 2.0', '某某软件'],
  ['Microsoft Visual C++ 2015-2022 Redistributable (x64)', 'Microsoft Corporation'],
  ['Notepad++ (64-bit x64)', 'Notepad++ Team'],
  ['TeamViewer', 'TeamViewer'],
  ['WPS Office', 'Kingsoft Corp.'],
];

const database = await BenchDatabase.create();
const opened = await openDatabase({ databaseUrl: database.url, poolSize: 4 });
try {
  await opened.withStartupLock(async () => undefined);
  const seeded = await bootstrap(opened.db, { adminPassword: 'bench-admin-password' });
  console.log(`compliance-recompute: ${MACHINES} machines in ${UNITS} units, ${SOFTWARE} software entries each, on ${database.name}`);
  const generating = performance.now();

  // Units under the root, with region and sector; a bulk insert fills the materialised paths.
  await opened.query(
    `WITH u AS (SELECT g, gen_random_uuid() AS id FROM generate_series(1, $1::int) g)
     INSERT INTO orgs (id, parent_id, kind, name, region, sector, path)
     SELECT u.id, r.id, 'unit', '单位' || u.g, (ARRAY['岳麓区','天心区','芙蓉区','开福区','雨花区'])[1 + u.g % 5], (ARRAY['党政机关','教育','卫生','事业单位'])[1 + u.g % 4],
            r.path || u.id || '/'
     FROM u, orgs r WHERE r.id = $2`,
    [UNITS, seeded.rootOrgId],
  );
  for (let from = 0; from < MACHINES; from += CHUNK) {
    const to = Math.min(MACHINES, from + CHUNK) - 1;
    await opened.query(
      `WITH units AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM orgs WHERE kind = 'unit' AND parent_id = $3)
       INSERT INTO machines (org_id, hostname, os_family, os_product, inventory, software_count, last_seen_at)
       SELECT u.id, 'pc-' || g,
              CASE WHEN g % 5 = 0 THEN 'kylin' ELSE 'windows' END,
              CASE WHEN g % 5 = 0 THEN 'Kylin Desktop V10 SP1' ELSE 'Windows 10 Pro' END,
              jsonb_build_object(
                'collectedAt', '2026-11-28T09:00:00+08:00', 'hostname', 'pc-' || g, 'agentVersion', '0.1.0', 'hardware', jsonb_build_object('macs', '[]'::jsonb),
                'os', CASE WHEN g % 5 = 0
                  THEN jsonb_build_object('family', 'kylin', 'product', 'Kylin Desktop V10 SP1', 'edition', 'desktop', 'version', 'V10 SP1 2403', 'arch', 'x86_64',
                                          'activation', jsonb_build_object('status', 'licensed', 'channel', 'retail'))
                  ELSE jsonb_build_object('family', 'windows', 'product', 'Windows 10 Pro', 'edition', 'Professional', 'version', '10', 'arch', 'x86_64',
                                          'activation', CASE WHEN g % 7 = 0 THEN jsonb_build_object('status', 'licensed', 'channel', 'kms', 'kmsHost', 'kms.03k.org')
                                                             ELSE jsonb_build_object('status', 'licensed', 'channel', 'oem') END) END,
                'office', CASE g % 3
                  WHEN 0 THEN jsonb_build_array(jsonb_build_object('vendor', 'kingsoft', 'product', 'WPS Office 2019 专业版', 'edition', 'professional', 'scope', 'machine',
                                                                   'activation', jsonb_build_object('status', 'licensed', 'channel', 'mak')))
                  WHEN 1 THEN jsonb_build_array(jsonb_build_object('vendor', 'microsoft', 'product', 'Office Professional Plus 2019', 'edition', 'proplus', 'scope', 'machine',
                                                                   'activation', jsonb_build_object('status', 'licensed', 'channel', 'mak')))
                  ELSE '[]'::jsonb END,
                'findings', '[]'::jsonb, 'captureErrors', '[]'::jsonb),
              $4::int, now()
       FROM generate_series($1::int, $2::int) g JOIN units u ON u.n = g % $5::int`,
      [from, to, seeded.rootOrgId, SOFTWARE, UNITS],
    );
  }
  // The software lists, where ingest keeps them: one machine_software row per entry.
  await opened.query(
    `WITH names AS (SELECT ordinality - 1 AS n, value->>0 AS name, value->>1 AS publisher FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY)
     INSERT INTO machine_software (machine_id, key, software_id, name, version, publisher, source, hive)
     SELECT m.id, 'registry|HKLM|{' || nm.name || '}', '{' || nm.name || '}', nm.name, '1.0', nm.publisher, 'registry', 'HKLM'
     FROM machines m, LATERAL (SELECT DISTINCT (substr(m.hostname, 4)::int * 7 + k * 13) % $2::int AS n FROM generate_series(1, $3::int) k) pick
     JOIN names nm ON nm.n = pick.n`,
    [JSON.stringify(SOFTWARE_NAMES), SOFTWARE_NAMES.length, SOFTWARE],
  );
  // A ledger per unit: Windows per device for half its PCs, a WPS site licence, a volume Office agreement.
  await opened.query(
    `INSERT INTO licences (org_id, product_id, type, quantity, licence_count, starts_on)
     SELECT o.id, l.product, l.type, greatest(1, (SELECT count(*) FROM machines m WHERE m.org_id = o.id) / 2), l.licence_count, '2023-01-01'
     FROM orgs o CROSS JOIN (VALUES ('windows-10-pro', 'perpetual-device', NULL::int), ('wps-professional-2019', 'site', NULL), ('office-proplus-2019', 'volume', 100), ('winrar', 'perpetual-device', NULL)) AS l(product, type, licence_count)
     WHERE o.kind = 'unit' AND o.parent_id = $1`,
    [seeded.rootOrgId],
  );
  await opened.query('ANALYZE');
  const [size] = await opened.query<{ size: string }>('SELECT pg_size_pretty(pg_database_size(current_database())) AS size');
  console.log(`  generated with bulk SQL in ${((performance.now() - generating) / 1000).toFixed(1)} s (database ${size!.size})`);

  const counts = async () =>
    (
      await opened.query<{ products: number; positions: number; findings: number; unrecognised: number }>(
        `SELECT (SELECT count(*) FROM machine_products)::int AS products, (SELECT count(*) FROM licence_positions)::int AS positions,
                (SELECT count(*) FROM machine_findings WHERE closed_at IS NULL)::int AS findings, (SELECT count(*) FROM machine_unrecognised)::int AS unrecognised`,
      )
    )[0]!;
  const timed = async (run: string) => {
    const started = performance.now();
    const result = await recomputeAll(opened.db);
    const seconds = (performance.now() - started) / 1000;
    const c = await counts();
    console.log(
      `  full recompute, ${run.padEnd(16)} ${seconds.toFixed(1).padStart(7)} s  ${(MACHINES / seconds).toFixed(0).padStart(6)} machines/s  ` +
        `(${c.products} installs, ${c.unrecognised} unrecognised, ${c.positions} positions, ${c.findings} open findings; ` +
        `${result.findingChanges.length} finding changes, ${[...result.positionsChanged.values()].reduce((n, ids) => n + ids.length, 0)} positions changed)`,
    );
    return seconds;
  };
  const fromNothing = await timed('from nothing');
  const unchanged = await timed('nothing changed');
  // A bureau admin's rule: "Acme Billing" (unrecognised so far) is a licensed product.
  await opened.query(
    `INSERT INTO catalog_rules (name_pattern, product_id, product, note)
     VALUES ('^Acme Billing\\b', 'acme-billing', $1::jsonb, 'bench: a rule added by a bureau admin')`,
    [JSON.stringify({ id: 'acme-billing', vendor: 'Acme', name: 'Acme Billing', category: 'other', domestic: false, licenceModel: 'per-device' })],
  );
  const ruleChange = await timed('after a new rule');

  // Read floor: every machine's inventory parts, in the recompute's batches, through the same driver.
  let started = performance.now();
  let afterId = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await opened.query<{ id: string }>(
      `SELECT m.id, m.org_id, o.path, jsonb_build_object('os', m.inventory->'os', 'office', m.inventory->'office', 'findings', m.inventory->'findings') AS inventory,
              (SELECT json_agg(json_build_array(s.software_id, s.name, s.version, s.publisher, s.install_date, s.source, s.hive, s.arch) ORDER BY s.key)
               FROM machine_software s WHERE s.machine_id = m.id) AS software
       FROM machines m JOIN orgs o ON o.id = m.org_id WHERE m.inventory IS NOT NULL AND m.id > $1::uuid ORDER BY m.id LIMIT 1000`,
      [afterId],
    );
    if (rows.length < 1000) break;
    afterId = rows.at(-1)!.id;
  }
  const readFloor = (performance.now() - started) / 1000;
  // Write floor: the product rows copied server-side into an identical table.
  started = performance.now();
  await opened.query('CREATE TABLE bench_products_copy (LIKE machine_products INCLUDING ALL)');
  await opened.query('INSERT INTO bench_products_copy SELECT * FROM machine_products');
  const writeFloor = (performance.now() - started) / 1000;
  await opened.query('DROP TABLE bench_products_copy');
  console.log(`  baseline: read every machine    ${readFloor.toFixed(1).padStart(7)} s   write floor: copy the product rows ${writeFloor.toFixed(1)} s`);
  console.log(
    `  ratios: nothing changed / read floor ${(unchanged / readFloor).toFixed(1)}x, after a new rule / read floor ${(ruleChange / readFloor).toFixed(1)}x, ` +
      `from nothing / (read + write floors) ${(fromNothing / (readFloor + writeFloor)).toFixed(1)}x`,
  );
} finally {
  await opened.close();
  if (values.keep) console.log(`  kept database ${database.url}`);
  else await database.drop();
}
