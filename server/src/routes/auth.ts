import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { publicAccess, sessionAccess } from '../access/policy.ts';
import { CSRF_COOKIE, csrfTokenFor } from '../auth/csrf.ts';
import { actorOf } from '../audit/record.ts';
import { changePassword, logIn } from '../auth/login.ts';
import { deleteSession, getViewerBySessionToken, SESSION_TTL_MS } from '../auth/sessions.ts';
import type { Viewer } from '../auth/viewer.ts';
import { listCampaignsOfInspector } from '../inspections/campaigns.ts';
import { getOrgById } from '../orgs/queries.ts';
import { SESSION_COOKIE } from '../plugins/session.ts';
import { PlainText } from './schemas.ts';

const LoginBody = z.object({
  username: PlainText.trim().min(1, 'enter a username').max(64),
  password: PlainText.min(1, 'enter a password').max(1024),
});

const PasswordBody = z.object({
  currentPassword: PlainText.min(1, 'enter the current password').max(1024),
  newPassword: PlainText.min(8, 'must be at least 8 characters').max(1024),
});

/** The signed-in user as the API shows it, with the CSRF token the dashboard must send back. */
async function describeViewer(app: FastifyInstance, viewer: Viewer, sessionToken: string) {
  const org = await getOrgById(app.db, viewer.orgId);
  // An inspector's access is its campaigns' units: say which, so the dashboard can show them.
  const campaigns = viewer.role === 'inspector' ? await listCampaignsOfInspector(app.db, viewer.userId) : undefined;
  return {
    user: {
      id: viewer.userId,
      username: viewer.username,
      role: viewer.role,
      org: { id: viewer.orgId, name: org?.name ?? '', kind: org?.kind ?? null },
      mustChangePassword: viewer.mustChangePassword,
      ...(campaigns ? { campaigns } : {}),
    },
    csrfToken: csrfTokenFor(sessionToken),
  };
}

/**
 * /api/auth — sign in, sign out, who am I, change password. The session lives in an HttpOnly,
 * SameSite=Lax cookie (Secure over TLS): scripts cannot read it and other sites cannot send it
 * with a POST. The CSRF token goes in the answer and in a readable SameSite=Strict cookie.
 */
export default async function authRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const startSession = (request: FastifyRequest, reply: FastifyReply, token: string) => {
    const secure = request.protocol === 'https' || (app.config.publicUrl?.startsWith('https:') ?? false);
    const maxAge = Math.floor(SESSION_TTL_MS / 1000);
    reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', path: '/', secure, maxAge });
    reply.setCookie(CSRF_COOKIE, csrfTokenFor(token), { httpOnly: false, sameSite: 'strict', path: '/', secure, maxAge });
  };
  const sessionToken = (request: FastifyRequest) => request.cookies[SESSION_COOKIE]!;

  app.post(
    '/api/auth/login',
    {
      config: { access: publicAccess('signing in is how a session starts') },
      schema: { tags: ['auth'], summary: 'Sign in: sets the session cookie, returns the user and the CSRF token', body: LoginBody },
    },
    async (request, reply) => {
      const session = await logIn(app.db, app.signInGuard, { ...request.body, address: request.ip });
      startSession(request, reply, session.token);
      request.log.info({ username: request.body.username }, 'signed in');
      const viewer = await getViewerBySessionToken(app.db, session.token);
      return describeViewer(app, viewer!, session.token);
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: sessionAccess({ beforePasswordChange: true }) },
      schema: { tags: ['auth'], summary: 'Sign out: the session ends on the server' },
    },
    async (request, reply) => {
      await deleteSession(app.db, sessionToken(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return { signedOut: true };
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: sessionAccess({ beforePasswordChange: true }) },
      schema: { tags: ['auth'], summary: 'Who is signed in (and the CSRF token of this session)' },
    },
    async (request) => describeViewer(app, request.viewer!, sessionToken(request)),
  );

  app.post(
    '/api/auth/password',
    {
      config: { access: sessionAccess({ beforePasswordChange: true }) },
      schema: { tags: ['auth'], summary: 'Change your password: ends your other sessions, starts a fresh one', body: PasswordBody },
    },
    async (request, reply) => {
      const session = await changePassword(app.db, actorOf(request), request.body.currentPassword, request.body.newPassword);
      startSession(request, reply, session.token);
      return { passwordChanged: true, csrfToken: csrfTokenFor(session.token) };
    },
  );
}
