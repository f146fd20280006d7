// A population study: split subjects into chunks, run them on a worker pool, and fold results in
// subject order (summaries merged, tables handed to a sink). Chunk boundaries never change any
// subject's numbers; they are fixed by the chunk size alone, not by the number of workers.

import { covariateNoteWarnings, mergeCovariateNotes, type CovariateNotes } from './covariates/sample.js';
import { availableParallelism } from 'node:os';
import { Errors } from '../errors.js';
import { checkCallbacks, optionKeys, refuseMissingOptions, refuseUnknownKeys, shapeOf } from '../option-keys.js';
import { checkWorkers } from '../pool/workers-option.js';
import { compiledWorker } from '../package-path.js';
import { engine } from '../engine/load.js';
import { checkSolverOptions } from '../engine/solver-options.js';
import { inlinePool } from '../pool/inline.js';
import { nodePool } from '../pool/node.js';
import { checkPoolKind, type PoolFor, type TaskPool } from '../pool/protocol.js';
import { runChunks } from '../pool/run-chunks.js';
import type { SolverMethod } from '../model/model.js';
import { MetricAggregate, type AggregateJSON } from './aggregate.js';
import { isPlanKey, planTableProblem, type ChunkResult, type PopulationPlan } from './plan.js';
import type { MetricDef } from './metrics.js';
import { handleChunkTask, isPlanMissing, unpackChunk, type ChunkTask } from './task.js';
import { planMetricWarnings, refuseSampledTimeVarying, stepsTallied, typicalInputs } from './chunk.js';
import { coarseGridWarnings } from './coarse-grid.js';
import { planRegimenWarnings } from './regimen-warnings.js';
import { foldedQuantileWarnings, type Window } from './summary/index.js';
import { MAX_STUDY_SUBJECTS } from './limits.js';
import { mergeTallies, negativeMetricWarnings, negativeStateWarnings, observationFloor, STATE_CHECK_RTOL, tallyableStates, type NegativeTally, type TypicalInputs } from './negative-metrics.js';
import { defineModel, type Model } from '../model/model.js';
import { resolveMethod } from '../engine/simulate.js';
import { solverSetup } from '../engine/problem.js';
import { refuseSteadyStateReadingTime } from './steady-state-time.js';
import { recordFromItems } from '../regimen/nmtran.js';

/** How a design computation runs its virtual population: size, seed, solver and pool. */
export interface PopulationRunOptions {
  readonly n: number;
  readonly seed: string | number;
  readonly workers?: number;
  readonly chunkSize?: number;
  readonly method?: SolverMethod;
  /** ODE tolerances (default: the model's). */
  readonly rtol?: number;
  readonly atol?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  readonly pool?: PoolFor<ChunkTask, 'population'>;
}

export interface StudyOptions {
  readonly n: number;
  /** Chunk size (default 10,000 subjects). */
  readonly chunkSize?: number;
  /** Worker threads (default: one per core); 0 runs on this thread. */
  readonly workers?: number;
  /** Run only shard `index` (0-based) of `count` equal subject ranges. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Target window per metric name, for fractions below / in / above. */
  readonly windows?: Readonly<Record<string, Window>>;
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
  /** Receives every chunk's results in subject order (for writing tables). */
  readonly onChunk?: (r: ChunkResult) => void | Promise<void>;
  /** A pool to use instead of creating one (e.g. a browser pool). */
  readonly pool?: PoolFor<ChunkTask, 'population'>;
}
const STUDY_KEYS = optionKeys<StudyOptions>({ n: true, chunkSize: true, workers: true, shard: true, windows: true, onProgress: true, signal: true, onChunk: true, pool: true });

export interface StudyResult {
  /** Subject range covered: first..first+count-1 (0-based). */
  readonly first: number;
  readonly count: number;
  readonly aggregates: Readonly<Record<string, MetricAggregate>>;
  /** Subjects whose simulation failed (their metrics are NaN). */
  readonly failed: number;
  readonly seconds: number;
  /** What limits the metrics' accuracy for this plan (e.g. dose timing that varies per subject). */
  readonly warnings: readonly string[];
}

export { seedKey } from './seed.js';

