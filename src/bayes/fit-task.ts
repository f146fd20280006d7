// Full MAP estimates of many patients on a worker pool: what `dosewise estimate --workers` runs.
// Unlike a cohort task (task.ts), which returns a few arrays per patient for large simulated
// cohorts, a fit task returns every field of each Estimate (covariance, SEs, predictions, level
// warnings) exactly as estimate() made it on one thread, so the output of a data set does not
// depend on the number of workers. Records keep their data-file row numbers, which warnings name.

import { DosewiseError, Errors, type ErrorCode, type ErrorPlace } from '../errors.js';
import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import { engine as threadEngine } from '../engine/load.js';
import type { Engine } from '../engine/wasm.js';
import { inlinePool } from '../pool/inline.js';
import { nodePool } from '../pool/node.js';
import { checkPoolKind, pack, unpack, type PoolFor } from '../pool/protocol.js';
import { runChunks } from '../pool/run-chunks.js';
import { estimate, type Estimate, type EstimateOptions } from './estimate.js';
import { cannotStart } from './start-failure.js';
import { cohortTasks, estimateWorkerFile, modelFor, taskRecords, type CohortOptions, type EstimateTask } from './task.js';
import { checkCohortOptions, checkWorkers, COHORT_KEYS, inPatient, modelSource } from './cohort.js';
import { checkOverrides } from '../engine/simulate.js';
import { checkCallbacks, optionKeys } from '../option-keys.js';
import { isPlainObject } from '../plain-object.js';

/** Options of a fit task: plain data, so they cross threads. */
export type FitOptions = CohortOptions & Pick<EstimateOptions, 'overrides' | 'file' | 'report'>;
const FIT_KEYS = [...COHORT_KEYS, ...optionKeys<Omit<FitOptions, keyof CohortOptions>>({ overrides: true, file: true, report: true })];

export interface FitTask extends EstimateTask {
  readonly full: true;
  /** Data-file row of every record of the task (the numbers error messages and warnings use). */
  readonly rowNumbers: Int32Array;
  readonly options?: FitOptions;
  /** A patient estimate() cannot start on is reported in the result (unpackFits gives its error) rather than failing the task. */
  readonly keepUnstartable?: true;
}

export function isFitTask(t: EstimateTask): t is FitTask {
  return (t as Partial<FitTask>).full === true;
}

// JSON has no NaN or ±∞; they travel as {"~": "NaN"} and come back as numbers
const wire = (v: unknown): unknown =>
  typeof v === 'number' ? (Number.isFinite(v) ? v : { '~': String(v) }) : Array.isArray(v) ? v.map(wire) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wire(x)])) : v;
const unwire = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(unwire);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '~' && typeof o['~'] === 'string') return Number(o['~']);
    return Object.fromEntries(keys.map((k) => [k, unwire(o[k])]));
  }
  return v;
};

const ARRAYS = ['ipred', 'pred', 'iwres'] as const;

/** estimate()'s error for a patient it could not start on, as it crosses threads (a fit's place in the packed result). */
interface StartFailure {
  readonly failed: { readonly code: ErrorCode; readonly message: string; readonly place: ErrorPlace };
}

/** Estimates every patient of a fit task; the packed Estimates (see unpackFits). */
export function handleFitTask(task: FitTask, engineFor: (model: Model) => Engine): ArrayBuffer {
  const model = modelFor(task);
  const options: EstimateOptions = { ...task.options, engine: engineFor(model) };
  const n = task.starts.length - 1;
  const fits: (Estimate | StartFailure)[] = [];
  for (let p = 0; p < n; p++) {
    try {
      fits.push(estimate(model, taskRecords(task, p, (r) => task.rowNumbers[r] as number, task.options?.file), options));
    } catch (e) {
      // as estimate() threw it on the calling thread (no patient prefix): the command line prints
      // it in the ID's place, the same for any number of workers
      if (task.keepUnstartable && cannotStart(e)) fits.push({ failed: { code: e.code, message: e.message, place: e.place } });
      else throw inPatient(e, task, p);
    }
  }
  const arrays: Record<string, Float64Array> = {};
  for (const a of ARRAYS) {
    const all = new Float64Array(task.starts[n] as number).fill(NaN);
    fits.forEach((f, p) => {
      if (!('failed' in f)) all.set(f[a], task.starts[p] as number);
    });
    arrays[a] = all;
  }
  const meta = fits.map((f) => wire('failed' in f ? f : Object.fromEntries(Object.entries(f).filter(([k]) => !(ARRAYS as readonly string[]).includes(k)))));
  return pack({ starts: [...task.starts], fits: meta }, arrays);
}

