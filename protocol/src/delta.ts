import { z } from 'zod';
import { MAX_SOFTWARE_ENTRIES, MAX_HOSTNAME_LENGTH } from './limits.ts';
import { safeString } from './strings.ts';
import { CaptureError, Finding, Hardware, OfficeSuite, OperatingSystem, Software } from './inventory.ts';

/**
 * The change between two inventories of one machine. Software changes by key (an upgrade is an
 * entry in `upserted`); the small sections are replaced whole when present because they are a
 * few hundred bytes and diffing them would only add ways to be wrong.
 */
export const InventoryDelta = z.object({
  collectedAt: z.iso.datetime({ offset: true }),
  software: z.object({
    upserted: z.array(Software).max(MAX_SOFTWARE_ENTRIES),
    removed: z.array(safeString(1024)).max(MAX_SOFTWARE_ENTRIES),
  }),
  hostname: safeString(MAX_HOSTNAME_LENGTH).optional(),
  agentVersion: safeString(64).optional(),
  hardware: Hardware.optional(),
  os: OperatingSystem.optional(),
  office: z.array(OfficeSuite).max(50).optional(),
  findings: z.array(Finding).max(500).optional(),
  captureErrors: z.array(CaptureError).max(200).optional(),
});
export type InventoryDelta = z.infer<typeof InventoryDelta>;