export function shardRange(n: number, shard?: { index: number; count: number }): [number, number] {
  if (!shard) return [0, n];
  const { index, count } = shard;
  if (!(Number.isInteger(count) && count >= 1 && Number.isInteger(index) && index >= 0 && index < count))
    throw Errors.option('shard', `shard: expected { index, count } with index from 0 to count − 1 (0-based; the command line's I/N is 1-based) and count ≥ 1 (got index ${index}, count ${count})`, shard);
  if (!(Number.isSafeInteger(n) && n >= 0)) throw Errors.optionValue('n', n, 'the number of subjects must be a non-negative integer');
  return [boundary(index, n, count), boundary(index + 1, n, count)];
}

/**
 * ⌊i·n/N⌋ exactly: in doubles while i·n < 2^53 (the quotient of two such integers rounds to the
 * right side of every integer, so its floor is exact), in BigInt above (in doubles i·n rounded: n
 * 999999937, N 999999929 gave shard 999999928 no subjects and shard 999999927 two).
 */
function boundary(i: number, n: number, N: number): number {
  const p = i * n;
  return p <= Number.MAX_SAFE_INTEGER ? Math.floor(p / N) : Number((BigInt(i) * BigInt(n)) / BigInt(N));
}

function workerFile(): URL {
  return compiledWorker(import.meta.url, 'population');
}

/** Worker threads: at most one per core (more only add memory and switching); 0 runs on this thread. */
export function defaultPool(workers: number | undefined): TaskPool<ChunkTask> {
  if (workers === 0) return inlinePool<ChunkTask>((t) => handleChunkTask(t, engine));
  return nodePool<ChunkTask>(workerFile(), Math.min(workers ?? availableParallelism(), availableParallelism()));
}

export { MAX_STUDY_SUBJECTS };

/** Engine output of one chunk (a double per subject and record) must fit in this, far below WebAssembly's 4 GB. */
const CHUNK_OUTPUT_BYTES = 512 * 2 ** 20;

/** Tasks per worker a default chunk size aims at: enough that workers finish together, few enough that per-task costs stay small. */
const TASKS_PER_WORKER = 4;

/** A default chunk's amounts (W_NEGATIVE_STATE, a model text at a loose rtol): kept small, as results do not depend on the chunk size. */
const AMOUNT_CHUNK_BYTES = 16 * 2 ** 20;
/** Default chunks stay within these sizes (subjects); a chunk of 100 W-b subjects is still ≈ 1 ms of engine work. */
const MIN_CHUNK = 100;
const MAX_CHUNK = 10_000;

/**
 * Subjects per chunk: the caller's, or by default about TASKS_PER_WORKER tasks for each of the
 * pool's workers (so `--workers 2` splits 10,000 subjects, not one task of 10,000), between
 * MIN_CHUNK and MAX_CHUNK and lowered so that a chunk's output fits (a level per record, and
 * `amountsPerRow` amounts where a model text's are tallied). Results do not depend on the chunk
 * size. A chunk size given whose levels do not fit is refused; one whose amounts alone do not fit
 * runs (a warning check never refuses a run: runStudy then leaves the amounts unchecked).
 */
export function chunkSizeFor(plan: PopulationPlan, given: number | undefined, subjects = MAX_CHUNK, workers = 1, amountsPerRow = 0): number {
  const rows = Math.max(1, plan.regimen.length);
  if (given === undefined) {
    const spread = Math.ceil(subjects / (Math.max(1, workers) * TASKS_PER_WORKER));
    // amounts at AMOUNT_CHUNK_BYTES a chunk: at 2500 subjects an 8-compartment text's (58 MB, copied
    // out of the engine, per worker) tripled a 2-worker run's peak memory (155 -> 430-480 MB)
    const amountFits = amountsPerRow > 0 ? Math.max(1, Math.floor(AMOUNT_CHUNK_BYTES / (8 * rows * amountsPerRow))) : MAX_CHUNK;
    return Math.min(chunkFits(rows, amountsPerRow), amountFits, MAX_CHUNK, Math.max(MIN_CHUNK, spread));
  }
  const fits = chunkFits(rows, 0);
  if (!(Number.isInteger(given) && given >= 1)) throw Errors.optionValue('chunkSize', given, 'must be a positive integer');
  // a chunk holds at most the study's subjects
  const size = Math.min(given, Math.max(1, subjects));
  if (size > fits) throw Errors.optionValue('chunkSize', given, `a chunk of ${size} subjects × ${rows} records needs more than ${CHUNK_OUTPUT_BYTES / 2 ** 20} MB of engine memory: use a chunkSize ≤ ${fits}`);
  return size;
}

