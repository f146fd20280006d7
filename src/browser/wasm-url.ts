// Where the browser entry finds the WASM engine: the package's build/dosewise.wasm, written as
// `new URL('…', import.meta.url)` relative to the compiled module (dist/src/browser/), so that a
// bundler (Vite, webpack, Parcel, esbuild) copies the file into the app and rewrites the URL. The
// path is right in the built package only; the what-if tool (src/web/) brings its own.

/** The engine's URL, resolved against this module. */
export const WASM_URL: URL = new URL('../../../build/dosewise.wasm', import.meta.url);
