/**
 * The browser entry (`import … from 'dosewise/browser'`): models, records, simulation, MAP and
 * forecasts, inline after `init()` or in Web Workers (`startWorker()`, `estimateCohort()`).
 *
 * @module dosewise/browser
 */
// dosewise in the browser (`import … from 'dosewise/browser'`): the same models, records,
// simulation, MAP estimates and forecasts as the Node entry, with no Node built-in anywhere in its
// module graph. The WASM engine and the worker script are found with `new URL('…',
// import.meta.url)`, so a bundler (Vite, webpack, Parcel) ships them with the app and the app
// configures no paths.
//
// Two ways to run:
//   inline     `await init()` once, then simulate / estimate / forecast on the calling thread
//              (synchronous, as in Node: fine for one patient, a few milliseconds each);
//   in workers `startWorker()` runs the same calls in a Web Worker (a page that must stay responsive),
//              and `estimateCohort()` spreads a cohort over several workers (one per core at most).
//
// The package's `browser` field maps the Node engine loader (dist/src/engine/load.js, which reads
// the file system) to its browser counterpart (load-web.js) for every module of the library.

import * as Comlink from 'comlink';
import { engine, initEngine } from '../engine/load-web.js';
import type { Engine } from '../engine/wasm.js';
import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import type { Simulation } from '../engine/simulate.js';
import type { Estimate } from '../bayes/estimate.js';
import type { Forecast } from '../bayes/forecast.js';
import { checkCohortRun, handleEstimateTask, runCohort, type CohortResult, type CohortRunOptions, type EstimateTask } from '../bayes/cohort.js';
import { inlinePool } from '../pool/inline.js';
import { webPool } from '../pool/web.js';
import { fromWorker, type TaskPool } from '../pool/protocol.js';
import { checkWorkers } from '../pool/workers-option.js';
import { DosewiseError, Errors } from '../errors.js';
import { shapeOf } from '../option-keys.js';
import { WASM_URL } from './wasm-url.js';
import type { WorkerApi } from './worker.js';
import type { WorkerEstimateOptions, WorkerForecastOptions, WorkerSimulateOptions } from './types.js';

export { ClinicalInputError, DerivedEvaluationError, DosewiseError, ERROR_CODES, Errors, type ErrorCode } from '../errors.js';
export { defineModel, builtinModel, type Model, type Evaluation, type SolverMethod, type TextModelFile, type UserKernel } from '../model/model.js';
export type { KernelCode } from '../model/text/bytecode.js';
export type { ModelFile } from '../model/schema.js';
export { compileModelText, type CompiledText } from '../model/text/index.js';
export { parseExpression, compileExpression, identifiers } from '../model/expression.js';
export { BUILTIN_STRUCTURES, type Structure } from '../model/structure.js';
export { readNmtran, writeNmtran, byId, type DataSet } from '../regimen/nmtran.js';
export { recordsFromColumns, type DataColumns } from '../regimen/columns.js';
export { regimen, Regimen, type DoseSpec, type ObserveSpec } from '../regimen/builder.js';
export type { DataRecord } from '../regimen/record.js';
export { compileSubject, type EventTable, type CompiledSubject } from '../regimen/compile.js';
export { simulate, compileForModel, concatSubjects, resolveMethod, type SimulateOptions, type Simulation } from '../engine/simulate.js';
export { Engine, type BatchInput, type BatchOutput } from '../engine/wasm.js';
export { engine } from '../engine/load-web.js';
export { solve, retcode, firstFailure, profile, subjectRange, type Problem, type Solution, type Retcode } from '../engine/problem.js';
export { parseMetric, parseMetricSpec, metricName, metricDef, regimenTimesOf, typicalDuration, type MetricDef, type MetricSpec, type ModelledDuration } from '../population/metrics.js';
export { estimate, type Estimate, type EstimateOptions } from '../bayes/estimate.js';
export type { LevelWarning, LevelWarningCode } from '../bayes/warnings.js';
export { forecast, type Forecast, type ForecastOptions, type Interval } from '../bayes/forecast.js';
export { posteriorSample, type PosteriorOptions, type PosteriorSample } from '../bayes/posterior.js';
export { shrinkage, type Shrinkage } from '../bayes/shrinkage.js';
export type { CohortOptions, CohortResult, CohortRunOptions } from '../bayes/cohort.js';
export { optimizeRegimen, type OptimizeOptions, type OptimizeResult, type Candidate, type WindowJudgment, type FirstIntervalCap, type ClauseFails } from '../design/optimize/optimize.js';
export { compileTarget, parseTarget, parseTargetString, targetText, type TargetSpec, type TargetClause, type CompiledTarget } from '../design/targets/targets.js';
export { quantileSorted, quantiles } from '../stats/quantile.js';
export * from '../clinical/index.js';
export type { WorkerEstimateOptions, WorkerForecastOptions, WorkerSimulateOptions } from './types.js';
export type { EstimateTask } from '../bayes/cohort.js';
export type { TaskPool } from '../pool/protocol.js';
export type { ReadOptions } from '../regimen/nmtran.js';
export type { CompileOptions } from '../regimen/compile.js';
export type { ErrorPlace } from '../errors.js';
export type { RandomEffects, Residual, SlotEvaluator } from '../model/model.js';
export type { StructureKind } from '../model/structure.js';
export type { Ast, Compiled } from '../model/expression.js';
export type { RhsTerm, StateTerm, TextModel } from '../model/text/analyse.js';
export type { KernelProgram } from '../model/text/kernel.js';
export type { EmbeddedKernel } from '../model/text/embedded-module.js';
export type { OutputKind, Parameterization } from '../model/builtins/descriptor.js';
export type { MetricType, MetricWindow, RegimenTimes } from '../population/metrics.js';
export type { MetricArrays } from '../engine/wasm.js';
export type { MetricOutputs, SolverSetup, SubjectLayout } from '../engine/problem.js';
export type { MapObjective } from '../bayes/objective.js';
export type { CompiledClause, OutcomeCode, WindowMetric } from '../design/targets/targets.js';
export type { Window } from '../population/summary/window.js';

