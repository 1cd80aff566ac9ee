import { defineConfig } from 'vite';

// No React plugin: esbuild compiles JSX with the automatic runtime; no fast refresh needed.
export default defineConfig({
  root: import.meta.dirname,
  esbuild: { jsx: 'automatic' },
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
