// Estimating a cohort on any worker pool (Piscina in Node, Comlink in browsers, inline). A task is a
// chunk of patients as one numeric table (records of every patient, row-major over named columns)
// plus the model file; a worker compiles the model once per model id, estimates each patient, and
// packs the results into ONE transferable buffer (src/pool/protocol.ts). Results come back in
// patient order whatever the number of workers. Nothing here needs Node: task.ts adds the Node
// pool, src/browser/ the web one.

import { DosewiseError, Errors, type ErrorCode } from '../errors.js';
import { defineModel, modelStringWhy, type Model } from '../model/model.js';
import { checkRecords, recordFromItems } from '../regimen/nmtran.js';
import type { DataRecord } from '../regimen/record.js';
import { itemsReadBy, refuseTextItems } from '../regimen/text-items.js';
import { censoringColumns } from './objective.js';
import type { Engine } from '../engine/wasm.js';
import { pack, unpack, type PoolFor, type TaskPool } from '../pool/protocol.js';
import { runChunks } from '../pool/run-chunks.js';
import { checkEstimateOptions, estimate, refuseMissingBlqColumns, type EstimateOptions } from './estimate.js';
import type { EstimateWarning } from './warnings.js';
import { cannotStart } from './start-failure.js';
import { checkCallbacks, optionKeys, refuseUnknownKeys, shapeOf } from '../option-keys.js';

/** Options that cross the thread boundary (plain data). */
export type CohortOptions = Pick<EstimateOptions, 'method' | 'rtol' | 'atol' | 'covariance' | 'covarianceMethod' | 'restarts' | 'global' | 'gtol' | 'logDv' | 'blq' | 'warnings'>;
export const COHORT_KEYS = optionKeys<CohortOptions>({ method: true, rtol: true, atol: true, covariance: true, covarianceMethod: true, restarts: true, global: true, gtol: true, logDv: true, blq: true, warnings: true });

/**
 * What a worker rebuilds a model from: a Model's source (its file: JSON, or the model text with its
 * compiled kernel), since a Model's closures cannot be cloned to a thread; anything else as given.
 * Refused here, on this thread, when it cannot be sent, instead of "a worker failed: … could not be
 * cloned" from the first task.
 */
export function modelSource(model: unknown, what: string): unknown {
  // a path or a name was refused by defineModel() in the worker's rebuild, naming defineModel()
  if (typeof model === 'string') throw Errors.option('model', modelStringWhy(model, what), model);
  const source = typeof model === 'object' && model !== null && 'file' in model && 'parameterNames' in model ? (model as Model).file : model;
  try {
    structuredClone(source);
  } catch (e) {
    throw Errors.option('model', `${what}: the model cannot be sent to a worker (${(e as Error).message}); give a model file (JSON) or a Model from defineModel or builtinModel`);
  }
  return source;
}

import { checkWorkers } from '../pool/workers-option.js';
import { refuseItemsBesideFields } from '../regimen/loose-items.js';
export { checkWorkers };

/**
 * Refuses cohort options on this thread, before any worker starts (inside a worker an error reaches
 * the caller only as "a worker failed"): unknown keys, values estimate() refuses, BLQ columns no
 * patient's records have. `known` are the keys of the caller's options type.
 */
export function checkCohortOptions(options: CohortOptions, patients: readonly (readonly DataRecord[])[], known: readonly string[], what: string): void {
  checkPatients(patients, what);
  refuseUnknownKeys(options, known, what);
  checkEstimateOptions(options);
  // as estimate() checks them: the task tables copy fields into Float64Arrays, where '7.769' became 7.769
  patients.forEach((p, i) => {
    try {
      checkRecords(p, `patients[${i}]`);
    } catch (e) {
      throw ofPatient(e, i, Array.isArray(p) ? (p[0] as Partial<DataRecord> | null | undefined)?.ID : undefined);
    }
  });
  if (options.blq !== undefined && options.blq !== false) refuseMissingBlqColumns(patients.flat(), options.blq);
}

/**
 * Refuses patients that are not a list of record lists (E_OPTION, path `patients`): a string or
 * nothing failed as "patients.forEach is not a function", byId()'s Map as "patients.some is not a
 * function", and one patient's records as "patients[0]: must be an array", which hid that the
 * whole list was one patient's.
 */
