import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The built dashboard (`vite build` in dashboard/, run by `npm start`'s prestart). */
export const DASHBOARD_DIST_DIR = fileURLToPath(new URL('../../../dashboard/dist', import.meta.url));
/** The placeholder page, served while no build exists. */
export const DASHBOARD_PLACEHOLDER_DIR = fileURLToPath(new URL('../../../dashboard/public', import.meta.url));

/** Paths that belong to the API and must never fall back to the dashboard page. */
const NOT_DASHBOARD = /^\/(api|agent|docs)(\/|$)/;

/**
 * Serves the dashboard at `/`. Unknown GET paths outside the API answer index.html, so a deep
 * link such as /machines/<id> survives a reload (the client-side router takes over from there).
 */
export default async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  // Checked at start-up: the build when there is one, else the placeholder.
  const root = existsSync(`${DASHBOARD_DIST_DIR}/index.html`) ? DASHBOARD_DIST_DIR : DASHBOARD_PLACEHOLDER_DIR;
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: ['index.html'],
    wildcard: false,
    // The build writes .br and .gz beside each file (dashboard/vite.config.ts); sent to browsers that take them.
    preCompressed: true,
    setHeaders(reply, path) {
      // Vite names assets by content hash: a new build gets new names, so browsers may keep them for good.
      if (/[\\/]assets[\\/]/.test(path)) reply.header('cache-control', 'public, max-age=31536000, immutable');
    },
  });
  app.get('/*', (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (NOT_DASHBOARD.test(path) || /\.[a-z0-9]+$/i.test(path)) {
      return reply.code(404).send({ statusCode: 404, code: 'route.not-found', message: `no route ${request.method} ${path}` });
    }
    // cacheControl: false keeps @fastify/static from replacing no-cache with its own max-age=0.
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  });
}
