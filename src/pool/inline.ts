// A pool of zero threads: runs tasks on the calling thread (small runs, tests, environments
// without workers). Same contract as the thread pools.

import type { TaskPool } from './protocol.js';

export function inlinePool<T>(handler: (task: T) => ArrayBuffer): TaskPool<T> {
  return {
    size: 1,
    async run(task, signal) {
      signal?.throwIfAborted();
      await new Promise((r) => setImmediate(r)); // let progress and abort events through
      signal?.throwIfAborted();
      return handler(task);
    },
    async close() {},
  };
}
