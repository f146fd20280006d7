// The worker pools an app creates itself and passes as the `pool` option, so that one set of warm
// workers serves many runs (a server answering request after request: each worker compiles the
// engine and the estimation code once, W-map ran ×1.2–1.4 cold and ×1.7–2.0 warm on two workers).
// The runs create and close a pool of their own without it. The `pool` option was public while no
// entry exported a way to make one (the package's exports map blocks deep imports).
// They sit here, the lowest layer that sees the three worker files (population, bayes, replicate).

import { availableParallelism } from 'node:os';
import { engine as threadEngine } from '../engine/load.js';
import { inlinePool } from '../pool/inline.js';
import { nodePool } from '../pool/node.js';
import { Errors } from '../errors.js';
import type { PoolKind, TaskPool } from '../pool/protocol.js';
import { checkWorkers } from '../pool/workers-option.js';
import { defaultPool } from '../population/study.js';
import type { ChunkTask } from '../population/task.js';
import { estimateWorkerFile, handleEstimateTask, type EstimateTask } from '../bayes/task.js';
import { handleFitTask, isFitTask } from '../bayes/fit-task.js';
import { replicateWorkerFile } from './run.js';
import { handleReplicateTask, type ReplicateTask } from './task.js';

/** Workers asked, at most one per core; 0 runs the tasks on this thread. */
function threads(workers: number | undefined): number {
  checkWorkers(workers);
  return Math.min(workers ?? availableParallelism(), availableParallelism());
}

/** A pool of one kind of run (the runs refuse a pool of another kind). */
export type KindPool<T, K extends PoolKind> = TaskPool<T> & { readonly kind: K };

/** `pool` with its kind; run() after close() rejects (a closed thread pool started new threads). */
function ofKind<T, K extends PoolKind>(pool: TaskPool<T>, kind: K): KindPool<T, K> {
  let closed = false;
  return {
    kind,
    size: pool.size,
    ...(pool.started ? { started: pool.started } : {}),
    run(task, signal, transfer) {
      if (closed) return Promise.reject(Errors.option('pool', `pool: this ${kind} pool was closed (close() was called): make a new one with ${kind}Pool() for further runs`));
      return pool.run(task, signal, transfer);
    },
    close() {
      closed = true;
      return pool.close();
    },
  };
}

/**
 * A worker pool for population runs: the `pool` of runStudy(), pta() and bandPopulation().
 * `workers` threads (default one per core, at most one per core; 0: this thread), started as tasks
 * need them. A run given it leaves it open: call `close()` when done (its idle threads do not keep
 * the process alive, but they hold their memory until then); a run after `close()` is refused.
 *
 * @example
 * const pool = populationPool(4);
 * try {
 *   const a = await runStudy(planA, { n: 10_000, pool });
 *   const b = await runStudy(planB, { n: 10_000, pool }); // the same, warm threads
 * } finally {
 *   await pool.close();
 * }
 */
export function populationPool(workers?: number): KindPool<ChunkTask, 'population'> {
  return ofKind(defaultPool(threads(workers)), 'population');
}

/**
 * A worker pool for MAP estimates of many patients: the `pool` of estimateCohort() and
 * estimateFits(). `workers` as populationPool(); `close()` when done.
 *
 * @example
 * const pool = cohortPool(2);
 * try {
 *   const today = await estimateCohort(modelJson, patients, { pool });
 * } finally {
 *   await pool.close();
 * }
 */
export function cohortPool(workers?: number): KindPool<EstimateTask, 'cohort'> {
  const n = threads(workers);
  // estimateFits() sends fit tasks, estimateCohort() cohort tasks: the same dispatch as the worker file
  // (bayes/worker.ts); handleEstimateTask alone failed every estimateFits() on cohortPool(0)
  const handler = (t: EstimateTask): ArrayBuffer => (isFitTask(t) ? handleFitTask(t, threadEngine) : handleEstimateTask(t, threadEngine));
  return ofKind(n === 0 ? inlinePool<EstimateTask>(handler) : nodePool<EstimateTask>(estimateWorkerFile(), n), 'cohort');
}

/**
 * A worker pool for replicates of a data set: the `pool` of simulateReplicates() and vpc().
 * `workers` as populationPool(); `close()` when done.
 *
 * @example
 * const pool = replicatePool(2);
 * try {
 *   const check = await vpc(model, records, { replicates: 500, pool });
 * } finally {
 *   await pool.close();
 * }
 */
export function replicatePool(workers?: number): KindPool<ReplicateTask, 'replicate'> {
  const n = threads(workers);
  return ofKind(n === 0 ? inlinePool<ReplicateTask>((t) => handleReplicateTask(t, threadEngine)) : nodePool<ReplicateTask>(replicateWorkerFile(), n), 'replicate');
}
