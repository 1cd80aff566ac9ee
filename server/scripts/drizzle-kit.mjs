// Runs drizzle-kit (hoisted to the repository root) with `drizzle-orm` resolved from this
// workspace: npm keeps drizzle-orm nested in server/node_modules, where the root drizzle-kit's
// own `import('drizzle-orm/...')` cannot see it. Usage: node scripts/drizzle-kit.mjs generate
import { register, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const serverUrl = new URL('../package.json', import.meta.url).href;
register(
  `data:text/javascript,${encodeURIComponent(`
    export async function resolve(specifier, context, next) {
      try {
        return await next(specifier, context);
      } catch (err) {
        if (!/^drizzle-orm(\\/|$)/.test(specifier)) throw err;
        return next(specifier, { ...context, parentURL: ${JSON.stringify(serverUrl)} });
      }
    }`)}`,
);
const require = createRequire(import.meta.url);
// Same for its CommonJS require() calls: add this workspace's node_modules to the search path.
process.env.NODE_PATH = fileURLToPath(new URL('../node_modules', import.meta.url));
require('node:module').Module._initPaths();
// The package exports no ./bin.cjs; find it next to the package's main entry.
await import(join(dirname(require.resolve('drizzle-kit')), 'bin.cjs'));
