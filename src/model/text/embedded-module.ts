// The compiled module a model text's JSON form carries (`dosewise compile --out`, model.file) is
// run only when it provably belongs to the text: its kernel id must equal the id recomputed from
// the text (the kernel source is regenerated, which is cheap), and its SHA-256 digest, which binds
// the module bytes to that id, must match. A module taken from another model's JSON, edited text
// under an old module, a damaged or truncated module, or a file written before digests existed all
// fail one of the two checks; the caller then compiles the kernel again or refuses.

import { sha256 } from '../sha256.js';

export interface EmbeddedKernel {
  readonly id: string;
  /** The module bytes, base64. */
  readonly wasm: string;
  /** Hex SHA-256 of (kernel id, module bytes): see moduleDigest(). */
  readonly sha256?: string;
}

/** The digest stored next to a compiled module: the module bytes bound to the kernel they were compiled from. */
export function moduleDigest(id: string, wasm: Uint8Array): string {
  return sha256(`dosewise kernel ${id}\0`, wasm);
}

export function encodeBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** The `kernel` field of a model text's JSON form for module `wasm` compiled from kernel `id`. */
export function embedModule(id: string, wasm: Uint8Array): EmbeddedKernel {
  return { id, wasm: encodeBase64(wasm), sha256: moduleDigest(id, wasm) };
}

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Modules already checked in this thread, by kernel id and digest (workers rebuild the same model many times). */
const checked = new Map<string, { readonly b64: string; readonly wasm: Uint8Array }>();

/**
 * The embedded module when it belongs to the kernel `id`, else why it was refused (a phrase naming
 * the JSON field). Nothing embedded gives neither.
 */
export function checkEmbeddedModule(kernel: EmbeddedKernel | undefined, id: string): { wasm?: Uint8Array; refused?: string } {
  if (kernel === undefined) return {};
  if (typeof kernel !== 'object' || kernel === null || typeof kernel.wasm !== 'string') return { refused: 'kernel.wasm is missing' };
  if (kernel.id !== id)
    return { refused: `kernel.id ${JSON.stringify(kernel.id)} is not the kernel of this text (${id}): the text was edited after compiling, or the module comes from another model or engine version` };
  if (typeof kernel.sha256 !== 'string') return { refused: 'kernel.sha256 is missing: the module cannot be checked against the text (written by an older dosewise?)' };
  const seen = checked.get(`${id} ${kernel.sha256}`);
  if (seen && seen.b64 === kernel.wasm) return { wasm: seen.wasm };
  let wasm: Uint8Array;
  try {
    wasm = decodeBase64(kernel.wasm);
  } catch {
    return { refused: 'kernel.wasm is not valid base64' };
  }
  if (moduleDigest(id, wasm) !== kernel.sha256)
    return { refused: 'kernel.wasm does not match kernel.sha256: the module was damaged or taken from another model' };
  if (checked.size >= 32) checked.clear();
  checked.set(`${id} ${kernel.sha256}`, { b64: kernel.wasm, wasm });
  return { wasm };
}
