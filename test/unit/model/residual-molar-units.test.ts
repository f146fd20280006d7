// Molar spellings are units: a residual in nmol/L beside levels in nM was refused as a unit dosewise
// cannot read (it loaded before residual units were compared), mmol/L against mM as "another kind",
// and a creatinine declared in µM skipped the plausibility check (SCR 0.9 µM ran).

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';

const model = (residualUnit: string, observeUnit: string, extra: Record<string, unknown> = {}) =>
  defineModel({
    dosewise: 2,
    name: 'molar levels',
    structure: '1cmt-iv',
    parameters: { CL: { value: 1, unit: 'L/h' }, V: { value: 20, unit: 'L' } },
    residual: { model: 'combined', additive: 0.5, proportional: 0.1, unit: residualUnit, ...extra },
    observe: { compartment: 1, unit: observeUnit },
  });

describe('molar and spelled units in residual and covariate checks', () => {
  it('one unit however written: nmol/L and nM, µmol/L and µM, µM and uM, mmol/L and mM, pg/mL and ng/L, mg/L and mg/litre', () => {
    for (const [a, b] of [['nmol/L', 'nM'], ['umol/L', 'µM'], ['µM', 'uM'], ['mmol/L', 'mM'], ['pg/mL', 'ng/L'], ['mg/L', 'mg/liter'], ['mg/L', 'mg/litre']])
      expect(() => model(a, b), `${a} vs ${b}`).not.toThrow();
  });
  it('still refuses another size, with the factor (50 nM against µM: 0.05)', () => {
    expect(() => model('nM', 'µM')).toThrow(/0\.5 nM is 0\.0005 µM .*give additive 0\.0005/);
  });
  it('a creatinine in µM is checked as in µmol/L (SCR 0.9 is a value in mg/dL)', () => {
    const m = defineModel({
      dosewise: 2,
      name: 'scr',
      structure: '1cmt-iv',
      theta: { TVCL: { value: 4, unit: 'L/h' } },
      covariates: { SCR: { unit: 'µM' } },
      parameters: { CL: { expr: 'TVCL*(80/SCR)^0.5', unit: 'L/h' }, V: { value: 20, unit: 'L' } },
    });
    const data = (scr: number) => readNmtran(`ID,TIME,EVID,AMT,CMT,DV,MDV,SCR\n1,0,1,100,1,.,1,${scr}\n1,2,0,.,1,.,0,${scr}\n`).records;
    expect(() => simulate(m, data(0.9))).toThrow(/SCR.*at least 8\.842/);
    // 80 µM: CL 4, C(2) = 5·e^(−0.4)
    expect(simulate(m, data(80)).ipred[1]).toBeCloseTo(5 * Math.exp(-0.4), 12);
  });
});