let loading: Promise<Engine> | undefined;

/**
 * Loads the WASM engine on this thread (once; later calls return the same promise). Call it before
 * simulate(), estimate() or forecast() run inline. `wasm` overrides the packaged engine's URL.
 *
 * @example
 * await init();
 * const fit = estimate(model, records);
 */
export function init(wasm?: string | URL): Promise<Engine> {
  const bad = wasmRefusal(wasm, 'init()');
  if (bad) return Promise.reject(bad);
  if (wasm !== undefined) loading = initEngine(wasm);
  loading ??= initEngine(WASM_URL);
  // a failed load is not kept: a later init(url) or a retry loads again
  const p = loading;
  p.catch(() => {
    if (loading === p) loading = undefined;
  });
  return p;
}

/**
 * Why a `wasm` argument is refused, if it is: another value was fetched as a URL of its text
 * (`init(123)` rejected with E_ENGINE "could not be fetched from 123").
 */
function wasmRefusal(wasm: unknown, what: string): DosewiseError | undefined {
  if (wasm === undefined || typeof wasm === 'string' || wasm instanceof URL) return undefined;
  return Errors.optionValue('wasm', wasm, `${what}: wasm is the engine file's URL, a string or a URL (leave it out for the packaged engine)`, shapeOf(wasm));
}

/** A model, or its model file (JSON), as a worker receives it. */
export type ModelInput = Model | unknown;

/** The model file of a model (closures do not cross threads), or the JSON as given. */
function fileOf(model: ModelInput): unknown {
  return typeof model === 'object' && model !== null && 'file' in model && 'parameterNames' in model ? (model as Model).file : model;
}

/** Starts a worker of the browser entry (one bundled script; the bundler finds it by this URL). */
function spawn(): Worker {
  requireWebWorkers('a worker of dosewise/browser');
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}

/**
 * Refuses, at the call, where there is no Web Worker: under Node (server-side rendering, a unit test
 * without a DOM) startWorker() and estimateCohort() threw a bare "ReferenceError: Worker is not
 * defined", where init() names the entry to use.
 */
function requireWebWorkers(call: string): void {
  if (typeof Worker === 'function') return;
  const node = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node !== undefined;
  throw Errors.engine(
    `${call}: this environment has no Web Worker (Worker is not defined)` +
      (node
        ? ": in Node, import the main entry 'dosewise' instead of 'dosewise/browser' (its estimateCohort() and cohortPool() run on worker threads), or run on this thread (estimateCohort() with workers: 0)"
        : ': run on this thread instead (estimateCohort() with workers: 0, or the calls inline after init())'),
  );
}

/** The calls of the library, run in a Web Worker. Results are structured clones of the inline ones. */
export interface DosewiseWorker {
  /** simulate() in the worker. */
  simulate(model: ModelInput, records: readonly DataRecord[], options?: WorkerSimulateOptions): Promise<Simulation>;
  /** estimate() (MAP) in the worker. */
  estimate(model: ModelInput, records: readonly DataRecord[], options?: WorkerEstimateOptions): Promise<Estimate>;
  /** estimate() then forecast() of `future` from it, in the worker. */
  forecast(model: ModelInput, records: readonly DataRecord[], future: readonly DataRecord[], options?: WorkerForecastOptions): Promise<{ estimate: Estimate; forecast: Forecast }>;
  /** Stops the worker: calls in flight and later ones reject with E_ENGINE (a second call does nothing). */
  terminate(): void;
}

