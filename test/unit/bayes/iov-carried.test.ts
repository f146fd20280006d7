// Inter-occasion variability and the future: records without an occasion of their own continue the
// history's, with the κ estimated from its levels, and that is said (W_IOV_CARRIED). A patient whose
// third occasion's κ̂ was high got an optimize PTA of 0.88 where a new occasion gives 0.51, and
// nothing said which had been read. Future records with an occasion of their own draw κ from the prior.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { regimen } from '../../../src/regimen/builder.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { optimizeRegimen } from '../../../src/design/optimize/optimize.js';

const model = defineModel({
  dosewise: 2,
  name: 'iov',
  structure: { kind: 'linear', compartments: 1, depot: false },
  parameters: { CL: '3*exp(ETA_CL + KAPPA_CL)', V: '40*exp(ETA_V + KAPPA_V)' },
  omega: { etas: ['ETA_CL', 'ETA_V'], matrix: [[0.09, 0.03], [0.03, 0.0625]] },
  iov: { etas: ['KAPPA_CL', 'KAPPA_V'], diagonal: [0.04, 0.01], occasion: 'OCC' },
  residual: { model: 'proportional', proportional: 0.1 },
});
const history = readNmtran(['ID,TIME,EVID,AMT,DV,MDV,OCC', '1,0,1,500,.,1,1', '1,2,0,.,9.4,0,1', '1,10,0,.,6.8,0,1', '1,24,1,500,.,1,2', '1,26,0,.,10.7,0,2', '1,36,0,.,4.9,0,2'].join('\n')).records;
const fit = estimate(model, history);

describe('future records and the occasions of the history', () => {
  it('a future without OCC continues occasion 2 with its κ̂, and the forecast says so', () => {
    const future = regimen().dose({ time: 48, amt: 500 }).observe({ times: [50, 60] }).records();
    const f = forecast(model, history, fit, future, { draws: 200, seed: 1 });
    expect(f.warnings.some((w) => /continues occasion 2 .*κ its levels gave.*OCC of their own/.test(w))).toBe(true);
  });

  it('a future with an occasion of its own is not warned about, and its band is wider (κ from the prior)', () => {
    const carried = forecast(model, history, fit, regimen().dose({ time: 48, amt: 500 }).observe({ times: [60] }).records(), { draws: 2000, seed: 1 });
    const own = regimen().dose({ time: 48, amt: 500 }).observe({ times: [60] }).records().map((r) => ({ ...r, items: { ...r.items, OCC: 3 } }));
    const f = forecast(model, history, fit, own, { draws: 2000, seed: 1 });
    expect(f.warnings.some((w) => /W_IOV|continues occasion/.test(w))).toBe(false);
    const width = (x: typeof f) => (x.upper[0] as number) - (x.lower[0] as number);
    expect(width(f)).toBeGreaterThan(width(carried));
  });

  it('optimize reads its candidates as the last occasion, and says so', () => {
    const r = optimizeRegimen(model, history, { doses: [250, 500, 750], intervals: [24], target: 'auc24:150:250', draws: 200 }, fit);
    expect(r.warnings.map((w) => w.code)).toContain('W_IOV_CARRIED');
  });
});
