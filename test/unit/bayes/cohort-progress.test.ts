// estimateCohort() reports progress and can be cancelled, as estimateFits() and runStudy() do: it
// took neither (an unknown key `signal` was refused, and a long cohort could only be killed).

import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/bayes/estimate.js';
import { estimateCohort } from '../../../src/bayes/task.js';
import { defineModel } from '../../../src/model/model.js';
import { regimenRecords, wMapModel } from './wmap.js';

const patients = Array.from({ length: 7 }, () => regimenRecords());

describe('estimateCohort: onProgress and signal', () => {
  it('counts patients after each task, in order, up to all of them; the estimates are unchanged', async () => {
    const seen: [number, number][] = [];
    const r = await estimateCohort(wMapModel, patients, { workers: 0, chunkSize: 3, onProgress: (done, total) => seen.push([done, total]) });
    expect(seen).toEqual([[3, 7], [6, 7], [7, 7]]);
    expect(Array.from(r.eta.subarray(0, 2))).toEqual(estimate(defineModel(wMapModel), regimenRecords()).eta);
  });

  it('an aborted signal stops the run with its reason, on this thread and on the pool', async () => {
    const c = new AbortController();
    c.abort(new Error('stopped by the user'));
    await expect(estimateCohort(wMapModel, patients, { workers: 0, signal: c.signal })).rejects.toThrow('stopped by the user');
    const late = new AbortController();
    const run = estimateCohort(wMapModel, patients, { workers: 1, chunkSize: 1, signal: late.signal, onProgress: (done) => done === 1 && late.abort(new Error('enough')) });
    await expect(run).rejects.toThrow('enough');
  });

  it('refuses an onProgress that is not a function, naming it', async () => {
    await expect(estimateCohort(wMapModel, patients, { workers: 0, onProgress: 5 as never })).rejects.toThrow(/onProgress/);
  });
});
