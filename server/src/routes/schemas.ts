/**
 * zod building blocks of the REST API's request schemas. Text fields refuse what PostgreSQL cannot
 * store or what only an attacker sends: NUL and other control characters, unpaired UTF-16
 * surrogates (they would be silently replaced on the way to the database).
 */
import { z } from 'zod';

/** Text that may span lines (notes): tabs and line breaks allowed, other control characters not. */
export const PlainText = z
  .string()
  .regex(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\p{Cs}]*$/u, 'must not contain control characters or unpaired surrogates');

/** One line of text (names, codes): no control characters at all. */
export const LineText = z.string().regex(/^[^\u0000-\u001F\u007F\p{Cs}]*$/u, 'must be one line without control characters');

/** A record id. */
export const Uuid = z.uuid('must be a UUID');

/** Paging of list endpoints. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});
