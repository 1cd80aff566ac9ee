import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import type { Database, Db } from '../db/database.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The parsed configuration (config.ts). */
    config: Config;
    /** The open database and its driver. */
    database: Database;
    /** Shorthand for `database.db`: what query functions take. */
    db: Db;
  }
}

export interface ContextOptions {
  config: Config;
  database: Database;
}

/**
 * Shares the configuration and the database with every route. The database is opened (and
 * migrated) by whoever builds the app, so it is also closed by them, not here.
 */
export default fp<ContextOptions>(
  async (app, { config, database }) => {
    app.decorate('config', config);
    app.decorate('database', database);
    app.decorate('db', database.db);
  },
  { name: 'context' },
);
