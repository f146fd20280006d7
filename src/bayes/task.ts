// Estimating a cohort on Node's worker threads (Piscina), or on this thread: the pool around the
// task handling of cohort.ts, which the browser entry shares.

import { compiledWorker } from '../package-path.js';
import type { DataRecord } from '../regimen/record.js';
import { engine as threadEngine } from '../engine/load.js';
import { inlinePool } from '../pool/inline.js';
import { nodePool } from '../pool/node.js';
import { checkPoolKind } from '../pool/protocol.js';
import { checkCohortRun, handleEstimateTask, modelSource, runCohort, type CohortResult, type CohortRunOptions, type EstimateTask } from './cohort.js';

export { cohortTasks, handleEstimateTask, modelFor, taskRecords, unpackCohort, type CohortOptions, type CohortResult, type CohortRunOptions, type EstimateTask } from './cohort.js';

/** The compiled worker entry (dist/src/bayes/worker.js), found from this module in src or dist. */
export function estimateWorkerFile(): URL {
  return compiledWorker(import.meta.url, 'bayes');
}

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
  checkCohortRun(o, patients);
  checkPoolKind(o.pool, 'cohort', 'estimateCohort()');
  const { workers, chunkSize = 250, pool: given, signal, onProgress, ...options } = o;
  const source = modelSource(modelJson, 'estimateCohort()');
  const pool = given ?? (workers === 0 ? inlinePool<EstimateTask>((t) => handleEstimateTask(t, threadEngine)) : nodePool<EstimateTask>(estimateWorkerFile(), workers));
  try {
    return await runCohort(pool, source, patients, chunkSize, options, { signal, onProgress });
  } finally {
    if (!given) await pool.close();
  }
}
