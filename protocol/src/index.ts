/**
 * @zhengban/protocol — the one definition of what crosses the wire between agent, server and
 * dashboard. Depends on zod alone; browser-safe (the Node-only hash lives in ./hash.ts).
 * `@zhengban/protocol/agent` is the part an agent's long-running process needs, without zod's
 * classic API (see agent.ts).
 */
export * from './version.ts';
export * from './limits.ts';
export * from './names.ts';
export * from './strings.ts';
export * from './inventory.ts';
export * from './inventory-ops.ts';
export * from './delta.ts';
export * from './messages.ts';
export * from './server-messages.ts';
export * from './envelope.ts';
export * from './frames.ts';
