// A linear structure whose F reads the dose record's amount (F1 = AMT > 750 ? 0.5 : 1) is not dose
// proportional: banding accepted it (it checked the structure only), and optimize and the nomogram
// would scale one simulated dose to every other. Each now asks the model, not its structure.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { doseProportional, notDoseProportional } from '../../../src/model/dose-proportional.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { nomogram } from '../../../src/design/nomogram/nomogram.js';
import { steadyStateExposure } from '../../../src/design/nomogram/nomogram-exposure.js';

const file = { dosewise: 2, name: 'doseF', structure: '1cmt-iv', covariates: { WT: { default: 70 } }, parameters: { CL: '5*WT/70', V: 50, F1: 'AMT > 750 ? 0.5 : 1' }, compartments: { '1': { bioavailability: 'F1' } } };
const model = defineModel(file);

describe('models whose expressions read AMT or RATE', () => {
  it('are not dose proportional, and say why', () => {
    expect(doseProportional(model)).toBe(false);
    expect(notDoseProportional(model)).toBe('model doseF reads AMT in its parameters or dose modifiers, so its exposure is not');
    expect(doseProportional(defineModel({ ...file, parameters: { CL: '5*WT/70', V: 50, F1: 0.5 } }))).toBe(true);
  });


  it("ADDL copies and lagged entries of a dose take its own F (an observation's AMT 0 made F 1 for every copy); a level row's AMT '.' is 0, as in NONMEM", () => {
    const r = readNmtran('ID,TIME,EVID,AMT,ADDL,II,DV,MDV,WT\n1,0,1,1000,3,12,.,1,70\n1,36.5,0,.,.,.,.,0,70\n').records;
    const k = 0.1;
    const want = [0, 12, 24, 36].reduce((sum, t) => sum + (500 * Math.exp(-k * (36.5 - t))) / 50, 0);
    expect(simulate(model, r).ipred[1]).toBeCloseTo(want, 10);
  });

  it('the nomogram searches the dose of such a model (it was refused: "row 2, parameter AMT: no value") and its dose reaches the target', () => {
    const n = nomogram(model, { target: { metric: 'trough', value: 2 }, intervals: [12], grid: [{ name: 'WT', values: [70] }] });
    expect(n.solution).toBe('bisection');
    const dose = n.cells[0]?.computed as number;
    const e = steadyStateExposure(model, [{ covariates: { WT: 70 }, dose }], { interval: 12 })[0];
    expect(e?.trough).toBeCloseTo(2, 4);
  });
});
