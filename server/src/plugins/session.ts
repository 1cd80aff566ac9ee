import cookie from '@fastify/cookie';
import fp from 'fastify-plugin';
import type { Viewer } from '../auth/viewer.ts';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'zhengban_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user; set by the access plugin on routes that need a session, null elsewhere. */
    viewer: Viewer | null;
  }
}

/** Cookie parsing and the `viewer` request slot; plugins/access.ts resolves the session per route policy. */
export default fp(
  async (app) => {
    await app.register(cookie);
    app.decorateRequest('viewer', null);
  },
  { name: 'session', dependencies: ['context'] },
);
