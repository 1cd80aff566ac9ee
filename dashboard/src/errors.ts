/**
 * API errors in words a clerk understands: known codes get their own sentence, the rest a
 * sentence by status with the server's message kept for whoever has to look into it.
 */
import { ApiError } from './api.ts';
import type { Translate } from './i18n.tsx';

/** Codes with a sentence of their own in the dictionaries (key `err.<code>`). */
const KNOWN_CODES = new Set([
  'annual-return.already-submitted',
  'annual-return.future-year',
  'annual-return.not-a-unit',
  'annual-return.not-submitted',
  'catalog.rule-invalid',
  'position.not-found',
  'org.not-found',
  'csrf.invalid',
  'machine.duplicate',
  'machine.already-retired',
  'machine.not-retired',
  'machine.not-a-unit',
  'machine.reported-by-agent',
  'import.invalid',
]);

/** One sentence for an error thrown by `api()` (or anything else). */
export function errorText(error: unknown, t: Translate): string {
  if (!(error instanceof ApiError)) return t('err.unexpected', { message: String(error) });
  if (KNOWN_CODES.has(error.code)) return t(`err.${error.code}`, { message: error.message });
  if (error.status === 0) return t('err.network');
  if (error.status === 403) return t('err.forbidden');
  if (error.status === 404) return t('err.notFound');
  if (error.status === 409) return t('err.conflict', { message: error.message });
  if (error.status >= 500) return t('err.server');
  return t('err.invalid', { message: error.message });
}
