import type { LiveEvent } from './events.ts';

/** Receives the events of one subscriber's scope. */
export type LiveListener = (event: LiveEvent) => void;

/**
 * The in-process event bus of one server process. Events reach it from the database listener
 * (listener.ts), which hears this process's own NOTIFYs and every other process's alike, so a
 * dashboard client sees the same events whichever node it is connected to. Subscribers name the
 * org paths of their scope; they receive only events whose org lies in that subtree (the REST API's rule).
 */
export class LiveBus {
  readonly #subscribers = new Map<LiveListener, readonly string[]>();

  /** Subscribes to the events under any of `orgPaths` (a scope's roots); returns the unsubscribe function. */
  subscribe(orgPaths: readonly string[], listener: LiveListener): () => void {
    this.#subscribers.set(listener, orgPaths);
    return () => this.#subscribers.delete(listener);
  }

  /** Delivers events to the subscribers whose subtree holds them. A failing listener harms no other. */
  publish(events: readonly LiveEvent[]): void {
    for (const [listener, orgPaths] of this.#subscribers) {
      for (const event of events) {
        if (!orgPaths.some((root) => event.orgPath.startsWith(root))) continue;
        try {
          listener(event);
        } catch {
          // A subscriber's own failure (a closed socket) must not stop delivery to the others.
        }
      }
    }
  }

  get size(): number {
    return this.#subscribers.size;
  }
}
