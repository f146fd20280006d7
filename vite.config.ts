// The browser what-if tool (src/web): `npx vite` serves it, `npx vite build` writes static files to
// dist/web. Every import of the Node engine loader (src/engine/load.ts: node:fs, node:path) is
// redirected to its browser counterpart src/engine/load-web.ts, in the page and in the worker.
// Opening a model text in the tool loads the AssemblyScript compiler, a separate ~14 MB chunk.

import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const LOAD_NODE = here('./src/engine/load.ts');
const LOAD_WEB = here('./src/engine/load-web.ts');

/** Resolves src/engine/load.{js,ts} (however it is imported) to src/engine/load-web.ts. */
function webEngineLoader(): Plugin {
  return {
    name: 'dosewise:web-engine-loader',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!/(^|\/)load(\.js|\.ts)?$/.test(source) || !importer) return null;
      const r = await this.resolve(source, importer, { ...options, skipSelf: true });
      return r && r.id.split('?')[0] === LOAD_NODE ? LOAD_WEB : null;
    },
  };
}

/**
 * The AssemblyScript compiler (lazy chunk of the worker, for model texts) imports Node built-ins
 * only on its Node code path; in the browser they resolve to an empty module.
 */
function compilerNodeBuiltins(): Plugin {
  const EMPTY = '\0dosewise:empty';
  return {
    name: 'dosewise:compiler-node-builtins',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer && /node_modules[\\/](assemblyscript|binaryen)[\\/]/.test(importer) && /^(node:)?(fs|path|url|module)$/.test(source)) return EMPTY;
      return null;
    },
    load(id) {
      return id === EMPTY ? 'export default {};' : null;
    },
  };
}

export default defineConfig({
  root: here('./src/web'),
  base: './',
  plugins: [webEngineLoader()],
  worker: {
    format: 'es',
    plugins: () => [webEngineLoader(), compilerNodeBuiltins()],
  },
  build: {
    outDir: here('./dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    // the WASM engine stays a separate file (fetched and compiled by the worker)
    assetsInlineLimit: (file) => (file.endsWith('.wasm') ? false : undefined),
  },
  server: {
    fs: { allow: [here('.')] },
  },
});
