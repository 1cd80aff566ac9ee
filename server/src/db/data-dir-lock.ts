import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * An exclusive claim on a PGlite data directory. PGlite does not stop a second process from
 * opening the same files, and two writers corrupt them; a second `npm start` on the same
 * DATA_DIR must fail with a clear message instead. A lock left by a process that died is taken
 * over.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const file = join(dir, 'zhengban.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (owner && owner !== process.pid && isRunning(owner)) {
        throw new Error(`another zhengban server (pid ${owner}) is using ${dir}; stop it or set another DATA_DIR`);
      }
      await rm(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dir}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
