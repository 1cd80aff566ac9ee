import { Inventory, describeZodError } from '@zhengban/protocol';
import { captureEvidence } from '../capture/index.ts';
import type { EvidenceBundle } from '../evidence/bundle.ts';
import { type BundleEntries, EvidenceError, decodeEvidenceBundle, encodeEvidenceBundle } from '../evidence/entries.ts';
import { bundleSha256 } from '../evidence/hash.ts';
import { readBundleEntries } from '../evidence/io.ts';
import { interpretEvidence } from '../interpret/index.ts';
import { CliError, EXIT } from './errors.ts';

export interface ScanResult {
  inventory: Inventory;
  bundle: EvidenceBundle;
  /** SHA-256 of the bundle the inventory came from (sent with full reports for inspectors). */
  evidenceSha256: string;
}

/**
 * The scan pipeline that `main` wires: capture (live, per OS) or read a bundle, then interpret
 * (pure). The three parts never call each other; only this function joins them.
 */
export async function scanInventory(source: { evidence?: string | undefined; platform: NodeJS.Platform }): Promise<ScanResult> {
  let entries: BundleEntries;
  let bundle: EvidenceBundle;
  try {
    if (source.evidence) {
      entries = await readBundleEntries(source.evidence);
      bundle = decodeEvidenceBundle(entries);
    } else {
      bundle = await captureEvidence(source.platform);
      entries = encodeEvidenceBundle(bundle);
    }
  } catch (err) {
    throw new CliError(err instanceof EvidenceError ? err.message : `capturing evidence: ${(err as Error).message}`, EXIT.evidence, { cause: err });
  }
  let interpreted: unknown;
  try {
    interpreted = interpretEvidence(bundle);
  } catch (err) {
    throw new CliError(`interpreting evidence: ${(err as Error).message}`, EXIT.evidence, { cause: err });
  }
  // The server refuses what the protocol schema refuses; better to say so here than to queue it.
  const parsed = Inventory.safeParse(interpreted);
  if (!parsed.success) throw new CliError(`interpretation produced an invalid inventory: ${describeZodError(parsed.error)}`, EXIT.evidence);
  return { inventory: parsed.data, bundle, evidenceSha256: await bundleSha256(entries) };
}
