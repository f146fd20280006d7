// The dosewise command as a few bundled files (dist/cli/), built from tsc's output (dist/src/):
// starting the command then reads one module graph of ~10 files instead of ~150 (zod alone is 95
// modules), which is most of a small command's start-up time. Only zod and commander are bundled;
// the other dependencies load from node_modules when a command needs them (workers, Arrow output,
// the model-text compiler). Commands still load lazily: each is a chunk of its own.

import { defineConfig } from 'vite';

export default defineConfig({
  logLevel: 'warn',
  build: {
    ssr: 'dist/src/cli/main.js',
    outDir: 'dist/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rollupOptions: { output: { format: 'es', entryFileNames: 'main.js', chunkFileNames: '[name]-[hash].js' } },
  },
  ssr: { target: 'node', noExternal: ['zod', 'commander'] },
});
