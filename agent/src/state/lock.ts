import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isNotFound } from './atomic-file.ts';
import { STATE_FILES } from './paths.ts';

/** Another agent process already owns this state directory. */
export class StateLockedError extends Error {
  constructor(
    readonly pid: number,
    stateDir: string,
  ) {
    super(`another agent (pid ${pid}) is already running with state directory ${stateDir}`);
  }
}

/** True when a process with this pid exists (EPERM means it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the state directory for this process (agent.pid, created exclusively). Two agents sharing
 * one outbox would both send and both delete; a pid file left by a crashed agent is taken over.
 * Returns the release function.
 */
export async function lockStateDir(stateDir: string): Promise<() => Promise<void>> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const path = join(stateDir, STATE_FILES.lock);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o644);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return async () => {
        await unlink(path).catch(() => {});
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await readLockHolder(stateDir);
    if (holder !== null && holder !== process.pid && isProcessAlive(holder)) throw new StateLockedError(holder, stateDir);
    await unlink(path).catch((err) => {
      if (!isNotFound(err)) throw err;
    });
  }
  throw new Error(`cannot take ${path}: another process keeps recreating it`);
}

/** The pid in agent.pid, or null when there is none (or it is unreadable). */
export async function readLockHolder(stateDir: string): Promise<number | null> {
  try {
    const pid = Number.parseInt(await readFile(join(stateDir, STATE_FILES.lock), 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
