import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { getViewerBySessionToken } from '../auth/sessions.ts';
import type { Viewer } from '../auth/viewer.ts';
import { unauthorized } from '../errors.ts';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'zhengban_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user; set by `requireViewer`, null before or without it. */
    viewer: Viewer | null;
  }
  interface FastifyInstance {
    /** preHandler for routes that need a signed-in user: 401 without a valid session. */
    requireViewer: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

/** Cookie sessions: reads the session cookie and resolves it to a viewer on the routes that ask. */
export default fp(
  async (app) => {
    await app.register(cookie);
    app.decorateRequest('viewer', null);
    app.decorate('requireViewer', async (request: FastifyRequest) => {
      const token = request.cookies[SESSION_COOKIE];
      const viewer = token ? await getViewerBySessionToken(app.db, token) : undefined;
      if (!viewer) {
        throw unauthorized(
          token ? 'auth.session-expired' : 'auth.required',
          token ? 'your session has expired: sign in again' : 'sign in first (POST /api/auth/login)',
        );
      }
      request.viewer = viewer;
    });
  },
  { name: 'session', dependencies: ['context'] },
);
