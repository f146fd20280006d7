// Node worker pool: Piscina, one thread per core by default. The worker file is any module whose
// default export takes a task and returns Piscina.move(packedBuffer) (see protocol.ts).
// Threads start when tasks wait for them, never up front: each one loads the engine (≈ 20 MB and
// tens of milliseconds), so a pool of 32 that receives one task starts one thread. More threads
// than cores only add memory and switching, so the size is capped at the available parallelism.

import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
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
  // At most n tasks are given to Piscina at once; the rest wait here. Piscina, on aborting a running
  // task, ends its thread and starts another only up to minThreads (0): tasks queued inside it
  // then had no thread, so a run sharing the pool with a cancelled one never settled, nor did
  // close(). A task given to Piscina when a slot frees makes it start a thread for it.
  let running = 0;
  const waiting: (() => void)[] = [];
  let closed = false;
  const slot = async (signal: AbortSignal | undefined): Promise<void> => {
    if (running < n) {
      running++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const go = (): void => {
        signal?.removeEventListener('abort', drop);
        running++;
        resolve();
      };
      const drop = (): void => {
        const i = waiting.indexOf(go);
        if (i >= 0) waiting.splice(i, 1);
        reject(signal?.reason);
      };
      waiting.push(go);
      signal?.addEventListener('abort', drop, { once: true });
    });
  };
  const release = (): void => {
    running--;
    waiting.shift()?.();
  };
  // The threads our tasks ran on. Piscina ends the thread of an aborted task (worker.terminate())
  // and rejects the task at once, before the thread has exited; its exit (code 1) could then fail a
  // task of the next run given meanwhile: after an abort on a shared pool, the next run's own error
  // (a throwing onChunk) came back in 4 of 11 runs as E_ENGINE "a worker failed: worker exited with
  // code: 1". An aborted task's slot is freed only once the threads the abort ended have exited.
  const ourThreads = new Set<Worker>();
  const endedThreadsExit = async (): Promise<void> => {
    const live = new Set(piscina.threads);
    const ended = [...ourThreads].filter((w) => !live.has(w));
    for (const w of ended) ourThreads.delete(w);
    // a thread that never says it exited must not hold the pool: 2 s at most
    await Promise.all(ended.map((w) => new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 2000);
      t.unref();
      w.once('exit', () => (clearTimeout(t), resolve()));
    })));
  };
  const runTask = async (task: unknown, signal: AbortSignal | undefined, transfer: readonly ArrayBuffer[] | undefined): Promise<ArrayBuffer> => {
    signal?.throwIfAborted();
    await slot(signal);
    try {
      signal?.throwIfAborted();
      const p = piscina.run(task, { signal: signal ?? null, transferList: transfer?.length ? [...transfer] : undefined }) as Promise<ArrayBuffer>;
      // the thread is started (or picked) as the task is given
      for (const w of piscina.threads) ourThreads.add(w);
      return await p;
    } catch (e) {
      if (signal?.aborted) await endedThreadsExit();
      throw e;
    } finally {
      release();
    }
  };
  return {
    size: n,
    started: () => piscina.threads.length,
    async run(task, signal, transfer) {
      // a closed pool started new threads for a later run, which then kept nothing alive to close them
      if (closed) throw Errors.option('pool', 'pool: this pool was closed (close() was called): make a new pool for further runs');
      const p = runTask(task, signal, transfer);
      pending.add(p);
      try {
        return await p;
      } catch (e) {
        if (signal?.aborted) throw e;
        const err = e as Error;
        throw fromWorker(e) ?? Errors.engine(`a worker failed: ${err.message}`);
      } finally {
        pending.delete(p);
      }
    },
    async close() {
      closed = true;
      // tasks still running (after a failure elsewhere) settle first: a worker must never answer
      // a pool that is already destroyed
      await Promise.allSettled([...pending]);
      await piscina.destroy();
    },
  };
}
