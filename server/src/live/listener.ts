import pg from 'pg';
import type { Database } from '../db/database.ts';
import { LIVE_CHANNEL, LIVE_EVENT_TYPES, type LiveEvent } from './events.ts';

/** First retry delay after the LISTEN connection drops, doubled up to the maximum. */
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

export interface LiveListenerHandle {
  close(): Promise<void>;
}

export interface LiveListenerLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/** Parses one NOTIFY payload (a JSON array of events); drops anything malformed. */
export function decodeLivePayload(payload: string | undefined): LiveEvent[] {
  if (!payload) return [];
  try {
    const parsed: unknown = JSON.parse(payload);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (e): e is LiveEvent =>
        typeof e === 'object' && e !== null && LIVE_EVENT_TYPES.includes((e as LiveEvent).type) && typeof (e as LiveEvent).orgPath === 'string',
    );
  } catch {
    return [];
  }
}

/**
 * Listens on the live channel and hands every event to `deliver`. PostgreSQL: a dedicated client
 * (not from the pool: a pooled connection would be given back and lose its LISTEN) that
 * reconnects with backoff; events sent while it was down are lost, which the dashboard survives
 * (it reloads on reconnect). PGlite: its own in-process LISTEN on the single connection.
 */
export async function startLiveListener(
  database: Database,
  databaseUrl: string | undefined,
  deliver: (events: LiveEvent[]) => void,
  log: LiveListenerLog,
): Promise<LiveListenerHandle> {
  if (database.driver === 'pglite') {
    const client = (database.db as unknown as { $client: { listen(channel: string, cb: (payload: string) => void): Promise<() => Promise<void>> } }).$client;
    const unlisten = await client.listen(LIVE_CHANNEL, (payload) => deliver(decodeLivePayload(payload)));
    return { close: () => unlisten().catch(() => undefined) };
  }
  // The pool knows the URL it was opened with (tests open databases without a config URL).
  databaseUrl ??= (database.db as unknown as { $client?: { options?: { connectionString?: string } } }).$client?.options?.connectionString;
  if (!databaseUrl) throw new Error('live events: PostgreSQL needs its URL for the LISTEN connection');

  let closed = false;
  let client: pg.Client | undefined;
  let delay = RECONNECT_MIN_MS;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', (message) => {
      if (message.channel === LIVE_CHANNEL) deliver(decodeLivePayload(message.payload));
    });
    next.on('error', (error) => {
      log.warn({ err: error }, 'live events: LISTEN connection failed; reconnecting');
      void next.end().catch(() => undefined);
    });
    next.on('end', () => {
      if (client === next) client = undefined;
      if (!closed) schedule();
    });
    await next.connect();
    await next.query(`LISTEN ${LIVE_CHANNEL}`);
    if (closed) {
      await next.end();
      return;
    }
    client = next;
    delay = RECONNECT_MIN_MS;
  };

  const schedule = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      connect().catch((error: unknown) => {
        log.warn({ err: error, retryInMs: delay }, 'live events: cannot LISTEN yet');
        delay = Math.min(delay * 2, RECONNECT_MAX_MS);
        schedule();
      });
    }, delay);
    timer.unref();
  };

  await connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
