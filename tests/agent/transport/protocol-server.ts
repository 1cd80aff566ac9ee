/**
 * A small but real zhengban server for agent tests: HTTP enrolment and the /agent/ws socket,
 * speaking protocol v1 (welcome, acks by seq, duplicate detection, delta base checks). Its state
 * lives outside the listening socket, so a test can stop the server and start it again on the
 * same port with the same memory, as a restarted real server would have.
 */
import { once } from 'node:events';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import {
  type AgentMessage,
  type Inventory,
  MessageType,
  PROTOCOL_VERSION,
  type ServerMessage,
  applyInventoryDelta,
  parseAgentFrame,
} from '@zhengban/protocol';
import { inventoryHash } from '@zhengban/protocol/hash';

export const TEST_AGENT = { agentId: 'agent-1', secret: 's'.repeat(40) };
export const TEST_TOKEN = 'enrol-token-123';

/** What the server remembers about its one agent (survives restarts). */
export interface ServerMemory {
  lastSeq: number;
  inventory: Inventory | null;
  hash: string | undefined;
  /** Every report frame received, in order (including re-sends). */
  received: Array<{ seq: number; type: string }>;
  /** seqs applied, in order: a seq applied twice would show up twice. */
  applied: number[];
  enrolments: unknown[];
}

export interface ServerBehaviour {
  /** Apply reports but do not send the ack (an ack lost with the connection). */
  withholdAcks?: boolean;
  /** Called for each agent frame before the normal handling; return true to skip it. */
  intercept?: (message: AgentMessage, socket: WebSocket) => boolean;
  /** After rejecting a delta, also send server.command inventory.full (the real server's habit). */
  commandFullOnReject?: boolean;
  maxFrameBytes?: number;
  /** Claim this lastSeq in the welcome (a server restored from an older backup). */
  welcomeLastSeq?: number;
}

export function newServerMemory(): ServerMemory {
  return { lastSeq: 0, inventory: null, hash: undefined, received: [], applied: [], enrolments: [] };
}

export class ProtocolServer {
  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  readonly sockets = new Set<WebSocket>();
  /** Every TCP connection, upgraded or not, so that stop() can cut them all like a crash would. */
  private readonly connections = new Set<import('node:net').Socket>();
  port = 0;

  constructor(
    readonly memory: ServerMemory = newServerMemory(),
    public behaviour: ServerBehaviour = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<this> {
    const wss = new WebSocketServer({ noServer: true });
    const http = createServer((req, res) => void this.onHttp(req, res));
    http.on('upgrade', (req, socket, head) => {
      if (req.url !== '/agent/ws') {
        socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
        return;
      }
      if (req.headers.authorization !== `Agent ${TEST_AGENT.agentId}:${TEST_AGENT.secret}`) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
    http.on('connection', (socket) => {
      this.connections.add(socket);
      socket.on('close', () => this.connections.delete(socket));
    });
    http.listen(port, '127.0.0.1');
    await once(http, 'listening');
    this.port = (http.address() as AddressInfo).port;
    this.http = http;
    this.wss = wss;
    return this;
  }

  /** Stops listening and drops every agent connection at once (a crash, as agents see it). */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
    for (const connection of this.connections) connection.destroy();
    this.connections.clear();
    this.wss?.close();
    const http = this.http;
    this.http = null;
    if (http) {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  }

  /** Sends a frame to every connected agent. */
  broadcast(frame: object): void {
    for (const socket of this.sockets) socket.send(JSON.stringify(frame));
  }

  private async onHttp(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    if (req.method !== 'POST' || req.url !== '/agent/enroll') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { token?: string };
    this.memory.enrolments.push(body);
    if (body.token !== TEST_TOKEN) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'invalid enrolment token' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(TEST_AGENT));
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data) => {
      const parsed = parseAgentFrame(data.toString());
      if (parsed.kind !== 'message') {
        send(ws, { v: PROTOCOL_VERSION, type: MessageType.Error, code: 'frame.invalid', message: 'bad frame' });
        return;
      }
      if (parsed.message.type !== MessageType.AgentHello) this.memory.received.push({ seq: parsed.message.seq, type: parsed.message.type });
      if (this.behaviour.intercept?.(parsed.message, ws)) return;
      this.handle(parsed.message, ws);
    });
  }

  private handle(message: AgentMessage, ws: WebSocket): void {
    const memory = this.memory;
    if (message.type === MessageType.AgentHello) {
      send(ws, {
        v: PROTOCOL_VERSION,
        type: MessageType.ServerWelcome,
        agentId: TEST_AGENT.agentId,
        serverVersion: 'test',
        lastSeq: this.behaviour.welcomeLastSeq ?? memory.lastSeq,
        ...(memory.hash ? { inventoryHash: memory.hash } : {}),
        maxFrameBytes: this.behaviour.maxFrameBytes ?? 16 * 1024 * 1024,
      });
      return;
    }
    const ack = (result: 'applied' | 'duplicate' | 'rejected', reason?: string) => {
      if (this.behaviour.withholdAcks && result !== 'rejected') return;
      send(ws, { v: PROTOCOL_VERSION, type: MessageType.InventoryAck, seq: message.seq, result, ...(reason ? { reason } : {}) });
    };
    if (message.seq <= memory.lastSeq) {
      ack('duplicate');
      return;
    }
    if (message.type === MessageType.InventoryFull) {
      if (inventoryHash(message.inventory) !== message.hash) {
        ack('rejected', 'hash mismatch');
        return;
      }
      memory.inventory = message.inventory;
      memory.hash = message.hash;
    } else {
      if (!memory.inventory || message.baseHash !== memory.hash) {
        ack('rejected', 'delta base does not match');
        if (this.behaviour.commandFullOnReject) send(ws, { v: PROTOCOL_VERSION, type: MessageType.ServerCommand, command: 'inventory.full', reason: 'base mismatch' });
        return;
      }
      const next = applyInventoryDelta(memory.inventory, message.delta);
      if (inventoryHash(next) !== message.hash) {
        ack('rejected', 'result hash mismatch');
        return;
      }
      memory.inventory = next;
      memory.hash = message.hash;
    }
    memory.lastSeq = message.seq;
    memory.applied.push(message.seq);
    ack('applied');
  }
}

function send(ws: WebSocket, frame: ServerMessage): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
}

/** Resolves when `check` holds, re-checking every 20 ms; fails the test with `what` after 20 s. */
export async function eventually(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
