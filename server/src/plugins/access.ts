import type { FastifyReply, FastifyRequest, RouteOptions, onRequestHookHandler, preHandlerHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import type { AccessPolicy, ReferenceDeclarations, ScopedAccess } from '../access/policy.ts';
import { isOrgInScope, scopeForViewer, type Scope } from '../access/scope.ts';
import { CSRF_HEADER, isCsrfTokenValid } from '../auth/csrf.ts';
import { getViewerBySessionToken } from '../auth/sessions.ts';
import { AppError, forbidden, notFound, unauthorized } from '../errors.ts';
import { SESSION_COOKIE } from './session.ts';

/** Routes under these prefixes must declare an access policy; others belong to plugins (/docs, static files). */
const GUARDED_PREFIXES = ['/api/', '/agent/'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Body and query fields with these names name records and must be declared as references. */
const REFERENCE_FIELD = /Ids?$/;

/** A registered route and its policy, for the route table and the route x role x scope matrix test. */
export interface GuardedRoute {
  method: string;
  url: string;
  access: AccessPolicy;
  /** Declares a body schema. */
  hasBody: boolean;
  /** A WebSocket route (the upgrade is checked like any request). */
  websocket: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's scope on routes with a scoped policy; null elsewhere. */
    scope: Scope | null;
  }
  interface FastifyInstance {
    /** Every guarded route registered so far, with its policy (HEAD twins left out). */
    guardedRoutes: GuardedRoute[];
  }
}

/** Thrown at registration for a route whose access declaration is missing or inconsistent. */
export class AccessDeclarationError extends Error {
  override name = 'AccessDeclarationError';
}

/** The scope of a request on a route with a scoped policy (the plugin set it before the handler). */
export function requestScope(request: FastifyRequest): Scope {
  if (!request.scope) throw new Error(`${request.method} ${request.routeOptions.url}: no scope (the route's policy is not scoped)`);
  return request.scope;
}

function isGuarded(url: string): boolean {
  return GUARDED_PREFIXES.some((prefix) => url.startsWith(prefix));
}

function methodsOf(route: RouteOptions): string[] {
  return Array.isArray(route.method) ? route.method : [route.method];
}

/** Keys of a zod object schema (request parts declared as other shapes are not inspected). */
function zodObjectKeys(schema: unknown): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/**
 * Refuses declarations that would let a route reach data outside the caller's scope unnoticed:
 * no policy; a path parameter or `...Id(s)` field that is not a declared reference; a scoped
 * state-changing route that declares a read; a reference to a field the schema does not have.
 */
export function checkRouteDeclaration(route: RouteOptions): AccessPolicy {
  const name = `${methodsOf(route).join(',')} ${route.url}`;
  const access = route.config?.access;
  if (!access) {
    throw new AccessDeclarationError(
      `${name} declares no access policy: add config.access (publicAccess, sessionAccess, readAccess or writeAccess; see server/README.md "Access")`,
    );
  }
  const params = [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  if (access.kind !== 'scoped') {
    if (access.kind === 'session' && params.length) throw new AccessDeclarationError(`${name}: a session route acts on the caller's own account and takes no path parameters`);
    return access;
  }
  if (!route.schema) throw new AccessDeclarationError(`${name}: declare zod schemas for its input (schema.params/querystring/body)`);
  const refs: ReferenceDeclarations = access.refs;
  for (const param of params) {
    if (!refs.params?.[param]) throw new AccessDeclarationError(`${name}: path parameter :${param} is not a declared reference (access refs.params)`);
  }
  for (const part of ['querystring', 'body'] as const) {
    const keys = zodObjectKeys(route.schema[part]);
    for (const key of keys) {
      if (REFERENCE_FIELD.test(key) && !refs[part]?.[key]) {
        throw new AccessDeclarationError(`${name}: ${part} field ${key} names a record but is not a declared reference (access refs.${part})`);
      }
    }
    for (const key of Object.keys(refs[part] ?? {})) {
      if (!keys.includes(key)) throw new AccessDeclarationError(`${name}: refs.${part}.${key} is not a field of its ${part} schema`);
    }
  }
  const writes = methodsOf(route).some((method) => !SAFE_METHODS.has(method));
  if (writes && access.action !== 'write') throw new AccessDeclarationError(`${name}: a state-changing method needs writeAccess`);
  return access;
}

/** onRequest: session, forced password change, CSRF token, role, scope. Runs before the body is validated. */
function authenticate(access: Exclude<AccessPolicy, { kind: 'public' }>): onRequestHookHandler {
  return async function authenticateRequest(this: unknown, request: FastifyRequest, _reply: FastifyReply) {
    const app = request.server;
    const token = request.cookies[SESSION_COOKIE];
    const viewer = token ? await getViewerBySessionToken(app.db, token) : undefined;
    if (!token || !viewer) {
      throw unauthorized(
        token ? 'auth.session-expired' : 'auth.required',
        token ? 'your session has expired: sign in again' : 'sign in first (POST /api/auth/login)',
      );
    }
    request.viewer = viewer;
    if (viewer.mustChangePassword && !(access.kind === 'session' && access.beforePasswordChange)) {
      throw new AppError(403, 'password_change_required', 'change your password first (POST /api/auth/password): this account was given a temporary one');
    }
    if (!SAFE_METHODS.has(request.method) && !isCsrfTokenValid(token, request.headers[CSRF_HEADER])) {
      throw forbidden('csrf.invalid', `missing or wrong ${CSRF_HEADER} header: send the csrfToken given at sign-in (also in the zhengban_csrf cookie)`);
    }
    if (access.kind === 'scoped') {
      if (!access.roles.includes(viewer.role)) throw forbidden('access.denied', `your role (${viewer.role}) may not ${access.action === 'write' ? 'change' : 'see'} this`);
      request.scope = await scopeForViewer(app.db, viewer);
    }
  };
}

/** preHandler: every declared reference must name a record whose org lies in the caller's scope. */
function checkReferences(access: ScopedAccess): preHandlerHookHandler {
  const parts = (['params', 'querystring', 'body'] as const).filter((part) => Object.keys(access.refs[part] ?? {}).length);
  return async function checkRequestReferences(this: unknown, request: FastifyRequest) {
    const scope = requestScope(request);
    const input = { params: request.params, querystring: request.query, body: request.body } as Record<string, unknown>;
    for (const part of parts) {
      const values = (input[part] ?? {}) as Record<string, unknown>;
      for (const [field, reference] of Object.entries(access.refs[part]!)) {
        const value = values[field];
        const ids = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
        for (const id of ids) {
          const orgId = typeof id === 'string' ? await reference.resolve(request.server.db, id) : undefined;
          // Outside the scope and nonexistent look the same: ids of other units cannot be probed.
          if (!orgId || !(await isOrgInScope(request.server.db, scope, orgId))) {
            throw notFound(`${reference.kind}.not-found`, `no ${reference.kind} ${String(id)} in your scope`);
          }
        }
      }
    }
  };
}

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * The one access mechanism: an onRoute hook that refuses to register a guarded route without a
 * consistent policy, and attaches to each the checks its policy calls for. Handlers then read
 * `requestScope(request)` and filter lists with `scopeWhere`.
 */
export default fp(
  async (app) => {
    app.decorateRequest('scope', null);
    app.decorate('guardedRoutes', [] as GuardedRoute[]);
    app.addHook('onRoute', (route) => {
      if (!isGuarded(route.url)) return;
      const access = checkRouteDeclaration(route);
      if (!methodsOf(route).includes('HEAD')) {
        const extra = { hasBody: Boolean(route.schema?.body), websocket: Boolean((route as { websocket?: boolean }).websocket) };
        for (const method of methodsOf(route)) app.guardedRoutes.push({ method, url: route.url, access, ...extra });
      }
      if (access.kind === 'public') return;
      route.onRequest = [authenticate(access), ...asArray(route.onRequest)];
      if (access.kind === 'scoped') route.preHandler = [checkReferences(access), ...asArray(route.preHandler)];
    });
  },
  { name: 'access', dependencies: ['context', 'session'] },
);
