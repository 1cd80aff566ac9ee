/**
 * Dashboard at city scale: machine list response times and the overview's first load in Chromium.
 *
 * A fresh PostgreSQL database gets 12 county bureaus, 2,000 units and 100,000 machines (bulk SQL:
 * hostnames, serials, IP addresses, OS mix, activation, last contact spread over 30 days, open
 * findings on ~6%), and the real server runs on it in its own process. Then:
 * - the machine list: typical requests of the 计算机 page (first page, deep page, hostname, serial
 *   and IP search, filters, sorts, a county, a unit admin's view), each `--runs` times interleaved,
 *   p50/p99 per request and over all, against two baselines measured in the same run: the
 *   `/healthz` round trip (HTTP alone) and `SELECT count(*) FROM machines` on a direct connection
 *   (the database touching every row of the table once);
 * - the overview's first load: a fresh browser context (empty cache) opens `/` signed in, timed
 *   to the overview frame and to the first figures shown, with the JavaScript transferred
 *   (compressed bytes on the wire) and uncompressed; baseline: the same browser loading
 *   `/healthz` in a fresh context.
 *
 *   npm run bench -- dashboard [--machines 100000] [--units 2000] [--runs 30] [--loads 5] [--keep]
 *
 * `--keep` leaves the database (its name is printed) for EXPLAIN ANALYZE.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { BenchDatabase, BenchServer } from './sim/bench-server.ts';

const { values } = parseArgs({
  options: {
    machines: { type: 'string', default: '100000' },
    units: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '30' },
    loads: { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
  },
});
const MACHINES = Number(values.machines);
const UNITS = Number(values.units);
const RUNS = Number(values.runs);
const LOADS = Number(values.loads);
const ADMIN_PASSWORD = 'bench-admin-password';
const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1]! };
};
const fmt = (ms: number) => `${ms.toFixed(1).padStart(7)} ms`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

/** Units under 12 county bureaus; machines round-robin over the units. */
async function seed(database: BenchDatabase): Promise<void> {
  const client = await database.connect();
  try {
    await client.query(`
      WITH b AS (SELECT g, gen_random_uuid() AS id FROM generate_series(1, 12) g)
      INSERT INTO orgs (id, parent_id, kind, name, region, path)
      SELECT b.id, r.id, 'bureau', '区县版权局' || b.g, '区县' || b.g, r.path || b.id || '/' FROM b, orgs r WHERE r.parent_id IS NULL`);
    await client.query(
      `WITH u AS (SELECT g, gen_random_uuid() AS id FROM generate_series(1, $1::int) g),
            bs AS (SELECT id, path, region, row_number() OVER (ORDER BY id) - 1 AS n FROM orgs WHERE kind = 'bureau' AND parent_id IS NOT NULL)
       INSERT INTO orgs (id, parent_id, kind, name, sector, region, expected_machines, path)
       SELECT u.id, bs.id, 'unit', '单位' || u.g, (ARRAY['党政机关','国有企业','教育','医疗','交通','能源','银行','其他'])[1 + u.g % 8], bs.region,
              ($2::int / $1::int) + 5, bs.path || u.id || '/'
       FROM u JOIN bs ON bs.n = u.g % 12`,
      [UNITS, MACHINES],
    );
    for (let from = 1; from <= MACHINES; from += 20_000) {
      await client.query(
        `WITH units AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM orgs WHERE kind = 'unit' AND name LIKE '单位%')
         INSERT INTO machines (org_id, hostname, hardware_serial, last_ip, os_family, os_product, os_version, os_activation_status, os_activation_channel,
                               software_count, agent_version, inventory, collected_at, first_seen_at, last_seen_at)
         SELECT u.id,
           (ARRAY['CAIWU','BGS','RENSHI','JIAOWU','XINXI','DANGBAN','HUIYI','ZHIHUI'])[1 + g % 8] || '-PC-' || lpad((g / 8)::text, 5, '0'),
           upper(substr(md5(g::text), 1, 10)),
           '10.' || (g / 65536) % 256 || '.' || (g / 256) % 256 || '.' || g % 256,
           CASE WHEN g % 5 = 0 THEN 'kylin' WHEN g % 17 = 0 THEN 'uos' ELSE 'windows' END,
           CASE WHEN g % 5 = 0 THEN 'Kylin Desktop V10 SP1' WHEN g % 17 = 0 THEN 'UOS Desktop 20' ELSE 'Windows 10 Pro' END,
           CASE WHEN g % 5 = 0 THEN 'V10 SP1' WHEN g % 17 = 0 THEN '20' ELSE '10' END,
           CASE WHEN g % 97 = 0 THEN 'grace' WHEN g % 13 = 0 THEN 'unlicensed' WHEN g % 41 = 0 THEN 'unknown' ELSE 'licensed' END,
           'oem', 40 + g % 160, '0.1.0',
           jsonb_build_object('hostname', 'pc-' || g, 'agentVersion', '0.1.0', 'software', '[]'::jsonb, 'findings', '[]'::jsonb),
           now() - (g % 720) * interval '1 hour',
           now() - interval '400 days' + (g % 300) * interval '1 day',
           CASE WHEN g % 50 = 0 THEN NULL ELSE now() - (g % 720) * interval '1 hour' END
         FROM generate_series($1::int, $2::int) g JOIN units u ON u.n = g % $3::int`,
        [from, Math.min(MACHINES, from + 19_999), UNITS],
      );
    }
    await client.query(`
      INSERT INTO machine_findings (machine_id, org_id, code, subject, severity, origin, evidence)
      SELECT id, org_id, 'kms.public-host', 'kms.03k.org', 'high', 'server', 'KeyManagementServiceMachine = kms.03k.org'
      FROM machines WHERE hardware_serial < '1'`);
    // A unit admin, signed in with the admin's password (its hash is copied: no KDF run here).
    await client.query(`
      INSERT INTO users (username, password_hash, org_id, role)
      SELECT 'bench-unit-admin', password_hash, (SELECT id FROM orgs WHERE name = '单位7'), 'unit-admin' FROM users WHERE username = 'admin'`);
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

async function signIn(baseUrl: string, username: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: ADMIN_PASSWORD }) });
  if (!res.ok) throw new Error(`sign-in of ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('zhengban_session='))!;
  return cookie.split(';')[0]!;
}

/** Times `fn` once, in milliseconds. */
async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function get(baseUrl: string, path: string, cookie?: string): Promise<void> {
  const res = await fetch(`${baseUrl}${path}`, { headers: cookie ? { cookie } : {} });
  const body = await res.text();
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${body.slice(0, 200)}`);
}

