import type { z } from 'zod';
import { describeZodError } from '@zhengban/protocol';
import { badRequest } from '../errors.ts';

/**
 * Parses request input with a zod schema, or throws a 400 whose message names each wrong field:
 * `what` says which part of the request it was ("body", "query", "path").
 */
export function parseRequest<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw badRequest('request.invalid', `${what}: ${describeZodError(parsed.error)}`);
  return parsed.data;
}
