// A task cancelled while its worker thread is still loading the worker module: Piscina then
// terminates the thread. When Piscina loaded the ES worker module with require() (Node 20.19+),
// that termination ended the whole process (FATAL ERROR v8::Module::IsGraphAsync, exit 134) within
// the first few of these cycles; the pool now starts threads from a CommonJS entry that import()s it.

import { describe, expect, it } from 'vitest';
import { nodePool } from '../../../src/pool/node.js';
import { compiledWorker } from '../../../src/package-path.js';

describe('cancelling tasks while workers start', () => {
  it('never ends the process: 80 pools, each with one task cancelled 0–40 ms after it was sent', async () => {
    const file = compiledWorker(new URL('../../../src/population/study.ts', import.meta.url).href, 'population');
    let aborted = 0;
    for (let i = 0; i < 80; i++) {
      const pool = nodePool<unknown>(file, 2);
      const ac = new AbortController();
      const a = pool.run({}, ac.signal).catch((e: Error) => e.name);
      const b = pool.run({}).catch((e: Error) => e.name);
      await new Promise((r) => setTimeout(r, (i * 0.5) % 40));
      ac.abort();
      const names = await Promise.all([a, b]);
      aborted += names.filter((n) => n === 'AbortError').length;
      await pool.close();
    }
    expect(aborted).toBe(80);
  }, 60_000);
});