/**
 * Starts a Web Worker running simulate, estimate and forecast off the page's thread. The worker
 * loads the packaged engine itself (or `options.wasm`); an error thrown there rejects the call with
 * the same DosewiseError (code, place and message) as the call inline.
 *
 * @example
 * const worker = startWorker();
 * const fit = await worker.estimate(modelJson, records);
 * worker.terminate();
 */
export function startWorker(options: { readonly wasm?: string | URL } = {}): DosewiseWorker {
  const bad = wasmRefusal(options.wasm, 'startWorker()');
  if (bad) throw bad;
  requireWebWorkers('startWorker()');
  const w = spawn();
  const remote = Comlink.wrap<WorkerApi>(w);
  const ready = remote.init(options.wasm === undefined ? undefined : String(new URL(options.wasm, globalThis.location?.href)));
  // Comlink forgets the calls in flight when the proxy is released (they never settled) and refuses
  // later ones with a bare "Proxy has been released": both reject with this instead
  let terminated = false;
  let stop: () => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => (stop = () => reject(new Error('terminated'))));
  stopped.catch(() => undefined);
  const gone = (name: string) => new DosewiseError('E_ENGINE', `worker.${name}(): this worker was terminated; start another with startWorker()`);
  // the worker sends a DosewiseError as a marked message (workerError): rebuilt here as webPool does
  const call = async <R>(name: string, f: () => Promise<R>): Promise<R> => {
    if (terminated) throw gone(name);
    try {
      await Promise.race([ready, stopped]);
      return await Promise.race([f(), stopped]);
    } catch (e) {
      if (terminated) throw gone(name);
      throw fromWorker(e) ?? e;
    }
  };
  return {
    simulate: (model, records, o) => call('simulate', () => remote.simulate(fileOf(model), [...records], o)),
    estimate: (model, records, o) => call('estimate', () => remote.estimate(fileOf(model), [...records], o)),
    forecast: (model, records, future, o) => call('forecast', () => remote.forecast(fileOf(model), [...records], [...future], o)),
    terminate: () => {
      if (terminated) return;
      terminated = true;
      stop();
      remote[Comlink.releaseProxy]();
      w.terminate();
    },
  };
}

/**
 * MAP estimates of a cohort, spread over Web Workers started for it (closed afterwards), in
 * patient order; the numbers do not depend on the number of workers.
 *
 * @example
 * const r = await estimateCohort(modelJson, patients, { workers: 2 });
 * r.eta; // patients × η, row-major
 */
/**
 * A pool of Web Workers for estimateCohort()'s `pool` option, kept across calls so that its workers
 * stay warm (each one loads the engine and compiles the estimation code once); estimateCohort()
 * without it starts workers and closes them every call. `workers`: at most one per core (default:
 * navigator.hardwareConcurrency), started as tasks need them; 0 runs on the page's thread (after
 * init()). The calls given it leave it open: `close()` terminates its workers.
 *
 * @example
 * const pool = cohortPool(2);
 * const a = await estimateCohort(modelJson, patients, { pool });
 * const b = await estimateCohort(modelJson, others, { pool }); // the same, warm workers
 * await pool.close();
 */
export function cohortPool(workers?: number): TaskPool<EstimateTask> {
  checkWorkers(workers);
  if (workers !== 0) {
    requireWebWorkers('cohortPool()');
    return webPool<EstimateTask>(spawn, workers);
  }
  const inline = inlinePool<EstimateTask>((t) => handleEstimateTask(t, engine));
  // the engine of the page's thread loads with the first task, as estimateCohort() loads it
  return { ...inline, run: async (task, signal, transfer) => (await init(), inline.run(task, signal, transfer)) };
}

export async function estimateCohort(model: ModelInput, patients: readonly (readonly DataRecord[])[], o: CohortRunOptions = {}): Promise<CohortResult> {
  checkCohortRun(o, patients);
  const { workers, chunkSize = 250, pool: given, signal, onProgress, ...options } = o;
  if (workers === 0 && !given) await init();
  if (workers !== 0 && !given) requireWebWorkers('estimateCohort()');
  const pool = given ?? (workers === 0 ? inlinePool<EstimateTask>((t) => handleEstimateTask(t, engine)) : webPool<EstimateTask>(spawn, workers));
  try {
    return await runCohort(pool, fileOf(model), patients, chunkSize, options, { signal, onProgress });
  } finally {
    if (!given) await pool.close();
  }
}
