import { createHash } from 'node:crypto';
import type { Inventory } from './inventory.ts';
import { inventoryHashInput } from './inventory-ops.ts';

/**
 * SHA-256 (hex) of an inventory's canonical form. Node-only (node:crypto), so it is exported from
 * `@zhengban/protocol/hash` and kept out of the browser-safe main entry.
 */
export function inventoryHash(inventory: Inventory): string {
  return createHash('sha256').update(inventoryHashInput(inventory)).digest('hex');
}
