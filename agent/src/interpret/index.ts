import type { Inventory } from '@zhengban/protocol';
import type { EvidenceBundle } from '../evidence/bundle.ts';
import { finalizeInventory } from './finalize.ts';
import { interpretLinux } from './linux/index.ts';
import { interpretWindows } from './windows/index.ts';

/**
 * Interprets an evidence bundle into the Inventory the agent reports: operating system and its
 * activation, office suites, installed software, findings an inspector would write down, and
 * the capture steps that failed. Pure: reads only the bundle (no files, processes, network or
 * clock — "now" is `manifest.capturedAt`), so it gives the same answer on any OS, any day.
 */
export function interpretEvidence(bundle: EvidenceBundle): Inventory {
  const draft = bundle.manifest.platform === 'windows' ? interpretWindows(bundle) : interpretLinux(bundle);
  return finalizeInventory(draft);
}
