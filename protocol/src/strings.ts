import { z } from 'zod';
import { TEXT_ISSUES, hasNoControlCharacters, isWellFormedUtf16 } from './text.ts';

export { cleanString, isWellFormedUtf16 } from './text.ts';

/**
 * A string that is safe to store and show: bounded, well-formed UTF-16, no control characters.
 * `max` must match the database column it lands in.
 */
export function safeString(max: number) {
  return z
    .string()
    .max(max)
    .refine(hasNoControlCharacters, { message: TEXT_ISSUES.control })
    .refine(isWellFormedUtf16, { message: TEXT_ISSUES.surrogate });
}
