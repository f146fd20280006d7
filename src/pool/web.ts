// Browser worker pool: Comlink-wrapped Web Workers running the same task handler as the Node
// pool. Each worker takes one task at a time; results come back as transferred ArrayBuffers.

import * as Comlink from 'comlink';
import type { TaskPool } from './protocol.js';

interface Remote<T> {
  run(task: T): Promise<ArrayBuffer>;
}

export function webPool<T>(makeWorker: () => Worker, size = globalThis.navigator?.hardwareConcurrency ?? 2): TaskPool<T> {
  const workers = Array.from({ length: Math.max(1, size) }, () => {
    const w = makeWorker();
    return { w, remote: Comlink.wrap<Remote<T>>(w), busy: false };
  });
  const waiting: (() => void)[] = [];
  const acquire = async (): Promise<(typeof workers)[number]> => {
    for (;;) {
      const free = workers.find((x) => !x.busy);
      if (free) {
        free.busy = true;
        return free;
      }
      await new Promise<void>((r) => waiting.push(r));
    }
  };
  return {
    size: workers.length,
    async run(task, signal) {
      signal?.throwIfAborted();
      const slot = await acquire();
      try {
        signal?.throwIfAborted();
        return await slot.remote.run(task as Comlink.UnproxyOrClone<T>);
      } finally {
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
