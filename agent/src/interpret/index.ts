import { z } from 'zod';
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
  const manifest = { ...bundle.manifest, capturedAt: normaliseCapturedAt(bundle.manifest.capturedAt) };
  const normalised = { ...bundle, manifest };
  const draft = manifest.platform === 'windows' ? interpretWindows(normalised) : interpretLinux(normalised);
  return finalizeInventory(draft);
}

const IsoDateTime = z.iso.datetime({ offset: true });

/**
 * `capturedAt` is "now" for interpretation and becomes `collectedAt`. Kept as written when it is
 * an ISO date-time (its offset says the machine's time zone); other parseable dates are turned
 * into UTC ISO text; anything else makes the bundle unusable, said in words.
 */
function normaliseCapturedAt(value: string): string {
  if (IsoDateTime.safeParse(value).success) return value;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new Error(`evidence manifest capturedAt ${JSON.stringify(value)} is not a date-time`);
  return new Date(t).toISOString();
}
