// estimateFits and estimateCohort read a record's fields as estimate() does: the standard fields
// (ID, TIME, EVID, AMT, CMT, RATE, ADDL, II, SS, DV, MDV) from the record itself, other data
// items from `items`. The cohort tasks packed `items` alone, so a record edited in code
// ({ ...r, DV: 1.5 * r.DV }) was fitted at its unedited level (η (0.3077, −0.2214) for
// (−0.078, −0.686)), and a record built with `items: {}` was refused for a missing ID.

import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/bayes/estimate.js';
import { estimateFits } from '../../../src/bayes/fit-task.js';
import { estimateCohort } from '../../../src/bayes/task.js';
import { defineModel } from '../../../src/model/model.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { regimenRecords, wMapModel } from './wmap.js';

const model = defineModel(wMapModel);
const edited: DataRecord[] = regimenRecords().map((r) => (r.EVID === 0 ? { ...r, DV: r.DV * 1.5 } : r.EVID === 1 && r.TIME === 24 ? { ...r, AMT: 2000, RATE: 2000 } : r));
const bare: DataRecord[] = regimenRecords().map((r) => ({ ...r, items: {} }));

describe('cohort estimates read the records as estimate() does', () => {
  for (const [name, records] of [['edited fields', edited], ['no items', bare]] as const) {
    it(name, async () => {
      const one = estimate(model, records);
      const [fit] = await estimateFits(wMapModel, [records], { workers: 0 });
      expect(fit?.eta).toEqual(one.eta);
      expect(fit?.ofv).toBe(one.ofv);
      const cohort = await estimateCohort(wMapModel, [records, regimenRecords()], { workers: 0 });
      expect(Array.from(cohort.eta.subarray(0, 2))).toEqual(one.eta);
      expect(cohort.ofv[0]).toBe(one.ofv);
      expect(Array.from(cohort.eta.subarray(2, 4))).toEqual(estimate(model, regimenRecords()).eta);
    });
  }

  it('the edit moves the estimate (the test would not see a reading of the unedited records otherwise)', () => {
    expect(Math.abs((estimate(model, edited).eta[0] as number) - (estimate(model, regimenRecords()).eta[0] as number))).toBeGreaterThan(0.1);
  });
});

describe('estimateCohort and the covariance', () => {
  it('refuses covariance options (its result has none: each patient\'s was computed in the workers and dropped)', async () => {
    // refused by the type too (CohortRunOptions has neither): given here as an untyped caller gives them
    for (const o of [{ covariance: true }, { covarianceMethod: 'expected' as const }])
      await expect(estimateCohort(wMapModel, [regimenRecords()], { workers: 0, ...o } as never)).rejects.toThrow(/estimateCohort\(\): covariance(Method)?: the cohort result carries no covariance; estimateFits\(\) returns each patient's Estimate with it/);
  });
});

describe('estimateCohort with covariance: false', () => {
  it('runs (it asks for nothing the result lacks)', async () => {
    const r = await estimateCohort(wMapModel, [regimenRecords()], { workers: 0, covariance: false });
    expect(Array.from(r.eta)).toEqual(estimate(model, regimenRecords()).eta);
  });
});