/** The Estimates of a packed fit task; a patient that could not start (keepUnstartable) is its error. */
export function unpackFits(buf: ArrayBuffer): (Estimate | DosewiseError)[] {
  const { meta, arrays } = unpack<{ starts: number[]; fits: unknown[] }>(buf);
  return meta.fits.map((m, p) => {
    const fit = unwire(m) as object;
    if ('failed' in fit) {
      const { code, message, place } = (fit as StartFailure).failed;
      return new DosewiseError(code, message, place);
    }
    const lo = meta.starts[p] as number;
    const hi = meta.starts[p + 1] as number;
    const own = Object.fromEntries(ARRAYS.map((a) => [a, (arrays[a] as Float64Array).slice(lo, hi)]));
    return { ...fit, ...own } as unknown as Estimate;
  });
}

export interface FitRunOptions extends FitOptions {
  /** Worker threads (default: one per core); 0 runs on this thread. */
  readonly workers?: number;
  /** Patients per task (default: about four tasks per worker, at most 250). */
  readonly chunkSize?: number;
  readonly pool?: PoolFor<EstimateTask, 'cohort'>;
  readonly signal?: AbortSignal;
  /** Patients estimated so far, and in all. */
  readonly onProgress?: (done: number, total: number) => void;
}
const FIT_RUN_KEYS = [...FIT_KEYS, ...optionKeys<Omit<FitRunOptions, keyof FitOptions>>({ workers: true, chunkSize: true, pool: true, signal: true, onProgress: true })];

/**
 * MAP estimates of many patients on a worker pool, in patient order, each equal to what
 * estimate() returns on one thread. The model is given as its file (JSON) or a Model, whose
 * source workers rebuild it from.
 *
 * @example
 * const fits = await estimateFits(modelJson, patients, { workers: 2 });
 * fits[0].eta; fits[0].se?.CL;
 */
export async function estimateFits(modelJson: unknown, patients: readonly (readonly DataRecord[])[], o: FitRunOptions = {}): Promise<Estimate[]> {
  return runFits(modelJson, patients, o, false) as Promise<Estimate[]>;
}

/**
 * estimateFits(), except that a patient estimate() cannot start on (start-failure.ts) is its error
 * in its place (as estimate() throws it, naming no patient) and the others are estimated: what
 * `dosewise estimate` prints. Internal: not exported from the package.
 */
export async function estimateFitsOrFailures(modelJson: unknown, patients: readonly (readonly DataRecord[])[], o: FitRunOptions = {}): Promise<(Estimate | DosewiseError)[]> {
  return runFits(modelJson, patients, o, true);
}

async function runFits(modelJson: unknown, patients: readonly (readonly DataRecord[])[], o: FitRunOptions, keepUnstartable: boolean): Promise<(Estimate | DosewiseError)[]> {
  // everything is checked before a worker starts: inside one, an error is only "a worker failed"
  checkCohortOptions(o, patients, FIT_RUN_KEYS, 'estimateFits()');
  checkCallbacks(o, ['onProgress']);
  const { workers, chunkSize, pool: given, signal, onProgress, ...options } = o;
  checkWorkers(workers);
  checkPoolKind(given, 'cohort', 'estimateFits()');
  if (chunkSize !== undefined && !(Number.isInteger(chunkSize) && chunkSize >= 1)) throw Errors.option('chunkSize', `chunkSize: expected a positive integer (got ${chunkSize})`);
  const source = modelSource(modelJson, 'estimateFits()');
  // the names need the model, rebuilt in the workers: a Model given is checked here
  if (source !== modelJson) checkOverrides(modelJson as Model, options.overrides);
  else if (options.overrides !== undefined && !isPlainObject(options.overrides))
    throw Errors.parameter('overrides', options.overrides, 'must be a plain object of NAME: number (e.g. { CL: 4 }; not a Map or an array)');
  else for (const [name, v] of Object.entries(options.overrides ?? {})) if (!(typeof v === 'number' && Number.isFinite(v))) throw Errors.parameter(`overrides.${name}`, v, 'must be a finite number');
  const pool =
    given ??
    (workers === 0
      ? inlinePool<EstimateTask>((t) => handleFitTask(t as FitTask, threadEngine))
      : nodePool<EstimateTask>(estimateWorkerFile(), workers));
  try {
    const size = chunkSize ?? Math.max(1, Math.min(250, Math.ceil(patients.length / (4 * pool.size))));
    const rows = patients.map((p) => p.map((r) => r.row));
    const tasks: FitTask[] = cohortTasks(source, patients, size, options).map((t, i) => ({
      ...t,
      full: true,
      options,
      rowNumbers: Int32Array.from(rows.slice(i * size, (i + 1) * size).flat()),
      ...(keepUnstartable ? { keepUnstartable: true as const } : {}),
    }));
    const fits: (Estimate | DosewiseError)[] = [];
    await runChunks(pool, {
      count: tasks.length,
      task: (i) => tasks[i] as FitTask,
      onResult: (buf) => void fits.push(...unpackFits(buf)),
      signal,
      units: (i) => (tasks[i] as FitTask).starts.length - 1,
      onProgress,
    });
    return fits;
  } finally {
    if (!given) await pool.close();
  }
}
