// After an abort on a shared populationPool, an exception thrown by the next run's own onChunk came
// back in 4 of 11 runs as E_ENGINE "a worker failed: worker exited with code: 1": Piscina ends the
// aborted task's thread and rejects the task before the thread has exited, and that exit failed a
// task the next run gave meanwhile. An aborted task's slot is now freed once the ended threads have
// exited; the next run gets its own error back every time (a loop: the race was intermittent).
// Under vitest this loop did not fail before the fix either (20 rounds, 0 failures): the race was
// seen with the built package (the script t9.mjs: 4 of 11 runs; 3 of ~60 here), and 0 of 40 with
// the fix; the loop stays as a guard.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { populationPool, runStudy } from '../../../src/index.js';
import { readRegimen } from '../../../src/regimen/file.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';
import { seedKey } from '../../../src/population/study.js';

// the plan (script t9.mjs): the W-map model file, 1000 mg over 1 h q12h, AUC24 on 96-120 h
const WMAP = JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')) as unknown;
const records = readRegimen(JSON.stringify({ doses: [{ time: 0, amt: 1000, dur: 1, ii: 12, addl: 9 }], observe: [{ grid: { from: 96, to: 120, step: 1 } }] }), 'regimen.json');
const plan = { model: WMAP, regimen: records.map((r) => r.items), key: seedKey(7), metrics: [parseMetric('auc24', regimenTimesOf(records))], table: false as const, profiles: false };

describe('the run after an abort on a shared pool', () => {
  it('gets its own onChunk error back, not E_ENGINE "worker exited" (20 rounds)', { timeout: 400_000 }, async () => {
    const got: string[] = [];
    for (let round = 0; round < 20; round++) {
      const pool = populationPool(2);
      try {
        const ac = new AbortController();
        await expect(runStudy(plan, { n: 100_000, chunkSize: 200, pool, signal: ac.signal, onProgress: (d) => { if (d >= 400 && !ac.signal.aborted) ac.abort(new Error('user cancelled')); } })).rejects.toThrow('user cancelled');
        const e = await runStudy(plan, { n: 2000, chunkSize: 200, pool, onChunk: () => { throw new Error('sink failed'); } }).then(() => undefined, (x: unknown) => x);
        got.push(e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e));
      } finally {
        await pool.close();
      }
    }
    expect(got).toEqual(Array.from({ length: 20 }, () => 'Error: sink failed'));
  });
});
