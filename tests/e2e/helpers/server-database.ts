/**
 * The database an end-to-end server process runs on, one per test file: a fresh data directory
 * (embedded PGlite, as `npm start` uses by default) and, when the suite runs with DATABASE_URL,
 * a fresh, empty PostgreSQL database that the server migrates itself on first start, as it would
 * in production. Dropped again at teardown.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, pgliteDirIn, type Database } from '../../../server/src/db/database.ts';
import { testDatabaseServerUrl, withAdminClient } from '../../helpers/db.ts';

export interface ServerDatabase {
  driver: Database['driver'];
  /** DATA_DIR for the server process (always set: PGlite lives here when there is no DATABASE_URL). */
  dataDir: string;
  /** DATABASE_URL for the server process, on PostgreSQL runs. */
  databaseUrl?: string;
  /**
   * Opens the database from the test process, runs `fn`, closes it. On PGlite one process owns
   * the data directory: call this only while the server process is stopped.
   */
  inspect<T>(fn: (database: Database) => Promise<T>): Promise<T>;
  /** Drops the PostgreSQL database and removes the data directory. */
  remove(): Promise<void>;
}

/** A fresh, empty database for one server process (and its restarts). */
export async function createServerDatabase(): Promise<ServerDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), 'zhengban-e2e-data-'));
  const serverUrl = testDatabaseServerUrl();
  let databaseUrl: string | undefined;
  let name: string | undefined;
  if (serverUrl) {
    name = `zb_e2e_${randomBytes(6).toString('hex')}`;
    await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.href;
  }
  return {
    driver: databaseUrl ? 'postgres' : 'pglite',
    dataDir,
    ...(databaseUrl ? { databaseUrl } : {}),
    async inspect(fn) {
      const database = await openDatabase(databaseUrl ? { databaseUrl, poolSize: 2 } : { pgliteDir: pgliteDirIn(dataDir) });
      try {
        return await fn(database);
      } finally {
        await database.close();
      }
    },
    async remove() {
      if (serverUrl && name) {
        // FORCE (PostgreSQL 13+) ends connections a killed server process may have left behind.
        await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
