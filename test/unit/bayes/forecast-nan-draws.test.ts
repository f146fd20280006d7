// A prediction outside the observation's domain (a text's sqrt of a negative value) in forecast: the
// band was taken over the draws that were numbers and the NaN ones alike (quickselect reads NaN
// comparisons as false), so at 38 h a band of 0.282–3.912 was printed beside a MAP prediction that
// was not a number, with failed 0 and no warning. Now a MAP (or typical) prediction that is not a
// number is refused as simulate() refuses it, and a draw with one is a failed draw, counted.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { regimen } from '../../../src/regimen/builder.js';

const text = `model "sqrt observation"
theta TVCL = 4, TVV = 30
eta ETA_CL ~ 0.5
residual additive 0.5
compartment CENTRAL
CL = TVCL * exp(ETA_CL)
V = TVV
d/dt(CENTRAL) = -CL / V * CENTRAL
observe = sqrt(CENTRAL / V - 5)
`;
const model = defineModel({ dosewise: 'text', text, file: 'sqrt.model' });
const records = readNmtran('ID,TIME,AMT,EVID,DV\n1,0,1000,1,.\n1,2,.,0,5.1\n').records;
const fit = estimate(model, records);

describe('forecast with predictions outside the observation domain', () => {
  it('refuses a MAP prediction that is not a number, naming the time', () => {
    const future = regimen().dose({ time: 12, amt: 1000 }).observe({ times: [22, 38] }).records();
    expect(() => forecast(model, records, fit, future, { draws: 200, seed: 1 })).toThrow(/TIME 38: the MAP prediction is not a number there/);
  });
  it('counts the draws whose prediction is not a number as failed and leaves them out of the band', () => {
    const future = regimen().dose({ time: 12, amt: 1000 }).observe({ times: [22] }).records();
    const f = forecast(model, records, fit, future, { draws: 400, seed: 1, profiles: true });
    expect(f.failed).toBeGreaterThan(0);
    // the band is the type-7 quantiles of the finite draws
    const vals = (f.profiles as Float64Array).filter((v) => Number.isFinite(v)).sort();
    expect(vals.length).toBe(400 - f.failed);
    expect(Number.isFinite(f.lower[0] as number) && Number.isFinite(f.upper[0] as number)).toBe(true);
    const q = (p: number) => {
      const h = (vals.length - 1) * p;
      const k = Math.floor(h);
      return (vals[k] as number) + (h - k) * ((vals[Math.min(k + 1, vals.length - 1)] as number) - (vals[k] as number));
    };
    expect(f.median[0]).toBeCloseTo(q(0.5), 12);
  });
});

describe('EVID 2 records of a future regimen', () => {
  // they were dropped from the forecast without a word (simulate() prints their IPRED), and a
  // regimen of EVID 2 records alone was refused as "row 0, column EVID … (got undefined)"
  it('are predictions, as simulate() prints them', () => {
    const m = defineModel({ dosewise: 2, name: 'one', structure: '1cmt-iv', parameters: { CL: 'TVCL*exp(ETA_CL)', V: 'TVV' }, theta: { TVCL: 4, TVV: 30 }, omega: { etas: ['ETA_CL'], diagonal: [0.1] }, residual: { model: 'additive', additive: 0.5 } });
    const hist = readNmtran('ID,TIME,AMT,EVID,DV\n1,0,1000,1,.\n1,2,.,0,25\n').records;
    const fitm = estimate(m, hist);
    const future = readNmtran('ID,TIME,AMT,EVID,DV\n1,26,.,2,.\n1,28,.,2,.\n1,30,.,0,.\n').records;
    const f = forecast(m, hist, fitm, future, { draws: 50, seed: 1 });
    expect([...f.times]).toEqual([26, 28, 30]);
    const k = (4 * Math.exp(fitm.eta[0] as number)) / 30;
    expect(f.ipred[0]).toBeCloseTo((1000 / 30) * Math.exp(-k * 26), 9);
  });
});
