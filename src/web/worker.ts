// The what-if tool's Web Worker: compiles the WASM engine once, then serves the session (MAP
// estimate, mode curve, forecast with its band, regimen suggestion, advice from now) over Comlink. Result arrays are
// transferred, not copied.
//
// Stale bands: the page numbers its what-if requests (generations). band() first yields one macrotask,
// so that estimate() and mode() calls already posted behind it run first; a band whose generation is
// older than the newest of those is then skipped (null) instead of spending posterior draws on a regimen the user
// has already changed.

import * as Comlink from 'comlink';
import wasmUrl from '../../build/dosewise.wasm?url';
import { initEngine } from '../engine/load-web.js';
import { defineModel, embedModule, isTextModelFile, type UserKernel } from '../model/model.js';
import { cachedKernelInBrowser, compileKernelInBrowser } from './kernel-compiler.js';
import type { DoseSeries, PatientCase } from './case.js';
import type { ModelInfo } from './models.js';
import { WhatIfSession, type EstimateSummary, type ForecastSummary, type ModeSummary, type SuggestRequest, type SuggestResult, type AdviceSummary } from './session.js';
import type { AdviceRequest } from './advice.js';
import { duplicateJsonKey } from '../json-duplicate-keys.js';

const session = new WhatIfSession();

export interface InitResult {
  readonly models: ModelInfo[];
  /** WASM fetch + compile + instantiate (ms, worker clock). */
  readonly wasmMs: number;
  /** Of which the download of the .wasm file (Resource Timing, ms; NaN when unavailable). */
  readonly wasmFetchMs: number;
  /** Size of the .wasm file as transferred and decoded (bytes; 0 when unavailable). */
  readonly wasmBytes: number;
  /** Compiling the bundled models and describing them (ms). */
  readonly modelsMs: number;
  /** Worker clock origin (performance.timeOrigin), to relate worker and page times. */
  readonly timeOrigin: number;
  /** Absolute URL of the .wasm file (for the benchmarks). */
  readonly wasmUrl: string;
}

/** Newest generation seen by estimate() or mode(). */
let latest = -Infinity;
/** Bands skipped because a newer what-if arrived before they started. */
let skipped = 0;

const yieldTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function transferForecast(f: ForecastSummary): ForecastSummary {
  const others = (f.others ?? []).flatMap((o) => [o.ipred.buffer, o.median.buffer, o.lower.buffer, o.upper.buffer]);
  return Comlink.transfer(f, [...new Set([f.times.buffer, f.ipred.buffer, f.pred.buffer, f.median.buffer, f.lower.buffer, f.upper.buffer, ...others])] as ArrayBuffer[]);
}

const api = {
  async init(): Promise<InitResult> {
    const url = new URL(wasmUrl, self.location.href);
    const t0 = performance.now();
    await initEngine(url);
    const wasmMs = performance.now() - t0;
    const entry = performance.getEntriesByName(url.href)[0] as PerformanceResourceTiming | undefined;
    const t1 = performance.now();
    const models = session.describe();
    const modelsMs = performance.now() - t1;
    return {
      models,
      wasmMs,
      wasmFetchMs: entry ? entry.responseEnd - entry.startTime : NaN,
      wasmBytes: entry ? entry.decodedBodySize : 0,
      modelsMs,
      timeOrigin: performance.timeOrigin,
      wasmUrl: url.href,
    };
  },
  /** MAP estimate; `gen` (the page's generation) makes bands of older generations stale. */
  estimate(c: PatientCase, gen?: number): EstimateSummary {
    if (gen !== undefined && gen > latest) latest = gen;
    return session.estimate(c);
  },
  /** The mode curve of a what-if regimen (generation `gen`), at once. */
  mode(w: DoseSeries, gen: number): ModeSummary {
    if (gen > latest) latest = gen;
    const m = session.mode(w);
    return Comlink.transfer(m, [m.times.buffer, m.ipred.buffer] as ArrayBuffer[]);
  },
  /** The forecast with its credible band for generation `gen`, or null when a newer what-if came first. */
  async band(w: DoseSeries, gen: number, options: { draws?: number; points?: number } = {}): Promise<ForecastSummary | null> {
    await yieldTask();
    if (gen < latest) {
      skipped++;
      return null;
    }
    return transferForecast(session.forecast(w, options));
  },
  forecast(w: DoseSeries, options: { draws?: number; points?: number } = {}): ForecastSummary {
    return transferForecast(session.forecast(w, options));
  },
  suggest(req: SuggestRequest): SuggestResult {
    return session.suggest(req);
  },
  /** Advice from the patient's current state (the next dose and maintenance) on the latest estimate's records. */
  advise(req: AdviceRequest): AdviceSummary {
    return session.advise(req);
  },
  /**
   * A model the user opened: JSON (a model file, or the portable form of a model text from
   * `dosewise compile --out`), or a model text, whose kernel runs interpreted, or compiled here when
   * it is too large for that.
   */
  async addModel(name: string, content: string): Promise<ModelInfo & { compileMs: number; kernelFrom?: 'memory' | 'cache' | 'compiler' | 'interpreted'; refused?: string }> {
    const key = `user:${name}`;
    const t0 = performance.now();
    let file: unknown;
    const json: unknown = /^\s*[{[]/.test(content) ? JSON.parse(content) : undefined;
    const dup = json !== undefined ? duplicateJsonKey(content) : undefined;
    // JSON.parse keeps the last of a key given twice ("TVCL": 4, then "TVCL": 9 ran 9): refused, as on the command line
    if (dup) throw new Error(`${name}: key ${JSON.stringify(dup.key)} is given twice in ${dup.path === '' ? 'the top-level object' : dup.path} (JSON keeps only the last); keep one`);
    // a compiled model text whose module is missing or does not belong to its text (other kernel or
    // engine, swapped or damaged module: see embedded-module.ts) is compiled again here, never run
    const embedded = json !== undefined && isTextModelFile(json) ? defineModel(json).kernel : undefined;
    if (json !== undefined && !(isTextModelFile(json) && !embedded?.wasm)) file = json;
    else {
      const text = json !== undefined && isTextModelFile(json) ? json.text : content;
      const m = defineModel({ dosewise: 'text', text, file: name });
      const k = m.kernel as UserKernel;
      // a kernel that fits the shipped engine runs interpreted at once (bitwise the compiled
      // tier's numbers, without the compiler's download and seconds), unless this page already
      // holds its compiled module
      const cached = k.code ? await cachedKernelInBrowser(k.source) : undefined;
      if (k.code && !cached) {
        file = { dosewise: 'text', text, file: name };
        return { ...session.addModel(key, file), compileMs: performance.now() - t0, kernelFrom: 'interpreted', refused: embedded?.refused };
      }
      const { wasm, from } = cached ?? (await compileKernelInBrowser(k.source));
      file = { dosewise: 'text', text, file: name, kernel: embedModule(k.id, wasm) };
      return { ...session.addModel(key, file), compileMs: performance.now() - t0, kernelFrom: from, refused: embedded?.refused };
    }
    return { ...session.addModel(key, file), compileMs: performance.now() - t0 };
  },
  /** Round trip of an empty call (ms of messaging, for the benchmarks) and the skipped-band count. */
  ping(): { skipped: number } {
    return { skipped };
  },
};

export type WorkerApi = typeof api;

Comlink.expose(api);
