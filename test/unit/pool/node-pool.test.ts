import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { nodePool } from '../../../src/pool/node.js';

const worker = new URL('./echo-worker.mjs', import.meta.url);

describe('nodePool', () => {
  it('caps its size at the available parallelism', async () => {
    const pool = nodePool<{ wait: number }>(worker, 1000);
    try {
      expect(pool.size).toBe(availableParallelism());
    } finally {
      await pool.close();
    }
  });

  it('starts threads only when tasks wait for them', async () => {
    const pool = nodePool<{ wait: number }>(worker, 32);
    try {
      expect(pool.started?.()).toBe(0);
      await pool.run({ wait: 0 });
      expect(pool.started?.()).toBe(1);
      // one task at a time never needs a second thread
      for (let i = 0; i < 5; i++) await pool.run({ wait: 0 });
      expect(pool.started?.()).toBe(1);
      // tasks waiting at once start up to `size` threads
      await Promise.all(Array.from({ length: 8 }, () => pool.run({ wait: 50 })));
      expect(pool.started?.()).toBe(pool.size);
    } finally {
      await pool.close();
    }
  });
});
