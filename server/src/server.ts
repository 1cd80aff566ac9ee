/**
 * Process entry (`npm start`): read the configuration, open and migrate the database, seed it on
 * first start, listen, print where to go and how to enrol, and shut down cleanly on a signal.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { formatBanner, lanUrls, localUrl } from './banner.ts';
import { bootstrap, type BootstrapResult } from './bootstrap/bootstrap.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase, pgliteDirIn } from './db/database.ts';

async function start(config: Config): Promise<FastifyInstance> {
  let app: FastifyInstance | undefined;
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: pgliteDirIn(config.dataDir),
    // Without a listener an idle connection's error (database restarted) would end the process.
    onPoolError: (error) => app?.log.error({ err: error }, 'idle database connection failed'),
  });
  try {
    const seeded = await database.withStartupLock((db) =>
      bootstrap(db, { adminPassword: config.adminPassword, enrollToken: config.enrollToken }),
    );
    app = await buildApp(config, { database });
    app.addHook('onClose', async () => database.close());
    await app.listen({ port: config.port, host: config.host });
    printBanner(config, app, database.location, seeded);
    return app;
  } catch (error) {
    // Close what was opened: PGlite flushes its files, PostgreSQL connections end cleanly.
    await (app ? app.close() : database.close()).catch(() => undefined);
    throw error;
  }
}

function printBanner(config: Config, app: FastifyInstance, database: string, seeded: BootstrapResult): void {
  const address = app.server.address();
  // PORT=0 listens on any free port: print the one it got.
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = localUrl(config.publicUrl, config.host, port);
  process.stdout.write(formatBanner({ url, lanUrls: lanUrls(config.publicUrl, config.host, port), database, bootstrap: seeded }) + '\n');
}

function stopOnSignals(app: FastifyInstance): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      app.log.info({ signal }, 'shutting down');
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          app.log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`zhengban: ${error.message}\n`);
  process.exit(2);
}
start(config).then(stopOnSignals, (error: unknown) => {
  process.stderr.write(`zhengban: could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
