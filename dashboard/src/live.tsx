import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { LiveEvent } from './types.ts';

/** State of the /api/live socket, shown by the indicator in the header. */
export type LiveState = 'connecting' | 'open' | 'closed';

interface Live {
  state: LiveState;
  /** Newest first, at most MAX_EVENTS. */
  events: LiveEvent[];
  /** Calls `listener` for every event from now on. */
  subscribe: (listener: (event: LiveEvent) => void) => () => void;
}

const MAX_EVENTS = 50;
const LiveContext = createContext<Live | null>(null);

/** Keeps one /api/live socket open while signed in, reconnecting by itself with growing pauses (1 s to 15 s). */
export function LiveProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<LiveState>('connecting');
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const listeners = useRef(new Set<(event: LiveEvent) => void>());

  useEffect(() => {
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let pause = 1000;
    let stopped = false;
    const connect = () => {
      setState('connecting');
      const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/live`;
      socket = new WebSocket(url);
      socket.onmessage = (message) => {
        const event = JSON.parse(String(message.data)) as LiveEvent;
        if (event.type === 'live.ready') {
          pause = 1000;
          setState('open');
          return;
        }
        setEvents((previous) => [event, ...previous].slice(0, MAX_EVENTS));
        for (const listener of listeners.current) listener(event);
      };
      socket.onclose = () => {
        if (stopped) return;
        setState('closed');
        retry = setTimeout(connect, pause);
        pause = Math.min(pause * 2, 15_000);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      socket?.close();
    };
  }, []);

  const value = useRef<Omit<Live, 'state' | 'events'>>({
    subscribe: (listener) => {
      listeners.current.add(listener);
      return () => listeners.current.delete(listener);
    },
  }).current;
  return <LiveContext.Provider value={{ state, events, ...value }}>{children}</LiveContext.Provider>;
}

/** The live socket's state, recent events and subscription. */
export function useLive(): Live {
  const value = useContext(LiveContext);
  if (!value) throw new Error('useLive outside LiveProvider');
  return value;
}

/** Runs `reload` (at most every 500 ms) whenever a live event arrives that `relevant` accepts. */
export function useLiveReload(reload: () => void, relevant: (event: LiveEvent) => boolean = () => true): void {
  const { subscribe } = useLive();
  const latest = useRef({ reload, relevant });
  latest.current = { reload, relevant };
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = subscribe((event) => {
      if (!latest.current.relevant(event) || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        latest.current.reload();
      }, 500);
    });
    return () => {
      unsubscribe();
      clearTimeout(timer);
    };
  }, [subscribe]);
}
