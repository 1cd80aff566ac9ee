/**
 * @zhengban/protocol/agent — what an agent's long-running process needs, without zod's classic
 * API: the names and version, the text rules, the pure inventory operations (delta, canonical
 * text), the server -> agent messages on zod/mini with parseServerFrame, and the types of
 * everything else. Loading the main entry costs an agent ~13 MiB of RSS (zod classic and the
 * inventory schemas); this entry a small part of that. Same definitions, re-exported.
 */
export * from './version.ts';
export * from './limits.ts';
export * from './names.ts';
export * from './text.ts';
export * from './inventory-ops.ts';
export * from './server-messages.ts';
export { type ParsedFrame, describeZodError } from './envelope.ts';
export type { Activation, CaptureError, Finding, Hardware, Inventory, OfficeSuite, OperatingSystem, Software } from './inventory.ts';
export type { InventoryDelta } from './delta.ts';
export type { AgentHello, AgentMessage, EnrollRequest, EnrollResponse, InventoryDeltaMessage, InventoryFullMessage } from './messages.ts';
