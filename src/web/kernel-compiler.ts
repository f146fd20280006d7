// Compiling a model text's kernel in the browser (the what-if tool's worker). The AssemblyScript
// compiler and Binaryen (about 14 MB of JavaScript) are a separate chunk, fetched only when a
// model text must really be compiled; the engine's sources are bundled as text. Compiled modules
// are kept in the page's Cache Storage under a hash of (compiler version, engine sources, kernel
// source), so reopening a model after a reload takes no compilation. A compiled JSON model
// (`dosewise compile --out`) needs none of this.

import asconfig from '../../asconfig.json?raw';
import ascPackage from 'assemblyscript/package.json' with { type: 'json' };
import { buildKernelModule, type Asc } from '../engine/kernel-build.js';
import { fnv1a64 } from '../model/text/index.js';

const SOURCES = import.meta.glob('../../assembly/**/*.ts', { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;
const CACHE = 'dosewise-kernels';

const compiled = new Map<string, Uint8Array>();
let engineFiles: Promise<Map<string, string>> | undefined;

function files(): Promise<Map<string, string>> {
  engineFiles ??= (async () => {
    const m = new Map<string, string>([['asconfig.json', asconfig]]);
    await Promise.all(Object.entries(SOURCES).map(async ([p, load]) => m.set(p.replace(/^(\.\.\/)+/, ''), await load())));
    return m;
  })();
  return engineFiles;
}

async function fromCache(key: string): Promise<Uint8Array | undefined> {
  try {
    const r = await (await caches.open(CACHE)).match(`/kernels/${key}.wasm`);
    if (!r) return undefined;
    const bytes = new Uint8Array(await r.arrayBuffer());
    return WebAssembly.validate(bytes) ? bytes : undefined;
  } catch {
    return undefined; // no Cache Storage here (e.g. not a secure context): compile
  }
}

async function toCache(key: string, wasm: Uint8Array): Promise<void> {
  try {
    await (await caches.open(CACHE)).put(`/kernels/${key}.wasm`, new Response(wasm as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/wasm' } }));
  } catch {
    // a full or missing cache only costs a compilation next time
  }
}

async function keyOf(source: string): Promise<{ all: Map<string, string>; key: string }> {
  const all = await files();
  return { all, key: fnv1a64(`asc ${ascPackage.version}\n${[...all].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, t]) => `${p}\n${t}`).join('\n')}\n${source}`) };
}

/** The engine compiled with `source` as its user kernel from this page's memory or its Cache Storage, without compiling. */
export async function cachedKernelInBrowser(source: string): Promise<{ wasm: Uint8Array; from: 'memory' | 'cache' } | undefined> {
  const { key } = await keyOf(source);
  const hit = compiled.get(key);
  if (hit) return { wasm: hit, from: 'memory' };
  const stored = await fromCache(key);
  if (!stored) return undefined;
  compiled.set(key, stored);
  return { wasm: stored, from: 'cache' };
}

/** The engine compiled with `source` as its user kernel, from this page's memory, its Cache Storage, or the compiler. */
export async function compileKernelInBrowser(source: string): Promise<{ wasm: Uint8Array; from: 'memory' | 'cache' | 'compiler' }> {
  const cached = await cachedKernelInBrowser(source);
  if (cached) return cached;
  const { all, key } = await keyOf(source);
  const asc = (await import('assemblyscript/asc')) as unknown as Asc;
  const wasm = await buildKernelModule(
    asc,
    (p) => all.get(p) ?? null,
    (d) => [...all.keys()].filter((f) => f.startsWith(`${d}/`) && !f.slice(d.length + 1).includes('/')).map((f) => f.slice(d.length + 1)),
    source,
  );
  compiled.set(key, wasm);
  await toCache(key, wasm);
  return { wasm, from: 'compiler' };
}