async function benchMachineList(server: BenchServer, database: BenchDatabase): Promise<void> {
  const admin = await signIn(server.url, 'admin');
  const unitAdmin = await signIn(server.url, 'bench-unit-admin');
  const client = await database.connect();
  const [county] = (await client.query<{ id: string }>("SELECT id FROM orgs WHERE name = '区县版权局3'")).rows;
  const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const requests: Array<[string, string, string]> = [
    ['first page (hostname order)', '/api/machines?limit=50', admin],
    ['page 200 (offset 9,950)', '/api/machines?limit=50&offset=9950', admin],
    ['hostname contains "CAIWU-PC-0123"', '/api/machines?q=CAIWU-PC-0123&limit=50', admin],
    ['serial contains "A3F9"', '/api/machines?q=A3F9&limit=50', admin],
    ['IP starts "10.1.2."', '/api/machines?q=10.1.2.&limit=50', admin],
    ['Kylin + unlicensed', '/api/machines?osFamily=kylin&activation=unlicensed&limit=50', admin],
    ['grace period (rare)', '/api/machines?activation=grace&limit=50', admin],
    ['with open findings', '/api/machines?hasFindings=true&limit=50', admin],
    ['not seen for 7 days', `/api/machines?seenBefore=${encodeURIComponent(weekAgo)}&limit=50`, admin],
    ['last seen, newest first', '/api/machines?sort=lastSeenAt&order=desc&limit=50', admin],
    ['software count, most first', '/api/machines?sort=softwareCount&order=desc&limit=50', admin],
    ['one county (1/12)', `/api/machines?orgId=${county!.id}&limit=50`, admin],
    ['unit admin, own unit', '/api/machines?limit=50', unitAdmin],
  ];
  const samples = new Map<string, number[]>(requests.map(([name]) => [name, []]));
  const health: number[] = [];
  const countAll: number[] = [];
  for (const [, path, cookie] of requests) for (let i = 0; i < 3; i++) await get(server.url, path, cookie);
  for (let i = 0; i < 3; i++) await client.query('SELECT count(*) FROM machines');
  for (let run = 0; run < RUNS; run++) {
    for (const [name, path, cookie] of requests) samples.get(name)!.push(await time(() => get(server.url, path, cookie)));
    health.push(await time(() => get(server.url, '/healthz')));
    countAll.push(await time(() => client.query('SELECT count(*) FROM machines')));
  }
  await client.end();

  const baseHealth = stats(health);
  const baseCount = stats(countAll);
  console.log(`\n  machine list, ${RUNS} runs each (p50 / p99 / max)`);
  for (const [name] of requests) {
    const s = stats(samples.get(name)!);
    console.log(`    ${name.padEnd(36)} ${fmt(s.p50)} ${fmt(s.p99)} ${fmt(s.max)}`);
  }
  const all = stats([...samples.values()].flat());
  console.log(`    ${'all list requests'.padEnd(36)} ${fmt(all.p50)} ${fmt(all.p99)} ${fmt(all.max)}`);
  console.log(`    ${'baseline: GET /healthz'.padEnd(36)} ${fmt(baseHealth.p50)} ${fmt(baseHealth.p99)} ${fmt(baseHealth.max)}`);
  console.log(`    ${'baseline: SELECT count(*) FROM machines'.padEnd(36)} ${fmt(baseCount.p50)} ${fmt(baseCount.p99)} ${fmt(baseCount.max)}`);
  console.log(`    ratio list p50 / count(*) p50: ${(all.p50 / baseCount.p50).toFixed(2)}x; list p99 / count(*) p99: ${(all.p99 / baseCount.p99).toFixed(2)}x`);
}

