import { type EnrollRequest, EnrollResponse, describeZodError } from '@zhengban/protocol';
import { type HttpAnswer, postJson } from './http-post.ts';
import { enrollUrl } from './server-url.ts';

/** Why enrolment failed, in words for the person typing the command. */
export class EnrollError extends Error {
  constructor(
    message: string,
    /** 'rejected': the token was refused; 'unreachable'/'protocol': wrong URL or server down. */
    readonly kind: 'rejected' | 'unreachable' | 'protocol',
  ) {
    super(message);
  }
}

const ENROLL_TIMEOUT_MS = 20_000;

/**
 * Trades an enrolment token for this agent's own credentials (`POST <server>/agent/enroll`).
 * The secret in the answer is shown once; the caller saves it.
 */
export async function enrollAgent(serverUrl: string, request: EnrollRequest): Promise<EnrollResponse> {
  const url = enrollUrl(serverUrl);
  let response: HttpAnswer;
  try {
    response = await postJson(new URL(url), request, ENROLL_TIMEOUT_MS);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const detail = e.code === 'ETIMEDOUT' ? `no answer within ${ENROLL_TIMEOUT_MS / 1000} s` : (e.code ?? e.message);
    throw new EnrollError(`cannot reach the server at ${url} (${detail}); check the URL and that the server is running`, 'unreachable');
  }
  const { status, text } = response;
  if (status === 401 || status === 403) {
    throw new EnrollError(`the server refused the enrolment token (HTTP ${status}${serverMessage(text)}): it is wrong, expired or used up; ask for a new one`, 'rejected');
  }
  if (status === 404) {
    throw new EnrollError(`${url} does not exist (HTTP 404): is ${serverUrl} a zhengban server?`, 'protocol');
  }
  if (status >= 300 && status < 400) {
    throw new EnrollError(`${url} redirects to ${redirectTarget(response.location, url)} (HTTP ${status}); enrol with the server's own address instead`, 'protocol');
  }
  if (status < 200 || status >= 300) {
    throw new EnrollError(`enrolment failed with HTTP ${status}${serverMessage(text)}`, status >= 500 ? 'unreachable' : 'protocol');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new EnrollError(`${url} did not answer with JSON: is ${serverUrl} a zhengban server?`, 'protocol');
  }
  const parsed = EnrollResponse.safeParse(json);
  if (!parsed.success) throw new EnrollError(`the server's enrolment answer is not what this agent expects (${describeZodError(parsed.error)})`, 'protocol');
  return parsed.data;
}

/** Where a redirect points, resolved against the request's URL, for the message. */
function redirectTarget(location: string | undefined, url: string): string {
  if (!location) return 'another address';
  try {
    return new URL(location, url).toString();
  } catch {
    return JSON.stringify(location.slice(0, 200));
  }
}

/** ": <message>" from a JSON error body, when the server sent one. */
function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const message = typeof body.message === 'string' ? body.message : typeof body.error === 'string' ? body.error : '';
    return message ? `: ${message.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}
