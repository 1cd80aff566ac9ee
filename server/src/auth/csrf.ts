import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header every state-changing request of a signed-in browser must carry. */
export const CSRF_HEADER = 'x-csrf-token';
/** Readable (not HttpOnly) cookie with the same token, so the dashboard can pick it up after a reload. */
export const CSRF_COOKIE = 'zhengban_csrf';

/**
 * The CSRF token of a session: an HMAC of a fixed label keyed with the session token. It is bound
 * to the session (a token from another session never matches), needs no storage, and reveals
 * nothing about the session token, so scripts may read it while the session cookie stays HttpOnly.
 * Another site can neither read it nor set the header on a cross-site request.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('zhengban csrf v1').digest('base64url');
}

/** True when `presented` is the CSRF token of the session; compares in constant time. */
export function isCsrfTokenValid(sessionToken: string, presented: string | string[] | undefined): boolean {
  if (typeof presented !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const actual = Buffer.from(presented);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
