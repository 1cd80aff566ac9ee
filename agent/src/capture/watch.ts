import { watchLinuxPackageDatabases } from './linux-watch.ts';
import { watchWindowsUninstallKeys } from './windows-watch.ts';

/*
 * The software-change watchers, apart from the capture itself: `run` keeps them in its
 * long-running process, while every capture happens in a short-lived scan process.
 */

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
