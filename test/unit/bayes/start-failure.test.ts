// A patient whose MAP objective cannot be evaluated at the start point: a Michaelis–Menten model
// (VMAX 30 mg/h) given 1000 mg q12h at steady state (83.3 mg/h) has no steady state, and simulate()
// says so (E_SOLVER, naming the dose record). estimate() returned the prior (η = 0) with ofv
// Infinity and a W_MAP_AT_BOUND warning that blamed a bound; estimateFits() the same;
// estimateCohort() η = 0 and NaN predictions with no reason. Now estimate() and estimateFits()
// throw the solver's error, and estimateCohort() marks that patient failed with it and goes on.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { estimateCohort } from '../../../src/bayes/task.js';
import { estimateFits, estimateFitsOrFailures } from '../../../src/bayes/fit-task.js';
import { DosewiseError } from '../../../src/errors.js';
import { MM_NO_SS_MODEL } from './mm-no-steady-state.js';

const json = MM_NO_SS_MODEL;
const model = defineModel(json);
const header = 'ID,TIME,EVID,AMT,RATE,II,SS,DV,MDV\n';
// 1000 mg every 12 h is 83.3 mg/h, beyond the largest elimination rate VMAX = 30 mg/h
const noSteadyState = readNmtran(`${header}2,0,1,1000,0,12,1,.,1\n2,6,0,.,.,.,0,1.0,0\n`).records;
const single = (id: number): ReturnType<typeof readNmtran>['records'] => readNmtran(`${header}${id},0,1,1000,0,.,0,.,1\n${id},6,0,.,.,.,0,20,0\n`).records;
const cause = /row 1 \(ID 2, TIME 0\), the SS = 1 dose: dose iteration did not reach a periodic steady state/;

describe('an estimate that cannot start', () => {
  it('estimate() throws the solver\'s error naming the record, not the prior with ofv Infinity', () => {
    let err: unknown;
    try {
      estimate(model, noSteadyState);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DosewiseError);
    expect(err).toMatchObject({ code: 'E_SOLVER', place: { row: 1 } });
    expect((err as Error).message).toMatch(cause);
    expect((err as Error).message).toMatch(/the MAP objective cannot be evaluated at the start point \(ETA_V = 0\)/);
  });

  it('estimateFits() rejects with it, naming the patient', async () => {
    const err = await estimateFits(json, [single(1), noSteadyState], { workers: 0 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_SOLVER' });
    expect((err as Error).message).toMatch(/^patients\[1\] \(ID 2\): /);
    expect((err as Error).message).toMatch(cause);
  });

  it('estimateFits() on 2 workers rejects the same way (the worker reports no failure unless asked)', async () => {
    const err = await estimateFits(json, [single(1), noSteadyState, single(3)], { workers: 2, chunkSize: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_SOLVER' });
    expect((err as Error).message).toMatch(/^patients\[1\] \(ID 2\): /);
    expect((err as Error).message).toMatch(cause);
  });

  // what `dosewise estimate` runs: the failed patient's error in its place (as estimate() throws
  // it), the others estimated, in input order, for any number of workers and chunk size
  for (const [workers, chunkSize] of [[0, 2], [1, 1], [2, 1], [2, 3]] as const) {
    it(`estimateFitsOrFailures(), ${workers} workers, chunks of ${chunkSize}: the error in patient 1's place, the others as estimate()`, async () => {
      const fits = await estimateFitsOrFailures(json, [single(1), noSteadyState, single(3)], { workers, chunkSize });
      expect(fits).toHaveLength(3);
      const failed = fits[1];
      expect(failed).toBeInstanceOf(DosewiseError);
      expect(failed).toMatchObject({ code: 'E_SOLVER', place: { row: 1 } });
      expect((failed as Error).message).toMatch(new RegExp(`^solver: ${cause.source}`));
      expect((failed as Error).message).toMatch(/the MAP objective cannot be evaluated at the start point \(ETA_V = 0\)/);
      for (const [p, id] of [[0, 1], [2, 3]] as const) {
        const alone = estimate(model, single(id));
        expect(fits[p]).not.toBeInstanceOf(DosewiseError);
        expect(fits[p]).toEqual(alone);
      }
    });
  }

  it('estimateCohort() marks the patient failed with the reason, NaN estimates, and estimates the others', async () => {
    const patients = [single(1), noSteadyState, single(3)];
    const r = await estimateCohort(json, patients, { workers: 0, chunkSize: 2 });
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0]).toMatchObject({ patient: 1, code: 'E_SOLVER' });
    expect(r.failed[0]!.message).toMatch(/^patients\[1\] \(ID 2\): /);
    expect(r.failed[0]!.message).toMatch(cause);
    expect(Number.isNaN(r.eta[1])).toBe(true);
    expect(Number.isNaN(r.ofv[1])).toBe(true);
    expect(r.converged[1]).toBe(0);
    expect(Array.from(r.parameters.subarray(r.parameterNames.length, 2 * r.parameterNames.length)).every(Number.isNaN)).toBe(true);
    expect(Array.from(r.ipred.subarray(2, 4)).every(Number.isNaN)).toBe(true);
    const alone = estimate(model, single(3));
    expect(r.eta[2]).toBe(alone.eta[0]);
    expect(r.ofv[2]).toBe(alone.ofv);
    expect(r.eta[0]).toBe(estimate(model, single(1)).eta[0]);
  });

  it('no W_MAP_AT_BOUND where the objective is nowhere finite (a log-scale level the model predicts 0 for)', () => {
    const logScale = defineModel({ ...json, structure: '1cmt-iv', parameters: { CL: '4*exp(ETA_V)', V: '30' }, residual: { model: 'exponential', exponential: 0.2 } });
    const fit = estimate(logScale, readNmtran('ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,0,.,.,1.2,0\n1,1,1,1000,1000,.,1\n1,3,0,.,.,3.2,0\n').records);
    expect(fit.ofv).toBe(Infinity);
    expect(fit.message).toMatch(/row 1 \(TIME 0\): the model predicts 0 there/);
    expect(fit.warnings.map((w) => w.code)).not.toContain('W_MAP_AT_BOUND');
  });

  it('a cohort with no failure has an empty list', async () => {
    const r = await estimateCohort(json, [single(1)], { workers: 0 });
    expect(r.failed).toEqual([]);
  });
});
