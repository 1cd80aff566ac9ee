import { isSupportedProtocolVersion } from './version.ts';

/*
 * Reading one text frame: JSON, the envelope (`v`, `type`, `seq`), then the message's schema.
 * No zod import: the schema is passed in (classic or mini, both have safeParse), so each side
 * loads only the schemas of the messages it receives.
 */

/** Result of reading one text frame: a valid message, a type this side does not know, or an error. */
export type ParsedFrame<T> =
  | { kind: 'message'; message: T }
  | { kind: 'unknown-type'; type: string }
  | { kind: 'invalid'; code: 'frame.invalid-json' | 'frame.invalid' | 'protocol.unsupported-version'; message: string; seq?: number };

/** What describeZodError reads of a ZodError (classic or mini). */
export interface SchemaIssues {
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>;
}

/** What parseFrame needs of a schema. */
export interface FrameSchema<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: SchemaIssues };
}

/** Formats zod issues as "path: problem; ..." — short enough for an error frame, exact enough to fix. */
export function describeZodError(error: SchemaIssues, maxIssues = 5): string {
  const parts = error.issues.slice(0, maxIssues).map((issue) => {
    const path = issue.path.length ? issue.path.join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length > maxIssues ? `; and ${error.issues.length - maxIssues} more` : '';
  return parts.join('; ') + more;
}

/** Reads one frame against the schema of the messages this side receives. */
export function parseFrame<T>(text: string, schema: FrameSchema<T>, knownTypes: readonly string[]): ParsedFrame<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { kind: 'invalid', code: 'frame.invalid-json', message: `frame is not JSON: ${(err as Error).message}` };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { kind: 'invalid', code: 'frame.invalid', message: 'frame must be a JSON object' };
  }
  const envelope = raw as { v?: unknown; type?: unknown; seq?: unknown };
  const seq = typeof envelope.seq === 'number' && Number.isSafeInteger(envelope.seq) && envelope.seq > 0 ? envelope.seq : undefined;
  if (!isSupportedProtocolVersion(envelope.v)) {
    return {
      kind: 'invalid',
      code: 'protocol.unsupported-version',
      message: `protocol version ${JSON.stringify(envelope.v)} is not supported`,
      ...(seq ? { seq } : {}),
    };
  }
  if (typeof envelope.type !== 'string') {
    return { kind: 'invalid', code: 'frame.invalid', message: 'type: expected a message type string' };
  }
  if (!knownTypes.includes(envelope.type)) return { kind: 'unknown-type', type: envelope.type.slice(0, 64) };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return { kind: 'invalid', code: 'frame.invalid', message: describeZodError(parsed.error), ...(seq ? { seq } : {}) };
  }
  return { kind: 'message', message: parsed.data };
}
