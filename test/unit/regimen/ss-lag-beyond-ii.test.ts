// SS=1 with a lag of at least II: dosewise gives the periodic state of the lag-shifted dose train
// (the doses given before TIME still in transit arrive on schedule), checked against superposition
// of that train; NONMEM 7.6 is reported to clamp instead (the record carries the steady-state
// peak), so the difference is warned about, naming the record. Below II: no warning.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';

const model = (lag: number) =>
  defineModel({
    dosewise: 2,
    name: '1cmt iv lag',
    structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
    parameters: { CL: 5, V: 50, ALAG: lag },
    compartments: { '1': { lag: 'ALAG' } },
    observe: { compartment: 1, scale: 'V' },
  });
const data = readNmtran(['ID,TIME,EVID,AMT,CMT,II,SS,MDV', '1,0,1,100,1,12,1,1', '1,0,0,0,1,0,0,0', '1,3,0,0,1,0,0,0', '1,14.9,0,0,1,0,0,0', '1,15,0,0,1,0,0,0'].join('\n'), { file: 'ss.csv' }).records;

/** Doses of 100 arriving at 15 − 12k (k ≥ 0) and every 12 h before: the level at t. */
function train(t: number, lag: number): number {
  const k = 5 / 50;
  let c = 0;
  for (let j = -1; j < 2000; j++) {
    const arrival = lag - 12 * (j + 1) + 12; // this record's dose (j = −1 → lag), then the ones before it
    if (arrival <= t) c += (100 / 50) * Math.exp(-k * (t - arrival));
  }
  return c;
}

describe('SS=1 with a lag beyond II', () => {
  it('is the shifted train, to 1e-12, and is warned about naming the record', () => {
    const r = simulate(model(15), data, { file: 'ss.csv' });
    const obs = [0, 3, 14.9, 15];
    obs.forEach((t, i) => expect(Math.abs((r.ipred[i + 1] as number) / train(t, 15) - 1)).toBeLessThan(1e-12));
    expect(r.warnings.some((w) => /ss\.csv, row 1 .*SS=1 with a lag of 15 h, at least its II of 12 h.*NONMEM 7\.6/.test(w))).toBe(true);
  });

  it('a lag below II is not warned about', () => {
    expect(simulate(model(2), data).warnings.some((w) => /lag of/.test(w))).toBe(false);
  });
});
