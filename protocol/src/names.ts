/**
 * The wire's names: message types, ack results, server commands, error codes, the auth scheme.
 * Plain constants (no zod), so an agent's long-running process can use them without loading the
 * schemas; messages.ts and server-messages.ts build the schemas from them.
 */

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

export const AGENT_MESSAGE_TYPES: readonly string[] = [
  MessageType.AgentHello,
  MessageType.InventoryFull,
  MessageType.InventoryDelta,
];

export const SERVER_MESSAGE_TYPES: readonly string[] = [
  MessageType.ServerWelcome,
  MessageType.InventoryAck,
  MessageType.ServerCommand,
  MessageType.Error,
];

export const ACK_RESULTS = ['applied', 'duplicate', 'rejected'] as const;

export const SERVER_COMMANDS = ['inventory.full', 'scan.now'] as const;

/** Typed error codes of the `error` message; its `message` says in words what was wrong. */
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

/** Header carrying agent credentials on the WebSocket upgrade: `Authorization: Agent <id>:<secret>`. */
export const AGENT_AUTH_SCHEME = 'Agent';
