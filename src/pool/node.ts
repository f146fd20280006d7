// Node worker pool: Piscina, one thread per core by default. The worker file is any module whose
// default export takes a task and returns Piscina.move(packedBuffer) (see protocol.ts).
// Threads start when tasks wait for them, never up front: each one loads the engine (≈ 20 MB and
// tens of milliseconds), so a pool of 32 that receives one task starts one thread. More threads
// than cores only add memory and switching, so the size is capped at the available parallelism.

import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { Errors } from '../errors.js';
import { fromWorker, type TaskPool } from './protocol.js';
import { limitInlining } from './inlining.js';
import { workerEntry } from '../package-path.js';

export function nodePool<T>(workerFile: string | URL, threads = availableParallelism()): TaskPool<T> {
  const n = Math.max(1, Math.min(Math.floor(threads), availableParallelism()));
  limitInlining();
  const piscina = new Piscina({
    // a CommonJS entry that import()s the worker module: see esm-entry.cts
    filename: workerEntry(),
    workerData: { entry: typeof workerFile !== 'string' ? workerFile.href : workerFile.startsWith('file:') ? workerFile : pathToFileURL(workerFile).href },
    minThreads: 0,
    maxThreads: n,
    // a started thread stays for the pool's life: restarting one costs more than keeping it idle
    idleTimeout: Infinity,
  });
  // a worker that cannot start (its module not found) is reported by Piscina as an 'error' event
  // besides the task's rejection: without a listener that event ended the whole process
  piscina.on('error', () => undefined);
  const pending = new Set<Promise<unknown>>();
  return {
    size: n,
    started: () => piscina.threads.length,
    async run(task, signal, transfer) {
      const p = piscina.run(task, { signal: signal ?? null, transferList: transfer?.length ? [...transfer] : undefined });
      pending.add(p);
      try {
        return (await p) as ArrayBuffer;
      } catch (e) {
        if (signal?.aborted) throw e;
        const err = e as Error;
        throw fromWorker(e) ?? Errors.engine(`a worker failed: ${err.message}`);
      } finally {
        pending.delete(p);
      }
    },
    async close() {
      // tasks still running (after a failure elsewhere) settle first: a worker must never answer
      // a pool that is already destroyed
      await Promise.allSettled([...pending]);
      await piscina.destroy();
    },
  };
}
