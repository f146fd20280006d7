// Faults of the exported pools found by an app-builder hunt: a Node pool shared by two runs, one of
// them cancelled, left the other's tasks without a thread (Piscina at minThreads 0 starts none after
// an abort), so it never settled and close() hung; cohortPool(0) failed every estimateFits() (its
// inline handler knew only cohort tasks); a pool of the wrong kind ran and failed with a bare
// TypeError (or a misleading E_MODEL); a closed pool kept taking runs.

import { describe, expect, it } from 'vitest';
import * as node from '../../../src/index.js';
import { readRegimen } from '../../../src/regimen/file.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';
import { seedKey } from '../../../src/population/study.js';
import { regimenRecords, wMapModel } from '../bayes/wmap.js';

const { populationPool, cohortPool, replicatePool, runStudy, estimateCohort, estimateFits, estimate, simulateReplicates, vpc, defineModel, readNmtran } = node;

const ONE_CMT = { dosewise: 2, name: 't', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: '10*exp(ETA_CL)', V: '20' }, omega: { etas: ['ETA_CL'], diagonal: [1e-10] }, residual: { model: 'proportional', proportional: 0.1 } };
const records = readRegimen(JSON.stringify({ doses: [{ time: 0, amt: 1000, dur: 2, ss: 1, ii: 24, addl: 1 }], observe: [{ grid: { from: 0, to: 24, step: 1 } }] }), 'regimen.json');
const plan = { model: ONE_CMT, regimen: records.map((r) => r.items), key: seedKey(1), metrics: [parseMetric('auc24', regimenTimesOf(records))], table: false as const, profiles: false };
const data = readNmtran('ID,TIME,EVID,AMT,DV,MDV\n1,0,1,100,.,1\n1,1,0,.,1.5,0\n1,24,0,.,0.3,0\n2,0,1,100,.,1\n2,2,0,.,1.4,0\n2,30,0,.,0.2,0\n').records;
const model = defineModel({ ...ONE_CMT, parameters: { CL: '5*exp(ETA_CL)', V: 50 }, omega: { etas: ['ETA_CL'], diagonal: [0.1] } } as never);

