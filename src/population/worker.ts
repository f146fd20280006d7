// Piscina worker entry (Node): the chunk handler with this thread's WASM engine; the packed result
// is moved, not copied, back to the main thread.

import { Piscina } from 'piscina';
import { engine } from '../engine/load.js';
import { handleChunkTask, type ChunkTask } from './task.js';

export default function (task: ChunkTask): unknown {
  return Piscina.move(handleChunkTask(task, engine));
}
