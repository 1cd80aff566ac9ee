import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type BuildOptions, type Metafile, type Plugin, build } from 'esbuild';

/*
 * Bundles the agent (TypeScript, ESM, workspace imports) into two CommonJS scripts that a
 * single-executable node runs. Inside a SEA, `require` only reaches node's built-in modules, so
 * every dependency must be in the bundles, and tsx must not be (the bundles are JavaScript).
 *
 * - The main script (agent/src/main.ts): the command line and `run`, the long-running agent.
 * - The one-shot script (agent/src/cli/commands/one-shot.ts): every other command, with capture,
 *   interpretation, tar and the protocol's zod schemas. The SEA carries it as an asset, compiled
 *   only when such a command runs (including the scan processes `run` starts).
 *
 * Why two: V8 keeps a script's whole source in memory for as long as the process lives, and
 * compiles what it runs. One 740 KB script cost the idle agent ~2 MiB of RSS for code it never
 * runs; the main script is a fifth of that (issue 3: idle RSS within 1.3x of bare node).
 */

/** The SEA asset name of the one-shot script. */
export const ONE_SHOT_ASSET = 'one-shot.cjs';

/** How the one-shot script asks for the main script's instance of a module they share. */
const SHARED_MODULE_PREFIX = 'zhengban-agent:';

export interface AgentBundles {
  main: string;
  oneShot: string;
  /** esbuild's metafiles, for checks of what each script contains. */
  metafiles: { main: Metafile; oneShot: Metafile };
}

/**
 * Modules both scripts use whose identity matters: CliError is thrown by one-shot commands and
 * recognised (`instanceof`) by the command line in the main script, so the one-shot script uses
 * the main script's copy instead of its own.
 */
function sharedModules(agentSrc: string): Record<string, string> {
  return { [`${SHARED_MODULE_PREFIX}cli-errors`]: join(agentSrc, 'cli', 'errors.ts') };
}

const COMMON: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // ws tries to require the optional native add-ons bufferutil and utf-8-validate; these defines
  // make that code dead, so the bundle neither contains nor looks for them.
  define: {
    'process.env.WS_NO_BUFFER_UTIL': '"1"',
    'process.env.WS_NO_UTF_8_VALIDATE': '"1"',
  },
  external: ['bufferutil', 'utf-8-validate'],
  // Fully minified and ASCII-only: comments, whitespace and long names are memory a running
  // script keeps, and one character outside Latin-1 would make V8 hold the source as UTF-16.
  minify: true,
  charset: 'ascii',
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
  metafile: true,
};

/** Builds both scripts into `outDir` (zhengban-agent.cjs and one-shot.cjs). */
export async function bundleAgent(agentSrc: string, outDir: string): Promise<AgentBundles> {
  await mkdir(outDir, { recursive: true });
  const shared = sharedModules(resolve(agentSrc));
  const oneShotSource = resolve(agentSrc, 'cli', 'commands', 'one-shot.ts');
  const main = await build({ ...COMMON, entryPoints: [join(agentSrc, 'main.ts')], outfile: join(outDir, 'zhengban-agent.cjs'), plugins: [loadOneShotFromAsset(oneShotSource, shared)] });
  const oneShot = await build({ ...COMMON, entryPoints: [oneShotSource], outfile: join(outDir, ONE_SHOT_ASSET), plugins: [useSharedModules(shared)] });
  const paths = { main: join(outDir, 'zhengban-agent.cjs'), oneShot: join(outDir, ONE_SHOT_ASSET) };
  await writeFile(paths.main, escapeNonAscii(main.outputFiles![0]!.text));
  await writeFile(paths.oneShot, escapeNonAscii(oneShot.outputFiles![0]!.text));
  return { ...paths, metafiles: { main: main.metafile!, oneShot: oneShot.metafile! } };
}

/**
 * In the main script, `import('./commands/one-shot.ts')` becomes: take the one-shot script (the
 * SEA asset, or the file next to the main script when node runs it directly), compile it in this
 * context and hand it the shared modules.
 */
function loadOneShotFromAsset(oneShotSource: string, shared: Record<string, string>): Plugin {
  return {
    name: 'one-shot-from-asset',
    setup(b) {
      b.onResolve({ filter: /one-shot\.ts$/ }, (args) => (resolve(args.resolveDir, args.path) === oneShotSource ? { path: oneShotSource, namespace: 'one-shot-asset' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'one-shot-asset' }, () => ({
        resolveDir: resolve(oneShotSource, '..'),
        loader: 'js',
        contents: `
const shared = { ${Object.entries(shared).map(([id, path]) => `${JSON.stringify(id)}: require(${JSON.stringify(path)})`).join(', ')} };
const nodeRequire = require('node:module').createRequire(process.execPath);
let sea = null;
try { sea = nodeRequire('node:sea'); } catch {}
const code = sea && sea.isSea()
  ? sea.getAsset(${JSON.stringify(ONE_SHOT_ASSET)}, 'utf8')
  : nodeRequire('node:fs').readFileSync(nodeRequire('node:path').join(__dirname, ${JSON.stringify(ONE_SHOT_ASSET)}), 'utf8');
const run = nodeRequire('node:vm').runInThisContext('(function (exports, require, module, __filename, __dirname) {' + code + '\\n})', { filename: ${JSON.stringify(ONE_SHOT_ASSET)} });
const loaded = { exports: {} };
run(loaded.exports, (id) => shared[id] || require(id), loaded, ${JSON.stringify(ONE_SHOT_ASSET)}, __dirname);
module.exports = loaded.exports;
`,
      }));
    },
  };
}

/** In the one-shot script, the shared modules are the main script's (see sharedModules). */
function useSharedModules(shared: Record<string, string>): Plugin {
  const byPath = new Map(Object.entries(shared).map(([id, path]) => [path, id]));
  return {
    name: 'use-shared-modules',
    setup(b) {
      b.onResolve({ filter: /\.ts$/ }, (args) => {
        const id = byPath.get(resolve(args.resolveDir, args.path));
        return id ? { path: id, external: true } : undefined;
      });
    },
  };
}

/**
 * esbuild's `charset: 'ascii'` leaves regular-expression literals as written, and the
 * interpreters' patterns hold Chinese (/专业版|professional/). A \uXXXX escape means the same
 * character in a regular expression (with or without the u flag), a string or a template literal,
 * and minified code has no comments, so escaping every non-ASCII UTF-16 unit is safe.
 */
export function escapeNonAscii(code: string): string {
  return code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
