// W_DV_SCALE (exponential error: DV is log(concentration)) was lost when one level of a patient
// whose levels are concentrations was 0 or negative: ln 0 = −∞ put that
// level's term of Σ(ln DV − ln f)² at +∞, so the rule (that sum below ¼ Σ(DV − ln f)²) failed.
// Levels 14.1, 6.2 and 0 mg/L (a BLQ typed as 0) were fitted as logs, ETA_CL −4.34 and ETA_V −6.18
// (−14/−31 SD), with W_ETA_FAR, W_LEVEL_IMPLAUSIBLE and W_LEVELS_CONTRADICT, none naming the scale;
// the same with −0.3. A DV ≤ 0 is no concentration whichever the scale, so it is left out of the
// comparison now, and the warning names it. Sums by hand (typical f 11.31 and 6.86 mg/L at 1 and 6 h):
// as concentrations (ln 14.1 − ln 11.31)² + (ln 6.2 − ln 6.86)² = 0.059, as logs (14.1 − 2.43)² +
// (6.2 − 1.93)² = 154.6: the levels read as concentrations.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';

const model = defineModel({
  dosewise: 2,
  name: 'est1',
  structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
  theta: { TVCL: { value: 4, unit: 'L/h' }, TVV: { value: 40, unit: 'L' } },
  parameters: { CL: { expr: 'TVCL*exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV*exp(ETA_V)', unit: 'L' } },
  omega: { etas: ['ETA_CL', 'ETA_V'], matrix: [[0.09, 0.03], [0.03, 0.04]] },
  residual: { model: 'exponential', exponential: 0.2 },
  observe: { compartment: 1, unit: 'mg/L' },
});
const patient = (dvs: number[]) =>
  readNmtran(['ID,TIME,EVID,AMT,CMT,DV,MDV', '2,0,1,500,1,.,1', ...[1, 6, 12].map((t, i) => `2,${t},0,.,1,${dvs[i]},0`)].join('\n') + '\n').records;
const scale = (dvs: number[]) => estimate(model, patient(dvs)).warnings.filter((w) => w.code === 'W_DV_SCALE').map((w) => w.message);

describe('W_DV_SCALE with a level ≤ 0 among concentrations', () => {
  it('levels 14.1, 6.2 and 0 (or −0.3): the scale is named, the level ≤ 0 by its row and value', () => {
    for (const last of [0, -0.3]) {
      const m = scale([14.1, 6.2, last]);
      expect(m).toHaveLength(1);
      expect(m[0]).toMatch(/^the 2 levels on the log scale look like concentrations, not their logarithms/);
      expect(m[0]).toContain(`row 4 (DV ${last})`);
    }
    // with 2.1 for the last level, as before: all 3 compared
    expect(scale([14.1, 6.2, 2.1])[0]).toMatch(/^the 3 levels on the log scale look like concentrations/);
  });

  it('logs of levels, one of them ≤ 1 mg/L (a log ≤ 0), are not taken for concentrations', () => {
    expect(scale([Math.log(14.1), Math.log(6.2), Math.log(0.8)])).toEqual([]);
    expect(scale([Math.log(14.1), Math.log(6.2), 0])).toEqual([]);
  });
});
