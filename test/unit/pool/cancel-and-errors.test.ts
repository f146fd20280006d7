// The pool loop on cancellation and failure, and what crosses a thread boundary: a cancelled run
// drops the tasks still queued and ends the running ones (they ran to their end before, a whole
// chunk after the signal); a string reason gives an AbortError that says it (it was an engine
// error without the reason); a worker's DosewiseError keeps its code and place (it was "engine: a
// worker failed"); a worker file under a path with # or % is found (its URL was built by hand).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { nodePool } from '../../../src/pool/node.js';
import { runChunks } from '../../../src/pool/run-chunks.js';
import { compiledWorker } from '../../../src/package-path.js';
import { DosewiseError } from '../../../src/errors.js';
import { workerError, fromWorker } from '../../../src/pool/protocol.js';

const echo = new URL('./echo-worker.mjs', import.meta.url);
const refusing = new URL('./error-worker.mjs', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'dosewise-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cancelling a run on a pool', () => {
  it('drops queued tasks and ends running ones: the run rejects at once, not after the tasks sent', async () => {
    const pool = nodePool<{ wait: number }>(echo, 1);
    try {
      const ac = new AbortController();
      const handled: number[] = [];
      const t0 = performance.now();
      setTimeout(() => ac.abort(), 300);
      const run = runChunks(pool, { count: 6, task: () => ({ wait: 2000 }), perWorker: 3, signal: ac.signal, onResult: (_, i) => void handled.push(i) });
      await expect(run).rejects.toMatchObject({ name: 'AbortError' });
      // three 2-s tasks were in flight on one thread: they ran to their end (≥ 6 s) before
      expect(performance.now() - t0).toBeLessThan(1900);
      expect(handled).toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it('a reason that is no Error gives an AbortError that says it', async () => {
    const pool = nodePool<{ wait: number }>(echo, 1);
    try {
      const ac = new AbortController();
      setTimeout(() => ac.abort('user cancelled'), 100);
      const err = await runChunks(pool, { count: 3, task: () => ({ wait: 1000 }), signal: ac.signal, cancelled: 'population run cancelled', onResult: () => undefined }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).name).toBe('AbortError');
      expect((err as Error).message).toBe('population run cancelled: user cancelled');
      expect((err as Error).cause).toBe('user cancelled');
    } finally {
      await pool.close();
    }
  });
});

describe('errors from workers', () => {
  it("a DosewiseError keeps its code and place across the thread; another error is the pool's", async () => {
    const pool = nodePool<{ marked: boolean }>(refusing, 1);
    try {
      const e = await pool.run({ marked: true }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DosewiseError);
      expect(e).toMatchObject({ code: 'E_PARAMETER', message: 'row 4, column V: must be > 0 (got -5.58)', place: { row: 4, column: 'V', value: -5.58 } });
      const plain = await pool.run({ marked: false }).catch((x: unknown) => x);
      expect(plain).toMatchObject({ code: 'E_ENGINE' });
      expect((plain as Error).message).toMatch(/a worker failed: plain failure/);
    } finally {
      await pool.close();
    }
  });

  it('workerError and fromWorker are inverses for a DosewiseError and leave other errors alone', () => {
    const d = new DosewiseError('E_RECORD', 'data.csv, row 3, column AMT: bad', { file: 'data.csv', row: 3, column: 'AMT', value: 0 });
    const back = fromWorker(workerError(d));
    expect(back).toBeInstanceOf(DosewiseError);
    expect(back).toMatchObject({ code: d.code, message: d.message, place: d.place });
    const other = new Error('x');
    expect(workerError(other)).toBe(other);
    expect(fromWorker(other)).toBeUndefined();
  });
});

describe('worker files under unusual paths', () => {
  for (const name of ['we#ird', 'pct%41', 'a space']) {
    it(`finds them under "${name}"`, () => {
      const root = join(dir, name, 'pkg');
      mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
      mkdirSync(join(root, 'dist', 'src'), { recursive: true });
      const file = join(root, 'dist', 'cli', 'population-worker.js');
      writeFileSync(file, '');
      const url = compiledWorker(pathToFileURL(join(root, 'dist', 'src', 'package-path.js')).href, 'population');
      expect(fileURLToPath(url)).toBe(file);
    });
  }
});