function checkPatients(patients: unknown, what: string): void {
  const why = `${what}: patients must be an array of patients, each an array of its records`;
  if (patients instanceof Map) throw Errors.optionValue('patients', patients, `${why} (byId(records) gives a Map: pass [...byId(records).values()])`, shapeOf(patients));
  if (!Array.isArray(patients)) throw Errors.optionValue('patients', patients, `${why} (e.g. [...byId(readNmtran(text).records).values()])`, shapeOf(patients));
  const first: unknown = patients[0];
  if (typeof first === 'object' && first !== null && !Array.isArray(first) && 'items' in first)
    throw Errors.optionValue('patients', patients, `${why}; this is one list of ${patients.length} records: [records] for one patient, [...byId(records).values()] for a data set's`, shapeOf(patients));
}

/**
 * How estimateCohort() runs (Node: worker threads; browsers: Web Workers). Without `covarianceMethod`
 * and `covariance: true`, which it refuses (its result has no place for a covariance: estimateFits()'s has).
 */
export interface CohortRunOptions extends Omit<CohortOptions, 'covariance' | 'covarianceMethod'> {
  /** Only false (the default): the cohort result carries no covariance. */
  readonly covariance?: false;
  /** Workers (default: one per core); 0 runs on this thread. */
  readonly workers?: number;
  /** Patients per task (default 250). */
  readonly chunkSize?: number;
  /** A pool to use instead of starting one (kept open afterwards). */
  readonly pool?: PoolFor<EstimateTask, 'cohort'>;
  /** Cancels the run: tasks not started are dropped and running ones end with their thread. */
  readonly signal?: AbortSignal;
  /** Patients estimated so far, and in all (after each task, in patient order). */
  readonly onProgress?: (done: number, total: number) => void;
}
const COHORT_RUN_KEYS = [...COHORT_KEYS, ...optionKeys<Omit<CohortRunOptions, keyof CohortOptions>>({ workers: true, chunkSize: true, pool: true, signal: true, onProgress: true })];

/** How runCohort reports and stops: estimateCohort()'s signal and onProgress. */
export type CohortProgress = Pick<CohortRunOptions, 'signal' | 'onProgress'>;

/**
 * estimateCohort()'s checks, the same in Node and browsers: its options (as checkCohortOptions),
 * the worker count and chunk size, and covariance options, which its result has no place for (each
 * patient's Laplace covariance was computed in the workers and dropped).
 */
export function checkCohortRun(o: CohortRunOptions, patients: readonly (readonly DataRecord[])[]): void {
  checkCohortOptions(o, patients, COHORT_RUN_KEYS, 'estimateCohort()');
  checkCallbacks(o, ['onProgress']);
  // refused at run time too: an untyped caller (JavaScript, a cast) still gives them
  const given: CohortOptions = o;
  for (const k of ['covariance', 'covarianceMethod'] as const)
    if (given[k] !== undefined && given[k] !== false) throw Errors.option(k, `estimateCohort(): ${k}: the cohort result carries no covariance; estimateFits() returns each patient's Estimate with it`, given[k]);
  checkWorkers(o.workers);
  const { chunkSize = 250 } = o;
  if (!(Number.isInteger(chunkSize) && chunkSize >= 1)) throw Errors.option('chunkSize', `chunkSize: expected a positive integer (got ${chunkSize})`);
}

export interface EstimateTask {
  /** Identifies the model so that a worker compiles it once. */
  readonly modelId: string;
  /** The model file (JSON): closures do not cross threads. */
  readonly model: unknown;
  readonly columns: readonly string[];
  /** Every record of the chunk, row-major over columns (NaN = missing). */
  readonly rows: Float64Array;
  /** Patient p owns records starts[p] .. starts[p + 1] − 1 (length patients + 1). */
  readonly starts: Int32Array;
  /** Index in the caller's list of the task's first patient (default 0): what errors name. */
  readonly first?: number;
  /**
   * The caller's row of every record of the task (its own `row`), which errors name; without it a
   * record is numbered by its position in its patient's records.
   */
  readonly rowNumbers?: Int32Array;
  readonly options?: CohortOptions;
}