/** A tolerance as options write it: 1e-4. */
const expText = (x: number): string => (+x.toPrecision(6)).toExponential().replace('e+', 'e');

/** Subjects whose levels, and `amountsPerRow` amounts per record, fit in a chunk's engine memory. */
function chunkFits(rows: number, amountsPerRow: number): number {
  return Math.max(1, Math.floor(CHUNK_OUTPUT_BYTES / (8 * rows * (1 + amountsPerRow))));
}

/**
 * The compartments a run tallies for W_NEGATIVE_STATE (tallyableStates), and what to say where it
 * does not: none at rtol ≤ STATE_CHECK_RTOL or without a stepped model text; none, with a warning,
 * where a chunk size given leaves no room for the amounts (a run that fitted before must run).
 */
function statesChecked(plan: PopulationPlan, model: Model, typical: () => TypicalInputs, chunkSize: number | undefined): { states: number[]; warnings: string[] } {
  if (!stepsTallied(model, plan)) return { states: [], warnings: [] };
  const tol = solverSetup(model, resolveMethod(model, plan.method), plan.rtol, plan.atol);
  if (!(tol.rtol > STATE_CHECK_RTOL)) return { states: [], warnings: [] };
  const states = tallyableStates(model, tol.atol, typical());
  const rows = Math.max(1, plan.regimen.length);
  const fits = chunkFits(rows, model.nStates);
  if (states.length === 0 || chunkSize === undefined || chunkSize <= fits) return { states, warnings: [] };
  return {
    states: [],
    warnings: [
      `W_NEGATIVE_STATE: the compartments' amounts (${states.map((j) => model.stateNames[j]).join(', ')}) were not checked for a step through zero at rtol ${expText(tol.rtol)}: a chunk of ${chunkSize} subjects × ${rows} records with ${model.nStates} amounts each needs more than ${CHUNK_OUTPUT_BYTES / 2 ** 20} MB of engine memory; a chunkSize ≤ ${fits} checks them (or tighten rtol to ${expText(STATE_CHECK_RTOL)} or below, where they were not seen to step through zero)`,
    ],
  };
}

let planCounter = 0;


/**
 * A metric that is not a number for subjects whose simulation succeeded: the model's output was
 * undefined where the metric read it (C^0.5 of an amount the integrator left at −8e-11, a
 * logarithm of 0). Those subjects left the summary without a word (n = 0, "failed 0"): said,
 * naming the metric and how many.
 */
function undefinedMetricWarnings(metrics: readonly MetricDef[], aggregates: Readonly<Record<string, MetricAggregate>>, succeeded: number): string[] {
  const out: string[] = [];
  for (const m of metrics) {
    const n = (aggregates[m.name] as MetricAggregate).report().n;
    if (n < succeeded)
      out.push(`metric ${m.name} is not a number for ${(succeeded - n).toLocaleString('en-US')} of ${succeeded.toLocaleString('en-US')} subjects whose simulation succeeded: the model's output is undefined where it is read (e.g. a power or logarithm of an amount at or just below 0); the summary leaves them out`);
  }
  return out;
}

/**
 * Refuses a plan that is not a PopulationPlan (a Model, the model file, the options in its place):
 * it failed as a raw TypeError (a Model: "reading 'forEach'", of the metrics it has not).
 */
