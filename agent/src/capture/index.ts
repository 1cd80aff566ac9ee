import type { EvidenceBundle } from '../evidence/bundle.ts';
import { captureLinuxEvidence } from './linux.ts';
import { watchLinuxPackageDatabases } from './linux-watch.ts';
import { captureWindowsEvidence } from './windows.ts';
import { watchWindowsUninstallKeys } from './windows-watch.ts';

/**
 * Capture, per OS (osquery-go style: one file per platform, chosen here and nowhere else).
 */

/** Captures the live machine's evidence bundle. */
export async function captureEvidence(platform: NodeJS.Platform = process.platform): Promise<EvidenceBundle> {
  if (platform === 'linux') return captureLinuxEvidence();
  if (platform === 'win32') return captureWindowsEvidence();
  throw new Error(`live capture is not available on ${platform}; use --evidence with a captured bundle`);
}

export interface SoftwareWatchOptions {
  /** Windows: how often the Uninstall keys are checked (default 60 s). Linux watches the package databases instead. */
  windowsCheckIntervalMs?: number;
}

/**
 * Calls `onChange` soon after installed software may have changed; returns a function that stops
 * watching. Platforms without a watcher rely on the periodic scan.
 */
export function watchSoftwareChanges(onChange: () => void, platform: NodeJS.Platform = process.platform, options: SoftwareWatchOptions = {}): () => void {
  if (platform === 'linux') return watchLinuxPackageDatabases(onChange);
  if (platform === 'win32') return watchWindowsUninstallKeys(onChange, options.windowsCheckIntervalMs ? { intervalMs: options.windowsCheckIntervalMs } : {});
  return () => {};
}

export { captureLinuxEvidence, type LinuxCaptureOptions } from './linux.ts';
export { watchLinuxPackageDatabases } from './linux-watch.ts';
export { captureWindowsEvidence, type WindowsCaptureOptions } from './windows.ts';
export { watchWindowsUninstallKeys } from './windows-watch.ts';
