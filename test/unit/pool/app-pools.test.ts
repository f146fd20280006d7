// The `pool` option of runStudy(), estimateCohort() and simulateReplicates() was public ("e.g. a
// browser pool") while no entry exported a way to make one, and the package's exports map blocks
// deep imports: an app could not keep warm workers across runs. The entries now export
// populationPool(), cohortPool() and replicatePool() (and dosewise/browser its cohortPool()).

import { describe, expect, it } from 'vitest';
import * as node from '../../../src/index.js';
import * as browser from '../../../src/browser/index.js';
import { readRegimen } from '../../../src/regimen/file.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';
import { seedKey } from '../../../src/population/study.js';
import { regimenRecords, wMapModel } from '../bayes/wmap.js';

const { populationPool, cohortPool, replicatePool, runStudy, estimateCohort, simulateReplicates, defineModel, readNmtran } = node;

// 1-cmt, CL 10, V 20 (η variance 1e-10: every subject the typical one), 1000 mg over 2 h at steady
// state q24h: AUC over a dosing interval is F·D/CL = 100 exactly
const ONE_CMT = { dosewise: 2, name: 't', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: '10*exp(ETA_CL)', V: '20' }, omega: { etas: ['ETA_CL'], diagonal: [1e-10] }, residual: { model: 'proportional', proportional: 0.1 } };
const records = readRegimen(JSON.stringify({ doses: [{ time: 0, amt: 1000, dur: 2, ss: 1, ii: 24, addl: 1 }], observe: [{ grid: { from: 0, to: 48, step: 0.05 } }] }), 'regimen.json');
const plan = { model: ONE_CMT, regimen: records.map((r) => r.items), key: seedKey(1), metrics: [parseMetric('auc24', regimenTimesOf(records))], table: false as const, profiles: false };

describe('worker pools an app makes and passes as `pool`', () => {
  it('are exported by both entries', () => {
    for (const f of [populationPool, cohortPool, replicatePool, browser.cohortPool]) expect(typeof f).toBe('function');
  });

  it('populationPool(1): two runStudy() calls on one thread kept open between them; AUC24 = F·D/CL = 100, as on this thread', async () => {
    const pool = populationPool(1);
    try {
      const a = await runStudy(plan, { n: 40, pool });
      const b = await runStudy(plan, { n: 40, pool });
      expect(pool.started?.()).toBe(1);
      const inline = await runStudy(plan, { n: 40, workers: 0 });
      const p50 = (r: typeof a) => r.aggregates.auc24!.report().p50;
      expect(p50(a)).toBe(p50(inline));
      expect(p50(b)).toBe(p50(inline));
      expect(Math.abs(p50(a) / 100 - 1)).toBeLessThan(1e-4);
    } finally {
      await pool.close();
    }
  });

  it('cohortPool(1): two estimateCohort() calls on one warm worker, the estimates of this thread', async () => {
    const patients = [regimenRecords(), regimenRecords()];
    const pool = cohortPool(1);
    try {
      const a = await estimateCohort(wMapModel, patients, { pool });
      const b = await estimateCohort(wMapModel, patients, { pool });
      expect(pool.started?.()).toBe(1);
      const inline = await estimateCohort(wMapModel, patients, { workers: 0 });
      expect(Array.from(a.eta)).toEqual(Array.from(inline.eta));
      expect(Array.from(b.eta)).toEqual(Array.from(inline.eta));
    } finally {
      await pool.close();
    }
  });

  it('replicatePool(1): simulateReplicates() on it gives the bytes of this thread', async () => {
    const data = readNmtran('ID,TIME,EVID,AMT,DV,MDV\n1,0,1,100,.,1\n1,1,0,.,1.5,0\n1,24,0,.,0.3,0\n2,0,1,100,.,1\n2,2,0,.,1.4,0\n2,30,0,.,0.2,0\n').records;
    const model = defineModel({ ...ONE_CMT, parameters: { CL: '5*exp(ETA_CL)', V: 50 }, omega: { etas: ['ETA_CL'], diagonal: [0.1] } } as never);
    const collect = async (o: Parameters<typeof simulateReplicates>[2]) => {
      const dv: number[] = [];
      await simulateReplicates(model, data, { replicates: 6, seed: 3, ...o }, (blk) => void dv.push(...blk.dv));
      return dv;
    };
    const pool = replicatePool(1);
    try {
      const a = await collect({ pool });
      expect(a).toEqual(await collect({ workers: 0 }));
      expect(await collect({ pool })).toEqual(a);
    } finally {
      await pool.close();
    }
  });

  it('workers: 0 runs on this thread; a number of workers that is not an integer ≥ 0 is refused naming `workers`', async () => {
    const pool = cohortPool(0);
    expect(pool.size).toBe(1);
    const r = await estimateCohort(wMapModel, [regimenRecords()], { pool });
    expect(r.eta.length).toBe(2);
    await pool.close();
    for (const f of [populationPool, cohortPool, replicatePool, browser.cohortPool]) expect(() => f(-1)).toThrow(/workers/);
  });
});
