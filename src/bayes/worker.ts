// Piscina worker entry (Node) for estimation: a chunk of patients in, the packed estimates out
// (cohort arrays, or full estimates for a fit task), moved (not copied) back to the main thread.
// Compiled to dist/src/bayes/worker.js.

import { Piscina } from 'piscina';
import { engine } from '../engine/load.js';
import { handleEstimateTask, type EstimateTask } from './task.js';
import { handleFitTask, isFitTask } from './fit-task.js';
import { workerError } from '../pool/protocol.js';

export default function (task: EstimateTask): unknown {
  try {
    return Piscina.move(isFitTask(task) ? handleFitTask(task, engine) : handleEstimateTask(task, engine));
  } catch (e) {
    throw workerError(e);
  }
}
