/**
 * Route x role x scope: every registered /api and /agent route, called as every role with the
 * caller's own ids and with other units' ids, never answers with or changes another unit's data.
 * The route list is the app's own (the access plugin records every route it accepted), so a route
 * added later is in this matrix without anyone remembering to add it.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import t from 'tap';
import { z } from 'zod';
import { readAccess } from '../../../server/src/access/policy.ts';
import type { OrgReference } from '../../../server/src/access/references.ts';
import { buildApp } from '../../../server/src/app.ts';
import { machines } from '../../../server/src/db/schema.ts';
import { AccessDeclarationError } from '../../../server/src/plugins/access.ts';
import { checkRouteForRole } from './matrix.ts';
import { buildWorld, ROLES } from './world.ts';

// Every route x role x scope case against one database: ~100 s on a busy 2-core machine and it
// grows with every route, past tap's per-file limit (package.json).
t.setTimeout(900_000);

const world = await buildWorld();
t.teardown(world.close);

// Deletions last: they remove the fixture records the other routes are tried on.
const order = (r: { method: string; url: string }) => `${r.method === 'DELETE' ? 1 : 0} ${r.url} ${r.method}`;
const routes = [...world.app.guardedRoutes].sort((a, b) => order(a).localeCompare(order(b)));

t.test('the matrix covers every registered route', async (t) => {
  t.ok(routes.length >= 40, `${routes.length} routes`);
  for (const url of ['/api/orgs/:id', '/api/users', '/api/audit', '/api/machines/:id', '/api/licences/:licenceId', '/agent/enroll']) {
    t.ok(routes.some((r) => r.url === url), url);
  }
});

for (const route of routes) {
  t.test(`${route.method} ${route.url} keeps every role inside its scope`, async (t) => {
    for (const role of ROLES) {
      const problems = await checkRouteForRole({ world, app: world.app }, route, role);
      t.same(problems, [], role);
    }
  });
}

t.test('the matrix catches a route whose scoping was removed', async (t) => {
  // Same policies as a real route, but the handler ignores the scope, and a reference that
  // claims every machine is the caller's: exactly what "forgetting the scoping" looks like.
  const everythingIsMine: OrgReference = { kind: 'machine', resolve: async () => world.orgs.A1 };
  const leaky = await buildApp(world.testApp.config, { database: world.testApp.database });
  await leaky.register(async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get('/api/leaky/machines', { config: { access: readAccess() }, schema: { querystring: z.object({}) } }, async () => ({
      machines: await world.testApp.db.select({ id: machines.id, hostname: machines.hostname }).from(machines),
    }));
    app.get(
      '/api/leaky/machines/:id',
      { config: { access: readAccess({ refs: { params: { id: everythingIsMine } } }) }, schema: { params: z.object({ id: z.uuid() }) } },
      async () => ({ ok: true }),
    );
  });
  await leaky.ready();
  t.teardown(() => leaky.close());
  const extra = leaky.guardedRoutes.filter((r) => r.url.startsWith('/api/leaky/'));
  t.equal(extra.length, 2);
  for (const route of extra) {
    const problems = await checkRouteForRole({ world, app: leaky }, route, 'unit-viewer');
    t.ok(problems.length > 0, `${route.url} fails the matrix`);
    t.match(problems.join('\n'), route.url.endsWith(':id') ? /expected 403 or 404/ : /holds another unit's data: .*pc-a2/);
  }
});

t.test('a route added without any access policy is refused when the server starts', async (t) => {
  const unscoped = await buildApp(world.testApp.config, { database: world.testApp.database });
  await t.rejects(async () => {
    await unscoped.register(async (app: FastifyInstance) => {
      app.get('/api/unscoped/machines', async () => ({ machines: [] }));
    });
    await unscoped.ready();
  }, AccessDeclarationError);
  await unscoped.close().catch(() => undefined);
});
