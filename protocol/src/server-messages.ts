import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { type ParsedFrame, parseFrame } from './envelope.ts';
import { MAX_TEXT_LENGTH } from './limits.ts';
import { ACK_RESULTS, ERROR_CODES, MessageType, SERVER_COMMANDS, SERVER_MESSAGE_TYPES } from './names.ts';
import { TEXT_ISSUES, hasNoControlCharacters, isWellFormedUtf16 } from './text.ts';
import { PROTOCOL_VERSION } from './version.ts';

/*
 * Server -> agent messages, on zod/mini: an agent validates every frame the server sends for as
 * long as it runs, and the agent's long-running process must stay small (issue 3: idle RSS at most
 * 1.3x bare node). zod's classic API costs ~9 MiB of RSS to load, zod/mini a fraction of that, and
 * both share zod's core: same checks, same issues, same messages. Agent -> server messages and the
 * Inventory stay on the classic API (messages.ts), which the server and its OpenAPI use.
 */

// The classic API installs the English messages when it loads; a process with only zod/mini
// (the agent's run loop) would otherwise say "Invalid input" for everything.
z.config(en());

const version = z.literal(PROTOCOL_VERSION);
const Sha256Hex = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'expected a lower-case hex SHA-256'));
/** Per-agent report sequence number: strictly increasing, never reused, acked by the server. */
const Seq = z.int().check(z.positive(), z.lte(Number.MAX_SAFE_INTEGER));

/** safeString (strings.ts) on zod/mini: bounded, well-formed UTF-16, no control characters. */
function safeText(max: number) {
  return z.string().check(z.maxLength(max), z.refine(hasNoControlCharacters, TEXT_ISSUES.control), z.refine(isWellFormedUtf16, TEXT_ISSUES.surrogate));
}

/** Sent once after the upgrade: where the server stands, so the agent can resume. */
export const ServerWelcome = z.object({
  v: version,
  type: z.literal(MessageType.ServerWelcome),
  agentId: z.string().check(z.minLength(1), z.maxLength(64)),
  serverVersion: safeText(64),
  /** Highest report sequence number the server has applied for this agent (0 = none). */
  lastSeq: z.int().check(z.nonnegative()),
  /** Hash of the inventory the server holds for this agent's machine, when any. */
  inventoryHash: z.optional(Sha256Hex),
  /** Largest frame the server accepts, in bytes. */
  maxFrameBytes: z.int().check(z.positive()),
});
export type ServerWelcome = z.infer<typeof ServerWelcome>;

/**
 * The server's answer to a report. `applied`: stored now. `duplicate`: seq already applied earlier
 * (a re-send; nothing changed). `rejected`: not applied and never will be (reason in `reason`);
 * the agent drops it from its outbox.
 */
export const InventoryAck = z.object({
  v: version,
  type: z.literal(MessageType.InventoryAck),
  seq: Seq,
  result: z.enum(ACK_RESULTS),
  reason: z.optional(safeText(MAX_TEXT_LENGTH)),
});
export type InventoryAck = z.infer<typeof InventoryAck>;

/** Something the server wants the agent to do: send a full report, or rescan now. */
export const ServerCommand = z.object({
  v: version,
  type: z.literal(MessageType.ServerCommand),
  command: z.enum(SERVER_COMMANDS),
  reason: z.optional(safeText(MAX_TEXT_LENGTH)),
});
export type ServerCommand = z.infer<typeof ServerCommand>;

export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorMessage = z.object({
  v: version,
  type: z.literal(MessageType.Error),
  code: ErrorCode,
  message: safeText(MAX_TEXT_LENGTH),
  /** The report this error is about, when it is about one. */
  seq: z.optional(Seq),
});
export type ErrorMessage = z.infer<typeof ErrorMessage>;

export const ServerMessage = z.discriminatedUnion('type', [ServerWelcome, InventoryAck, ServerCommand, ErrorMessage]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/** Agent side: read a frame the server sent. Unknown types must be ignored (forward compatibility). */
export function parseServerFrame(text: string): ParsedFrame<ServerMessage> {
  return parseFrame(text, ServerMessage, SERVER_MESSAGE_TYPES);
}
