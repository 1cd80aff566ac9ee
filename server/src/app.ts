import Fastify, { LogController, type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import access from './plugins/access.ts';
import context from './plugins/context.ts';
import errorHandler from './plugins/error-handler.ts';
import openapi from './plugins/openapi.ts';
import session from './plugins/session.ts';
import validation from './plugins/validation.ts';
import websocket from './plugins/websocket.ts';
import agentDownloadRoutes from './routes/agent/downloads.ts';
import agentEnrollRoutes from './routes/agent/enroll.ts';
import agentSocketRoutes from './routes/agent/ws.ts';
import authRoutes from './routes/auth.ts';
import dashboardRoutes from './routes/dashboard.ts';
import healthRoutes from './routes/health.ts';
import machineRoutes from './routes/machines.ts';
import live from './live/plugin.ts';
import ingest from './ingest/plugin.ts';
import catalogRoutes from './routes/catalog.ts';
import complianceRoutes from './routes/compliance.ts';
import ledgerRoutes from './routes/ledger.ts';
import liveRoutes from './routes/live.ts';
import alertRoutes from './routes/alerts.ts';
import annualReturnRoutes from './routes/annual-returns.ts';
import auditRoutes from './routes/audit.ts';
import campaignRoutes from './routes/campaigns.ts';
import enrollmentRoutes from './routes/enrollment.ts';
import orgRoutes from './routes/orgs.ts';
import userRoutes from './routes/users.ts';
import { setInspectorScopeSource } from './access/scope.ts';
import { listInspectorPaths } from './inspections/campaigns.ts';

/** What the app needs from outside that is not configuration: an open, migrated database. */
export interface AppDeps {
  database: Database;
}

/** Connects modules that must not import each other: the inspectors' scope comes from the inspection campaigns. Idempotent. */
function connectModules(): void {
  setInspectorScopeSource(listInspectorPaths);
}

/**
 * The root plugin: shared decorators first (fastify-plugins with names and dependencies), then
 * every route. The process entry (server.ts) and the tests both build the app from this.
 */
export async function app(instance: FastifyInstance, options: { config: Config } & AppDeps): Promise<void> {
  connectModules();
  await instance.register(context, { config: options.config, database: options.database });
  await instance.register(errorHandler);
  await instance.register(session);
  await instance.register(validation);
  // Before any route: access refuses routes without a policy, openapi collects them for /docs.
  await instance.register(access);
  await instance.register(openapi);
  await instance.register(websocket);
  await instance.register(live);
  await instance.register(ingest);

  await instance.register(healthRoutes);
  await instance.register(authRoutes);
  await instance.register(machineRoutes);
  await instance.register(orgRoutes);
  await instance.register(userRoutes);
  await instance.register(campaignRoutes);
  await instance.register(enrollmentRoutes);
  await instance.register(auditRoutes);
  await instance.register(catalogRoutes);
  await instance.register(ledgerRoutes);
  await instance.register(complianceRoutes);
  await instance.register(liveRoutes);
  await instance.register(alertRoutes);
  await instance.register(annualReturnRoutes);
  await instance.register(agentEnrollRoutes);
  await instance.register(agentDownloadRoutes);
  await instance.register(agentSocketRoutes);
  await instance.register(dashboardRoutes);
}

/** A Fastify instance with the app registered; not yet listening. */
export async function buildApp(config: Config, deps: AppDeps): Promise<FastifyInstance> {
  const instance = Fastify({
    logger: { level: config.logLevel },
    // Agents reconnect and report all day; per-request access logs would drown the useful lines.
    logController: new LogController({ disableRequestLogging: true }),
    // X-Forwarded-For/-Proto decide the client address (sign-in limits, audit) and whether cookies
    // are Secure, so they are believed only from the proxies the operator names.
    trustProxy: config.trustProxy ?? false,
  });
  // Wrapped so the decorators (config, db, websocketServer, ...) are visible on the returned instance.
  await instance.register(fp(app, { name: 'zhengban' }), { config, ...deps });
  return instance;
}
