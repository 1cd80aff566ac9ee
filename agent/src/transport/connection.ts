import WebSocket from 'ws';
import { AGENT_AUTH_SCHEME, type AgentHello, MessageType, PROTOCOL_VERSION, type ServerMessage, parseServerFrame } from '@zhengban/protocol/agent';
import type { ConnectionState } from '../state/status-file.ts';
import { Backoff, type BackoffPolicy, DEFAULT_BACKOFF } from './backoff.ts';
import { type Logger, silentLogger } from './logger.ts';
import type { Outbox, OutboxEntry } from './outbox.ts';
import { handleErrorFrame } from './error-frames.ts';
import { agentSocketUrl } from './server-url.ts';

/** Send a ping this often; a connection that missed the previous pong is dead and is dropped. */
export const PING_INTERVAL_MS = 30_000;
/** The server must answer agent.hello with server.welcome within this time. */
export const HANDSHAKE_TIMEOUT_MS = 30_000;
/** A connection that lasted this long resets the backoff. */
export const STABLE_CONNECTION_MS = 60_000;
/** After HTTP 401 (credentials revoked) try again only this rarely. */
export const REVOKED_RETRY_MS = 60 * 60_000;
/** Server frames are small; anything bigger is not the server talking. */
const MAX_SERVER_FRAME_BYTES = 4 * 1024 * 1024;

export interface AgentCredentialsRef {
  serverUrl: string;
  agentId: string;
  secret: string;
}

/** What the transport tells its owner (status file, run --once, logs). */
export type TransportEvent =
  | { type: 'state'; state: ConnectionState; detail?: string }
  | { type: 'welcome'; lastSeq: number; dropped: number; fullQueued: boolean }
  | { type: 'sent'; seq: number; kind: 'full' | 'delta' }
  | { type: 'ack'; seq: number; result: 'applied' | 'duplicate' | 'rejected'; reason?: string }
  | { type: 'scan-requested' }
  /** The server will not take this agent as it is (revoked, too old); retrying is slow from now on. */
  | { type: 'refused'; reason: 'revoked' | 'unsupported-version'; message: string };

export interface AgentTransportOptions {
  /** Read before every connection attempt, so re-enrolling takes effect without a restart. */
  credentials: () => Promise<AgentCredentialsRef>;
  hello: Omit<AgentHello, 'v' | 'type'>;
  outbox: Outbox;
  log?: Logger;
  onEvent?: (event: TransportEvent) => void;
  backoff?: BackoffPolicy;
  random?: () => number;
  pingIntervalMs?: number;
  handshakeTimeoutMs?: number;
  stableAfterMs?: number;
  refusedRetryMs?: number;
}

/**
 * The agent's one WebSocket to the server: authenticates on the upgrade, says hello, resumes from
 * the server's welcome, sends the outbox in seq order, applies acks and commands, and reconnects
 * with jittered exponential backoff whenever the connection drops. Never throws into its owner:
 * every failure becomes a state change and a retry.
 */
export class AgentTransport {
  private socket: WebSocket | null = null;
  private stateValue: ConnectionState = 'starting';
  private stopped = true;
  private ready = false;
  private sent = new Set<number>();
  private maxFrameBytes = Number.MAX_SAFE_INTEGER;
  private readonly backoff: Backoff;
  private readonly errorCounts = new Map<number, number>();
  private refused = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private connectionTimers: NodeJS.Timeout[] = [];
  private handshakeTimer: NodeJS.Timeout | undefined;
  private inbox: Promise<void> = Promise.resolve();
  /** Why the current attempt failed (reset per attempt). */
  private failure = '';
  /** Why the last failed attempt failed, kept until a connection succeeds. */
  private lastFailure = '';
  private readonly log: Logger;

  constructor(private readonly options: AgentTransportOptions) {
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF, options.random);
    this.log = options.log ?? silentLogger;
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  /** Why the last connection attempt or connection failed (empty when none did). */
  get lastFailureReason(): string {
    return this.lastFailure;
  }

