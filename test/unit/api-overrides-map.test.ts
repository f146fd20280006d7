// simulate(m, rec, { overrides: new Map([['CL', 4]]) }) ran at the model's CL 5 without a word
// (0.18144 at 24 h for CL 4's 0.29321): Object.entries of a Map is empty. A non-plain object is now
// refused, naming the option and what was given, wherever overrides or covariates are taken.

import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { builtinModel } from '../../src/model/model.js';
import { regimen } from '../../src/regimen/builder.js';
import { simulate } from '../../src/engine/simulate.js';
import { estimate } from '../../src/bayes/estimate.js';
import { steadyStateExposure } from '../../src/design/nomogram/nomogram-exposure.js';

const m = builtinModel('1cmt-iv', { CL: 5, V: 50 });
const rec = regimen().dose({ time: 0, amt: 100 }).observe({ times: [24] }).records();
const map = new Map([['CL', 4]]);

describe('overrides and covariates given as a Map', () => {
  it('simulate: refused naming overrides and the Map; a plain object gives CL 4\'s closed form', () => {
    expect(() => simulate(m, rec, { overrides: map as never })).toThrow('parameter overrides: must be a plain object of NAME: number (e.g. { CL: 4 }; not a Map or an array) (got a Map of 1 entry)');
    // 100/50·e^(−4/50·24) = 0.293214 (CL 5: 0.181443)
    expect(simulate(m, rec, { overrides: { CL: 4 } }).ipred.at(-1)).toBeCloseTo(2 * Math.exp(-0.08 * 24), 12);
  });

  it('estimate, builtinModel, the regimen builder\'s items and steady-state exposure: refused too', () => {
    const obs = rec.map((r) => (r.EVID === 0 ? { ...r, DV: 0.3, MDV: 0, items: { ...r.items, DV: 0.3, MDV: 0 } } : r));
    expect(() => estimate(m, obs, { overrides: map as never })).toThrow(/overrides: must be a plain object.*\(got a Map of 1 entry\)/);
    expect(() => builtinModel('1cmt-iv', map as never)).toThrow(/plain object of NAME: number.*\(got a Map of 1 entry\)/);
    expect(() => regimen().dose({ time: 0, amt: 100, items: map as never })).toThrow(/items: data items are a plain object of NAME: number \(not a Map or an array\) \(got a Map of 1 entry\)/);
    expect(() => steadyStateExposure(m, [{ covariates: new Map([['WT', 70]]) as never, dose: 100 }], { interval: 12, infusion: 1 })).toThrow(/patients\.0\.covariates: .*\(got a Map of 1 entry\)/);
    expect(() => steadyStateExposure(m, [{ covariates: {}, dose: 100 }], { interval: 12, infusion: 1 }, { overrides: map as never })).toThrow(/overrides: .*\(got a Map of 1 entry\)/);
  });

  it("an object literal of another realm (an iframe's, a vm context's) is a plain object: it was refused as 'an object of class Object'", () => {
    const foreign = runInNewContext('({ CL: 4 })') as Record<string, number>;
    expect(simulate(m, rec, { overrides: foreign }).ipred.at(-1)).toBeCloseTo(2 * Math.exp(-0.08 * 24), 12);
    expect(simulate(m, rec, { overrides: runInNewContext('JSON.parse(\'{"CL": 4}\')') as Record<string, number> }).ipred.at(-1)).toBeCloseTo(2 * Math.exp(-0.08 * 24), 12);
    expect(builtinModel('1cmt-iv', runInNewContext('({ CL: 4, V: 50 })') as Record<string, number>).parameterNames).toContain('CL');
    // another realm's Map is still no plain object
    expect(() => simulate(m, rec, { overrides: runInNewContext("new Map([['CL', 4]])") as never })).toThrow(/must be a plain object/);
    // nor is a class's instance
    class Overrides {
      CL = 4;
    }
    expect(() => simulate(m, rec, { overrides: new Overrides() as never })).toThrow(/must be a plain object.*\(got an object of class Overrides\)/);
  });
});
