// The browser entry's Web Worker (dist/src/browser/worker.js, started by startWorker() and by
// estimateCohort()): compiles the WASM engine once, then serves simulate, MAP estimates, forecasts
// and cohort tasks over Comlink. Models arrive as model files (JSON): closures do not cross threads.

import * as Comlink from 'comlink';
import { initEngine, engine } from '../engine/load-web.js';
import { defineModel, type Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import { simulate, type Simulation } from '../engine/simulate.js';
import { estimate, type Estimate } from '../bayes/estimate.js';
import { forecast, type Forecast } from '../bayes/forecast.js';
import { handleEstimateTask, type EstimateTask } from '../bayes/cohort.js';
import { WASM_URL } from './wasm-url.js';
import type { WorkerEstimateOptions, WorkerForecastOptions, WorkerSimulateOptions } from './types.js';
import { workerError } from '../pool/protocol.js';

let ready: Promise<unknown> | undefined;
const start = (wasm?: string): Promise<unknown> => (ready ??= initEngine(wasm ?? WASM_URL));

/** Models by their JSON text: a worker that serves one patient after another defines each model once. */
const models = new Map<string, Model>();
function modelOf(file: unknown): Model {
  const key = JSON.stringify(file);
  let m = models.get(key);
  if (!m) {
    if (models.size >= 8) models.clear();
    m = defineModel(file);
    models.set(key, m);
  }
  return m;
}

/**
 * Runs a call once the engine is loaded (from `wasm` on the first call). A DosewiseError thrown
 * here crosses to the page with its code and place (workerError; startWorker() and webPool rebuild
 * it): Comlink sends an Error's name and message only, so the page got no code, no place and not a
 * DosewiseError.
 */
async function served<R>(call: () => R, wasm?: string): Promise<R> {
  try {
    await start(wasm);
    return call();
  } catch (e) {
    throw workerError(e);
  }
}

const api = {
  /** Loads the engine (from `wasm`, else the packaged one); every call awaits it. */
  async init(wasm?: string): Promise<void> {
    await served(() => undefined, wasm);
  },
  simulate(model: unknown, records: DataRecord[], options?: WorkerSimulateOptions): Promise<Simulation> {
    return served(() => simulate(modelOf(model), records, options));
  },
  estimate(model: unknown, records: DataRecord[], options?: WorkerEstimateOptions): Promise<Estimate> {
    return served(() => estimate(modelOf(model), records, options));
  },
  forecast(model: unknown, records: DataRecord[], future: DataRecord[], options: WorkerForecastOptions = {}): Promise<{ estimate: Estimate; forecast: Forecast }> {
    return served(() => {
      const m = modelOf(model);
      const fit = estimate(m, records, options.estimate);
      const { estimate: _e, ...rest } = options;
      return { estimate: fit, forecast: forecast(m, records, fit, future, rest) };
    });
  },
  /** A cohort task of estimateCohort() (webPool's protocol): the packed result, transferred. */
  async run(task: EstimateTask): Promise<ArrayBuffer> {
    const b = await served(() => handleEstimateTask(task, engine));
    return Comlink.transfer(b, [b]);
  },
};

export type WorkerApi = typeof api;

Comlink.expose(api);
