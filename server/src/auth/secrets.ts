import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A random token of `bytes` bytes, URL-safe base64 (no padding): session cookies, agent secrets,
 * enrolment tokens. Never starts with "-": enrolment tokens are pasted after `--token` in the
 * printed enrol command, where a leading dash reads as an option (the agent's argument parser
 * refuses `--token -abc...` as ambiguous). One draw in 64 starts with "-" and is drawn again.
 */
export function generateToken(bytes = 32): string {
  for (;;) {
    const token = randomBytes(bytes).toString('base64url');
    if (!token.startsWith('-')) return token;
  }
}

/** SHA-256 hex of a high-entropy secret. Fine for random tokens; never for passwords. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests of the same algorithm. */
export function hexDigestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/**
 * A password for the generated admin account: 20 characters from an alphabet without look-alikes
 * (no 0/O, 1/l/I), easy to copy from a terminal. About 116 bits.
 */
export function generatePassword(length = 20): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    const byte = bytes[i]!;
    // Reject bytes that would bias the choice (256 is not a multiple of the alphabet size).
    if (byte < 256 - (256 % alphabet.length)) out += alphabet[byte % alphabet.length];
  }
  return out.length === length ? out : generatePassword(length);
}
