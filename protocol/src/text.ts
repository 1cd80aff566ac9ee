/**
 * Text rules shared by every string on the wire, as plain functions (no zod): strings.ts and
 * server-messages.ts turn them into schemas, senders use cleanString on untrusted text.
 */

/**
 * C0 controls except tab, LF and CR, DEL, and the C1 controls. Real registry values sometimes
 * hold them; the agent cleans them before sending, so on the wire they mean a broken or hostile
 * sender and are refused rather than stored (PostgreSQL cannot store NUL in text at all).
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** True when the string holds no control character that the wire refuses (see CONTROL_CHARACTERS). */
export function hasNoControlCharacters(value: string): boolean {
  return !CONTROL_CHARACTERS.test(value);
}

/** True when the string holds no lone UTF-16 surrogate (JSON can carry them; UTF-8 cannot). */
export function isWellFormedUtf16(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/** Replaces what `safeString` refuses, for senders that read untrusted text (registry, files). */
export function cleanString(value: string, max: number): string {
  let out = value.replace(new RegExp(CONTROL_CHARACTERS.source, 'g'), '');
  if (!isWellFormedUtf16(out)) {
    out = out.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  }
  out = out.trim();
  if (out.length > max) {
    out = out.slice(0, max);
    // Do not cut a surrogate pair in half.
    if (!isWellFormedUtf16(out)) out = out.slice(0, -1);
  }
  return out;
}

/** The messages safeString's refinements give (the same in every schema flavour). */
export const TEXT_ISSUES = {
  control: 'contains control characters',
  surrogate: 'contains invalid UTF-16 (lone surrogate)',
} as const;
