import type { EvidenceBundle } from '../evidence/bundle.ts';
import { captureLinuxEvidence } from './linux.ts';
import { captureWindowsEvidence } from './windows.ts';

/**
 * Capture, per OS (osquery-go style: one file per platform, chosen here and nowhere else).
 */

/** Captures the live machine's evidence bundle. */
export async function captureEvidence(platform: NodeJS.Platform = process.platform): Promise<EvidenceBundle> {
  if (platform === 'linux') return captureLinuxEvidence();
  if (platform === 'win32') return captureWindowsEvidence();
  throw new Error(`live capture is not available on ${platform}; use --evidence with a captured bundle`);
}

export { type SoftwareWatchOptions, watchSoftwareChanges } from './watch.ts';
export { captureLinuxEvidence, type LinuxCaptureOptions } from './linux.ts';
export { watchLinuxPackageDatabases } from './linux-watch.ts';
export { captureWindowsEvidence, type WindowsCaptureOptions } from './windows.ts';
export { watchWindowsUninstallKeys } from './windows-watch.ts';
