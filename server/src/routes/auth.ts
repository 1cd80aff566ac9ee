import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { changePassword, logIn } from '../auth/login.ts';
import { deleteSession, getViewerBySessionToken, SESSION_TTL_MS } from '../auth/sessions.ts';
import type { Viewer } from '../auth/viewer.ts';
import { getOrgById } from '../orgs/queries.ts';
import { SESSION_COOKIE } from '../plugins/session.ts';
import { parseRequest } from './validate.ts';

const LoginBody = z.object({
  username: z.string().trim().min(1, 'enter a username').max(64),
  password: z.string().min(1, 'enter a password').max(1024),
});

const PasswordBody = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(8, 'must be at least 8 characters').max(1024),
});

/** The signed-in user as the API shows it. */
async function describeViewer(app: FastifyInstance, viewer: Viewer) {
  const org = await getOrgById(app.db, viewer.orgId);
  return {
    username: viewer.username,
    role: viewer.role,
    org: { id: viewer.orgId, name: org?.name ?? '', kind: org?.kind ?? null },
    mustChangePassword: viewer.mustChangePassword,
  };
}

/**
 * /api/auth — sign in, sign out, who am I, change password. The session lives in an HttpOnly,
 * SameSite=Lax cookie: scripts cannot read it and other sites cannot send it with a POST.
 */
export default async function authRoutes(app: FastifyInstance): Promise<void> {
  const setSessionCookie = (reply: FastifyReply, token: string, secure: boolean) =>
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure,
      maxAge: Math.floor(SESSION_TTL_MS / 1000),
    });
  const isHttps = (protocol: string) => protocol === 'https' || (app.config.publicUrl?.startsWith('https:') ?? false);

  app.post('/api/auth/login', async (request, reply) => {
    const body = parseRequest(LoginBody, request.body, 'body');
    const session = await logIn(app.db, body.username, body.password);
    setSessionCookie(reply, session.token, isHttps(request.protocol));
    request.log.info({ username: body.username }, 'signed in');
    const viewer = await getViewerBySessionToken(app.db, session.token);
    return { user: await describeViewer(app, viewer!) };
  });

  app.post('/api/auth/logout', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await deleteSession(app.db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { signedOut: true };
  });

  app.get('/api/auth/me', { preHandler: app.requireViewer }, async (request) => ({
    user: await describeViewer(app, request.viewer!),
  }));

  app.post('/api/auth/password', { preHandler: app.requireViewer }, async (request, reply) => {
    const body = parseRequest(PasswordBody, request.body, 'body');
    const session = await changePassword(app.db, request.viewer!.userId, body.currentPassword, body.newPassword);
    setSessionCookie(reply, session.token, isHttps(request.protocol));
    return { passwordChanged: true };
  });
}