export interface CohortResult {
  readonly count: number;
  readonly etaNames: readonly string[];
  readonly parameterNames: readonly string[];
  /** count × η (model.omega order). */
  readonly eta: Float64Array;
  /** count × parameters (the last record's: the patient's current values, as estimate() gives them). */
  readonly parameters: Float64Array;
  readonly ofv: Float64Array;
  /** 1 converged, 0 not. */
  readonly converged: Int32Array;
  readonly iterations: Int32Array;
  /** IPRED per record, in the order of the task's records. */
  readonly ipred: Float64Array;
  /**
   * Patients whose MAP objective could not be evaluated at the start point (the solver or the model
   * refused it, e.g. an SS dose with no steady state), in patient order; empty when none. Their η,
   * parameters, ofv and IPRED are NaN and converged 0: estimate() throws for them. `patient` is the
   * index in the caller's list, `code` the error's (E_SOLVER, E_PARAMETER, E_ENGINE), `message` the
   * error estimate() throws for that patient, naming it (`patients[i] (ID …): …`) and the record.
   */
  readonly failed: readonly { readonly patient: number; readonly code: ErrorCode; readonly message: string }[];
  /**
   * Each patient's warnings, in patient order (count lists; empty when none, and for every patient
   * with `warnings: false`): what estimate() gives it with `report: false`, i.e. every level and
   * estimate warning but the convergence report's W_MAP_MULTIMODAL, W_MAP_FLAT and W_MAP_AT_BOUND,
   * whose Hessian the cohort does not compute. A failed patient has none (its error is in `failed`).
   */
  readonly warnings: readonly (readonly EstimateWarning[])[];
}

type CohortFailure = CohortResult['failed'][number];

const models = new Map<string, Model>();

export function modelFor(task: EstimateTask): Model {
  let m = models.get(task.modelId);
  if (!m) {
    models.clear();
    m = defineModel(task.model);
    models.set(task.modelId, m);
  }
  return m;
}

/**
 * The records of patient p of a task, numbered by `rowOf` (default: their position in the task;
 * a fit task passes the data file's rows, which its warnings name).
 */
export function taskRecords(task: EstimateTask, p: number, rowOf: (r: number) => number = (r) => r + 1, file?: string): DataRecord[] {
  const k = task.columns.length;
  const out: DataRecord[] = [];
  for (let r = task.starts[p] as number; r < (task.starts[p + 1] as number); r++) {
    const items: Record<string, number> = {};
    task.columns.forEach((c, j) => (items[c] = task.rows[r * k + j] as number));
    out.push(recordFromItems(items, rowOf(r), file));
  }
  return out;
}

/**
 * An error of patient p of a task, as the caller can find it: the patient's index in the caller's
 * list and its ID lead the message (the rows of a patient's records only say where within it), and
 * place.path is `patients[i]` where the place has no path of its own. The row is already the
 * caller's (taskRecords numbered the records so): rows of the task's flattened table (every
 * patient's records end to end) depended on the chunk size.
 */
export function inPatient(e: unknown, task: EstimateTask, p: number): unknown {
  const idColumn = task.columns.indexOf('ID');
  const id = idColumn >= 0 && (task.starts[p] as number) < (task.starts[p + 1] as number) ? task.rows[(task.starts[p] as number) * task.columns.length + idColumn] : undefined;
  return ofPatient(e, (task.first ?? 0) + p, id);
}

/**
 * An error of patient `index` of the caller's list (whose records have ID `id`), named as inPatient
 * says, whether a worker found it or the checks on the calling thread did (a record error read
 * `row 5, column AMT: …`, naming no patient). One that names the patient already (checkRecords'
 * `patients[3]: must be an array …`) is kept as it is.
 */
function ofPatient(e: unknown, index: number, id: unknown): unknown {
  const who = `patients[${index}]`;
  if (!(e instanceof DosewiseError) || e.place.path === who) return e;
  return new DosewiseError(e.code, `${who}${typeof id === 'number' && Number.isFinite(id) ? ` (ID ${id})` : ''}: ${e.message}`, e.place.path === undefined ? { ...e.place, path: who } : e.place);
}

/** The caller's row of record r of a task (r indexes the task's table; p is its patient). */
function callerRow(task: EstimateTask, p: number): (r: number) => number {
  const rows = task.rowNumbers;
  const start = task.starts[p] as number;
  return rows ? (r) => rows[r] as number : (r) => r - start + 1;
}

