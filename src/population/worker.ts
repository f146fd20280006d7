// Piscina worker entry (Node): the chunk handler with this thread's WASM engine; the packed result
// is moved, not copied, back to the main thread.

import { Piscina } from 'piscina';
import { engine } from '../engine/load.js';
import { handleChunkTask, type ChunkTask } from './task.js';
import { workerError } from '../pool/protocol.js';

export default function (task: ChunkTask): unknown {
  try {
    return Piscina.move(handleChunkTask(task, engine));
  } catch (e) {
    throw workerError(e);
  }
}
