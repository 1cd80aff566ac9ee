import { mkdir, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** A build older than this is taken for dead (a killed process), and its lock is broken. */
const STALE_LOCK_MS = 15 * 60_000;
const POLL_MS = 500;

/**
 * Holds a directory lock while `fn` runs: test files run in parallel and each may ask for the
 * binaries, but only one build may write dist/agent at a time; the others wait, then find it done.
 */
export async function withBuildLock<T>(lockDir: string, fn: () => Promise<T>, onWait?: () => void): Promise<T> {
  let waited = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const info = await stat(lockDir).catch(() => null);
      if (info && Date.now() - info.mtimeMs > STALE_LOCK_MS) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!waited) onWait?.();
      waited = true;
      await sleep(POLL_MS);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