/** Estimates every patient of a task; the packed result (see unpackCohort). */
export function handleEstimateTask(task: EstimateTask, engineFor: (model: Model) => Engine): ArrayBuffer {
  const model = modelFor(task);
  const eng = engineFor(model);
  const n = task.starts.length - 1;
  const etaNames = model.omega?.names ?? [];
  const parameterNames = model.parameterNames.filter((x) => !(x in model.theta));
  const eta = new Float64Array(n * etaNames.length);
  const parameters = new Float64Array(n * parameterNames.length);
  const ofv = new Float64Array(n);
  const converged = new Int32Array(n);
  const iterations = new Int32Array(n);
  const ipred = new Float64Array(task.starts[n] as number);
  // the cohort result carries no convergence report and no covariance: skip the report's Hessian and
  // the Laplace covariance (the estimate is the same, and the global search still runs). The level
  // checks run (warnings: false skips them): a level of 340 for 3.4 fitted CL 0.0045 L/h unflagged
  const options: EstimateOptions = { ...task.options, engine: eng, report: false, covariance: false };
  const failed: CohortFailure[] = [];
  // sparse (patient, its warnings): most patients have none, and the list crosses as the header's JSON
  const warned: [number, EstimateWarning[]][] = [];
  for (let p = 0; p < n; p++) {
    let fit;
    try {
      fit = estimate(model, taskRecords(task, p, callerRow(task, p)), options);
    } catch (e) {
      const named = inPatient(e, task, p);
      // one patient the solver cannot start on does not stop a cohort: marked, NaN, and the next one
      if (!cannotStart(e)) throw named;
      failed.push({ patient: (task.first ?? 0) + p, code: e.code, message: (named as Error).message });
      eta.fill(NaN, p * etaNames.length, (p + 1) * etaNames.length);
      parameters.fill(NaN, p * parameterNames.length, (p + 1) * parameterNames.length);
      ofv[p] = NaN;
      ipred.fill(NaN, task.starts[p] as number, task.starts[p + 1] as number);
      continue;
    }
    eta.set(fit.eta, p * etaNames.length);
    parameterNames.forEach((name, j) => (parameters[p * parameterNames.length + j] = fit.parameters[name] as number));
    ofv[p] = fit.ofv;
    converged[p] = fit.converged ? 1 : 0;
    iterations[p] = fit.iterations;
    ipred.set(fit.ipred, task.starts[p] as number);
    if (fit.warnings.length > 0) warned.push([p, fit.warnings]);
  }
  return pack({ count: n, etaNames, parameterNames, failed, warned }, { eta, parameters, ofv, converged, iterations, ipred });
}

export function unpackCohort(buf: ArrayBuffer): CohortResult {
  const { meta, arrays } = unpack<{ count: number; etaNames: string[]; parameterNames: string[]; failed: CohortFailure[]; warned?: [number, EstimateWarning[]][] }>(buf);
  const warnings: EstimateWarning[][] = Array.from({ length: meta.count }, () => []);
  for (const [p, w] of meta.warned ?? []) warnings[p] = w;
  return {
    count: meta.count,
    etaNames: meta.etaNames,
    parameterNames: meta.parameterNames,
    eta: arrays.eta as Float64Array,
    parameters: arrays.parameters as Float64Array,
    ofv: arrays.ofv as Float64Array,
    converged: arrays.converged as Int32Array,
    iterations: arrays.iterations as Int32Array,
    ipred: arrays.ipred as Float64Array,
    failed: meta.failed ?? [],
    warnings,
  };
}

/**
 * Refuses a column of text the model or the censoring reads: a task table holds numbers only, so in
 * a worker the cell would be a blank the model's default fills. The model is built here only when a
 * record holds text.
 */
function refuseCohortText(modelJson: unknown, patients: readonly (readonly DataRecord[])[], options?: CohortOptions): void {
  if (!patients.some((p) => p.some((r) => r.text !== undefined))) return;
  const reads = [...itemsReadBy(defineModel(modelJson)), ...censoringColumns(options?.blq)];
  patients.forEach((p, i) => {
    try {
      refuseTextItems(p, reads);
    } catch (e) {
      throw ofPatient(e, i, (p[0] as DataRecord).ID);
    }
  });
}

/** The fields of a DataRecord a task carries as columns of their own. */
const RECORD_FIELDS = ['ID', 'TIME', 'EVID', 'AMT', 'CMT', 'RATE', 'ADDL', 'II', 'SS', 'DV', 'MDV'] as const;
type RecordField = (typeof RECORD_FIELDS)[number];
const FIELD_SET: ReadonlySet<string> = new Set(RECORD_FIELDS);

