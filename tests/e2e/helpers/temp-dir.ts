/** Temporary directories for one test process, removed when it exits (pass or fail). */
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];
process.once('exit', () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory under the system temp dir, named `zhengban-e2e-<what>-XXXXXX`. */
export async function makeTempDir(what: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `zhengban-e2e-${what}-`));
  created.push(dir);
  return dir;
}
