/**
 * A real WebSocket client speaking the agent protocol, for server tests: it records every frame
 * the server sends, checks each is a valid protocol message, and lets a test wait for the next.
 */
import WebSocket from 'ws';
import {
  AGENT_AUTH_SCHEME,
  parseServerFrame,
  type EnrollRequest,
  type EnrollResponse,
  type ServerMessage,
} from '@zhengban/protocol';

export interface AgentCredentials {
  agentId: string;
  secret: string;
}

export function agentAuthorization(credentials: AgentCredentials): string {
  return `${AGENT_AUTH_SCHEME} ${credentials.agentId}:${credentials.secret}`;
}

/** POST /agent/enroll; returns the status and the parsed body. */
export async function postEnroll(baseUrl: string, body: Partial<EnrollRequest> & { token: string }) {
  const request: EnrollRequest = { hostname: 'pc-01', platform: 'linux', agentVersion: '0.1.0', ...body };
  const res = await fetch(`${baseUrl}/agent/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  return { status: res.status, body: (await res.json()) as EnrollResponse & { code?: string; message?: string } };
}

/** Enrols and returns the credentials; throws when the server refuses. */
export async function enrollAgent(baseUrl: string, token: string, body: Partial<EnrollRequest> = {}): Promise<EnrollResponse> {
  const { status, body: response } = await postEnroll(baseUrl, { token, ...body });
  if (status !== 200) throw new Error(`enrolment refused: ${status} ${JSON.stringify(response)}`);
  return response;
}

/** The outcome of an upgrade attempt that the server refused with an HTTP response. */
export interface RefusedUpgrade {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Tries the upgrade with the given headers: the HTTP response when refused, or 'upgraded'. */
export function tryUpgrade(wsUrl: string, headers: Record<string, string>): Promise<RefusedUpgrade | 'upgraded'> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${wsUrl}/agent/ws`, { headers });
    socket.on('open', () => {
      socket.close();
      resolve('upgraded');
    });
    socket.on('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    socket.on('error', (error) => reject(error));
  });
}

/** A connected agent socket. */
export class AgentSocket {
  /** Every frame the server sent, in order. */
  readonly received: ServerMessage[] = [];
  /** Frames that were not valid protocol messages (a server bug); next() throws on reaching one. */
  readonly invalid: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: Array<() => void> = [];
  #cursor = 0;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      const parsed = isBinary ? undefined : parseServerFrame(data.toString());
      if (parsed?.kind === 'message') this.received.push(parsed.message);
      else this.invalid.push(data.toString().slice(0, 300));
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const wake of this.#waiters.splice(0)) wake();
      });
    });
  }

  /** Opens an authenticated socket and waits for `server.welcome`. */
  static async connect(wsUrl: string, credentials: AgentCredentials): Promise<AgentSocket> {
    const socket = new WebSocket(`${wsUrl}/agent/ws`, { headers: { authorization: agentAuthorization(credentials) } });
    // Listen before 'open': the welcome can arrive in the same TCP segment as the 101 response.
    const agent = new AgentSocket(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    });
    const welcome = await agent.next();
    if (welcome.type !== 'server.welcome') throw new Error(`expected server.welcome first, got ${welcome.type}`);
    return agent;
  }

  /** Sends a value as a JSON text frame. */
  sendJson(value: unknown): void {
    this.socket.send(JSON.stringify(value));
  }

  /** Sends a raw text (or binary) frame. */
  sendRaw(data: string | Buffer, binary = false): void {
    this.socket.send(data, { binary });
  }

  /** The next frame not yet returned by next(); rejects if the socket closes first. */
  async next(): Promise<ServerMessage> {
    while (this.#cursor >= this.received.length) {
      if (this.invalid.length) throw new Error(`server sent an invalid frame: ${this.invalid[0]}`);
      if (this.socket.readyState === WebSocket.CLOSED) throw new Error('socket closed while waiting for a frame');
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    return this.received[this.#cursor++]!;
  }

  /** The next `count` frames. */
  async nextFrames(count: number): Promise<ServerMessage[]> {
    const frames: ServerMessage[] = [];
    for (let i = 0; i < count; i++) frames.push(await this.next());
    return frames;
  }

  close(): void {
    this.socket.close();
  }
}
