/**
 * Access policies: what every route declares in `config.access`, and the one plugin
 * (plugins/access.ts) enforces. A route that declares none is refused at registration.
 *
 * - `publicAccess(reason)`: no session (sign-in, agent enrolment, health).
 * - `sessionAccess()`: any signed-in user, about themselves only (who am I, sign out, password).
 * - `readAccess(...)` / `writeAccess(...)`: org-owned data, limited to the caller's scope. Every
 *   path parameter, and every body or query field that names an org-owned record, is declared as a
 *   reference; the plugin resolves each to its org and answers 404 when it lies outside the scope,
 *   before the handler runs. Lists filter with `scopeWhere(request.scope, column)`.
 */
import type { UserRole } from '../auth/viewer.ts';
import type { OrgReference } from './references.ts';

/** Every role. */
export const ALL_ROLES = ['bureau-admin', 'bureau-viewer', 'unit-admin', 'unit-viewer', 'inspector'] as const satisfies readonly UserRole[];
/** Roles that may change data (within their scope). */
export const ADMIN_ROLES = ['bureau-admin', 'unit-admin'] as const satisfies readonly UserRole[];
/** Bureau and unit staff: everyone but inspectors, whose access is limited to their campaigns' units. */
export const STAFF_ROLES = ['bureau-admin', 'bureau-viewer', 'unit-admin', 'unit-viewer'] as const satisfies readonly UserRole[];
/** Only bureau administrators (org tree, campaigns, moving machines between units). */
export const BUREAU_ADMIN_ROLES = ['bureau-admin'] as const satisfies readonly UserRole[];

/** Where in the request a reference lives, and which record kind each named field refers to. */
export interface ReferenceDeclarations {
  params?: Record<string, OrgReference>;
  querystring?: Record<string, OrgReference>;
  body?: Record<string, OrgReference>;
}

export interface PublicAccess {
  kind: 'public';
  /** Why this route needs no session (shows in reviews and in the route table). */
  reason: string;
}

export interface SessionAccess {
  kind: 'session';
  /** Open to a user who must still change the password (who am I, sign out, change password). */
  beforePasswordChange: boolean;
}

export interface ScopedAccess {
  kind: 'scoped';
  /** Reads leave data alone; writes need an admin role and a CSRF token. */
  action: 'read' | 'write';
  roles: readonly UserRole[];
  refs: ReferenceDeclarations;
}

/** What a route declares in `config.access`. */
export type AccessPolicy = PublicAccess | SessionAccess | ScopedAccess;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's access policy: required on every /api and /agent route (plugins/access.ts). */
    access?: AccessPolicy;
  }
}

/** No session: the route authenticates its callers another way, or not at all. */
export function publicAccess(reason: string): PublicAccess {
  return { kind: 'public', reason };
}

/** A signed-in user acting on their own account only. */
export function sessionAccess(options: { beforePasswordChange?: boolean } = {}): SessionAccess {
  return { kind: 'session', beforePasswordChange: options.beforePasswordChange ?? false };
}

/** Reads of org-owned data within the caller's scope. */
export function readAccess(options: { roles?: readonly UserRole[]; refs?: ReferenceDeclarations } = {}): ScopedAccess {
  return { kind: 'scoped', action: 'read', roles: options.roles ?? ALL_ROLES, refs: options.refs ?? {} };
}

/** Changes to org-owned data within the caller's scope; only admin roles may be listed. */
export function writeAccess(options: { roles?: readonly UserRole[]; refs?: ReferenceDeclarations } = {}): ScopedAccess {
  const roles = options.roles ?? ADMIN_ROLES;
  const notAdmin = roles.filter((role) => !(ADMIN_ROLES as readonly UserRole[]).includes(role));
  // A policy that lets a viewer write is a mistake in the route, not a runtime condition.
  if (notAdmin.length) throw new Error(`writeAccess: ${notAdmin.join(', ')} may not write`);
  return { kind: 'scoped', action: 'write', roles, refs: options.refs ?? {} };
}
