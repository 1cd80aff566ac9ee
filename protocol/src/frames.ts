import type { z } from 'zod';
import { AGENT_MESSAGE_TYPES, AgentMessage, SERVER_MESSAGE_TYPES, ServerMessage } from './messages.ts';
import { isSupportedProtocolVersion } from './version.ts';

/** Result of reading one text frame: a valid message, a type this side does not know, or an error. */
export type ParsedFrame<T> =
  | { kind: 'message'; message: T }
  | { kind: 'unknown-type'; type: string }
  | { kind: 'invalid'; code: 'frame.invalid-json' | 'frame.invalid' | 'protocol.unsupported-version'; message: string; seq?: number };

/** Formats zod issues as "path: problem; ..." — short enough for an error frame, exact enough to fix. */
export function describeZodError(error: z.ZodError, maxIssues = 5): string {
  const parts = error.issues.slice(0, maxIssues).map((issue) => {
    const path = issue.path.length ? issue.path.join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length > maxIssues ? `; and ${error.issues.length - maxIssues} more` : '';
  return parts.join('; ') + more;
}

function parseFrame<T>(
  text: string,
  schema: z.ZodType<T>,
  knownTypes: readonly string[],
): ParsedFrame<T> {
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

/** Server side: read a frame an agent sent. */
export function parseAgentFrame(text: string): ParsedFrame<AgentMessage> {
  return parseFrame(text, AgentMessage, AGENT_MESSAGE_TYPES);
}

/** Agent side: read a frame the server sent. Unknown types must be ignored (forward compatibility). */
export function parseServerFrame(text: string): ParsedFrame<ServerMessage> {
  return parseFrame(text, ServerMessage, SERVER_MESSAGE_TYPES);
}
