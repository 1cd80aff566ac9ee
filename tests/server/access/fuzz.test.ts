/**
 * Fuzz: every registered /api and /agent route gets random and hostile input (wrong types, huge
 * strings, nested junk, prototype-pollution keys, control characters, lone surrogates, broken
 * JSON, wrong content types) as an admin, a viewer and a stranger. No answer may be a 5xx, every
 * 4xx says what is wrong, and nothing pollutes Object.prototype. The PRNG is seeded: a failure
 * prints its seed, and FUZZ_SEED=<seed> replays it.
 */
import type { InjectOptions } from 'fastify';
import t from 'tap';
import { Hostile, hostileRawBodies, seededRandom } from './hostile-input.ts';
import { MATRIX_CASES, type CaseContext } from './matrix-cases.ts';
import { buildWorld } from './world.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_251_128);
const REQUESTS_PER_ROUTE = Number(process.env.FUZZ_REQUESTS ?? 30);

// Thousands of requests, each touching the database: ~2 minutes on a busy 2-core machine (more on
// PostgreSQL), and it grows with every route added. tap's per-file limit (package.json) would cut it off.
t.setTimeout(900_000);

const world = await buildWorld();
t.teardown(world.close);
const h = new Hostile(seededRandom(SEED));
const routes = world.app.guardedRoutes.filter((r) => !r.websocket);

