// Piscina worker entry (Node) for replicate simulation: a task of subjects × replicates in, the
// packed predictions out, moved (not copied) back. Compiled to dist/src/replicate/worker.js.

import { Piscina } from 'piscina';
import { engine } from '../engine/load.js';
import { handleReplicateTask, type ReplicateTask } from './task.js';
import { workerError } from '../pool/protocol.js';

export default function (task: ReplicateTask): unknown {
  try {
    return Piscina.move(handleReplicateTask(task, engine));
  } catch (e) {
    throw workerError(e);
  }
}
