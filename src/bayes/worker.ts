// Piscina worker entry (Node) for cohort estimation: a chunk of patients in, the packed estimates
// out, moved (not copied) back to the main thread. Compiled to dist/src/bayes/worker.js.

import { Piscina } from 'piscina';
import { engine } from '../engine/load.js';
import { handleEstimateTask, type EstimateTask } from './task.js';

export default function (task: EstimateTask): unknown {
  return Piscina.move(handleEstimateTask(task, engine));
}
