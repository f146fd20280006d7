// A loading dose equal to the maintenance dose is the regimen without one (the same doses at the
// same times), yet `--loading 0,1000 --doses 1000` ranked "1000 12 h 1 1000" and "1000 12 h 1 0"
// as two regimens with the same PTA (59.8 %), window and SS values, a --top place wasted (a full
// grid of 48 rows held such pairs throughout). Now the pair is judged once, as the regimen without
// a loading dose; a loading dose equal to the maintenance dose is kept where 0 is not a candidate.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { optimizeRegimen } from '../../../src/design/optimize/optimize.js';
import { parseTarget } from '../../../src/design/targets/targets.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const model = defineModel({
  dosewise: 2, name: 'one-cmt test', structure: '1cmt-iv',
  theta: { TVCL: { value: 4, unit: 'L/h' }, TVV: { value: 40, unit: 'L' } },
  parameters: { CL: { expr: 'TVCL * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV', unit: 'L' } },
  omega: { etas: ['ETA_CL'], diagonal: [0.09] }, residual: { model: 'proportional', proportional: 0.1 }, observe: { compartment: 1, unit: 'mg/L' },
});
const data = 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,1000,1000,.,1\n';

describe('optimize: a loading dose equal to the maintenance dose is not a second regimen', () => {
  const records = readNmtran(data).records;
  const base = { intervals: [12], infusions: [1], target: parseTarget('trough:5:15'), draws: 500, seed: 1, top: 10 };
  it('--loading 0,1000 --doses 1000: one regimen (load 0); --doses 500,1000: three', () => {
    const one = optimizeRegimen(model, records, { ...base, doses: [1000], loadingDoses: [0, 1000] });
    expect(one.evaluated).toBe(1);
    expect(one.ranked.map((c) => [c.dose, c.loadingDose])).toEqual([[1000, 0]]);
    const three = optimizeRegimen(model, records, { ...base, doses: [500, 1000], loadingDoses: [0, 1000] });
    expect(three.evaluated).toBe(3);
    expect(three.ranked.map((c) => `${c.dose}/${c.loadingDose}`).sort()).toEqual(['1000/0', '500/0', '500/1000']);
  });
  it('without 0 among the loading doses, the loading dose equal to the maintenance dose stays', () => {
    const r = optimizeRegimen(model, records, { ...base, doses: [1000], loadingDoses: [1000] });
    expect(r.ranked.map((c) => [c.dose, c.loadingDose])).toEqual([[1000, 1000]]);
  });
});
