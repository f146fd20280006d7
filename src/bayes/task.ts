// Estimating a cohort on Node's worker threads (Piscina), or on this thread: the pool around the
// task handling of cohort.ts, which the browser entry shares.

import { Errors } from '../errors.js';
import { compiledWorker } from '../package-path.js';
import type { DataRecord } from '../regimen/record.js';
import { engine as threadEngine } from '../engine/load.js';
import { inlinePool } from '../pool/inline.js';
import { nodePool } from '../pool/node.js';
import type { TaskPool } from '../pool/protocol.js';
import { handleEstimateTask, runCohort, type CohortOptions, type CohortResult, type EstimateTask } from './cohort.js';

export { cohortTasks, handleEstimateTask, modelFor, taskRecords, unpackCohort, type CohortOptions, type CohortResult, type EstimateTask } from './cohort.js';

/** The compiled worker entry (dist/src/bayes/worker.js), found from this module in src or dist. */
export function estimateWorkerFile(): URL {
  return compiledWorker(import.meta.url, 'bayes');
}

export interface CohortRunOptions extends CohortOptions {
  /** Worker threads (default: one per core); 0 runs on this thread. */
  readonly workers?: number;
  /** Patients per task (default 250). */
  readonly chunkSize?: number;
  /** A pool to use instead of creating one. */
  readonly pool?: TaskPool<EstimateTask>;
}

/**
 * MAP estimates of a cohort on a worker pool, in patient order.
 *
 * @example
 * const r = await estimateCohort(modelJson, patients, { workers: 4 });
 * r.eta; // patients × η
 */
export async function estimateCohort(modelJson: unknown, patients: readonly (readonly DataRecord[])[], o: CohortRunOptions = {}): Promise<CohortResult> {
  const { workers, chunkSize = 250, pool: given, ...options } = o;
  if (!(Number.isInteger(chunkSize) && chunkSize >= 1)) throw Errors.option('chunkSize', `chunk size: expected a positive integer (got ${chunkSize})`);
  const pool = given ?? (workers === 0 ? inlinePool<EstimateTask>((t) => handleEstimateTask(t, threadEngine)) : nodePool<EstimateTask>(estimateWorkerFile(), workers));
  try {
    return await runCohort(pool, modelJson, patients, chunkSize, options);
  } finally {
    if (!given) await pool.close();
  }
}
