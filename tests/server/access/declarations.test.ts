import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import t from 'tap';
import { z } from 'zod';
import { readAccess, writeAccess } from '../../../server/src/access/policy.ts';
import { machineRef } from '../../../server/src/access/references.ts';
import { buildApp } from '../../../server/src/app.ts';
import { AccessDeclarationError } from '../../../server/src/plugins/access.ts';
import { createTestDatabase, testConfig } from '../../helpers/db.ts';

const testDb = await createTestDatabase();
t.teardown(testDb.close);

/** Builds the real app plus one extra route plugin, and returns what `ready()` threw (or undefined). */
async function registerExtra(plugin: (app: FastifyInstance) => Promise<void>): Promise<unknown> {
  const app = await buildApp(testConfig(), { database: testDb.database });
  try {
    await app.register(plugin);
    await app.ready();
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await app.close();
  }
}

const refused: { name: string; plugin: (app: FastifyInstance) => Promise<void>; message: RegExp }[] = [
  {
    name: 'an /api route that declares no access policy',
    plugin: async (app) => {
      app.get('/api/unscoped-machines', async () => ({ machines: [] }));
    },
    message: /GET \/api\/unscoped-machines declares no access policy/,
  },
  {
    name: 'an /agent route that declares no access policy',
    plugin: async (app) => {
      app.post('/agent/unscoped', async () => ({}));
    },
    message: /declares no access policy/,
  },
  {
    name: 'a path parameter that is not a declared reference',
    plugin: async (app) => {
      app.get('/api/things/:id', { config: { access: readAccess() }, schema: { params: z.object({ id: z.uuid() }) } }, async () => ({}));
    },
    message: /path parameter :id is not a declared reference/,
  },
  {
    name: 'a body field naming a record that is not a declared reference',
    plugin: async (fastify) => {
      const app = fastify.withTypeProvider<ZodTypeProvider>();
      app.post('/api/things', { config: { access: writeAccess() }, schema: { body: z.object({ unitId: z.uuid() }) } }, async () => ({}));
    },
    message: /body field unitId names a record but is not a declared reference/,
  },
  {
    name: 'a state-changing route that declares a read',
    plugin: async (app) => {
      app.delete('/api/machines-all/:id', { config: { access: readAccess({ refs: { params: { id: machineRef } } }) }, schema: { params: z.object({ id: z.uuid() }) } }, async () => ({}));
    },
    message: /a state-changing method needs writeAccess/,
  },
  {
    name: 'a scoped route without input schemas',
    plugin: async (app) => {
      app.get('/api/no-schema', { config: { access: readAccess() } }, async () => ({}));
    },
    message: /declare zod schemas/,
  },
];

for (const { name, plugin, message } of refused) {
  t.test(`the server refuses to start with ${name}`, async (t) => {
    const error = await registerExtra(plugin);
    t.type(error, AccessDeclarationError);
    t.match((error as Error).message, message);
  });
}

t.test('a viewer role cannot be given write access', async (t) => {
  t.throws(() => writeAccess({ roles: ['bureau-admin', 'unit-viewer'] }), /unit-viewer may not write/);
});

t.test('routes outside /api and /agent (docs, dashboard files) need no policy', async (t) => {
  t.equal(await registerExtra(async (app) => void app.get('/plain-page', async () => 'hello')), undefined);
});
