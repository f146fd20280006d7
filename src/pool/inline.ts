// A pool of zero threads: runs tasks on the calling thread (small runs, tests, environments
// without workers), in Node and in browsers. Same contract as the thread pools.

import type { TaskPool } from './protocol.js';

export function inlinePool<T>(handler: (task: T) => ArrayBuffer): TaskPool<T> {
  return {
    size: 1,
    async run(task, signal) {
      signal?.throwIfAborted();
      await new Promise((r) => (typeof setImmediate === 'function' ? setImmediate(r) : setTimeout(r, 0))); // let progress and abort events through
      signal?.throwIfAborted();
      return handler(task);
    },
    async close() {},
  };
}
