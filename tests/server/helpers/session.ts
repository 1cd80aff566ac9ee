/** Signing in through the real API, as the dashboard does: session cookie plus CSRF header. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export interface SignedIn {
  /** `zhengban_session=...` for the cookie header. */
  cookie: string;
  /** The session's CSRF token. */
  csrfToken: string;
  /** Headers for any request of this session: cookie and CSRF token. */
  headers: { cookie: string; 'x-csrf-token': string };
}

/** The session of a sign-in (or password change) answer. */
export function sessionOf(res: LightMyRequestResponse): SignedIn {
  const cookie = res.cookies.find((c) => c.name === 'zhengban_session');
  const csrfToken = (res.json() as { csrfToken?: string }).csrfToken;
  if (!cookie || !csrfToken) throw new Error(`no session in the answer: ${res.statusCode} ${res.body}`);
  const session = `${cookie.name}=${cookie.value}`;
  return { cookie: session, csrfToken, headers: { cookie: session, 'x-csrf-token': csrfToken } };
}

/** POST /api/auth/login from `remoteAddress`; throws when refused. */
export async function signIn(app: FastifyInstance, username: string, password: string, remoteAddress = '127.0.0.1'): Promise<SignedIn> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} refused: ${res.statusCode} ${res.body}`);
  return sessionOf(res);
}