  /** Starts connecting (and keeps reconnecting until `stop`). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  /** Closes the connection and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const socket = this.socket;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close(1000, 'agent stopping');
        // A peer that never answers the close handshake must not keep us alive.
        setTimeout(() => socket.terminate(), 2_000).unref();
      });
    }
    await this.inbox;
    this.setState('stopped');
  }

  /** Sends whatever the outbox holds that this connection has not sent yet (after queueing a report). */
  flush(): void {
    if (!this.ready || !this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    for (const entry of this.options.outbox.pending()) {
      if (!this.sent.has(entry.seq)) this.send(entry);
    }
  }

  /** Drops the current connection (it will be re-established), e.g. after a transient server error. */
  reconnectNow(reason: string): void {
    this.failure = reason;
    this.socket?.terminate();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.setState('connecting');
    this.failure = '';
    let credentials: AgentCredentialsRef;
    try {
      credentials = await this.options.credentials();
    } catch (err) {
      this.failure = (err as Error).message;
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) return;
    const url = agentSocketUrl(credentials.serverUrl);
    const socket = new WebSocket(url, {
      headers: { Authorization: `${AGENT_AUTH_SCHEME} ${credentials.agentId}:${credentials.secret}` },
      handshakeTimeout: this.options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS,
      maxPayload: MAX_SERVER_FRAME_BYTES,
      perMessageDeflate: false,
    });
    this.socket = socket;
    this.ready = false;
    this.sent = new Set();
    this.refused = false;

    socket.on('open', () => this.onOpen(socket));
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      this.inbox = this.inbox.then(() => this.onFrame(text, socket)).catch((err) => this.log.error(`handling a server frame: ${(err as Error).message}`));
    });
    socket.on('error', (err) => this.onSocketError(err, url));
    socket.on('close', (code, reason) => this.onClose(socket, code, reason.toString()));
  }

  private onOpen(socket: WebSocket): void {
    const hello: AgentHello = { v: PROTOCOL_VERSION, type: MessageType.AgentHello, ...this.options.hello };
    socket.send(JSON.stringify(hello));
    this.handshakeTimer = setTimeout(() => {
      this.failure = 'the server did not answer agent.hello';
      socket.terminate();
    }, this.options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS);
    let alive = true;
    socket.on('pong', () => (alive = true));
    const heartbeat = setInterval(() => {
      if (!alive) {
        this.failure = 'no answer to ping: connection dead';
        socket.terminate();
        return;
      }
      alive = false;
      socket.ping();
    }, this.options.pingIntervalMs ?? PING_INTERVAL_MS);
    this.connectionTimers.push(heartbeat);
  }

  private async onFrame(text: string, socket: WebSocket): Promise<void> {
    const parsed = parseServerFrame(text);
    if (parsed.kind === 'unknown-type') {
      // Forward compatibility: a newer server may say things this agent does not know yet.
      this.log.debug(`ignoring server message of unknown type ${parsed.type}`);
      return;
    }
    if (parsed.kind === 'invalid') {
      this.log.warn(`ignoring an invalid frame from the server: ${parsed.message}`);
      return;
    }
    await this.onMessage(parsed.message, socket);
  }

  private async onMessage(message: ServerMessage, socket: WebSocket): Promise<void> {
    const outbox = this.options.outbox;
    switch (message.type) {
      case MessageType.ServerWelcome: {
        this.clearHandshakeTimer();
        this.maxFrameBytes = message.maxFrameBytes;
        const { dropped, fullQueued } = await outbox.resume(message.lastSeq, message.inventoryHash);
        // The connection may have dropped while the outbox was busy: then this welcome is history.
        if (socket !== this.socket || socket.readyState !== WebSocket.OPEN) return;
        this.ready = true;
        this.lastFailure = '';
        this.setState('connected');
        this.emit({ type: 'welcome', lastSeq: message.lastSeq, dropped, fullQueued: fullQueued !== null });
        const stable = setTimeout(() => socket === this.socket && this.backoff.reset(), this.options.stableAfterMs ?? STABLE_CONNECTION_MS);
        stable.unref();
        this.connectionTimers.push(stable);
        this.flush();
        return;
      }
      case MessageType.InventoryAck: {
        const { known, fullQueued } = await outbox.acknowledge(message.seq, message.result);
        if (!known) return;
        if (message.result === 'rejected') this.log.warn(`server rejected report ${message.seq}${message.reason ? `: ${message.reason}` : ''}${fullQueued ? '; sending a full report' : ''}`);
        this.emit({ type: 'ack', seq: message.seq, result: message.result, ...(message.reason ? { reason: message.reason } : {}) });
        this.flush();
        return;
      }
      case MessageType.ServerCommand:
        if (message.command === 'inventory.full') {
          this.log.info(`server asked for a full report${message.reason ? ` (${message.reason})` : ''}`);
          await outbox.requestFull();
          this.flush();
        } else if (message.command === 'scan.now') {
          this.emit({ type: 'scan-requested' });
        }
        return;
      case MessageType.Error: {
        const action = await handleErrorFrame(message, outbox, this.errorCounts);
        this.log[action.level](`server error ${message.code}${message.seq ? ` (report ${message.seq})` : ''}: ${message.message}${action.note ? ` — ${action.note}` : ''}`);
        if (action.refused) this.refuse(action.refused, message.message);
        else if (action.reconnect) this.reconnectNow(`server error ${message.code}`);
        else this.flush();
        return;
      }
    }
  }

  private send(entry: OutboxEntry): void {
    const text = JSON.stringify(entry.frame);
    const bytes = Buffer.byteLength(text);
    this.sent.add(entry.seq);
    if (bytes > this.maxFrameBytes) {
      // The server will never take it; keeping it would block everything behind it forever.
      this.log.error(`report ${entry.seq} is ${bytes} bytes, over the server's ${this.maxFrameBytes}-byte limit; dropped`);
      this.inbox = this.inbox.then(async () => {
        await this.options.outbox.drop(entry.seq);
        this.flush();
      });
      return;
    }
    this.socket!.send(text);
    const kind = entry.frame.type === MessageType.InventoryFull ? 'full' : 'delta';
    this.log.debug(`sent ${kind} report ${entry.seq} (${bytes} bytes)`);
    this.emit({ type: 'sent', seq: entry.seq, kind });
  }

  private onSocketError(err: Error, url: string): void {
    // Once refused, the errors of tearing the socket down say nothing new.
    if (this.refused) return;
    const status = /Unexpected server response: (\d+)/.exec(err.message)?.[1];
    if (status === '401' || status === '403') {
      this.refuse('revoked', `the server refused this agent's credentials (HTTP ${status}): it was revoked or the server's data was reset; enrol again with "zhengban-agent enroll"`);
    } else if (status === '404') {
      this.failure = `no agent endpoint at ${url} (HTTP 404): is the server URL right?`;
    } else if (status) {
      this.failure = `the server answered the upgrade with HTTP ${status}`;
    } else {
      const code = (err as NodeJS.ErrnoException).code;
      this.failure = code ? `cannot reach ${url} (${code})` : err.message;
    }
  }

  private refuse(reason: 'revoked' | 'unsupported-version', message: string): void {
    if (!this.refused) this.log.error(message);
    this.refused = true;
    this.failure = message;
    this.emit({ type: 'refused', reason, message });
    this.socket?.terminate();
  }

  private onClose(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.socket) return;
    for (const timer of this.connectionTimers) clearTimeout(timer);
    this.connectionTimers = [];
    this.clearHandshakeTimer();
    this.ready = false;
    this.socket = null;
    if (this.stopped) return;
    if (!this.failure) this.failure = `connection closed (${code}${reason ? ` ${reason}` : ''})`;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.lastFailure = this.failure || 'connection lost';
    const delay = this.refused ? (this.options.refusedRetryMs ?? REVOKED_RETRY_MS) : this.backoff.nextDelayMs();
    this.setState(this.refused ? 'revoked' : 'disconnected', `${this.lastFailure}; retrying in ${Math.round(delay / 1000)} s`);
    this.log.debug(`reconnecting in ${delay} ms (${this.lastFailure})`);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
  }

  private clearHandshakeTimer(): void {
    clearTimeout(this.handshakeTimer);
  }

  private setState(state: ConnectionState, detail?: string): void {
    if (state === this.stateValue && detail === undefined) return;
    this.stateValue = state;
    this.emit({ type: 'state', state, ...(detail ? { detail } : {}) });
  }

  private emit(event: TransportEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch (err) {
      this.log.error(`transport listener failed: ${(err as Error).message}`);
    }
  }
}
