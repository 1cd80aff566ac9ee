import { z } from 'zod';
import { Hardware, Inventory } from './inventory.ts';
import { InventoryDelta } from './delta.ts';
import { MAX_HOSTNAME_LENGTH } from './limits.ts';
import { safeString } from './strings.ts';
import { MessageType } from './names.ts';
import { PROTOCOL_VERSION } from './version.ts';

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
