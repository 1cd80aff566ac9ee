import cookie from '@fastify/cookie';
import fp from 'fastify-plugin';
import { SignInGuard } from '../auth/login.ts';
import type { Viewer } from '../auth/viewer.ts';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'zhengban_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user; set by the access plugin on routes that need a session, null elsewhere. */
    viewer: Viewer | null;
  }
  interface FastifyInstance {
    /** Sign-in state of this process: per-account queue and KDF counters. */
    signInGuard: SignInGuard;
  }
}

/** Cookie parsing, the `viewer` request slot and the sign-in guard; plugins/access.ts resolves the session per route policy. */
export default fp(
  async (app) => {
    await app.register(cookie);
    app.decorateRequest('viewer', null);
    app.decorate('signInGuard', new SignInGuard());
  },
  { name: 'session', dependencies: ['context'] },
);
