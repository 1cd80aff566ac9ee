/**
 * Server URLs as people type them: `http(s)://host[:port][/prefix]`. The agent socket and the
 * enrolment endpoint hang below that prefix, so a server behind a path-routing proxy works too.
 */

/** Checks and normalises a server URL (no trailing slash); throws with a one-line reason. */
export function normaliseServerUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new Error(`"${input}" is not a URL; expected something like http://server:8080`);
  }
  if (url.protocol === 'ws:') url.protocol = 'http:';
  if (url.protocol === 'wss:') url.protocol = 'https:';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`server URL must start with http:// or https://, not ${url.protocol}//`);
  if (url.search || url.hash) throw new Error('server URL must not have a query or fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** `<server>/agent/ws` as a ws:// or wss:// URL. */
export function agentSocketUrl(serverUrl: string): string {
  const url = new URL(`${normaliseServerUrl(serverUrl)}/agent/ws`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** `<server>/agent/enroll`. */
export function enrollUrl(serverUrl: string): string {
  return `${normaliseServerUrl(serverUrl)}/agent/enroll`;
}
