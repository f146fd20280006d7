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
import type { TaskPool } from '../pool/protocol.js';
import { checkWorkers } from '../pool/workers-option.js';
import { defaultPool } from '../population/study.js';
import type { ChunkTask } from '../population/task.js';
import { estimateWorkerFile, handleEstimateTask, type EstimateTask } from '../bayes/task.js';
import { replicateWorkerFile } from './run.js';
import { handleReplicateTask, type ReplicateTask } from './task.js';

/** Workers asked, at most one per core; 0 runs the tasks on this thread. */
function threads(workers: number | undefined): number {
  checkWorkers(workers);
  return Math.min(workers ?? availableParallelism(), availableParallelism());
}

/**
 * A worker pool for population runs: the `pool` of runStudy(), pta() and bandPopulation().
 * `workers` threads (default one per core, at most one per core; 0: this thread), started as tasks
 * need them. A run given it leaves it open: call `close()` when done, or the threads keep the
 * process alive.
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
export function populationPool(workers?: number): TaskPool<ChunkTask> {
  return defaultPool(threads(workers));
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
export function cohortPool(workers?: number): TaskPool<EstimateTask> {
  const n = threads(workers);
  return n === 0 ? inlinePool<EstimateTask>((t) => handleEstimateTask(t, threadEngine)) : nodePool<EstimateTask>(estimateWorkerFile(), n);
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
export function replicatePool(workers?: number): TaskPool<ReplicateTask> {
  const n = threads(workers);
  return n === 0 ? inlinePool<ReplicateTask>((t) => handleReplicateTask(t, threadEngine)) : nodePool<ReplicateTask>(replicateWorkerFile(), n);
}
