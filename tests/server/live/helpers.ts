/** A dashboard client of /api/live and signing in, for live-event tests. */
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../../server/src/db/database.ts';
import type { LiveEvent } from '../../../server/src/live/events.ts';
import { createUser } from '../../../server/src/users/queries.ts';
import { signIn, type SignedIn } from '../helpers/session.ts';

/** Creates a user in an org and signs in through the real API (cookie, CSRF token and both as `headers`). */
export async function signInAs(app: FastifyInstance, db: Db, orgId: string, role: 'bureau-admin' | 'unit-admin' | 'unit-viewer', username: string): Promise<SignedIn> {
  const password = `${username}-password-1`;
  await createUser(db, { username, password, orgId, role });
  return signIn(app, username, password);
}

/** A connected /api/live client that records every event. */
export class LiveClient {
  readonly events: LiveEvent[] = [];
  #waiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as LiveEvent | { type: 'live.ready' };
      if (message.type !== 'live.ready') this.events.push(message as LiveEvent);
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  /** Connects with a session cookie and waits until the server says it is subscribed. */
  static async connect(wsUrl: string, cookie: string): Promise<LiveClient> {
    const socket = new WebSocket(`${wsUrl}/api/live`, { headers: { cookie } });
    const client = new LiveClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('message', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    });
    return client;
  }

  /** Waits for the first recorded event that matches, and returns it. */
  async waitFor(predicate: (event: LiveEvent) => boolean, what: string, timeoutMs = 10_000): Promise<LiveEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${what} event within ${timeoutMs} ms; got ${this.events.map((e) => e.type).join(', ') || 'nothing'}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 200).unref();
      });
    }
  }

  close(): void {
    this.socket.close();
  }
}

/** Resolves with the HTTP status when the upgrade is refused. */
export function refusedUpgradeStatus(wsUrl: string, headers: Record<string, string>): Promise<number | 'upgraded'> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${wsUrl}/api/live`, { headers });
    socket.once('open', () => {
      socket.close();
      resolve('upgraded');
    });
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('error', reject);
  });
}
