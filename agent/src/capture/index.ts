import type { EvidenceBundle } from '../evidence/bundle.ts';
import { captureLinuxEvidence } from './linux.ts';
import { watchLinuxPackageDatabases } from './linux-watch.ts';

/**
 * Capture, per OS (osquery-go style: one file per platform, chosen here and nowhere else).
 * Windows capture lives in ./windows*.ts when it exists and plugs in below.
 */

/** Captures the live machine's evidence bundle. */
export async function captureEvidence(platform: NodeJS.Platform = process.platform): Promise<EvidenceBundle> {
  if (platform === 'linux') return captureLinuxEvidence();
  throw new Error(`live capture is not available on ${platform} yet; use --evidence with a captured bundle`);
}

/**
 * Calls `onChange` soon after installed software may have changed; returns a function that stops
 * watching. Platforms without a watcher rely on the periodic scan.
 */
export function watchSoftwareChanges(onChange: () => void, platform: NodeJS.Platform = process.platform): () => void {
  if (platform === 'linux') return watchLinuxPackageDatabases(onChange);
  return () => {};
}

export { captureLinuxEvidence, type LinuxCaptureOptions } from './linux.ts';
export { watchLinuxPackageDatabases } from './linux-watch.ts';
