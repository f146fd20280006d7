// Browser worker pool: Comlink-wrapped Web Workers running the same task handler as the Node
// pool. Each worker takes one task at a time; results come back as transferred ArrayBuffers.

import * as Comlink from 'comlink';
import { fromWorker, type TaskPool } from './protocol.js';

interface Remote<T> {
  run(task: T): Promise<ArrayBuffer>;
}

/**
 * Up to `size` workers (capped at the browser's hardwareConcurrency), each started only when a
 * task finds every started worker busy: a page that runs one task at a time never starts a second.
 */
export function webPool<T>(makeWorker: () => Worker, size?: number): TaskPool<T> {
  const cores = Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 2);
  const max = Math.max(1, Math.min(Math.floor(size ?? cores), cores));
  const workers: { w: Worker; remote: Comlink.Remote<Remote<T>>; busy: boolean }[] = [];
  const waiting: (() => void)[] = [];
  const acquire = async (signal?: AbortSignal): Promise<(typeof workers)[number]> => {
    for (;;) {
      const free = workers.find((x) => !x.busy);
      if (free) {
        free.busy = true;
        return free;
      }
      if (workers.length < max) {
        const w = makeWorker();
        const slot = { w, remote: Comlink.wrap<Remote<T>>(w), busy: true };
        workers.push(slot);
        return slot;
      }
      await new Promise<void>((r) => waiting.push(r));
      // a task cancelled while it waited: the freed worker is the next waiter's (else a cancelled run
      // that ended its workers started fresh ones for tasks that were dropped)
      if (signal?.aborted) {
        waiting.shift()?.();
        signal.throwIfAborted();
      }
    }
  };
  return {
    size: max,
    started: () => workers.length,
    async run(task, signal, transfer) {
      signal?.throwIfAborted();
      const slot = await acquire(signal);
      let onAbort: (() => void) | undefined;
      try {
        signal?.throwIfAborted();
        const sent = transfer?.length ? Comlink.transfer(task, [...transfer]) : task;
        const answer = slot.remote.run(sent as Comlink.UnproxyOrClone<T>);
        if (!signal) return await answer;
        // a worker cannot be interrupted inside a task: on abort it is ended, as Node's pool ends its
        // thread (posting and waiting ran the chunk to its end, 2.5 s after the abort of a cohort,
        // and its result still reached onProgress); a later task starts a fresh worker
        const aborted = new Promise<never>((_, reject) => {
          onAbort = () => {
            slot.w.terminate();
            workers.splice(workers.indexOf(slot), 1);
            reject(signal.reason);
          };
          signal.addEventListener('abort', onAbort, { once: true });
        });
        return await Promise.race([answer, aborted]);
      } catch (e) {
        throw fromWorker(e) ?? e;
      } finally {
        if (onAbort) signal?.removeEventListener('abort', onAbort);
        slot.busy = false;
        waiting.shift()?.();
      }
    },
    async close() {
      for (const x of workers) x.w.terminate();
    },
  };
}

/** In a Web Worker: serve a task handler to webPool (results transferred, not copied). */
export function exposeHandler<T>(handler: (task: T) => ArrayBuffer): void {
  Comlink.expose({ run: (task: T) => { const b = handler(task); return Comlink.transfer(b, [b]); } });
}
