import { build } from 'esbuild';

/**
 * Bundles the agent's entry (TypeScript, ESM, workspace imports) into one CommonJS file that a
 * single-executable node runs: inside a SEA, `require` only reaches node's built-in modules, so
 * every dependency must be in the bundle, and tsx must not be (the bundle is already JavaScript).
 */
export async function bundleAgent(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
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
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}
