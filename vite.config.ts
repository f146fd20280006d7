// The browser what-if tool (src/web): `npx vite` serves it, `npx vite build` writes static files to
// dist/web. Every import of the Node engine loader (src/engine/load.ts: node:fs, node:path) is
// redirected to its browser counterpart src/engine/load-web.ts, in the page and in the worker.

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

export default defineConfig({
  root: here('./src/web'),
  base: './',
  plugins: [webEngineLoader()],
  worker: {
    format: 'es',
    plugins: () => [webEngineLoader()],
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
