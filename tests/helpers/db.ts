/**
 * Shared test database and app helpers. Every test file gets its own database:
 * - without DATABASE_URL, an in-memory PGlite;
 * - with DATABASE_URL (CI's second run), a fresh `zb_test_<random>` database created on that
 *   server, migrated, and dropped on close — so test files never see each other's data and tap
 *   can run them in parallel.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../server/src/app.ts';
import { bootstrap, type BootstrapResult } from '../../server/src/bootstrap/bootstrap.ts';
import { loadConfig, type Config } from '../../server/src/config.ts';
import { openDatabase, type Database, type Db } from '../../server/src/db/database.ts';

export interface TestDatabase {
  database: Database;
  db: Db;
  /** 'pglite' or 'postgres': which engine this run uses. */
  driver: Database['driver'];
  /** The PostgreSQL URL of the test database (absent on PGlite). */
  url?: string;
  /** Closes the connection and drops the PostgreSQL test database. */
  close(): Promise<void>;
}

/** DATABASE_URL of this test run, or undefined for PGlite. */
export function testDatabaseServerUrl(): string | undefined {
  return process.env.DATABASE_URL?.trim() || undefined;
}

/** A fresh, migrated database for one test file (not seeded: see `buildTestApp`). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = testDatabaseServerUrl();
  if (!serverUrl) {
    const database = await openDatabase({});
    await database.withStartupLock(async () => undefined);
    return { database, db: database.db, driver: database.driver, close: () => database.close() };
  }

  const name = `zb_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.href });
  try {
    await database.withStartupLock(async () => undefined);
  } catch (error) {
    await database.close();
    await dropDatabase(serverUrl, name);
    throw error;
  }
  return {
    database,
    db: database.db,
    driver: database.driver,
    url: url.href,
    async close() {
      await database.close();
      await dropDatabase(serverUrl, name);
    },
  };
}

/** Runs `fn` with a short-lived client on the PostgreSQL server (CREATE/DROP DATABASE cannot run in a pool's transaction). */
export async function withAdminClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  // FORCE (PostgreSQL 13+) ends connections a failed test may have left behind.
  await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** The admin password test apps are seeded with. */
export const TEST_ADMIN_PASSWORD = 'test-admin-password';

/** A configuration for tests: quiet logs, any free port on loopback, and the given overrides. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', DATA_DIR: '/nonexistent/zhengban-test' }),
    adminPassword: TEST_ADMIN_PASSWORD,
    ...overrides,
  };
}

export interface TestApp extends TestDatabase {
  app: FastifyInstance;
  config: Config;
  /** What first-start seeding created: root org, default unit, the startup enrolment token. */
  seeded: BootstrapResult;
  /** http://127.0.0.1:<port> when built with `listen: true`. */
  baseUrl: string;
  /** ws://127.0.0.1:<port> when built with `listen: true`. */
  wsUrl: string;
}

export interface TestAppOptions {
  /** Configuration overrides (e.g. a small `maxFrameBytes`). */
  config?: Partial<Config>;
  /** Listen on a free loopback port, for real HTTP and WebSocket clients. */
  listen?: boolean;
}

/**
 * The real app on a fresh, migrated and seeded database (as `npm start` would seed it). Close it
 * with `close()` (typically `t.teardown(testApp.close)`): stops the app, then drops the database.
 */
export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const testDb = await createTestDatabase();
  const config = testConfig(options.config);
  let app: FastifyInstance | undefined;
  try {
    const seeded = await bootstrap(testDb.db, { adminPassword: config.adminPassword, enrollToken: config.enrollToken });
    app = await buildApp(config, { database: testDb.database });
    let baseUrl = '';
    if (options.listen) baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const running = app;
    return {
      ...testDb,
      app: running,
      config,
      seeded,
      baseUrl,
      wsUrl: baseUrl.replace(/^http/, 'ws'),
      async close() {
        await running.close();
        await testDb.close();
      },
    };
  } catch (error) {
    await app?.close();
    await testDb.close();
    throw error;
  }
}