function checkPlan(plan: unknown): asserts plan is PopulationPlan {
  const p = plan as Partial<Record<keyof PopulationPlan, unknown>> | null;
  const isObject = typeof plan === 'object' && plan !== null && !Array.isArray(plan) && !ArrayBuffer.isView(plan);
  const missing = !isObject
    ? []
    : [
        p?.model === undefined ? 'model' : '',
        Array.isArray(p?.regimen) ? '' : 'regimen',
        Array.isArray(p?.metrics) ? '' : 'metrics',
        isPlanKey(p?.key) ? '' : 'key',
        // without it a chunk failed as a TypeError (workers 0) or "a worker failed" (E_ENGINE)
        planTableProblem(p?.table) === undefined ? '' : 'table',
      ].filter(Boolean);
  if (!isObject || missing.length > 0)
    throw Errors.optionValue(
      'plan',
      plan,
      'runStudy(plan, options): plan must be a population plan, as populationPlan({ model, records, covariates, key: seedKey(seed), metrics, table }) returns',
      isObject && shapeOf(plan) === 'an object' ? `an object without ${missing.join(', ')}` : shapeOf(plan),
    );
}

export async function runStudy(plan: PopulationPlan, o: StudyOptions): Promise<StudyResult> {
  checkPlan(plan);
  refuseMissingOptions(o, 'runStudy()', 'n');
  refuseUnknownKeys(o, STUDY_KEYS, 'runStudy()');
  if (!(Number.isInteger(o.n) && o.n >= 1 && o.n <= MAX_STUDY_SUBJECTS)) throw Errors.optionValue('n', o.n, `the number of subjects must be an integer from 1 to ${MAX_STUDY_SUBJECTS.toLocaleString('en-US')}`);
  if (o.chunkSize !== undefined) chunkSizeFor(plan, o.chunkSize, o.n);
  checkWorkers(o.workers);
  checkCallbacks(o, ['onProgress', 'onChunk']);
  checkSolverOptions(plan);
  refuseSampledTimeVarying(plan);
  // a metric given as its text ('auc24') ran as a metric named "undefined", every value 0
  plan.metrics.forEach((m: unknown, i) => {
    const d = m as Partial<MetricDef> | null;
    if (typeof d !== 'object' || d === null || typeof d.name !== 'string' || typeof d.type !== 'string' || !Number.isFinite(d.t0) || !Number.isFinite(d.t1))
      throw Errors.optionValue(`metrics[${i}]`, m, "expected a metric definition: parseMetric(text, regimenTimesOf(records)), e.g. parseMetric('auc24', times)");
  });
  // a window of a metric the plan lacks (a misspelt name) would leave every fraction empty
  for (const name of Object.keys(o.windows ?? {}))
    if (!plan.metrics.some((m) => m.name === name))
      throw Errors.optionValue(`windows.${name}`, name, `no metric named ${name} in the plan (its metrics: ${plan.metrics.map((m) => m.name).join(', ') || 'none'})`);
  const model = defineModel(plan.model);
  // population, pta and band all come here before a worker starts
  refuseSteadyStateReadingTime(
    model,
    plan.regimen.map((items, i) => recordFromItems({ ...items }, i + 1, 'regimen')),
    'regimen',
    (r) => plan.places?.[r.row - 1] ?? `row ${r.row}`,
  );
  // how the regimen's records are read (an 800 mg "ii 8" without addl as one dose, a dose 15 min
  // late judged as ii 12, a steady-state infusion that stops at its record), before the run's own:
  // the command line alone said them
  const warnings = [...planRegimenWarnings(plan, model), ...planMetricWarnings(plan, model)];
  let typicalSubject: TypicalInputs | undefined;
  const typical = (): TypicalInputs => (typicalSubject ??= typicalInputs(plan, model));
  // the amounts a model text's chunks return for W_NEGATIVE_STATE share a chunk's memory with its levels
  const checked = statesChecked(plan, model, typical, o.chunkSize === undefined ? undefined : Math.min(o.chunkSize, o.n));
  warnings.push(...checked.warnings);
  const states = checked.states;
  const [lo, hi] = shardRange(o.n, o.shard);
  const t0 = performance.now();
  checkPoolKind(o.pool, 'population', 'runStudy()');
  const pool = o.pool ?? defaultPool(o.workers);
  const chunkSize = chunkSizeFor(plan, o.chunkSize, o.n, pool.size, states.length > 0 ? model.nStates : 0);
  const planId = `${process.pid}-${++planCounter}`;
  const aggregates: Record<string, MetricAggregate> = {};
  for (const m of plan.metrics) aggregates[m.name] = new MetricAggregate(o.windows?.[m.name]);
  // chunks are aligned to multiples of chunkSize from subject 0, so shards and runs share chunking
  const starts: number[] = [];
  // a shard of no subject has no chunk: from a first subject inside a chunk (n 3, shard 3/5: subjects
  // 1..0) one of 0 subjects was sent, starting a worker thread for nothing
  if (lo < hi) for (let s = Math.floor(lo / chunkSize) * chunkSize; s < hi; s += chunkSize) starts.push(Math.max(s, lo));
  const chunkCount = (i: number): number => {
    const first = starts[i] as number;
    return Math.min(hi, Math.floor(first / chunkSize) * chunkSize + chunkSize) - first;
  };
  const total = hi - lo;
  let failed = 0;
  let notes: CovariateNotes | undefined;
  let negatives: readonly NegativeTally[] | undefined;
  let stateNegatives: readonly NegativeTally[] | undefined;
  try {
    // the plan goes with the first task per worker only (a worker prepares it once and keeps it):
    // cloning it for every task cost the main thread ~0.5 ms and a worker ~1.2 ms per task (W-b's
    // 338 regimen records). A worker without it refuses the task (PLAN_MISSING) and gets it again
    // with the plan; a pool whose workers keep nothing (pool.size such refusals) gets it every time
    let misses = 0;
    const withPlan = (i: number): boolean => i < pool.size || misses >= pool.size;
    const planPool: TaskPool<ChunkTask> = {
      size: pool.size,
      run: (t, signal, transfer) =>
        pool.run(t, signal, transfer).catch((e: unknown) => {
          if (t.plan !== undefined || signal?.aborted || !isPlanMissing(e)) throw e;
          misses++;
          return pool.run({ ...t, plan }, signal, transfer);
        }),
      close: () => pool.close(),
    };
    const chunks = runChunks(planPool, {
      count: starts.length,
      task: (i) => ({ planId, ...(withPlan(i) ? { plan } : {}), first: starts[i] as number, count: chunkCount(i), windows: o.windows, perSubject: o.onChunk !== undefined, ...(states.length > 0 ? { states } : {}) }),
      onResult: async (buf) => {
        const r = unpackChunk(buf);
        // chunks were summarized by the workers; merging in chunk order keeps results identical
        plan.metrics.forEach((def, j) => (aggregates[def.name] as MetricAggregate).mergeFrom(MetricAggregate.fromJSON(r.aggregates[j] as AggregateJSON)));
        failed += r.failed;
        notes = mergeCovariateNotes(notes, r.covariateNotes);
        negatives = mergeTallies(negatives, r.negatives);
        stateNegatives = mergeTallies(stateNegatives, r.stateNegatives);
        await o.onChunk?.(r);
      },
      units: chunkCount,
      onProgress: o.onProgress,
      signal: o.signal,
      cancelled: 'population run cancelled',
    });
    chunks.catch(() => undefined); // awaited below: a throw in between must not leave it unhandled
    // the AUC-type metrics of the typical subject and of subjects at the η and covariate tails on
    // the study's grid against finer ones (W_COARSE_GRID), once the first chunks are sent: 20–110 ms
    // of the main thread while the workers start and run instead of before them
    warnings.push(...coarseGridWarnings(plan, model));
    await chunks;
  } finally {
    if (!o.pool) await pool.close();
  }
  warnings.push(...foldedQuantileWarnings(plan.metrics.map((m) => ({ name: m.name, report: (aggregates[m.name] as MetricAggregate).report() }))));
  warnings.push(...undefinedMetricWarnings(plan.metrics, aggregates, total - failed));
  warnings.push(...covariateNoteWarnings(notes));
  if (negatives !== undefined || stateNegatives !== undefined) {
    const tol = solverSetup(model, resolveMethod(model, plan.method), plan.rtol, plan.atol);
    warnings.push(...negativeMetricWarnings(plan.metrics, { rtol: tol.rtol, atol: tol.atol, observation: observationFloor(model, tol.atol, typical()), metrics: negatives ?? [] }, total));
    warnings.push(...negativeStateWarnings(states.map((j) => model.stateNames[j] as string), stateNegatives, tol, total));
  }
  return { first: lo, count: total, aggregates, failed, seconds: (performance.now() - t0) / 1000, warnings };
}