/** `p`, or a rejection naming what hung after `ms`. */
const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not settled after ${ms} ms`)), ms).unref())]);

describe('a Node pool shared by two runs, one cancelled', () => {
  it('cohortPool(2): the other run completes with the estimates of this thread, and close() resolves', async () => {
    const pool = cohortPool(2);
    const ac = new AbortController();
    const patients = [regimenRecords()];
    try {
      // two long tasks that fill both threads, then a small run queued behind them
      const big = estimateCohort(wMapModel, Array.from({ length: 4000 }, () => regimenRecords()), { pool, chunkSize: 2000, signal: ac.signal });
      const bigSettled = big.then(() => 'resolved', () => 'rejected');
      await new Promise((r) => setTimeout(r, 100));
      const small = estimateCohort(wMapModel, patients, { pool });
      await new Promise((r) => setTimeout(r, 300));
      ac.abort(new Error('cancel big'));
      expect(await within(bigSettled, 10_000, 'the cancelled run')).toBe('rejected');
      const r = await within(small, 20_000, 'the other run');
      const inline = await estimateCohort(wMapModel, patients, { workers: 0 });
      expect(Array.from(r.eta)).toEqual(Array.from(inline.eta));
    } finally {
      await within(pool.close(), 10_000, 'close()');
    }
  });

  it('populationPool(2): runStudy() on it after a cancelled one completes, AUC24 as on this thread', async () => {
    const pool = populationPool(2);
    const ac = new AbortController();
    try {
      const big = runStudy(plan, { n: 3_000_000, chunkSize: 100_000, pool, signal: ac.signal }).then(() => 'resolved', () => 'rejected');
      await new Promise((r) => setTimeout(r, 100));
      const small = runStudy(plan, { n: 40, pool });
      await new Promise((r) => setTimeout(r, 300));
      ac.abort(new Error('cancel big'));
      expect(await within(big, 10_000, 'the cancelled run')).toBe('rejected');
      const r = await within(small, 20_000, 'the other run');
      const inline = await runStudy(plan, { n: 40, workers: 0 });
      expect(r.aggregates.auc24!.report().p50).toBe(inline.aggregates.auc24!.report().p50);
    } finally {
      await within(pool.close(), 10_000, 'close()');
    }
  });
});

describe('cohortPool(0) and estimateFits()', () => {
  it('estimateFits() on cohortPool(0) gives what estimate() gives', async () => {
    const pool = cohortPool(0);
    try {
      const patients = [regimenRecords(), regimenRecords()];
      const fits = await estimateFits(wMapModel, patients, { pool });
      const one = estimate(defineModel(wMapModel as never), regimenRecords());
      expect(fits.length).toBe(2);
      for (const f of fits) {
        expect(f.eta).toEqual(one.eta);
        expect(f.ofv).toBe(one.ofv);
      }
    } finally {
      await pool.close();
    }
  });
});

describe('a pool of the wrong kind', () => {
  const noBlock = (): void => undefined;
  it.each([0, 1])('is refused at the call, naming the option and the factory to use (workers %i)', async (w) => {
    const pools = { population: populationPool(w), cohort: cohortPool(w), replicate: replicatePool(w) };
    try {
      expect(pools.cohort.kind).toBe('cohort');
      const wrong = (p: unknown) => p as never;
      await expect(estimateCohort(wMapModel, [regimenRecords()], { pool: wrong(pools.population) })).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringMatching(/^pool: estimateCohort\(\) runs on a cohort pool, made by cohortPool\(\); it was given a population pool \(populationPool\(\)\)/) });
      await expect(estimateCohort(wMapModel, [regimenRecords()], { pool: wrong(pools.replicate) })).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringMatching(/cohortPool\(\).*replicatePool\(\)/) });
      await expect(estimateFits(wMapModel, [regimenRecords()], { pool: wrong(pools.replicate) })).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringMatching(/^pool: estimateFits\(\)/) });
      await expect(simulateReplicates(model, data, { replicates: 2, pool: wrong(pools.cohort) }, noBlock)).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringMatching(/^pool: simulateReplicates\(\) runs on a replicate pool, made by replicatePool\(\); it was given a cohort pool/) });
      await expect(vpc(model, data, { replicates: 2, pool: wrong(pools.population) })).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringMatching(/^pool: vpc\(\) runs on a replicate pool/) });
      await expect(runStudy(plan, { n: 4, pool: wrong(pools.cohort) })).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringMatching(/^pool: runStudy\(\) runs on a population pool, made by populationPool\(\)/) });
      // nothing ran: no thread was started for a refused run
      for (const p of Object.values(pools)) expect(p.started?.() ?? 0).toBe(0);
    } finally {
      for (const p of Object.values(pools)) await p.close();
    }
  });

  it('does not compile either', () => {
    const check = (f: () => unknown): void => void f;
    // @ts-expect-error a replicate pool is not a cohort pool
    check(() => estimateCohort(wMapModel, [], { pool: replicatePool(0) }));
    // @ts-expect-error a cohort pool is not a replicate pool
    check(() => simulateReplicates(model, data, { pool: cohortPool(0) }, noBlock));
    // @ts-expect-error a cohort pool is not a population pool
    check(() => runStudy(plan, { n: 4, pool: cohortPool(0) }));
  });
});

describe('a closed pool', () => {
  it.each([0, 1])('refuses a run after close() (workers %i), starting no thread', async (w) => {
    const pool = cohortPool(w);
    await estimateCohort(wMapModel, [regimenRecords()], { pool });
    await pool.close();
    await expect(estimateCohort(wMapModel, [regimenRecords()], { pool })).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringMatching(/^pool: this cohort pool was closed \(close\(\) was called\): make a new one with cohortPool\(\)/) });
  });
});

describe('vpc() on a model without a residual error model', () => {
  it('says what a VPC needs, not an option vpc does not have', async () => {
    const { residual: _, ...noResidual } = { ...ONE_CMT, parameters: { CL: '5*exp(ETA_CL)', V: 50 }, omega: { etas: ['ETA_CL'], diagonal: [0.1] } };
    const m = defineModel(noResidual as never);
    const e = await vpc(m, data, { replicates: 2, workers: 0 }).catch((x: unknown) => x as Error);
    expect(e).toMatchObject({ code: 'E_MODEL', message: expect.stringMatching(/a VPC compares simulated observations with the observed ones.*give the model a residual error model/) });
    expect((e as Error).message).not.toMatch(/give the API option epsilon: false/);
    // simulateReplicates() keeps its advice: it has the option
    await expect(simulateReplicates(m, data, { replicates: 2, workers: 0 }, () => undefined)).rejects.toThrow(/give the API option epsilon: false/);
  });
});
