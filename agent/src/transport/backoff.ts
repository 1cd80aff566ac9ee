/** Reconnect delays: exponential growth from `baseMs`, capped at `capMs`, with full jitter. */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/** 1 s doubling to a 5-minute cap: a restarted server is found quickly, a dead one is not hammered. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000 };

/**
 * Delay before reconnect attempt number `attempt` (0-based): uniformly random in
 * [0, min(cap, base * 2^attempt)] ("full jitter"), so thousands of agents that lost the server at
 * the same moment do not all come back at the same moment.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = backoffCeilingMs(attempt, policy);
  return Math.floor(random() * ceiling);
}

/** The largest delay attempt number `attempt` can get. */
export function backoffCeilingMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  // 2^attempt overflows to Infinity long after the cap is reached; min() keeps it finite.
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt));
}

/** Counts failed attempts; `reset` after a connection proved stable. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly policy: BackoffPolicy = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call counts one more failure. */
  nextDelayMs(): number {
    return backoffDelayMs(this.attempt++, this.policy, this.random);
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
