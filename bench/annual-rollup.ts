/**
 * Annual-return roll-up at city scale on PostgreSQL: 2,000 units with 100,000 machines and their
 * ledger rows, generated in bulk SQL in a throwaway database. 95% of the units submit their return
 * through the real service (each filled from its own snapshot and frozen with its evidence); then
 * the bureau's roll-up of the whole city is timed: one query over the stored versions, the pure
 * subtotals, and the XLSX workbook. Target: roll-up under 1 s. Prints figures, not a pass/fail.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/annual-rollup.ts [--units 2000] [--machines 100000]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { listRollupUnits } from '../server/src/annual-return/queries.ts';
import { rollUpReturns } from '../server/src/annual-return/rollup.ts';
import { submitReturn } from '../server/src/annual-return/service.ts';
import { writeRollupXlsx } from '../server/src/annual-return/xlsx-rollup.ts';
import { bootstrap } from '../server/src/bootstrap/bootstrap.ts';
import { buildRuleSet } from '../server/src/catalog/rules/index.ts';
import { todayInChina } from '../server/src/compliance/recompute.ts';
import { openDatabase } from '../server/src/db/database.ts';
import { getOrgById } from '../server/src/orgs/queries.ts';

const { values } = parseArgs({ options: { units: { type: 'string', default: '2000' }, machines: { type: 'string', default: '100000' }, runs: { type: 'string', default: '5' } } });
const UNITS = Number(values.units);
const MACHINES = Number(values.machines);
const RUNS = Number(values.runs);
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const name = `zb_bench_annual_${randomBytes(4).toString('hex')}`;
const admin = async (text: string) => {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
};
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

await admin(`CREATE DATABASE ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
const database = await openDatabase({ databaseUrl: url.href });
try {
  await database.withStartupLock(async () => undefined);
  const { db } = database;
  const seeded = await bootstrap(db, { adminPassword: 'bench-admin-password' });
  const root = (await getOrgById(db, seeded.rootOrgId))!;

  let start = process.hrtime.bigint();
  // Units spread over 12 regions and 8 sectors; machines round-robin over units with a realistic
  // OS mix (Windows 70%, Kylin 20%, UOS 5%, NeoKylin 3%, unscanned 2%); 2 ledger rows per unit.
  await database.query(`
    INSERT INTO orgs (id, parent_id, kind, name, region, sector, path)
    SELECT id, $1::uuid, 'unit', '单位' || n, '区域' || (n % 12), (ARRAY['党政机关','国有企业','教育','卫生','交通','能源','金融','民营企业'])[1 + n % 8], $2 || id || '/'
      FROM (SELECT gen_random_uuid() AS id, n FROM generate_series(1, $3::int) n) s`, [root.id, root.path, UNITS]);
  await database.query(`
    WITH u AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM orgs WHERE kind = 'unit' AND parent_id = $1::uuid AND name LIKE '单位%'),
         c AS (SELECT count(*) AS n FROM u)
    INSERT INTO machines (org_id, hostname, hardware_uuid, os_family, inventory_hash, first_seen_at)
    SELECT u.id, 'pc-' || m, gen_random_uuid()::text,
           CASE WHEN m % 100 < 70 THEN 'windows' WHEN m % 100 < 90 THEN 'kylin' WHEN m % 100 < 95 THEN 'uos' WHEN m % 100 < 98 THEN 'neokylin' ELSE NULL END,
           CASE WHEN m % 100 < 98 THEN md5(m::text) || md5((m + 1)::text) END, now() - interval '30 days'
      FROM generate_series(0, $2::int - 1) m JOIN c ON true JOIN u ON u.i = m % c.n`, [root.id, MACHINES]);
  await database.query(`
    INSERT INTO licences (org_id, product_id, type, quantity, licence_count, purchased_on)
    SELECT id, 'office-proplus-2019', 'volume', 1, 20, current_date - 100 FROM orgs WHERE kind = 'unit' AND name LIKE '单位%'
    UNION ALL
    SELECT id, 'wps-professional-2019', 'perpetual-device', 15, NULL, current_date - 50 FROM orgs WHERE kind = 'unit' AND name LIKE '单位%'`);
  await database.query('ANALYZE');
  console.log(`generated ${UNITS} units, ${MACHINES} machines, ${UNITS * 2} ledger rows in ${ms(start).toFixed(0)} ms`);

  const today = todayInChina();
  const year = Number(today.slice(0, 4));
  const deps = { products: buildRuleSet().products, today };
  const units = await database.query<{ id: string }>(`SELECT id FROM orgs WHERE kind = 'unit' AND name LIKE '单位%' ORDER BY id`);
  const submitting = units.slice(0, Math.round(units.length * 0.95));
  start = process.hrtime.bigint();
  for (const unit of submitting) {
    await submitReturn(db, { userId: null, username: 'bench', ip: null }, unit.id, year, { staffCount: 40, head: '负责人', liaison: '联络员', contact: '0730-0000000', signedOn: today }, deps);
  }
  const submitMs = ms(start);
  console.log(`submitted ${submitting.length} returns (fill from snapshot + freeze evidence) in ${submitMs.toFixed(0)} ms (${(submitMs / submitting.length).toFixed(1)} ms each)`);

  const scope = { viewer: {} as never, paths: [root.path], canWrite: false };
  const rollupMs: number[] = [];
  const xlsxMs: number[] = [];
  let rollup = rollUpReturns(year, []);
  for (let run = 0; run < RUNS; run++) {
    start = process.hrtime.bigint();
    rollup = rollUpReturns(year, await listRollupUnits(db, scope, year));
    rollupMs.push(ms(start));
    start = process.hrtime.bigint();
    await writeRollupXlsx(rollup);
    xlsxMs.push(ms(start));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`city: ${rollup.city.units} units counted, ${rollup.notSubmitted.length} not submitted, ${rollup.city.computers} computers (Windows ${rollup.city.windows}, Kylin ${rollup.city.kylin}), Office ${rollup.city.msOffice} sets, WPS ${rollup.city.wps} sets`);
  console.log(`roll-up (query + subtotals), median of ${RUNS}: ${median(rollupMs).toFixed(1)} ms  [target < 1000 ms: ${median(rollupMs) < 1000 ? 'met' : 'NOT met'}]`);
  console.log(`roll-up XLSX workbook, median of ${RUNS}: ${median(xlsxMs).toFixed(1)} ms; roll-up + XLSX: ${(median(rollupMs) + median(xlsxMs)).toFixed(1)} ms`);
} finally {
  await database.close();
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