async function benchOverview(server: BenchServer, browser: Browser): Promise<void> {
  const cookie = await signIn(server.url, 'admin');
  const [name, value] = cookie.split('=') as [string, string];
  const frame: number[] = [];
  const figures: number[] = [];
  const baseline: number[] = [];
  let wire = 0;
  let raw = 0;
  let scripts = 0;
  for (let load = 0; load < LOADS + 1; load++) {
    // A fresh context each time: empty cache, as on a clerk's first visit.
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    await context.addCookies([{ name, value, url: server.url }]);
    const page = await context.newPage();
    const sizes: Array<Promise<{ wire: number; raw: number }>> = [];
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return;
      sizes.push(response.request().sizes().then(async (s) => ({ wire: s.responseBodySize, raw: (await response.body()).length })));
    });
    const start = performance.now();
    await page.goto(`${server.url}/`);
    await page.locator('[data-testid=overview]').waitFor();
    const shown = performance.now() - start;
    await page.locator('[data-testid=stat-machines] .ant-statistic-content-value').waitFor({ timeout: 120_000 });
    const filled = performance.now() - start;
    const measured = await Promise.all(sizes);
    // The first load warms the server and the OS file cache; it is not counted.
    if (load > 0) {
      frame.push(shown);
      figures.push(filled);
      wire = measured.reduce((n, s) => n + s.wire, 0);
      raw = measured.reduce((n, s) => n + s.raw, 0);
      scripts = measured.length;
    }
    await context.close();

    const bare = await browser.newContext();
    const barePage = await bare.newPage();
    const bareStart = performance.now();
    await barePage.goto(`${server.url}/healthz`);
    if (load > 0) baseline.push(performance.now() - bareStart);
    await bare.close();
  }
  const f = stats(frame);
  const g = stats(figures);
  const b = stats(baseline);
  console.log(`\n  overview first load in Chromium, ${LOADS} loads, fresh context each (p50 / max)`);
  console.log(`    ${'overview frame visible'.padEnd(36)} ${fmt(f.p50)} ${fmt(f.max)}`);
  console.log(`    ${'figures shown (100,000 machines)'.padEnd(36)} ${fmt(g.p50)} ${fmt(g.max)}`);
  console.log(`    ${'baseline: open /healthz'.padEnd(36)} ${fmt(b.p50)} ${fmt(b.max)}`);
  console.log(`    ratio frame p50 / baseline p50: ${(f.p50 / b.p50).toFixed(1)}x`);
  console.log(`    JavaScript: ${scripts} files, ${kib(wire)} transferred (compressed), ${kib(raw)} uncompressed`);
}

execFileSync(process.execPath, [`${REPO_ROOT}dashboard/scripts/ensure-built.mjs`], { stdio: 'inherit', cwd: REPO_ROOT });
const database = await BenchDatabase.create();
let server: BenchServer | undefined;
let browser: Browser | undefined;
try {
  server = await BenchServer.start(database);
  console.log(`dashboard: ${MACHINES} machines in ${UNITS} units under 12 bureaus, on ${database.name}`);
  const seedTime = await time(() => seed(database));
  console.log(`  generated with bulk SQL in ${(seedTime / 1000).toFixed(1)} s`);
  await benchMachineList(server, database);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  await benchOverview(server, browser);
} finally {
  await browser?.close();
  await server?.stop();
  if (values.keep) console.log(`\n  kept the database: psql ${database.url}`);
  else await database.drop();
}
