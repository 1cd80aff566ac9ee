import type { FastifySchemaCompiler } from 'fastify';
import fp from 'fastify-plugin';
import { serializerCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { describeZodError } from '@zhengban/protocol';
import { badRequest } from '../errors.ts';

/** How a request part is named in messages: the words a caller knows. */
const PART_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'headers' };

/**
 * Validates every request part with the zod schema the route declared (the same schemas
 * @fastify/swagger publishes at /docs). A failure is a 400 whose message names each wrong field,
 * e.g. `body: password: Invalid input: expected string, received undefined`.
 */
export const validateWithZod: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = schema.safeParse(data ?? {});
    if (result.success) return { value: result.data };
    return { error: badRequest('request.invalid', `${PART_NAMES[httpPart ?? ''] ?? httpPart}: ${describeZodError(result.error)}`) };
  };

/** zod request validation and response serialisation for every route (fastify-type-provider-zod). */
export default fp(
  async (app) => {
    app.setValidatorCompiler(validateWithZod);
    app.setSerializerCompiler(serializerCompiler);
  },
  { name: 'validation' },
);
