import type { FastifySchemaCompiler } from 'fastify';
import fp from 'fastify-plugin';
import { serializerCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { describeZodError } from '@zhengban/protocol';
import { badRequest } from '../errors.ts';

/** How a request part is named in messages: the words a caller knows. */
const PART_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'headers' };

/** NUL (PostgreSQL text cannot hold it) or a UTF-16 surrogate without its pair (not Unicode). */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The path of the first string (value or key) in `value` that no database column can store, or
 * undefined (raw file bodies are bytes, not text: skipped). Walks without recursion: a request nested 100,000 levels deep must not overflow the stack.
 */
export function findUnstorableText(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'string') {
      if (UNSTORABLE.test(item)) return path || '(root)';
    } else if (item && typeof item === 'object' && !ArrayBuffer.isView(item)) {
      for (const [key, inner] of Object.entries(item)) {
        const at = path ? `${path}.${key}` : key;
        if (UNSTORABLE.test(key)) return at;
        stack.push([inner, at]);
      }
    }
  }
  return undefined;
}

/**
 * Validates every request part with the zod schema the route declared (the same schemas
 * @fastify/swagger publishes at /docs). A failure is a 400 whose message names each wrong field,
 * e.g. `body: password: Invalid input: expected string, received undefined`.
 */
export const validateWithZod: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    // One guard for every route, present and future: such text would reach the database as a 500.
    const unstorable = findUnstorableText(data);
    if (unstorable) {
      return { error: badRequest('request.invalid', `${PART_NAMES[httpPart ?? ''] ?? httpPart}: ${unstorable}: must not contain NUL characters or unpaired surrogates`) };
    }
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
