// The one loop that feeds a worker pool: tasks 0..count-1 go out in order, a bounded number at a
// time, and their results come back to the caller in task order, whatever order the workers finish
// in. Callers fold results in that fixed order, so their output never depends on the number of
// workers or on timing.
//
//   queued     task i is built (`task(i)`) only when it is sent, so at most `inFlight` task tables
//              exist at once, however many tasks there are;
//   in flight  up to `inFlight` tasks are running or waiting inside the pool: enough that a worker
//              that finishes finds its next task already there;
//   ordered    results are awaited in task order; one that arrives early waits in `running` until
//              its turn, and the next task is sent as soon as the awaited one is in.
//
// Cancellation and failures stop new tasks from being sent and abort the ones sent: a task still
// queued in the pool is dropped, a running one ends with its thread (the pool starts another when
// a task needs it). Letting them finish cost a whole chunk or more after the signal (4–6 s in a
// cohort). Nothing returns before every task sent has settled, so the pool can be closed right after.

import type { TaskPool } from './protocol.js';
import { cancellation } from '../errors.js';

export interface ChunkRun<T> {
  /** Number of tasks. */
  readonly count: number;
  /** Builds task i; called once per task, in order, when the task is sent. */
  readonly task: (i: number) => T;
  /** Buffers of a built task that move to the worker rather than being copied (task i + inFlight is then built after result i is handled). */
  readonly transfer?: (task: T) => readonly ArrayBuffer[] | undefined;
  /** Receives task i's packed result, for i = 0, 1, 2, … in order; the next result waits for it. */
  readonly onResult: (result: ArrayBuffer, i: number) => void | Promise<void>;
  /** Tasks kept in flight per worker (default 2; never fewer than 2 in all). */
  readonly perWorker?: number;
  readonly signal?: AbortSignal;
  /** Message of the error a cancellation throws when the signal's reason is not an Error. */
  readonly cancelled?: string;
  /** Work units in task i (default 1), e.g. its subjects: what progress counts. */
  readonly units?: (i: number) => number;
  /** After each result was handled: units done so far and in all. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Runs every task of `run` on `pool`, handing results to `run.onResult` in task order. */
export async function runChunks<T>(pool: TaskPool<T>, run: ChunkRun<T>): Promise<void> {
  const { count, signal } = run;
  const units = run.units ?? (() => 1);
  const inFlight = Math.max(2, pool.size * (run.perWorker ?? 2));
  const running = new Map<number, Promise<ArrayBuffer>>();
  // the tasks' own signal: the caller's, or a failure of another task
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let next = 0;
  const send = (): void => {
    if (signal?.aborted) return;
    const i = next++;
    const t = run.task(i);
    const p = pool.run(t, stop.signal, run.transfer?.(t));
    p.catch(() => undefined); // observed below, in order
    running.set(i, p);
  };
  let total = 0;
  for (let i = 0; i < count; i++) total += units(i);
  let done = 0;
  try {
    signal?.throwIfAborted();
    while (next < count && next < inFlight) send();
    for (let i = 0; i < count; i++) {
      signal?.throwIfAborted();
      const result = await (running.get(i) as Promise<ArrayBuffer>);
      running.delete(i);
      // a pool whose running task outlives the signal (a busy Web Worker) still hands its result in
      signal?.throwIfAborted();
      // a run that moves buffers to its tasks sends the next one after the result is handled, so
      // that it can take the buffers the handler gave back (the other tasks in flight keep the
      // workers busy meanwhile)
      if (next < count && !run.transfer) send();
      await run.onResult(result, i);
      if (next < count && run.transfer) send();
      done += units(i);
      // an abort during onResult: the caller was told the run stopped, so it hears no more of it
      signal?.throwIfAborted();
      run.onProgress?.(done, total);
    }
  } catch (e) {
    stop.abort();
    if (signal?.aborted) throw cancellation(signal.reason, run.cancelled);
    throw e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await Promise.allSettled(running.values());
  }
}

