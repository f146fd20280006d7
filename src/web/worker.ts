// The what-if tool's Web Worker: compiles the WASM engine once, then serves the session (MAP
// estimate, forecast, regimen suggestion) over Comlink. Forecast arrays are transferred, not copied.

import * as Comlink from 'comlink';
import wasmUrl from '../../build/dosewise.wasm?url';
import { initEngine } from '../engine/load-web.js';
import type { DoseSeries, PatientCase } from './case.js';
import type { ModelInfo } from './models.js';
import { WhatIfSession, type EstimateSummary, type ForecastSummary, type SuggestRequest, type SuggestResult } from './session.js';

const session = new WhatIfSession();

export interface InitResult {
  readonly models: ModelInfo[];
  /** WASM fetch + compile + instantiate (ms). */
  readonly wasmMs: number;
}

const api = {
  async init(): Promise<InitResult> {
    const t0 = performance.now();
    await initEngine(new URL(wasmUrl, self.location.href));
    const wasmMs = performance.now() - t0;
    return { models: session.describe(), wasmMs };
  },
  estimate(c: PatientCase): EstimateSummary {
    return session.estimate(c);
  },
  forecast(w: DoseSeries, options: { draws?: number; points?: number } = {}): ForecastSummary {
    const f = session.forecast(w, options);
    return Comlink.transfer(f, [f.times.buffer, f.ipred.buffer, f.pred.buffer, f.median.buffer, f.lower.buffer, f.upper.buffer] as ArrayBuffer[]);
  },
  suggest(req: SuggestRequest): SuggestResult {
    return session.suggest(req);
  },
};

export type WorkerApi = typeof api;

Comlink.expose(api);
