import { type FSWatcher, watch } from 'node:fs';

/** Package databases whose change means software was installed or removed. */
export const LINUX_PACKAGE_DB_DIRS = [
  // dpkg writes status-new and renames it over status, so the folder is watched, not the file.
  { dir: '/var/lib/dpkg', matches: (name: string) => name === 'status' },
  // rpm rewrites rpmdb.sqlite (RHEL 9, Kylin server) or Packages (older) in place.
  { dir: '/var/lib/rpm', matches: (name: string) => !name.startsWith('.') && !name.startsWith('__db') },
] as const;

export interface PackageWatchOptions {
  /** Quiet time after the last change before reporting (dpkg writes several times per install). */
  debounceMs?: number;
  /** Report at the latest this long after the first change, even while changes keep coming. */
  maxWaitMs?: number;
  dirs?: ReadonlyArray<{ dir: string; matches: (name: string) => boolean }>;
}

/**
 * Calls `onChange` shortly after a package database changes: a package install or removal is
 * reported within seconds rather than at the next periodic scan. Folders that do not exist are
 * skipped (no rpm on Debian). Returns a function that stops watching.
 */
export function watchLinuxPackageDatabases(onChange: () => void, options: PackageWatchOptions = {}): () => void {
  const debounceMs = options.debounceMs ?? 1_000;
  const maxWaitMs = options.maxWaitMs ?? 3_000;
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let firstChangeAt = 0;

  const fire = () => {
    timer = undefined;
    firstChangeAt = 0;
    onChange();
  };
  const changed = () => {
    const now = Date.now();
    if (firstChangeAt === 0) firstChangeAt = now;
    if (timer) clearTimeout(timer);
    const wait = Math.max(0, Math.min(debounceMs, firstChangeAt + maxWaitMs - now));
    timer = setTimeout(fire, wait);
  };

  for (const { dir, matches } of options.dirs ?? LINUX_PACKAGE_DB_DIRS) {
    try {
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        // Some platforms give no file name: then any change in the folder counts.
        if (name === null || matches(name.toString())) changed();
      });
      watcher.on('error', () => watcher.close());
      watchers.push(watcher);
    } catch {
      // Folder absent or not watchable: the periodic scan still covers it.
    }
  }
  return () => {
    if (timer) clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}
