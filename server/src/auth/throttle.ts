import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { loginThrottle } from '../db/schema/sign-in.ts';

/** A counter's limits: failures allowed within the window, and how long the lock lasts once reached. */
export interface ThrottleLimit {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/** 10 wrong passwords within 15 minutes lock the account for 15 minutes. */
export const ACCOUNT_LIMIT: ThrottleLimit = { maxFailures: 10, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
/**
 * 100 failures from one address within 15 minutes lock that address for 15 minutes: high enough
 * for an office behind one NAT address, low enough to stop spraying many accounts.
 */
export const ADDRESS_LIMIT: ThrottleLimit = { maxFailures: 100, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export const accountKey = (username: string) => `account:${username}`.slice(0, 128);
export const addressKey = (address: string) => `address:${address}`.slice(0, 128);

/** The lock ends of the given keys that are locked now. */
export async function getLocks(db: Db, keys: string[]): Promise<Map<string, Date>> {
  const rows = await db
    .select({ key: loginThrottle.key, lockedUntil: loginThrottle.lockedUntil })
    .from(loginThrottle)
    .where(sql`${inArray(loginThrottle.key, keys)} AND ${loginThrottle.lockedUntil} > now()`);
  return new Map(rows.map((row) => [row.key, row.lockedUntil!]));
}

/**
 * Counts one failure in one statement (concurrent failures on several nodes all count) and locks
 * the key when the count reaches the limit. A window that has passed starts again at one.
 * Returns the lock end when the key is locked now.
 */
export async function recordFailure(db: Db, key: string, limit: ThrottleLimit): Promise<Date | undefined> {
  const window = sql`make_interval(secs => ${limit.windowMs / 1000})`;
  const lock = sql`now() + make_interval(secs => ${limit.lockMs / 1000})`;
  const expired = sql`${loginThrottle.windowStartedAt} < now() - ${window}`;
  const next = sql`CASE WHEN ${expired} THEN 1 ELSE ${loginThrottle.failures} + 1 END`;
  const [row] = await db
    .insert(loginThrottle)
    .values({ key, failures: 1, windowStartedAt: sql`now()`, lockedUntil: limit.maxFailures <= 1 ? lock : null })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: next,
        windowStartedAt: sql`CASE WHEN ${expired} THEN now() ELSE ${loginThrottle.windowStartedAt} END`,
        lockedUntil: sql`CASE WHEN ${next} >= ${limit.maxFailures} THEN ${lock} ELSE ${loginThrottle.lockedUntil} END`,
      },
    })
    .returning({ lockedUntil: loginThrottle.lockedUntil });
  const lockedUntil = row?.lockedUntil;
  return lockedUntil && lockedUntil.getTime() > Date.now() ? lockedUntil : undefined;
}

/** Forgets an account's failures after a successful sign-in. */
export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.delete(loginThrottle).where(inArray(loginThrottle.key, [key]));
}

/**
 * Runs tasks one at a time per key, in arrival order, within this process. Sign-in attempts for
 * one account queue here, so an account under attack occupies at most one of libuv's threadpool
 * threads (where scrypt runs) however many requests arrive at once, and every queued attempt sees
 * the lock the attempts before it set — and then skips the KDF altogether.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    // Forget the key once its queue drains, so the map does not grow with every username tried.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Keys with queued or running tasks. */
  get size(): number {
    return this.#tails.size;
  }
}
