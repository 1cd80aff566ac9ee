/**
 * The agent executables offered for download: each platform listed whether built or not, built
 * ones with size and SHA-256, served without a session (a PC downloads the agent before it has any
 * credentials), and a clear 404 with the build command for one that is not built.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildTestApp } from '../../helpers/db.ts';

const dir = await mkdtemp(join(tmpdir(), 'zhengban-downloads-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
// Stand-in bytes for the Linux x64 executable: what is tested is how the server lists and serves a file.
const bytes = Buffer.from('\x7fELF stand-in for zhengban-agent-linux-x64 '.repeat(1000), 'latin1');
await writeFile(join(dir, 'zhengban-agent-linux-x64'), bytes);
const testApp = await buildTestApp({ config: { agentDownloadsDir: dir } });
t.teardown(testApp.close);
const { app } = testApp;

t.test('every platform is listed; the built one with its size and SHA-256', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/agent/downloads' });
  t.equal(res.statusCode, 200, 'no session needed');
  const body = res.json();
  t.equal(body.buildCommand, 'npm run build:agent');
  t.same(
    body.downloads.map((d: { platform: string; built: boolean }) => [d.platform, d.built]),
    [
      ['win-x64', false],
      ['linux-x64', true],
      ['linux-arm64', false],
    ],
  );
  t.match(body.downloads[1], {
    os: 'linux',
    file: 'zhengban-agent-linux-x64',
    path: '/agent/downloads/zhengban-agent-linux-x64',
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    builtAt: String,
  });
  t.match(body.downloads[0], { file: 'zhengban-agent-win-x64.exe', size: null, sha256: null });
});

t.test('a built executable downloads as an attachment with its exact bytes', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/agent/downloads/zhengban-agent-linux-x64' });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/octet-stream');
  t.equal(res.headers['content-disposition'], 'attachment; filename="zhengban-agent-linux-x64"');
  t.ok(res.rawPayload.equals(bytes), 'same bytes');
});

t.test('a platform not built answers 404 with the command that builds it; an unknown file 404 too', async (t) => {
  const missing = await app.inject({ method: 'GET', url: '/agent/downloads/zhengban-agent-win-x64.exe' });
  t.equal(missing.statusCode, 404);
  t.match(missing.json(), { code: 'agent-download.not-built', message: 'zhengban-agent-win-x64.exe (win-x64) has not been built on this server: run `npm run build:agent` in its directory' });
  const unknown = await app.inject({ method: 'GET', url: '/agent/downloads/zhengban-agent-macos-arm64' });
  t.equal(unknown.statusCode, 404);
  t.equal(unknown.json().code, 'route.not-found');
});

t.test('a rebuilt executable gets its new SHA-256', async (t) => {
  const rebuilt = Buffer.concat([bytes, Buffer.from('v2')]);
  await writeFile(join(dir, 'zhengban-agent-linux-x64'), rebuilt);
  const body = (await app.inject({ method: 'GET', url: '/agent/downloads' })).json();
  t.equal(body.downloads[1].sha256, createHash('sha256').update(rebuilt).digest('hex'));
});
