import type { FastifyInstance } from 'fastify';
import { publicAccess } from '../access/policy.ts';
import { checkDatabaseReady } from '../db/database.ts';

/**
 * GET /healthz — the process is up (liveness). GET /readyz — the database answers and carries
 * this build's migrations (readiness: a load balancer sends traffic only then).
 */
export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', { config: { access: publicAccess('liveness probe') }, schema: { tags: ['health'], summary: 'The process is up' } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { access: publicAccess('readiness probe') }, schema: { tags: ['health'], summary: 'Database reachable and migrated (503 otherwise)' } }, async (request, reply) => {
    const readiness = await checkDatabaseReady(app.db);
    if (readiness.ready) return { status: 'ready', database: app.database.driver };
    request.log.warn({ err: readiness.error, reason: readiness.reason }, 'not ready');
    return reply.code(503).send({ status: 'not-ready', reason: readiness.reason });
  });
}
