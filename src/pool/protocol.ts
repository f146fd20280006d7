// The wire format between the main thread and workers, the same for Piscina and Comlink: a task is
// a plain object (structured clone); a result is packed into ONE ArrayBuffer (a JSON header plus
// the typed arrays' bytes) so it crosses as a transferable, zero-copy, whatever its size.

import { DosewiseError, Errors, type ErrorCode, type ErrorPlace } from '../errors.js';

export interface PackedResult {
  readonly buffer: ArrayBuffer;
}

type Arrays = Record<string, Float64Array | Int32Array>;
interface Header {
  readonly meta: unknown;
  readonly arrays: { name: string; kind: 'f64' | 'i32'; offset: number; length: number }[];
}

/** Packs metadata and named typed arrays into one transferable buffer. */
export function pack(meta: unknown, arrays: Arrays): ArrayBuffer {
  const entries = Object.entries(arrays);
  const layout: Header['arrays'] = [];
  let offset = 0;
  for (const [name, a] of entries) {
    layout.push({ name, kind: a instanceof Float64Array ? 'f64' : 'i32', offset, length: a.length });
    offset += Math.ceil(a.byteLength / 8) * 8;
  }
  const header = new TextEncoder().encode(JSON.stringify({ meta, arrays: layout } satisfies Header));
  const start = Math.ceil((8 + header.length) / 8) * 8;
  const buf = new ArrayBuffer(start + offset);
  new DataView(buf).setUint32(0, header.length, true);
  new Uint8Array(buf, 8, header.length).set(header);
  entries.forEach(([, a], i) => {
    const l = layout[i] as Header['arrays'][number];
    new Uint8Array(buf, start + l.offset, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  });
  return buf;
}

/**
 * The arrays of a result allocated inside its transferable buffer from the start (no copy at the
 * end, unlike pack()): fill the returned views, then send `buffer`; unpack() reads it as usual.
 * With `into` (a buffer sent back for reuse) large enough, the arrays live in it instead, holding
 * whatever it held before: the caller writes every element.
 */
export function packedArrays<K extends string>(meta: unknown, spec: Readonly<Record<K, { readonly kind: 'f64' | 'i32'; readonly length: number }>>, into?: ArrayBuffer): { buffer: ArrayBuffer; arrays: Record<K, Float64Array | Int32Array> } {
  const layout: Header['arrays'] = [];
  let offset = 0;
  for (const [name, a] of Object.entries(spec) as [K, { kind: 'f64' | 'i32'; length: number }][]) {
    layout.push({ name, kind: a.kind, offset, length: a.length });
    offset += Math.ceil((a.length * (a.kind === 'f64' ? 8 : 4)) / 8) * 8;
  }
  const header = new TextEncoder().encode(JSON.stringify({ meta, arrays: layout } satisfies Header));
  const start = Math.ceil((8 + header.length) / 8) * 8;
  const buffer = into !== undefined && into.byteLength >= start + offset ? into : new ArrayBuffer(start + offset);
  new DataView(buffer).setUint32(0, header.length, true);
  new Uint8Array(buffer, 8, header.length).set(header);
  const arrays = {} as Record<K, Float64Array | Int32Array>;
  for (const l of layout) arrays[l.name as K] = l.kind === 'f64' ? new Float64Array(buffer, start + l.offset, l.length) : new Int32Array(buffer, start + l.offset, l.length);
  return { buffer, arrays };
}

/** Inverse of pack(); the arrays are views on the received buffer (no copy). */
export function unpack<M>(buf: ArrayBuffer): { meta: M; arrays: Arrays } {
  const n = new DataView(buf).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 8, n))) as Header;
  const start = Math.ceil((8 + n) / 8) * 8;
  const arrays: Arrays = {};
  for (const l of header.arrays)
    arrays[l.name] = l.kind === 'f64' ? new Float64Array(buf, start + l.offset, l.length) : new Int32Array(buf, start + l.offset, l.length);
  return { meta: header.meta as M, arrays };
}

/** What every pool offers: run a task on some worker; a failure rejects, never resolves partially. */
export interface TaskPool<T> {
  /** Most tasks run at once (threads, for a thread pool; 1 inline). */
  readonly size: number;
  /** Threads started so far, for pools that start them as tasks need them. */
  readonly started?: () => number;
  /** `transfer`: buffers of the task that move to the worker instead of being copied (the caller gives them up). */
  run(task: T, signal?: AbortSignal, transfer?: readonly ArrayBuffer[]): Promise<ArrayBuffer>;
  close(): Promise<void>;
}

export type PoolKind = 'population' | 'cohort' | 'replicate';

/**
 * A pool the `pool` option of a run takes: one of its kind, or a pool of the app's own (no kind).
 * populationPool, cohortPool and replicatePool set `kind`: a run given a pool of another kind
 * refuses it, as its workers would fail on the task with a bare TypeError.
 */
export type PoolFor<T, K extends PoolKind> = TaskPool<T> & { readonly kind?: K };

const FACTORY: Record<PoolKind, string> = { population: 'populationPool()', cohort: 'cohortPool()', replicate: 'replicatePool()' };

/** Refuses a pool made for another kind of run (`call`: the function given it, e.g. 'estimateCohort()'). */
export function checkPoolKind(pool: TaskPool<unknown> | undefined, kind: PoolKind, call: string): void {
  const given = (pool as { kind?: unknown } | undefined)?.kind;
  if (given === undefined || given === kind) return;
  const made = typeof given === 'string' && given in FACTORY ? `a ${given} pool (${FACTORY[given as PoolKind]})` : `a pool of kind ${String(given)}`;
  throw Errors.option('pool', `pool: ${call} runs on a ${kind} pool, made by ${FACTORY[kind]}; it was given ${made}`, given);
}

/**
 * A thread boundary keeps only an Error's name and message: a DosewiseError thrown in a worker
 * reached the caller as "engine: a worker failed", its code and place (row, column, value) lost,
 * so the same bad subject gave E_PARAMETER inline and E_ENGINE on a pool. Workers throw
 * workerError(e), whose message carries them; the pool rebuilds the error with fromWorker().
 */
const ERROR_MARK = 'dosewise-error:';

export function workerError(e: unknown): unknown {
  return e instanceof DosewiseError ? new Error(ERROR_MARK + JSON.stringify({ code: e.code, message: e.message, place: e.place })) : e;
}

export function fromWorker(e: unknown): DosewiseError | undefined {
  const m = e instanceof Error ? e.message : typeof e === 'string' ? e : undefined;
  const at = m?.indexOf(ERROR_MARK) ?? -1;
  if (m === undefined || at < 0) return undefined;
  try {
    const d = JSON.parse(m.slice(at + ERROR_MARK.length)) as { code: ErrorCode; message: string; place: ErrorPlace };
    return new DosewiseError(d.code, d.message, d.place);
  } catch {
    return undefined;
  }
}
