// The dosewise command and the Node pool's workers as a few bundled files (dist/cli/), built from
// tsc's output (dist/src/): starting the command or a worker then reads a handful of files instead
// of ~150 (zod alone is 95 modules), which is most of a small command's start-up time and of a
// worker's. Only zod and commander are bundled; the other dependencies load from node_modules when
// needed (piscina, Arrow output, the model-text compiler). Commands still load lazily: each is a
// chunk of its own. src/package-path.ts compiledWorker() prefers the bundled workers.

import { defineConfig } from 'vite';

export default defineConfig({
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: 'dist/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rollupOptions: {
      input: {
        main: 'dist/src/cli/main.js',
        'bayes-worker': 'dist/src/bayes/worker.js',
        'population-worker': 'dist/src/population/worker.js',
        'replicate-worker': 'dist/src/replicate/worker.js',
      },
      // entries keep their exports: a Piscina worker file's default export is its task handler
      preserveEntrySignatures: 'strict',
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
  ssr: { target: 'node', noExternal: ['zod', 'commander'] },
});
