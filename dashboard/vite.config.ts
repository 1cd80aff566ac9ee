import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes .br and .gz beside every built text file, once at build time: the server sends them to
 * browsers that accept them (@fastify/static preCompressed), so the dashboard's ~2 MB of JS goes
 * over the wire compressed without compressing on every request.
 */
function precompress(): Plugin {
  return {
    name: 'zhengban-precompress',
    apply: 'build',
    writeBundle(options) {
      const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
      for (const file of walk(options.dir!).filter((f) => /\.(js|css|html|svg|json)$/.test(f))) {
        const bytes = readFileSync(file);
        writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
        writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
      }
    },
  };
}

// No React plugin: esbuild compiles JSX with the automatic runtime; no fast refresh needed.
export default defineConfig({
  root: import.meta.dirname,
  esbuild: { jsx: 'automatic' },
  plugins: [precompress()],
  // The workspace root holds React 18 (a test tool's dependency); every import must get the dashboard's React 19.
  resolve: { dedupe: ['react', 'react-dom'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // antd marks its modules "use client" for server components; meaningless in a browser bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
      output: {
        manualChunks: (id) => (id.includes('node_modules/echarts') || id.includes('node_modules/zrender') ? 'echarts' : id.includes('node_modules/') ? 'vendor' : undefined),
      },
    },
  },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:8080', ws: true }, '/agent': 'http://127.0.0.1:8080' } },
});
