import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, RetryLaterError } from '../errors.ts';

/** The JSON body of every error response. */
export interface ErrorBody {
  statusCode: number;
  /** Stable dotted code a client can branch on, e.g. `auth.invalid-credentials`. */
  code: string;
  message: string;
  /** Every problem found, when the error lists them (ProblemsError, or errors carrying `problems`). */
  problems?: unknown[];
}

/**
 * The one error handler (STYLE 6): typed errors and Fastify's own 4xx errors (bad JSON, body too
 * large, wrong content type) show their message; anything else is logged once, here, and the
 * client gets a generic 500 that leaks nothing.
 */
export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
      let body: ErrorBody;
      if (error instanceof AppError && error.expose) {
        body = { statusCode: error.status, code: error.code, message: error.message };
        const problems = (error as AppError & { problems?: unknown }).problems;
        if (Array.isArray(problems)) body.problems = problems;
        if (error instanceof RetryLaterError) reply.header('retry-after', String(error.retryAfterSeconds));
      } else if (!(error instanceof AppError) && typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
        body = { statusCode: error.statusCode, code: 'request.invalid', message: error.message };
      } else {
        request.log.error({ err: error }, 'request failed');
        body = { statusCode: 500, code: 'server.error', message: 'internal server error; the details are in the server log' };
      }
      if (body.statusCode >= 400 && body.statusCode < 500) request.log.info({ code: body.code, message: body.message }, 'request refused');
      return reply.code(body.statusCode).type('application/json; charset=utf-8').send(body);
    });

    app.setNotFoundHandler((request, reply) => {
      const body: ErrorBody = { statusCode: 404, code: 'route.not-found', message: `no route ${request.method} ${request.url.split('?')[0]}` };
      return reply.code(404).send(body);
    });
  },
  { name: 'error-handler' },
);
