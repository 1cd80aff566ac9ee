import t from 'tap';
import { ConfigError, DEFAULT_MAX_FRAME_BYTES, loadConfig } from '../../server/src/config.ts';

t.test('with no environment, the server listens on 0.0.0.0:8080 with PGlite under ./data of the directory npm start ran in', async (t) => {
  const config = loadConfig({ INIT_CWD: '/home/it/zhengban' }, '/home/it/zhengban/server');
  t.same(config, {
    port: 8080,
    host: '0.0.0.0',
    dataDir: '/home/it/zhengban/data',
    maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
    alertSweepSeconds: 300,
    logLevel: 'info',
  });
  t.equal(loadConfig({}, '/srv/app').dataDir, '/srv/app/data', 'without INIT_CWD, the current directory');
});

t.test('every variable is read, and empty ones count as unset', async (t) => {
  const config = loadConfig({
    PORT: '9000',
    HOST: '127.0.0.1',
    DATA_DIR: '/var/lib/zhengban',
    DATABASE_URL: 'postgres://zhengban@db.internal:5432/zhengban',
    ZHENGBAN_ADMIN_PASSWORD: 'correct horse battery',
    ZHENGBAN_ENROLL_TOKEN: 'rollout-token-2026',
    ZHENGBAN_MAX_FRAME_BYTES: '1048576',
    ZHENGBAN_ALERT_SWEEP_SECONDS: '60',
    LOG_LEVEL: 'warn',
    ZHENGBAN_PUBLIC_URL: 'https://zhengban.example.gov.cn/',
  });
  t.same(config, {
    port: 9000,
    host: '127.0.0.1',
    dataDir: '/var/lib/zhengban',
    databaseUrl: 'postgres://zhengban@db.internal:5432/zhengban',
    adminPassword: 'correct horse battery',
    enrollToken: 'rollout-token-2026',
    maxFrameBytes: 1_048_576,
    alertSweepSeconds: 60,
    logLevel: 'warn',
    publicUrl: 'https://zhengban.example.gov.cn',
  });
  t.notOk('databaseUrl' in loadConfig({ DATABASE_URL: '' }), 'DATABASE_URL= means PGlite');
});

const invalid: [string, Record<string, string>, RegExp][] = [
  ['a port that is not a number', { PORT: 'eighty' }, /PORT: .*number/],
  ['a port out of range', { PORT: '70000' }, /PORT: Too big/],
  ['a database URL that is not PostgreSQL', { DATABASE_URL: 'mysql://db/zb' }, /DATABASE_URL: expected a postgres:\/\//],
  ['a short admin password', { ZHENGBAN_ADMIN_PASSWORD: 'admin' }, /ZHENGBAN_ADMIN_PASSWORD: must be at least 8 characters/],
  ['an enrolment token the agent could not send', { ZHENGBAN_ENROLL_TOKEN: 'abc' }, /ZHENGBAN_ENROLL_TOKEN: must be at least 8 characters/],
  ['a frame limit below 1 KiB', { ZHENGBAN_MAX_FRAME_BYTES: '10' }, /ZHENGBAN_MAX_FRAME_BYTES: Too small/],
  ['an unknown log level', { LOG_LEVEL: 'loud' }, /LOG_LEVEL: /],
  ['a negative alert sweep interval', { ZHENGBAN_ALERT_SWEEP_SECONDS: '-5' }, /ZHENGBAN_ALERT_SWEEP_SECONDS: Too small/],
  ['a public URL without http(s)', { ZHENGBAN_PUBLIC_URL: 'ftp://x' }, /ZHENGBAN_PUBLIC_URL: expected an http/],
];
for (const [name, env, message] of invalid) {
  t.test(`${name} stops the start with a message naming the variable`, async (t) => {
    t.throws(() => loadConfig(env), ConfigError);
    t.throws(() => loadConfig(env), { message });
  });
}
