import { z } from 'zod';
import { Hardware, Inventory } from './inventory.ts';
import { InventoryDelta } from './delta.ts';
import { MAX_HOSTNAME_LENGTH, MAX_TEXT_LENGTH } from './limits.ts';
import { safeString } from './strings.ts';
import { PROTOCOL_VERSION } from './version.ts';

/** Message type names, dotted lower-case noun.verb. */
export const MessageType = {
  AgentHello: 'agent.hello',
  InventoryFull: 'inventory.full',
  InventoryDelta: 'inventory.delta',
  ServerWelcome: 'server.welcome',
  InventoryAck: 'inventory.ack',
  ServerCommand: 'server.command',
  Error: 'error',
} as const;

const version = z.literal(PROTOCOL_VERSION);
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lower-case hex SHA-256');
/** Per-agent report sequence number: strictly increasing, never reused, acked by the server. */
const Seq = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

// ---- agent -> server --------------------------------------------------------------------------

/** First frame after the upgrade: who is talking. */
export const AgentHello = z.object({
  v: version,
  type: z.literal(MessageType.AgentHello),
  agentVersion: safeString(64),
  platform: z.enum(['linux', 'windows']),
  hostname: safeString(MAX_HOSTNAME_LENGTH),
});
export type AgentHello = z.infer<typeof AgentHello>;

/** A whole inventory. The server replaces what it knows of the machine with it. */
export const InventoryFullMessage = z.object({
  v: version,
  type: z.literal(MessageType.InventoryFull),
  seq: Seq,
  /** inventoryHash(inventory); the server checks it. */
  hash: Sha256Hex,
  inventory: Inventory,
  /** SHA-256 of the evidence bundle the inventory was interpreted from (kept for inspectors). */
  evidenceSha256: Sha256Hex.optional(),
});
export type InventoryFullMessage = z.infer<typeof InventoryFullMessage>;

/**
 * Changes since the inventory whose hash is `baseHash`. If the server's current inventory has
 * another hash the delta is not applied; the server acks it as `rejected` and asks for a full report.
 */
export const InventoryDeltaMessage = z.object({
  v: version,
  type: z.literal(MessageType.InventoryDelta),
  seq: Seq,
  baseHash: Sha256Hex,
  /** Hash of the inventory after applying the delta; the server verifies it. */
  hash: Sha256Hex,
  delta: InventoryDelta,
});
export type InventoryDeltaMessage = z.infer<typeof InventoryDeltaMessage>;

export const AgentMessage = z.discriminatedUnion('type', [AgentHello, InventoryFullMessage, InventoryDeltaMessage]);
export type AgentMessage = z.infer<typeof AgentMessage>;
export const AGENT_MESSAGE_TYPES: readonly string[] = [
  MessageType.AgentHello,
  MessageType.InventoryFull,
  MessageType.InventoryDelta,
];

// ---- server -> agent --------------------------------------------------------------------------

/** Sent once after the upgrade: where the server stands, so the agent can resume. */
export const ServerWelcome = z.object({
  v: version,
  type: z.literal(MessageType.ServerWelcome),
  agentId: z.string().min(1).max(64),
  serverVersion: safeString(64),
  /** Highest report sequence number the server has applied for this agent (0 = none). */
  lastSeq: z.number().int().nonnegative(),
  /** Hash of the inventory the server holds for this agent's machine, when any. */
  inventoryHash: Sha256Hex.optional(),
  /** Largest frame the server accepts, in bytes. */
  maxFrameBytes: z.number().int().positive(),
});
export type ServerWelcome = z.infer<typeof ServerWelcome>;

export const ACK_RESULTS = ['applied', 'duplicate', 'rejected'] as const;

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
  reason: safeString(MAX_TEXT_LENGTH).optional(),
});
export type InventoryAck = z.infer<typeof InventoryAck>;

export const SERVER_COMMANDS = ['inventory.full', 'scan.now'] as const;

/** Something the server wants the agent to do: send a full report, or rescan now. */
export const ServerCommand = z.object({
  v: version,
  type: z.literal(MessageType.ServerCommand),
  command: z.enum(SERVER_COMMANDS),
  reason: safeString(MAX_TEXT_LENGTH).optional(),
});
export type ServerCommand = z.infer<typeof ServerCommand>;

/** Typed error codes; `message` says in words what was wrong. */
export const ERROR_CODES = [
  'frame.invalid-json',
  'frame.invalid',
  'frame.too-large',
  'frame.unknown-type',
  'protocol.unsupported-version',
  'inventory.hash-mismatch',
  'delta.base-mismatch',
  'ingest.failed',
  'agent.revoked',
  'agent.abuse',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorMessage = z.object({
  v: version,
  type: z.literal(MessageType.Error),
  code: ErrorCode,
  message: safeString(MAX_TEXT_LENGTH),
  /** The report this error is about, when it is about one. */
  seq: Seq.optional(),
});
export type ErrorMessage = z.infer<typeof ErrorMessage>;

export const ServerMessage = z.discriminatedUnion('type', [ServerWelcome, InventoryAck, ServerCommand, ErrorMessage]);
export type ServerMessage = z.infer<typeof ServerMessage>;
export const SERVER_MESSAGE_TYPES: readonly string[] = [
  MessageType.ServerWelcome,
  MessageType.InventoryAck,
  MessageType.ServerCommand,
  MessageType.Error,
];

// ---- enrolment (HTTP, before the socket) -------------------------------------------------------

/** POST /agent/enroll body: trade an enrolment token for per-agent credentials. */
export const EnrollRequest = z.object({
  token: z.string().min(8).max(256),
  hostname: safeString(MAX_HOSTNAME_LENGTH),
  platform: z.enum(['linux', 'windows']),
  agentVersion: safeString(64),
  hardware: Hardware.optional(),
});
export type EnrollRequest = z.infer<typeof EnrollRequest>;

/** The secret is shown once; the server keeps only its hash. */
export const EnrollResponse = z.object({
  agentId: z.string().min(1).max(64),
  secret: z.string().min(32).max(256),
  unitId: z.string().min(1).max(64).optional(),
});
export type EnrollResponse = z.infer<typeof EnrollResponse>;

/** Header carrying agent credentials on the WebSocket upgrade: `Authorization: Agent <id>:<secret>`. */
export const AGENT_AUTH_SCHEME = 'Agent';
