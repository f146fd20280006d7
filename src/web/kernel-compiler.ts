// Compiling a model text's kernel in the browser (the what-if tool's worker). The AssemblyScript
// compiler and Binaryen (about 15 MB of JavaScript) are a separate chunk, fetched only when the
// user opens a model text; the engine's sources are bundled as text. A compiled JSON model
// (`dosewise compile --out`) needs none of this.

import asconfig from '../../asconfig.json?raw';
import { buildKernelModule, type Asc } from '../engine/kernel-build.js';

const SOURCES = import.meta.glob('../../assembly/**/*.ts', { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;

const compiled = new Map<string, Uint8Array>();

/** The engine compiled with `source` as its user kernel; `id` (the kernel's hash) keys a per-page cache. */
export async function compileKernelInBrowser(source: string, id: string): Promise<Uint8Array> {
  const hit = compiled.get(id);
  if (hit) return hit;
  const files = new Map<string, string>([['asconfig.json', asconfig]]);
  await Promise.all(Object.entries(SOURCES).map(async ([p, load]) => files.set(p.replace(/^(\.\.\/)+/, ''), await load())));
  const asc = (await import('assemblyscript/asc')) as unknown as Asc;
  const wasm = await buildKernelModule(
    asc,
    (p) => files.get(p) ?? null,
    (d) => [...files.keys()].filter((f) => f.startsWith(`${d}/`) && !f.slice(d.length + 1).includes('/')).map((f) => f.slice(d.length + 1)),
    source,
  );
  compiled.set(id, wasm);
  return wasm;
}
