/** The REST client: same-origin cookies, the CSRF header on writes, errors as data a page can show. */

/** An error answer of the API (`{ statusCode, code, message }`) or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

let csrfToken = '';
const sessionListeners = new Set<() => void>();

/** Remembers the CSRF token of the current session (from sign-in or /api/auth/me). */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

function csrfFromCookie(): string {
  const match = /(?:^|;\s*)zhengban_csrf=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : '';
}

/** Calls `listener` whenever the server says the session has expired. */
export function onSessionExpired(listener: () => void): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

/** Sends a request and returns the parsed JSON answer, or throws ApiError. */
export async function api<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
  const headers: Record<string, string> = {};
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken || csrfFromCookie();
  let payload: BodyInit | undefined;
  if (body instanceof Blob || body instanceof ArrayBuffer) {
    payload = body;
    headers['content-type'] = contentType ?? 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch (error) {
    throw new ApiError(0, 'network', `the server cannot be reached (${(error as Error).message})`);
  }
  const text = await response.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (data ?? {}) as { code?: string; message?: string };
    if (error.code === 'auth.session-expired') for (const listener of sessionListeners) listener();
    throw new ApiError(response.status, error.code ?? 'http', error.message ?? response.statusText, data);
  }
  return data as T;
}

/** Query string from the defined values. */
export function query(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
