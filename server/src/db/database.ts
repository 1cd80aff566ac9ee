import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql, type ExtractTablesWithRelations } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.ts';
import * as schema from './schema.ts';

/** What every query function takes: the database or a transaction on it, whichever the driver. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Arbitrary constant: the advisory lock server nodes take while migrating and seeding. */
const STARTUP_LOCK_KEY = 0x7a6862; // "zhb"

/** An open database with the driver behind it. */
export interface Database {
  readonly db: Db;
  readonly driver: 'pglite' | 'postgres';
  /** Where the data lives, for the start-up banner and logs (never a password). */
  readonly location: string;
  /**
   * Runs `fn` while holding the start-up lock: applies pending migrations first. On PostgreSQL
   * several server nodes may start at once; the advisory lock makes one migrate and seed while the
   * others wait, then find the work done.
   */
  withStartupLock<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** A parametrised SQL text ($1, $2, ...) straight to the driver: for checks, scripts and tests. */
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL URL; when absent, PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; absent = in memory (tests). */
  pgliteDir?: string | undefined;
  /** Called with errors of idle pooled connections, which would otherwise crash the process. */
  onPoolError?: (error: Error) => void;
  /** Largest number of PostgreSQL connections. */
  poolSize?: number;
}

/** Opens PGlite (file-backed or in memory) or a PostgreSQL pool, without migrating. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options.pgliteDir);
}

async function openPglite(dir: string | undefined): Promise<Database> {
  let unlock: () => Promise<void> = async () => {};
  if (dir) {
    await mkdir(dir, { recursive: true });
    unlock = await lockDataDir(dir);
  }
  // pg_trgm: the machine list's contains-search indexes (migration 0005 creates the extension).
  const client = new PGlite({ ...(dir ? { dataDir: dir } : {}), extensions: { pg_trgm } });
  try {
    await client.waitReady;
  } catch (error) {
    await unlock();
    throw error;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    location: dir ? `PGlite at ${dir}` : 'PGlite in memory',
    // One process owns a PGlite directory, so there is nobody to lock against.
    async withStartupLock(fn) {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
      return fn(db);
    },
    query: async <T>(text: string, params?: unknown[]) => (await client.query<T>(text, params)).rows,
    close: once(async () => {
      await client.close();
      await unlock();
    }),
  };
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  pool.on('error', (error) => options.onPoolError?.(error));
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    driver: 'postgres',
    location: `PostgreSQL at ${describePostgresUrl(url)}`,
    async withStartupLock(fn) {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
        try {
          const locked = drizzlePg(client, { schema });
          await migratePg(locked, { migrationsFolder: MIGRATIONS_FOLDER });
          return await fn(locked as unknown as Db);
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
    query: async <T>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[],
    close: once(() => pool.end()),
  };
}

/** Makes close() safe to call twice (app shutdown and a test's teardown may both call it). */
function once(fn: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= fn());
}

/** host:port/database of a PostgreSQL URL, without user or password. */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}

/** The PGlite directory for a data directory. */
export function pgliteDirIn(dataDir: string): string {
  return join(dataDir, 'pglite');
}

/** Rows of a raw query, whichever driver ran it (both return `{ rows }`). */
export async function queryRows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

const LATEST_MIGRATION_MILLIS = Math.max(0, ...readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).map((m) => m.folderMillis));

/**
 * Readiness: the database answers and the newest migration this build ships is applied.
 * Returns a reason when not ready.
 */
export async function checkDatabaseReady(
  db: Db,
): Promise<{ ready: true } | { ready: false; reason: string; error?: unknown }> {
  try {
    const rows = await queryRows<{ created_at: string | number | null }>(
      db,
      sql`SELECT max(created_at) AS created_at FROM drizzle.__drizzle_migrations`,
    );
    const applied = Number(rows[0]?.created_at ?? 0);
    if (applied < LATEST_MIGRATION_MILLIS) return { ready: false, reason: 'database migrations are not applied yet' };
    return { ready: true };
  } catch (error) {
    return { ready: false, reason: 'database unreachable', error };
  }
}
