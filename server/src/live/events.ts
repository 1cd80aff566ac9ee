import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';

/**
 * Live events for the dashboard (`/api/live`). Small on purpose: ids and the org path, never
 * documents; a client that wants more asks the REST API. The org path is what scoping needs: a
 * client sees an event when the path lies in its own subtree.
 */
export const LIVE_EVENT_TYPES = [
  'machine.enrolled',
  'machine.online',
  'machine.offline',
  'install.added',
  'install.removed',
  'finding.opened',
  'finding.closed',
  'position.changed',
  'agent.revoked',
] as const;
export type LiveEventType = (typeof LIVE_EVENT_TYPES)[number];

interface Base {
  orgId: string;
  /** Materialised path of the org (orgs.path). */
  orgPath: string;
  /** When the server produced the event (ms since epoch), for latency figures. */
  at: number;
}

export type LiveEvent =
  | (Base & { type: 'machine.enrolled' | 'machine.online' | 'machine.offline'; machineId: string })
  | (Base & { type: 'install.added' | 'install.removed'; machineId: string; productId: string })
  | (Base & { type: 'finding.opened' | 'finding.closed'; machineId: string; code: string; subject: string })
  | (Base & { type: 'position.changed'; productId: string; installs: number; covered: number; shortfall: number })
  // Also the signal for every server node to close the agent's socket (see agent-socket/revocation.ts).
  | (Base & { type: 'agent.revoked'; agentId: string; machineId: string; reason: 'revoked' | 'secret-rotated' });

/** Events without the time stamp, as services build them. */
export type LiveEventInput = LiveEvent extends infer E ? (E extends LiveEvent ? Omit<E, 'at'> : never) : never;

/** The PostgreSQL NOTIFY channel events travel on. */
export const LIVE_CHANNEL = 'zhengban_live';

/** NOTIFY payloads must stay under 8,000 bytes; batches are cut well below. */
const MAX_PAYLOAD_BYTES = 7_000;

/** Splits events into JSON-array payloads that each fit one NOTIFY. */
export function encodeLivePayloads(events: readonly LiveEvent[]): string[] {
  const payloads: string[] = [];
  let batch: string[] = [];
  let size = 2;
  for (const event of events) {
    const text = JSON.stringify(event);
    const bytes = Buffer.byteLength(text) + 1;
    if (batch.length && size + bytes > MAX_PAYLOAD_BYTES) {
      payloads.push(`[${batch.join(',')}]`);
      batch = [];
      size = 2;
    }
    batch.push(text);
    size += bytes;
  }
  if (batch.length) payloads.push(`[${batch.join(',')}]`);
  return payloads;
}

/**
 * Publishes events through the database. Inside a transaction NOTIFY is delivered only when it
 * commits (and never when it rolls back), so a client never hears of a change it cannot read.
 * Every server process listens on the channel, this one included; PGlite delivers in-process.
 */
export async function notifyLive(db: Db, inputs: readonly LiveEventInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const at = Date.now();
  const events = inputs.map((event) => ({ ...event, at }) as LiveEvent);
  const payloads = encodeLivePayloads(events);
  if (payloads.length === 1) {
    await db.execute(sql`SELECT pg_notify(${LIVE_CHANNEL}, ${payloads[0]})`);
    return;
  }
  // One round trip for a full recompute's thousands of payloads; a function scan yields them in order.
  await db.execute(sql`SELECT pg_notify(${LIVE_CHANNEL}, payload) FROM unnest(${sql.param(payloads)}::text[]) AS u(payload)`);
}
