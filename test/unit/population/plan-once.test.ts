// A study sends its plan with each worker's first task only (cloning W-b's 338 regimen records cost
// the main thread ~0.5 ms and a worker ~1.2 ms per task); a worker that has not prepared the plan
// refuses a task that comes without it, and the study sends that task again with the plan. The
// summaries are the same to the bit however the plan reached the workers.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRegimen } from '../../../src/regimen/file.js';
import { parseMetric } from '../../../src/population/metrics.js';
import { defaultPool, runStudy, seedKey } from '../../../src/population/study.js';
import { handleChunkTask, isPlanMissing, PLAN_MISSING, type ChunkTask } from '../../../src/population/task.js';
import { inlinePool } from '../../../src/pool/inline.js';
import { engine } from '../../../src/engine/load.js';
import type { PopulationPlan } from '../../../src/population/plan.js';
import type { TaskPool } from '../../../src/pool/protocol.js';

const model = JSON.parse(readFileSync('examples/wb-population.model.json', 'utf8'));
const records = readRegimen(readFileSync('examples/wb-regimen.json', 'utf8'), 'wb-regimen.json');
const metrics = [parseMetric('auc24', { end: 336, tau: 12, lastDose: 324 })];
const planOf = (seed: number): PopulationPlan => ({ model, regimen: records.map((r) => r.items), key: seedKey(seed), metrics, table: false, profiles: false });

/** An inline pool that counts what it is given and refused. */
function counted(): { pool: TaskPool<ChunkTask>; sent: number; withPlan: number; refused: number } {
  const c = { sent: 0, withPlan: 0, refused: 0, pool: undefined as unknown as TaskPool<ChunkTask> };
  const inner = inlinePool<ChunkTask>((t) => handleChunkTask(t, engine));
  c.pool = {
    size: 2,
    run: async (t, signal) => {
      c.sent++;
      if (t.plan) c.withPlan++;
      try {
        return await inner.run(t, signal);
      } catch (e) {
        if (isPlanMissing(e)) c.refused++;
        throw e;
      }
    },
    close: () => inner.close(),
  };
  return c;
}

const summary = (r: Awaited<ReturnType<typeof runStudy>>): string => JSON.stringify([r.aggregates.auc24?.toJSON(), r.failed, r.warnings]);

describe('the plan sent once per worker', () => {
  it('goes with the first task per worker only, and the summary is the one of workers 0', async () => {
    const ref = summary(await runStudy(planOf(7), { n: 3000, chunkSize: 200, workers: 0 }));
    const c = counted();
    const r = await runStudy(planOf(7), { n: 3000, chunkSize: 200, pool: c.pool });
    expect(summary(r)).toBe(ref);
    expect(c.sent).toBe(15);
    expect(c.withPlan).toBe(2);
    expect(c.refused).toBe(0);
  });

  it('is sent again to a worker that holds another plan: two studies on one pool at once', async () => {
    const refA = summary(await runStudy(planOf(1), { n: 2000, chunkSize: 100, workers: 0 }));
    const refB = summary(await runStudy(planOf(2), { n: 2000, chunkSize: 100, workers: 0 }));
    const c = counted();
    const [a, b] = await Promise.all([runStudy(planOf(1), { n: 2000, chunkSize: 100, pool: c.pool }), runStudy(planOf(2), { n: 2000, chunkSize: 100, pool: c.pool })]);
    expect(summary(a)).toBe(refA);
    expect(summary(b)).toBe(refB);
    // the one thread's plan alternates: light tasks were refused and sent again with the plan, and
    // after a pool's size of refusals each study sends its plan every time (the tasks already in
    // flight, two per worker, may still be refused: at most 2 + 4 per study)
    expect(c.refused).toBeGreaterThan(0);
    expect(c.refused).toBeLessThanOrEqual(12);
    expect(c.sent).toBe(40 + c.refused);
  });

  it('is refused by name where a task comes without a plan the worker has not prepared', () => {
    expect(() => handleChunkTask({ planId: 'never-sent', first: 0, count: 1 }, engine)).toThrow(PLAN_MISSING);
  });

  it('gives the same bytes on two worker threads as on none', async () => {
    const ref = summary(await runStudy(planOf(11), { n: 20_000, chunkSize: 1000, workers: 0 }));
    const pool = defaultPool(2);
    try {
      expect(summary(await runStudy(planOf(11), { n: 20_000, chunkSize: 1000, pool }))).toBe(ref);
      expect(summary(await runStudy(planOf(11), { n: 20_000, chunkSize: 3000, pool }))).toBe(ref);
    } finally {
      await pool.close();
    }
  });
});
