/**
 * The server's typed errors: an HTTP status, a stable dotted `code` a client can branch on, and
 * whether the message may be shown to the caller. The one error handler (plugins/error-handler.ts)
 * shows the message of exposed errors and replaces every other with a generic 500.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly expose = status < 500,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export const badRequest = (code: string, message: string) => new AppError(400, code, message);
export const unauthorized = (code: string, message: string) => new AppError(401, code, message);
export const forbidden = (code: string, message: string) => new AppError(403, code, message);
export const notFound = (code: string, message: string) => new AppError(404, code, message);
export const conflict = (code: string, message: string) => new AppError(409, code, message);

/** 429 with the number of seconds after which trying again makes sense (sent as Retry-After). */
export class RetryLaterError extends AppError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, code, message);
  }
}

/**
 * A 400 that lists every problem found (per field or per row), for callers that fix them all at
 * once: the body carries `problems` beside the message.
 */
export class ProblemsError extends AppError {
  constructor(
    code: string,
    message: string,
    readonly problems: unknown[],
  ) {
    super(400, code, message);
  }
}
