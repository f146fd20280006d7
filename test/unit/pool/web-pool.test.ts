import { MessageChannel } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { webPool } from '../../../src/pool/web.js';

/** A stand-in for a Web Worker: a message port served by Comlink in this thread. */
function fakeWorker(): Worker {
  const { port1, port2 } = new MessageChannel();
  Comlink.expose({ run: async (t: { wait: number }) => (await sleep(t.wait), new ArrayBuffer(8)) }, port2 as unknown as Comlink.Endpoint);
  return Object.assign(port1, { terminate: () => (port1.close(), port2.close()) }) as unknown as Worker;
}

describe('webPool', () => {
  it('starts workers only when tasks wait for them, up to its size', async () => {
    const pool = webPool<{ wait: number }>(fakeWorker, 3);
    try {
      expect(pool.started?.()).toBe(0);
      await pool.run({ wait: 0 });
      await pool.run({ wait: 0 });
      expect(pool.started?.()).toBe(1);
      await Promise.all(Array.from({ length: 8 }, () => pool.run({ wait: 20 })));
      expect(pool.started?.()).toBe(pool.size);
    } finally {
      await pool.close();
    }
  });

  it('moves the buffers a task gives up to the worker, and copies the rest', async () => {
    const { port1, port2 } = new MessageChannel();
    Comlink.expose({ run: (t: { into: ArrayBuffer; kept: ArrayBuffer }) => new Float64Array([t.into.byteLength, t.kept.byteLength]).buffer }, port2 as unknown as Comlink.Endpoint);
    const worker = Object.assign(port1, { terminate: () => (port1.close(), port2.close()) }) as unknown as Worker;
    const pool = webPool<{ into: ArrayBuffer; kept: ArrayBuffer }>(() => worker, 1);
    try {
      const into = new ArrayBuffer(64);
      const kept = new ArrayBuffer(32);
      const seen = new Float64Array(await pool.run({ into, kept }, undefined, [into]));
      expect([...seen]).toEqual([64, 32]);
      expect(into.byteLength).toBe(0); // moved
      expect(kept.byteLength).toBe(32); // copied
    } finally {
      await pool.close();
    }
  });

  it('a cancelled task ends its worker and rejects at once; the next task starts a fresh worker', async () => {
    // it posted the task and waited for the worker's answer: 2.5 s after the abort in a cohort, with
    // the worker still running
    const made: { terminated: boolean }[] = [];
    const pool = webPool<{ wait: number }>(() => {
      const w = fakeWorker();
      const mark = { terminated: false };
      made.push(mark);
      const end = w.terminate.bind(w);
      return Object.assign(w, { terminate: () => ((mark.terminated = true), end()) });
    }, 1);
    try {
      const ac = new AbortController();
      const t0 = performance.now();
      setTimeout(() => ac.abort(new Error('stop')), 50);
      await expect(pool.run({ wait: 3000 }, ac.signal)).rejects.toThrow('stop');
      expect(performance.now() - t0).toBeLessThan(500);
      expect(made.map((m) => m.terminated)).toEqual([true]);
      expect(pool.started?.()).toBe(0);
      expect(new Float64Array(await pool.run({ wait: 0 })).length).toBe(1);
      expect(made.map((m) => m.terminated)).toEqual([true, false]);
      expect(pool.started?.()).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('a cancelled run starts no worker for its tasks that waited', async () => {
    const pool = webPool<{ wait: number }>(fakeWorker, 1);
    try {
      const ac = new AbortController();
      setTimeout(() => ac.abort(new Error('stop')), 50);
      const runs = [0, 1, 2].map(() => pool.run({ wait: 3000 }, ac.signal));
      const t0 = performance.now();
      for (const r of runs) await expect(r).rejects.toThrow('stop');
      expect(performance.now() - t0).toBeLessThan(500);
      expect(pool.started?.()).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it('is capped at the hardware concurrency', async () => {
    const cores = globalThis.navigator?.hardwareConcurrency ?? 2;
    const pool = webPool<{ wait: number }>(fakeWorker, 1000);
    try {
      expect(pool.size).toBe(cores);
    } finally {
      await pool.close();
    }
  });
});
