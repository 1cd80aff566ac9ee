/**
 * @zhengban/protocol — the one definition of what crosses the wire between agent, server and
 * dashboard. Depends on zod alone; browser-safe (the Node-only hash lives in ./hash.ts).
 */
export * from './version.ts';
export * from './limits.ts';
export * from './strings.ts';
export * from './inventory.ts';
export * from './delta.ts';
export * from './messages.ts';
export * from './frames.ts';
