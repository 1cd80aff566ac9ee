/**
 * A fresh PostgreSQL database and the real zhengban server process on it, for benchmarks: the
 * server runs as `npm start` runs it (its own process, its own event loop), so the load generator
 * in the bench process does not steal its CPU time slices in ways production would not.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
/** Enrolment token the bench server accepts (ZHENGBAN_ENROLL_TOKEN). */
export const BENCH_ENROLL_TOKEN = 'bench-enrol-token-0123456789';

/** A throwaway database on the server of DATABASE_URL (default: the local test server). */
export class BenchDatabase {
  private constructor(
    readonly serverUrl: string,
    readonly name: string,
    readonly url: string,
  ) {}

  static async create(serverUrl = process.env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL): Promise<BenchDatabase> {
    const name = `zb_bench_${randomBytes(5).toString('hex')}`;
    await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return new BenchDatabase(serverUrl, name, url.href);
  }

  /** A client on this database; the caller ends it. */
  async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    return client;
  }

  async drop(): Promise<void> {
    await withClient(this.serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`));
  }
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The server process. */
export class BenchServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly dataDir: string,
  ) {}

  get wsUrl(): string {
    return this.url.replace(/^http/, 'ws');
  }

  /** Starts `server/src/server.ts` on `database` and waits for its banner. */
  static async start(database: BenchDatabase, logLevel = 'warn'): Promise<BenchServer> {
    const dataDir = await mkdtemp(join(tmpdir(), 'zhengban-bench-'));
    try {
      return await BenchServer.spawn(database, logLevel, dataDir);
    } catch (error) {
      await rm(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  private static async spawn(database: BenchDatabase, logLevel: string, dataDir: string): Promise<BenchServer> {
    // The flags of `npm start` (server/package.json).
    const child = spawn(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', 'server/src/server.ts'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        LOG_LEVEL: logLevel,
        ZHENGBAN_ADMIN_PASSWORD: 'bench-admin-password',
        ZHENGBAN_ENROLL_TOKEN: BENCH_ENROLL_TOKEN,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout!.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk: string) => {
        output += chunk;
        const match = /zhengban server is running at (\S+)/.exec(output);
        if (match) resolve(match[1]!);
        // Keep draining: a full pipe would block the server's logging.
        if (output.length > 1_000_000) output = output.slice(-10_000);
      });
      child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
    });
    return new BenchServer(child, url, dataDir);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      this.child.kill('SIGTERM');
      await once(this.child, 'exit');
    }
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * Runs `fn` with a fresh database and the server process on it; stops the server and drops the
 * database afterwards, whatever happened (unless `keep`, for looking at the data).
 */
export async function withBenchServer<T>(options: { logLevel?: string; keep?: boolean }, fn: (server: BenchServer, database: BenchDatabase) => Promise<T>): Promise<T> {
  const database = await BenchDatabase.create();
  let server: BenchServer | undefined;
  try {
    server = await BenchServer.start(database, options.logLevel);
    return await fn(server, database);
  } finally {
    await server?.stop();
    if (options.keep) console.log(`  kept database ${database.url}`);
    else await database.drop();
  }
}
