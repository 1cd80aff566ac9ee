/** The REST API is documented at /docs, from the same zod schemas that validate the requests. */
import t from 'tap';
import { buildTestApp } from '../../helpers/db.ts';

const testApp = await buildTestApp();
t.teardown(testApp.close);
const { app } = testApp;

interface Operation {
  description?: string;
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: { properties: Record<string, { enum?: string[]; maxLength?: number }>; required?: string[] } }> };
  parameters?: { name: string; in: string }[];
}
const document = (await app.inject({ url: '/docs/json' })).json() as { openapi: string; paths: Record<string, Record<string, Operation>> };

t.test('Swagger UI is served at /docs', async (t) => {
  const res = await app.inject({ url: '/docs/' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /text\/html/);
  t.match(res.body, /swagger/i);
});

t.test('every API route is in the OpenAPI document, with who may call it', async (t) => {
  t.match(document.openapi, /^3\./);
  for (const route of app.guardedRoutes.filter((r) => !r.websocket)) {
    const operation = document.paths[route.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[route.method.toLowerCase()];
    t.ok(operation, `${route.method} ${route.url}`);
    t.match(operation?.description, /Access: /, `${route.method} ${route.url} says its access`);
    if (route.access.kind !== 'public') t.same(operation?.security, [{ session: [], csrf: [] }]);
  }
});

t.test('the documented request schemas are the validating zod schemas', async (t) => {
  const login = document.paths['/api/auth/login']!.post!.requestBody!.content['application/json']!.schema;
  t.same(login.required, ['username', 'password']);
  t.equal(login.properties.username!.maxLength, 64);
  const org = document.paths['/api/orgs']!.post!.requestBody!.content['application/json']!.schema;
  t.match(JSON.stringify(org.properties.sector), /"enum":\["党政机关","国有企业",.*"民营企业","其他"\]/, 'the twelve sectors');
  t.match(document.paths['/api/orgs/{id}']!.patch!.description, /Access: write, roles bureau-admin, unit-admin, within the caller's scope; checked references: params.id \(org\)/);
  t.same(document.paths['/api/users']!.get!.parameters!.map((p) => p.name).sort(), ['includeDisabled', 'limit', 'offset', 'orgId', 'q', 'role']);
});
