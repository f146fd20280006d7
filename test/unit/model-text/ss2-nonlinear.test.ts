// SS=2 into a model not linear in its states: dosewise adds the dose's periodic state less the
// undosed one to the current state, a superposition. An oral PK model with an effect compartment
// and an indirect response R (init(R) = KIN/KOUT = 20) read R = −6.0942 at the SS=2 dose (and
// −1.769 an hour later) with exit 0, W_NEGATIVE_AMOUNT alone advising a tighter rtol that changed
// nothing (−6.09419 at 1e-10). W_SS2_NONLINEAR now names the record; W_NEGATIVE_AMOUNT names the
// SS=2 dose as the likely cause. Linear models (built-in, or a text propagated exactly) are not warned.

import { describe, expect, it } from 'vitest';
import { builtinModel, defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';
import { dataSetWarnings } from '../../../src/cli/data-set-warnings.js';
import { planMetricWarnings } from '../../../src/population/chunk.js';
import { seedKey } from '../../../src/population/study.js';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

const IDR = `model "oral PK + effect compartment + indirect response"
theta CL = 4, V = 30, KA = 0.8, KE0 = 0.3, KIN = 10, KOUT = 0.5, IMAX = 0.9, IC50 = 0.4, ALAG = 15
compartment DEPOT, CENT, CE, R
init(R) = KIN / KOUT
C = CENT / V
d/dt(DEPOT) = -KA * DEPOT
d/dt(CENT) = KA * DEPOT - CL / V * CENT
d/dt(CE) = KE0 * (C - CE)
d/dt(R) = KIN * (1 - IMAX * CE / (IC50 + CE)) - KOUT * R
lag(DEPOT) = ALAG
observe = R
`;
// a dose, a reset at 10 h, a reset-and-dose at 20 h, then 50 mg q12h SS=2 at 30 h (row 9)
const RST = `ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS,DV,MDV
1,0,1,100,2,0,0,0,0,.,1
1,5,0,.,4,.,.,.,.,.,1
1,10,3,.,.,.,.,.,.,.,1
1,10,0,.,4,.,.,.,.,.,1
1,12,0,.,4,.,.,.,.,.,1
1,20,4,100,2,0,0,0,0,.,1
1,20,0,.,4,.,.,.,.,.,1
1,25,0,.,4,.,.,.,.,.,1
1,30,1,50,2,0,0,12,2,.,1
1,31,0,.,4,.,.,.,.,.,1
`;
// the periodic state of 50 mg q12h (scipy LSODA, 60 cycles from the baseline) plus the state before
// the dose less the baseline R0 = 20: ref_ss2.py's "current + SS - baseline(R0=20)" line
const REF_SUPERPOSED = [0, 89.00823136, 1.95749763, -6.09419298];

const LINEAR_TEXT = `model "2cmt oral text"
theta CL = 5, V = 50, Q = 6, V2 = 50, KA = 1.2, ALAG = 0.5, FB = 0.7
compartment DEPOT, CENTRAL, PERIPH
k10 = CL / V
k12 = Q / V
k21 = Q / V2
d/dt(DEPOT) = -KA * DEPOT
d/dt(CENTRAL) = KA * DEPOT - (k10 + k12) * CENTRAL + k21 * PERIPH
d/dt(PERIPH) = k12 * CENTRAL - k21 * PERIPH
lag(DEPOT) = ALAG
F(DEPOT) = FB
observe = CENTRAL / V
`;
const SS2_CMT1 = `ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS,DV,MDV
1,0,1,100,1,0,0,0,0,.,1
1,30,1,50,1,0,0,12,2,.,1
1,30,0,.,1,.,.,.,.,.,1
1,31,0,.,1,.,.,.,.,.,1
`;

const ss2 = (ws: readonly string[]): string[] => ws.filter((w) => w.startsWith('W_SS2_NONLINEAR'));

describe('SS=2 into a model not linear in its states', () => {
  const model = defineModel({ dosewise: 'text', text: IDR });
  const records = readNmtran(RST).records;

  it('indirect response: the superposed state as before, W_SS2_NONLINEAR naming the record, W_NEGATIVE_AMOUNT naming SS=2 and not rtol', () => {
    for (const rtol of [1e-8, 1e-10]) {
      const s = simulate(model, records, { file: 'rst.csv', rtol });
      const a = Array.from((s.amounts as Float64Array).subarray(8 * 4, 9 * 4));
      // measured ≤ 1.1e-8 (R at rtol 1e-8; 7.3e-9 at 1e-10), the reference printed to 8 decimals: the
      // value is the superposition's at any rtol, not the solver's
      a.forEach((v, j) => expect(Math.abs(v - (REF_SUPERPOSED[j] as number)), `rtol ${rtol}, state ${j}`).toBeLessThan(5e-8));
      const w = ss2(s.warnings);
      expect(w).toHaveLength(1);
      expect(w[0]).toContain('rst.csv, row 9 (ID 1, TIME 30)');
      expect(w[0]).toMatch(/superposition, which holds for linear kinetics only/);
      expect(w[0]).toMatch(/SS=1 .*or give the doses themselves/);
      const neg = s.warnings.find((x) => x.startsWith('W_NEGATIVE_AMOUNT')) as string;
      expect(neg).toContain('compartment R is -6.09419');
      expect(neg).toContain('the SS=2 dose at rst.csv, row 9 (TIME 30) likely put it there (W_SS2_NONLINEAR)');
      expect(neg).not.toMatch(/tighten/);
    }
  });

  it('the command line says it on stderr, exit 0', async () => {
    const f = tempFiles('dw-ss2-nonlinear');
    const r = await cli(['simulate', '--model', f.write('idr.model', IDR), '--data', f.write('rst.csv', RST), '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/dosewise: warning: W_SS2_NONLINEAR: .*rst\.csv, row 9 \(ID 1, TIME 30\)/);
    expect(r.err).not.toMatch(/tighten/);
  });

  it('estimate and forecast: the data set warning', () => {
    expect(ss2(dataSetWarnings(model, [[1, records]], 'rst.csv'))).toHaveLength(1);
  });

  it('a population whose regimen has one is told too', () => {
    const plan = { model: model.file, regimen: records.map((r) => r.items), key: seedKey(1), metrics: [], table: false, profiles: false } as const;
    expect(ss2(planMetricWarnings(plan))).toEqual([expect.stringMatching(/^W_SS2_NONLINEAR: regimen, row 9 \(ID 1, TIME 30\): SS=2 with model/)]);
  });

  it('Michaelis–Menten (no baseline) is warned too', () => {
    const s = simulate(builtinModel('mm-iv', { V: 20, VMAX: 21.4, KM: 1.5 }), readNmtran(SS2_CMT1).records, { file: 'ss2mm.csv' });
    const w = ss2(s.warnings);
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('ss2mm.csv, row 2 (ID 1, TIME 30)');
    expect(w[0]).toContain('michaelis-menten');
  });

  it('a reset after the SS=2 dose: a later negative state is not laid on it', async () => {
    const { steadyStateAddBefore } = await import('../../../src/engine/steady-state-add.js');
    const recs = readNmtran(`${RST}1,40,3,.,.,.,.,.,.,.,1\n1,41,0,.,4,.,.,.,.,.,1\n`).records;
    expect(steadyStateAddBefore(model, recs, 0, 9)?.row).toBe(9);
    expect(steadyStateAddBefore(model, recs, 0, 11)).toBeUndefined();
  });
});

describe('SS=2 into a linear model: no warning', () => {
  it('built-in 1-cmt', () => {
    const s = simulate(builtinModel('1cmt-iv', { CL: 5, V: 50 }), readNmtran(SS2_CMT1).records);
    expect(ss2(s.warnings)).toEqual([]);
  });

  it('a linear model text (propagated exactly)', () => {
    const s = simulate(defineModel({ dosewise: 'text', text: LINEAR_TEXT }), readNmtran(SS2_CMT1).records);
    expect(ss2(s.warnings)).toEqual([]);
  });
});
