import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { MessageType, type AgentMessage, type ServerMessage } from '@zhengban/protocol';
import type { AgentPrincipal } from '../agents/credentials.ts';
import type { Db } from '../db/database.ts';
import type { FrameParser } from '../ingest/frame-parser.ts';
import type { IngestOutcome } from '../ingest/outcome.ts';
import type { IngestPipeline } from '../ingest/pipeline.ts';
import { getInventoryHash } from '../ingest/queries.ts';
import { recordAgentHello, touchAgent } from '../agents/queries.ts';
import { errorFrame, framesForOutcome, welcomeFrame } from './frames.ts';

/** Invalid frames one connection may send before it is closed for abuse (1008). */
export const MAX_INVALID_FRAMES = 20;
/** Frames received but not yet processed before the socket stops reading (backpressure). */
const PAUSE_AT_PENDING_FRAMES = 4;

export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_INTERNAL_ERROR = 1011;

export interface ConnectionContext {
  db: Db;
  /** Parses frames (large ones in worker threads). */
  frames: Pick<FrameParser, 'parse'>;
  /** Where reports are applied (group commit, then compliance right after). */
  ingest: Pick<IngestPipeline, 'submit'>;
  agent: AgentPrincipal;
  maxFrameBytes: number;
  log: FastifyBaseLogger;
}

function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/**
 * One agent's socket: welcomes it, then reads frames strictly one at a time and in order (a
 * report's ack always follows the previous report's). Every bad frame gets a typed `error`
 * frame and the loop goes on; only repeated abuse or a failing database ends the connection.
 */
export function serveAgentConnection(socket: WebSocket, context: ConnectionContext): void {
  const { agent, log } = context;
  let invalidFrames = 0;
  let pending = 0;

  const send = (frame: ServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };

  /** Counts a bad frame; true when the connection has been closed for abuse. */
  const strike = (): boolean => {
    invalidFrames += 1;
    if (invalidFrames < MAX_INVALID_FRAMES) return false;
    log.warn({ agentId: agent.agentId, invalidFrames }, 'closing agent socket: too many invalid frames');
    send(errorFrame('agent.abuse', `${invalidFrames} invalid frames on this connection: closing it`));
    socket.close(CLOSE_POLICY_VIOLATION, 'too many invalid frames');
    return true;
  };

  async function sendWelcome(): Promise<void> {
    await touchAgent(context.db, agent.agentId);
    const inventoryHash = await getInventoryHash(context.db, agent.machineId);
    send(
      welcomeFrame({
        agentId: agent.agentId,
        lastSeq: agent.lastSeq,
        maxFrameBytes: context.maxFrameBytes,
        ...(inventoryHash ? { inventoryHash } : {}),
      }),
    );
  }

  /** `hash`: what the frame parser computed for a full report's inventory. */
  const handleMessage = async (message: AgentMessage, hash: string | undefined): Promise<void> => {
    if (message.type === MessageType.AgentHello) {
      await recordAgentHello(context.db, agent.agentId, message);
      return;
    }
    const outcome: IngestOutcome = await context.ingest.submit(agent.agentId, message, hash);
    const { changedMachineId: _changed, ...logged } = outcome;
    log.info({ agentId: agent.agentId, type: message.type, ...logged, error: outcome.error?.code }, 'agent report');
    for (const frame of framesForOutcome(outcome)) send(frame);
    // Revoked while connected (re-enrolled elsewhere, removed by an admin): nothing more to accept.
    if (outcome.error?.code === 'agent.revoked') socket.close(CLOSE_POLICY_VIOLATION, 'agent revoked');
  };

  const handleFrame = async (data: RawData, isBinary: boolean): Promise<void> => {
    if (socket.readyState !== socket.OPEN) return;
    const size = byteLength(data);
    if (size > context.maxFrameBytes) {
      if (!strike()) send(errorFrame('frame.too-large', `frame of ${size} bytes is over the limit of ${context.maxFrameBytes} bytes`));
      return;
    }
    if (isBinary) {
      if (!strike()) send(errorFrame('frame.invalid', 'binary frames are not accepted: send JSON text frames'));
      return;
    }
    // Off the main thread, or in a slice of its event loop: a burst of large frames must not starve
    // the database's answers (ingest/frame-parser.ts).
    const { parsed, hash } = await context.frames.parse(toBytes(data));
    if (socket.readyState !== socket.OPEN) return;
    if (parsed.kind === 'invalid') {
      if (!strike()) send(errorFrame(parsed.code, parsed.message, parsed.seq));
      return;
    }
    if (parsed.kind === 'unknown-type') {
      // Not counted as abuse: a newer agent may legitimately send types this server predates.
      send(errorFrame('frame.unknown-type', `unknown message type "${parsed.type}": ignored`));
      return;
    }
    try {
      await handleMessage(parsed.message, hash);
    } catch (error) {
      // No ack: the report stays in the agent's outbox. Closing makes the agent reconnect with
      // backoff and re-send, by which time the database may be back.
      log.error({ err: error, agentId: agent.agentId, type: parsed.message.type }, 'agent frame failed');
      const seq = 'seq' in parsed.message ? parsed.message.seq : undefined;
      send(errorFrame('ingest.failed', 'the server could not store this report; reconnect and send it again', seq));
      socket.close(CLOSE_INTERNAL_ERROR, 'report not stored');
    }
  };

  // The welcome goes first in the queue: frames that arrive meanwhile wait behind it.
  let queue: Promise<void> = sendWelcome().catch((error: unknown) => {
    log.error({ err: error, agentId: agent.agentId }, 'agent welcome failed');
    socket.close(CLOSE_INTERNAL_ERROR, 'server not ready');
  });
  socket.on('message', (data, isBinary) => {
    pending += 1;
    if (pending >= PAUSE_AT_PENDING_FRAMES && !socket.isPaused) socket.pause();
    queue = queue
      .then(() => handleFrame(data, isBinary))
      .catch((error: unknown) => log.error({ err: error, agentId: agent.agentId }, 'agent frame handler failed'))
      .finally(() => {
        pending -= 1;
        if (pending < PAUSE_AT_PENDING_FRAMES && socket.isPaused) socket.resume();
      });
  });
}
