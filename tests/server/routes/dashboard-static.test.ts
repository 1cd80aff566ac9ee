/**
 * The built dashboard as the server sends it: hashed assets compressed at build time (brotli or
 * gzip, as the browser accepts) and cacheable for good; pages fall back to index.html, never cached.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import t from 'tap';
import { DASHBOARD_DIST_DIR } from '../../../server/src/routes/dashboard.ts';
import { ensureDashboardBuilt } from '../../dashboard/browser.ts';
import { buildTestApp } from '../../helpers/db.ts';

// A cold Vite build on a busy 2-core machine takes over a minute.
t.setTimeout(600_000);
ensureDashboardBuilt();
const testApp = await buildTestApp();
t.teardown(testApp.close);
const { app } = testApp;
const script = readdirSync(join(DASHBOARD_DIST_DIR, 'assets')).find((f) => /^index-.*\.js$/.test(f))!;
const original = readFileSync(join(DASHBOARD_DIST_DIR, 'assets', script));

t.test('a script goes out compressed the way the browser accepts, and may be cached for good', async (t) => {
  const br = await app.inject({ url: `/assets/${script}`, headers: { 'accept-encoding': 'gzip, deflate, br' } });
  t.equal(br.statusCode, 200);
  t.equal(br.headers['content-encoding'], 'br');
  t.match(br.headers['content-type'], /javascript/);
  t.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
  t.ok(brotliDecompressSync(br.rawPayload).equals(original), 'brotli: the same bytes');
  t.ok(br.rawPayload.length < original.length / 2, `brotli ${br.rawPayload.length} bytes for ${original.length}`);

  const gz = await app.inject({ url: `/assets/${script}`, headers: { 'accept-encoding': 'gzip' } });
  t.equal(gz.headers['content-encoding'], 'gzip');
  t.ok(gunzipSync(gz.rawPayload).equals(original), 'gzip: the same bytes');

  const plain = await app.inject({ url: `/assets/${script}` });
  t.equal(plain.headers['content-encoding'], undefined);
  t.ok(plain.rawPayload.equals(original), 'uncompressed to a client that asks for nothing');
});

t.test('a deep link answers the page itself, never cached', async (t) => {
  const res = await app.inject({ url: '/admin/orgs', headers: { 'accept-encoding': 'gzip' } });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['cache-control'], 'no-cache');
  const html = res.headers['content-encoding'] === 'gzip' ? gunzipSync(res.rawPayload).toString() : res.body;
  t.match(html, /<div id="root">/);
});
