// A cancelled run reports no progress: a pool whose running task does not end on the signal (a Web
// Worker busy in a chunk) let runChunks hand its result on and call onProgress after the abort.

import { describe, expect, it } from 'vitest';
import { runChunks } from '../../../src/pool/run-chunks.js';
import type { TaskPool } from '../../../src/pool/protocol.js';

/** A pool whose tasks take `ms` and ignore the signal. */
function deafPool(ms: number): TaskPool<number> {
  return {
    size: 1,
    run: () => new Promise((resolve) => setTimeout(() => resolve(new ArrayBuffer(8)), ms)),
    close: async () => undefined,
  };
}

describe('runChunks after the signal', () => {
  it('calls neither onResult nor onProgress once the signal is aborted, even when the task still ends', async () => {
    const ac = new AbortController();
    const calls: string[] = [];
    setTimeout(() => ac.abort(new Error('stop')), 20);
    const run = runChunks(deafPool(80), { count: 3, task: (i) => i, signal: ac.signal, onResult: (_, i) => void calls.push(`result ${i}`), onProgress: (d) => calls.push(`progress ${d}`) });
    await expect(run).rejects.toThrow('stop');
    expect(calls).toEqual([]);
  });

  it('an abort while a result is being handled is the last thing: no progress for it', async () => {
    const ac = new AbortController();
    const calls: string[] = [];
    const run = runChunks(deafPool(1), {
      count: 3,
      task: (i) => i,
      signal: ac.signal,
      onResult: async (_, i) => {
        calls.push(`result ${i}`);
        ac.abort(new Error('stop'));
        await Promise.resolve();
      },
      onProgress: (d) => calls.push(`progress ${d}`),
    });
    await expect(run).rejects.toThrow('stop');
    expect(calls).toEqual(['result 0']);
  });
});
