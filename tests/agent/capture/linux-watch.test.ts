import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { watchLinuxPackageDatabases } from '../../../agent/src/capture/linux-watch.ts';
import { eventually } from '../transport/protocol-server.ts';

t.test('dpkg replacing its status file (write status-new, rename over status) is noticed once for the burst', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'zhengban-dpkg-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'status'), 'Package: bash\n');
  let changes = 0;
  const stop = watchLinuxPackageDatabases(() => changes++, {
    debounceMs: 300,
    dirs: [
      { dir, matches: (name) => name === 'status' },
      { dir: join(dir, 'no-such-rpm-dir'), matches: () => true },
    ],
  });
  t.teardown(stop);
  // What `dpkg -i` does: a new status file renamed over the old one, plus its own lock and log.
  await writeFile(join(dir, 'status-new'), 'Package: bash\n\nPackage: vim\n');
  await rename(join(dir, 'status-new'), join(dir, 'status'));
  await writeFile(join(dir, 'status-new'), 'Package: bash\n\nPackage: vim\n\nPackage: vim-runtime\n');
  await rename(join(dir, 'status-new'), join(dir, 'status'));
  await eventually('the change is reported', () => changes > 0);
  t.equal(changes, 1, 'one report for one install');
});
