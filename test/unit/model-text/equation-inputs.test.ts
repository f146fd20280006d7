// A covariate, η or κ read only by a model text's equations (d/dt, init, observe), not by any
// per-record quantity, had no slot in the parameter set and reached the kernel as NaN: inside if()
// or a comparison the number came out wrong with exit 0 (if(WT > 100, 1, 2) took the else branch:
// 30.12 for 54.88), elsewhere the solve failed. Checked against closed forms, and an η in init
// against the same model with the η through a named quantity.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const text = (body: string) => defineModel({ dosewise: 'text', text: `model "eq"\n${body}\nresidual additive 1\n`, file: 'eq.model' });

describe('covariates and random effects read only in the equations', () => {
  it('a covariate in a comparison inside d/dt: its value, and its default where the data have none', () => {
    const m = text('theta K = 0.1, V = 1\ncovariate WT = 70\ncompartment X\nd/dt(X) = -K * X * if(WT > 100, 1, 2)\nobserve = X / V');
    const at = (wt: string) => simulate(m, readNmtran(`ID,TIME,EVID,AMT,CMT,DV,MDV${wt ? ',WT' : ''}\n1,0,1,100,1,.,1${wt ? `,${wt}` : ''}\n1,6,0,.,1,.,0${wt ? `,${wt}` : ''}\n`).records).ipred[1] as number;
    expect(Math.abs(at('140') / (100 * Math.exp(-0.6)) - 1)).toBeLessThan(1e-7);
    expect(Math.abs(at('') / (100 * Math.exp(-1.2)) - 1)).toBeLessThan(1e-7);
  });

  it('a covariate in init: the baseline it gives', () => {
    const m = text('theta K = 0.1, V = 1, X0 = 100\ncovariate WT = 70\ncompartment X\ninit(X) = X0 * WT / 70\nd/dt(X) = -K * X\nobserve = X / V');
    const s = simulate(m, readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV,WT\n1,0,0,.,1,.,1,140\n1,5,0,.,1,.,0,140\n').records);
    expect(Math.abs((s.ipred[1] as number) / (200 * Math.exp(-0.5)) - 1)).toBeLessThan(1e-7);
  });

  it('an η in init gives the estimate of the same model with the η through a named quantity', () => {
    const direct = text('theta K = 0.1, V = 1, X0 = 100\neta EB ~ 0.1\ncompartment X\ninit(X) = X0 * exp(EB)\nd/dt(X) = -K * X\nobserve = X / V');
    const named = text('theta K = 0.1, V = 1, X0 = 100\neta EB ~ 0.1\ncompartment X\nB0 = X0 * exp(EB)\ninit(X) = B0\nd/dt(X) = -K * X\nobserve = X / V');
    const records = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,0,.,1,.,1\n1,2,0,.,1,110,0\n1,6,0,.,1,70,0\n').records;
    const a = estimate(direct, records);
    const b = estimate(named, records);
    expect(a.converged).toBe(true);
    expect(Math.abs(a.ofv - b.ofv)).toBeLessThan(1e-9);
    expect(Math.abs((a.eta[0] as number) - (b.eta[0] as number))).toBeLessThan(1e-7);
  });
});
