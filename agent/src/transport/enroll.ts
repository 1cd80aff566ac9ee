import { type EnrollRequest, EnrollResponse, describeZodError } from '@zhengban/protocol';
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
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(ENROLL_TIMEOUT_MS),
    });
  } catch (err) {
    const cause = (err as { cause?: NodeJS.ErrnoException }).cause;
    const detail = (err as Error).name === 'TimeoutError' ? `no answer within ${ENROLL_TIMEOUT_MS / 1000} s` : (cause?.code ?? cause?.message ?? (err as Error).message);
    throw new EnrollError(`cannot reach the server at ${url} (${detail}); check the URL and that the server is running`, 'unreachable');
  }
  const text = await response.text();
  if (response.status === 401 || response.status === 403) {
    throw new EnrollError(`the server refused the enrolment token (HTTP ${response.status}${serverMessage(text)}): it is wrong, expired or used up; ask for a new one`, 'rejected');
  }
  if (response.status === 404) {
    throw new EnrollError(`${url} does not exist (HTTP 404): is ${serverUrl} a zhengban server?`, 'protocol');
  }
  if (!response.ok) {
    throw new EnrollError(`enrolment failed with HTTP ${response.status}${serverMessage(text)}`, response.status >= 500 ? 'unreachable' : 'protocol');
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
