import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { createTestDatabase } from '../helpers/db.ts';
import { postEnroll } from './helpers/agent-client.ts';

/** What `npm start` runs: the server workspace's start script, in server/. */
const SERVER_DIR = fileURLToPath(new URL('../../server/', import.meta.url));

const initCwd = await mkdtemp(join(tmpdir(), 'zhengban-start-'));
t.teardown(() => rm(initCwd, { recursive: true, force: true }));
// On the PostgreSQL run the started server gets its own throwaway database; on PGlite it uses
// INIT_CWD/data, as `npm start` from a fresh clone would.
const testDb = process.env.DATABASE_URL ? await createTestDatabase() : undefined;
if (testDb) {
  // The child migrates and seeds on its own; this connection only holds the database open.
  await testDb.database.close();
  t.teardown(testDb.close);
}

interface Started {
  child: ChildProcess;
  banner: string;
  url: string;
}

/** Starts the server as `npm start` would and waits for its banner. */
function startServer(env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: SERVER_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      INIT_CWD: initCwd,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...(testDb?.url ? { DATABASE_URL: testDb.url } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /running at (http:\/\/\S+)/.exec(out)?.[1];
      if (url && out.includes('npx zhengban-agent run')) resolve({ child, banner: out, url });
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`server exited with ${code} before printing its banner:\n${out}\n${err}`)));
  });
}

function stopServer(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

t.test('the first start prints the URL, the admin login with a generated password, and the enrol commands that work', async (t) => {
  const { child, banner, url } = await startServer();
  t.teardown(() => void (child.exitCode === null && child.kill('SIGKILL')));
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const password = /password: (\S+) {4}\(generated now/.exec(banner)?.[1];
  t.ok(password, 'the generated password is printed');
  const enrolLine = banner.split('\n').find((line) => line.includes('npx zhengban-agent enroll'))!;
  t.match(enrolLine.trim(), new RegExp(`^npx zhengban-agent enroll --server ${url} --token \\S{32}$`));
  t.ok(banner.split('\n').some((line) => line.trim() === 'npx zhengban-agent run'));

  const token = enrolLine.trim().split(' ').at(-1)!;
  const enrolled = await postEnroll(url, { token });
  t.equal(enrolled.status, 200, 'the printed token enrols an agent');
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  t.equal(login.status, 200, 'the printed password signs in');
  t.match(await login.json(), { user: { mustChangePassword: true } });
  t.equal((await fetch(`${url}/readyz`)).status, 200);

  if (testDb) {
    // PostgreSQL: server nodes are stateless, a second one starts beside the first.
    const second = await startServer();
    t.match(second.banner, /password: as set earlier/, 'a second node on the same PostgreSQL database starts and seeds nothing twice');
    t.equal(await stopServer(second.child), 0);
  } else {
    // PGlite: two processes writing one data directory would corrupt it.
    await t.rejects(startServer(), /exited with 1[\s\S]*another zhengban server \(pid \d+\) is using/, 'a second start on the same DATA_DIR is refused');
  }

  t.equal(await stopServer(child), 0, 'SIGTERM stops it cleanly');
  if (!testDb) t.ok((await stat(join(initCwd, 'data', 'pglite'))).isDirectory(), 'the embedded database lives in ./data of the directory npm start ran in');
});

t.test('a restart keeps the data and does not print a password again', async (t) => {
  const { child, banner } = await startServer();
  t.teardown(() => void (child.exitCode === null && child.kill('SIGKILL')));
  t.match(banner, /password: as set earlier/);
  t.notMatch(banner, /generated now/);
  t.equal(await stopServer(child), 0);
});

t.test('an invalid setting stops the start with a message naming the variable', async (t) => {
  await t.rejects(startServer({ ZHENGBAN_MAX_FRAME_BYTES: 'lots' }), /exited with 2[\s\S]*ZHENGBAN_MAX_FRAME_BYTES/);
});
