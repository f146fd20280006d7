// Estimating a cohort on Node's worker threads (Piscina), or on this thread: the pool around the
// task handling of cohort.ts, which the browser entry shares.

import { Errors } from '../errors.js';
import { compiledWorker } from '../package-path.js';
import type { DataRecord } from '../regimen/record.js';
import { engine as threadEngine } from '../engine/load.js';
import { inlinePool } from '../pool/inline.js';
import { nodePool } from '../pool/node.js';
import type { TaskPool } from '../pool/protocol.js';
import { checkCohortOptions, checkWorkers, COHORT_KEYS, handleEstimateTask, modelSource, runCohort, type CohortOptions, type CohortResult, type EstimateTask } from './cohort.js';
import { optionKeys } from '../option-keys.js';

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
const COHORT_RUN_KEYS = [...COHORT_KEYS, ...optionKeys<Omit<CohortRunOptions, keyof CohortOptions>>({ workers: true, chunkSize: true, pool: true })];

/**
 * MAP estimates of a cohort on a worker pool, in patient order. The model is its file (JSON) or a
 * Model, whose source the workers rebuild it from.
 *
 * @example
 * const r = await estimateCohort(modelJson, patients, { workers: 4 });
 * r.eta; // patients × η
 */
export async function estimateCohort(modelJson: unknown, patients: readonly (readonly DataRecord[])[], o: CohortRunOptions = {}): Promise<CohortResult> {
  // everything is checked before a worker starts: inside one, an error is only "a worker failed"
  checkCohortOptions(o, patients, COHORT_RUN_KEYS, 'estimateCohort()');
  // its result has no covariance: asked for, it was computed in every worker and dropped
  for (const k of ['covariance', 'covarianceMethod'] as const)
    if (o[k] !== undefined && o[k] !== false) throw Errors.option(k, `estimateCohort(): ${k}: the cohort result carries no covariance; estimateFits() returns each patient's Estimate with it`, o[k]);
  const { workers, chunkSize = 250, pool: given, ...options } = o;
  checkWorkers(workers);
  if (!(Number.isInteger(chunkSize) && chunkSize >= 1)) throw Errors.option('chunkSize', `chunk size: expected a positive integer (got ${chunkSize})`);
  const source = modelSource(modelJson, 'estimateCohort()');
  const pool = given ?? (workers === 0 ? inlinePool<EstimateTask>((t) => handleEstimateTask(t, threadEngine)) : nodePool<EstimateTask>(estimateWorkerFile(), workers));
  try {
    return await runCohort(pool, source, patients, chunkSize, options);
  } finally {
    if (!given) await pool.close();
  }
}