/** Patients (each a record list) as task tables of at most chunkSize patients. */
export function cohortTasks(modelJson: unknown, patients: readonly (readonly DataRecord[])[], chunkSize: number, options?: CohortOptions, modelId = `${typeof process === 'undefined' ? 'web' : process.pid}-${++taskCounter}`): EstimateTask[] {
  refuseCohortText(modelJson, patients, options);
  // plain loops: this thread builds every task's table (a 10,000-patient cohort has ~80,000 records)
  // the standard fields from the record itself, as estimate() reads them: from `items` an edited
  // record ({ ...r, DV: 1.5 * r.DV }) gave the cohort the unedited level, and a record built in
  // code with `items: {}` had no ID
  const columnSet = new Set<string>(RECORD_FIELDS);
  for (const p of patients) for (const rec of p) for (const c of Object.keys(rec.items)) if (!FIELD_SET.has(c.toUpperCase())) columnSet.add(c);
  const columns = [...columnSet];
  // a column set beside a record's fields ({ ...r, CRCL: 20 }) is read by nothing: its items' value ran
  patients.forEach((p, i) => {
    try {
      refuseItemsBesideFields(columns, p, `patients[${i}]`);
    } catch (e) {
      throw ofPatient(e, i, p[0]?.ID);
    }
  });
  const k = columns.length;
  const nFields = RECORD_FIELDS.length;
  const tasks: EstimateTask[] = [];
  for (let first = 0; first < patients.length; first += chunkSize) {
    const chunk = patients.slice(first, first + chunkSize);
    const nRec = chunk.reduce((s, p) => s + p.length, 0);
    const rows = new Float64Array(nRec * k).fill(NaN);
    const starts = new Int32Array(chunk.length + 1);
    const rowNumbers = new Int32Array(nRec);
    let r = 0;
    for (let i = 0; i < chunk.length; i++) {
      starts[i] = r;
      const own = chunk[i] as readonly DataRecord[];
      for (let q = 0; q < own.length; q++) {
        const rec = own[q] as DataRecord;
        const items = rec.items;
        // as checkRecords and estimate() number it: its own row, else its place in its patient's records
        rowNumbers[r] = typeof rec.row === 'number' && Number.isFinite(rec.row) ? rec.row : q + 1;
        for (let j = 0; j < nFields; j++) rows[r * k + j] = rec[RECORD_FIELDS[j] as RecordField];
        for (let j = nFields; j < k; j++) {
          const v = items[columns[j] as string];
          if (v !== undefined) rows[r * k + j] = v;
        }
        r++;
      }
    }
    starts[chunk.length] = r;
    tasks.push({ modelId, model: modelJson, columns, rows, starts, first, rowNumbers, options });
  }
  return tasks;
}
let taskCounter = 0;

export function concatResults(parts: readonly CohortResult[]): CohortResult {
  const first = parts[0];
  if (!first) return { count: 0, etaNames: [], parameterNames: [], eta: new Float64Array(0), parameters: new Float64Array(0), ofv: new Float64Array(0), converged: new Int32Array(0), iterations: new Int32Array(0), ipred: new Float64Array(0), failed: [], warnings: [] };
  const cat = <T extends Float64Array | Int32Array>(get: (r: CohortResult) => T, make: (n: number) => T): T => {
    const out = make(parts.reduce((s, r) => s + get(r).length, 0));
    let o = 0;
    for (const r of parts) {
      out.set(get(r), o);
      o += get(r).length;
    }
    return out;
  };
  return {
    count: parts.reduce((s, r) => s + r.count, 0),
    etaNames: first.etaNames,
    parameterNames: first.parameterNames,
    eta: cat((r) => r.eta, (n) => new Float64Array(n)),
    parameters: cat((r) => r.parameters, (n) => new Float64Array(n)),
    ofv: cat((r) => r.ofv, (n) => new Float64Array(n)),
    converged: cat((r) => r.converged, (n) => new Int32Array(n)),
    iterations: cat((r) => r.iterations, (n) => new Int32Array(n)),
    ipred: cat((r) => r.ipred, (n) => new Float64Array(n)),
    failed: parts.flatMap((r) => r.failed),
    warnings: parts.flatMap((r) => r.warnings),
  };
}

/** Estimates `patients` in chunks of `chunkSize` on `pool`; results in patient order. */
export async function runCohort(pool: TaskPool<EstimateTask>, modelJson: unknown, patients: readonly (readonly DataRecord[])[], chunkSize: number, options: CohortOptions, progress: CohortProgress = {}): Promise<CohortResult> {
  if (!(Number.isInteger(chunkSize) && chunkSize >= 1)) throw Errors.option('chunkSize', `chunkSize: expected a positive integer (got ${chunkSize})`);
  checkCohortOptions(options, patients, COHORT_KEYS, 'estimateCohort()');
  const tasks = cohortTasks(modelSource(modelJson, 'estimateCohort()'), patients, chunkSize, options);
  const parts: CohortResult[] = [];
  await runChunks(pool, {
    count: tasks.length,
    task: (i) => tasks[i] as EstimateTask,
    onResult: (buf) => void parts.push(unpackCohort(buf)),
    signal: progress.signal,
    units: (i) => (tasks[i] as EstimateTask).starts.length - 1,
    onProgress: progress.onProgress,
  });
  return concatResults(parts);
}
