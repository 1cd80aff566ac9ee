// Builds the dashboard with Vite when dashboard/dist is missing or older than its sources.
// Run by the root `prestart` (so `npm install && npm start` suffices) and by the browser tests.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dashboardDir = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(dashboardDir, 'dist', 'index.html');

/** Newest modification time under the given paths (files and folders, recursively). */
function newestMtime(paths) {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isDirectory()) newest = Math.max(newest, newestMtime(readdirSync(path).map((name) => join(path, name))));
    else newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((p) => join(dashboardDir, p));
const stale = !existsSync(stamp) || statSync(stamp).mtimeMs < newestMtime(sources);
if (stale) {
  const { build } = await import('vite');
  console.log('dashboard: building with Vite (dashboard/dist is missing or older than its sources)');
  await build({ root: dashboardDir, configFile: join(dashboardDir, 'vite.config.ts'), logLevel: 'warn' });
} else {
  console.log('dashboard: dashboard/dist is up to date');
}
