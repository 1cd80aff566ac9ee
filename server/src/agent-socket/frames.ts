import {
  cleanString,
  MAX_TEXT_LENGTH,
  MessageType,
  PROTOCOL_VERSION,
  type ErrorCode,
  type ErrorMessage,
  type InventoryAck,
  type ServerCommand,
  type ServerMessage,
  type ServerWelcome,
} from '@zhengban/protocol';
import packageJson from '../../package.json' with { type: 'json' };
import type { IngestOutcome } from '../ingest/outcome.ts';

/** Version the server reports in `server.welcome`: the server package's version. */
export const SERVER_VERSION: string = packageJson.version;

/**
 * Message texts can quote what the agent sent (a JSON parse error shows a piece of the frame, an
 * unknown type is named): clean them so every frame the server sends is itself valid protocol.
 */
function text(value: string): string {
  return cleanString(value, MAX_TEXT_LENGTH) || '(no details)';
}

export function errorFrame(code: ErrorCode, message: string, seq?: number): ErrorMessage {
  return { v: PROTOCOL_VERSION, type: MessageType.Error, code, message: text(message), ...(seq ? { seq } : {}) };
}

export function welcomeFrame(input: Omit<ServerWelcome, 'v' | 'type' | 'serverVersion'>): ServerWelcome {
  return { v: PROTOCOL_VERSION, type: MessageType.ServerWelcome, serverVersion: SERVER_VERSION, ...input };
}

export function ackFrame(seq: number, result: InventoryAck['result'], reason?: string): InventoryAck {
  return { v: PROTOCOL_VERSION, type: MessageType.InventoryAck, seq, result, ...(reason ? { reason: text(reason) } : {}) };
}

export function commandFrame(command: ServerCommand['command'], reason?: string): ServerCommand {
  return { v: PROTOCOL_VERSION, type: MessageType.ServerCommand, command, ...(reason ? { reason: text(reason) } : {}) };
}

/** The frames that answer a report, in the order they are sent: error, ack, command. */
export function framesForOutcome(outcome: IngestOutcome): ServerMessage[] {
  const frames: ServerMessage[] = [];
  if (outcome.error) frames.push(errorFrame(outcome.error.code, outcome.error.message, outcome.seq));
  frames.push(ackFrame(outcome.seq, outcome.result, outcome.reason));
  if (outcome.requestFull) frames.push(commandFrame('inventory.full', outcome.requestFull));
  return frames;
}
