import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The dashboard's static files (dashboard/public); the real dashboard replaces the placeholder later. */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../../dashboard/public', import.meta.url));

/** Serves the dashboard at `/`. */
export default async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, { root: DASHBOARD_DIR, prefix: '/', index: ['index.html'] });
}