// Field names of every body, from the OpenAPI document (the routes' own zod schemas), so hostile
// values land in fields the schemas actually have.
const openapi = (await world.app.inject({ url: '/docs/json' })).json() as {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }>>;
};
function bodyFields(method: string, url: string): string[] {
  const operation = openapi.paths[url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[method.toLowerCase()];
  return Object.keys(operation?.requestBody?.content?.['application/json']?.schema?.properties ?? {});
}

/** A path segment: a real id, or something hostile, encoded as a client would (or not at all). */
function segment(): string {
  if (h.random() < 0.3) return world.orgs.A1;
  const text = h.text().slice(0, 3000);
  try {
    return h.random() < 0.8 ? encodeURIComponent(text) : text.replace(/[/?#]/g, '');
  } catch {
    return '%ED%A0%80'; // a lone surrogate cannot be percent-encoded: send its raw bytes instead
  }
}

function hostileQuery(base: Record<string, string>): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = { ...base };
  for (let i = h.int(4); i > 0; i--) {
    const key = h.pick([...Object.keys(base), 'limit', 'offset', 'orgId', 'year', 'format', 'q', '__proto__', h.key()]);
    query[key] = h.random() < 0.2 ? [h.text().slice(0, 200), h.text().slice(0, 200)] : h.text().slice(0, 5000);
  }
  return query;
}

const context: CaseContext = {
  world,
  role: 'bureau-admin',
  own: (kind) => Object.values(world.ids[kind] ?? {})[0] ?? world.orgs.A1,
  orgs: world.orgs,
  unique: 'fuzz',
};

t.test(`no route answers hostile input with 5xx (seed ${SEED})`, async (t) => {
  let sent = 0;
  const failures: string[] = [];
  for (const route of routes) {
    const spec = MATRIX_CASES[`${route.method} ${route.url}`] ?? {};
    const raws = route.method === 'GET' ? [] : hostileRawBodies(h);
    const total = REQUESTS_PER_ROUTE + raws.length;
    for (let i = 0; i < total; i++) {
      const caller = h.random() < 0.7 ? world.sessions['bureau-admin'] : h.random() < 0.5 ? world.sessions['unit-viewer'] : undefined;
      const url = route.url.replace(/:[A-Za-z]+/g, () => segment());
      const options: InjectOptions = { method: route.method as InjectOptions['method'], url, query: hostileQuery(spec.query?.(context) ?? {}) };
      const headers: Record<string, string> = { ...(caller?.headers ?? {}) };
      if (i >= REQUESTS_PER_ROUTE) {
        const raw = raws[i - REQUESTS_PER_ROUTE]!;
        options.payload = raw.payload;
        if (raw.contentType) headers['content-type'] = raw.contentType;
      } else if (route.method !== 'GET') {
        const valid = (spec.body?.(context) ?? {}) as Record<string, unknown>;
        // Every field of the schema present, so a mutation of one reaches the handler's checks.
        for (const field of bodyFields(route.method, route.url)) if (!(field in valid) && h.random() < 0.5) valid[field] = h.value();
        const body = h.random() < 0.8 ? h.mutate(valid) : h.value();
        options.payload = JSON.stringify(body) ?? 'null';
        headers['content-type'] = 'application/json';
      }
      options.headers = headers;
      const res = await world.app.inject(options);
      sent++;
      const what = `${route.method} ${url.slice(0, 120)} (seed ${SEED}, request ${i})`;
      if (res.statusCode >= 500) failures.push(`${what}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      else if (res.statusCode >= 400) {
        const body = res.json() as { code?: string; message?: string };
        if (!body.code || !body.message) failures.push(`${what}: ${res.statusCode} without code and message: ${res.body.slice(0, 200)}`);
      }
      if (res.statusCode === 401 && caller && res.json().code === 'auth.session-expired') {
        // A fuzzed request that legitimately ended the session (sign-out): sign in again.
        for (const role of ['bureau-admin', 'unit-viewer'] as const) if (world.sessions[role] === caller) await world.refresh(role);
      }
    }
  }
  t.ok(sent > routes.length * REQUESTS_PER_ROUTE, `${sent} hostile requests to ${routes.length} routes`);
  t.same(failures.slice(0, 20), [], `${failures.length} failures`);
  t.equal((Object.prototype as Record<string, unknown>).isAdmin, undefined, 'Object.prototype is untouched');
});

t.test(`one hostile field in an otherwise valid body or query never reaches the database as a 5xx (seed ${SEED})`, async (t) => {
  let admin = world.sessions['bureau-admin'];
  const hostileValues: unknown[] = ['a\u0000b', 'x\ud800', 'y\udfff', 'x'.repeat(70_000), { nested: ['junk'] }, [1, 2], -1, 2 ** 63, true, null, ''];
  const failures: string[] = [];
  let sent = 0;
  for (const route of routes) {
    const spec = MATRIX_CASES[`${route.method} ${route.url}`] ?? {};
    const url = route.url.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
    const fields = route.method === 'GET' ? [] : bodyFields(route.method, route.url);
    for (const field of fields) {
      for (const value of hostileValues) {
        const valid = (spec.body?.(context) ?? {}) as Record<string, unknown>;
        const res = await world.app.inject({ method: route.method as InjectOptions['method'], url, query: spec.query?.(context) ?? {}, headers: admin.headers, payload: { ...valid, [field]: value } });
        sent++;
        if (res.statusCode >= 500) failures.push(`${route.method} ${route.url} body.${field} = ${JSON.stringify(value).slice(0, 40)}: ${res.statusCode}`);
      }
    }
    for (const key of ['limit', 'offset', 'orgId', 'year', 'q', 'format', 'product', ...Object.keys(spec.query?.(context) ?? {})]) {
      for (const value of ['a\u0000b', 'x\ud800', '9'.repeat(400), '-1e309']) {
        const res = await world.app.inject({ method: route.method as InjectOptions['method'], url, query: { ...(spec.query?.(context) ?? {}), [key]: value }, headers: admin.headers, ...(spec.body ? { payload: spec.body(context) as InjectOptions['payload'] } : {}) });
        sent++;
        if (spec.endsSession) admin = await world.refresh('bureau-admin');
        if (res.statusCode >= 500) failures.push(`${route.method} ${route.url} ?${key}=${JSON.stringify(value).slice(0, 40)}: ${res.statusCode}`);
      }
    }
  }
  t.ok(sent > 500, `${sent} requests`);
  t.same(failures.slice(0, 20), [], `${failures.length} failures`);
});

t.test('malformed input gets a 400 that names the wrong field', async (t) => {
  const admin = await world.refresh('bureau-admin');
  const cases: { options: InjectOptions; message: RegExp }[] = [
    { options: { method: 'POST', url: '/api/orgs', payload: { parentId: world.orgs.A, kind: 'unit', name: 42 } }, message: /^body: name: .*expected string/ },
    { options: { method: 'POST', url: '/api/users', payload: { username: 'x y', role: 'god', orgId: world.orgs.A1 } }, message: /body: username: .*; role: / },
    { options: { method: 'GET', url: '/api/orgs?limit=-5' }, message: /^query: limit: / },
    { options: { method: 'GET', url: '/api/users/not-a-uuid' }, message: /^path: id: must be a UUID/ },
    { options: { method: 'POST', url: '/api/orgs', payload: { parentId: world.orgs.A, kind: 'unit', name: 'a\u0000b' } }, message: /^body: name: must not contain NUL characters/ },
    { options: { method: 'POST', url: '/api/orgs', payload: { parentId: world.orgs.A, kind: 'unit', name: 'bell\u0007' } }, message: /^body: name: .*without control characters/ },
    { options: { method: 'PATCH', url: `/api/orgs/${world.orgs.A1}`, payload: { creditCode: '91350100M000100Y44' } }, message: /check character \(18th\) should be 3/ },
    { options: { method: 'POST', url: '/api/orgs', headers: { 'content-type': 'application/json' }, payload: '{"__proto__":{"x":1}}' }, message: /not valid JSON/ },
  ];
  for (const { options, message } of cases) {
    const res = await world.app.inject({ ...options, headers: { ...admin.headers, ...(options.headers ?? {}) } });
    t.equal(res.statusCode, 400, `${options.method} ${options.url}`);
    t.match(res.json().message, message);
  }
});
