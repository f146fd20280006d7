// nc2.csv ID 2: vancomycin (Goti 2018), one 1000-mg dose, a level of 40 mg/L at 1000 h.
// The estimate stays at the prior (its mode is the MAP: the level carries nothing), and the level
// was called W_LEVEL_IMPLAUSIBLE (|IWRES| 11.76), not W_LEVEL_UNINFORMATIVE, the README's case of
// "a level long after the last one": at ETA_V +2 SD its prediction is 9.42e-4 mg/L, 2.77e-4
// residual SDs (sd 3.4 + 0.227·f), but its sensitivity 1.50e-3 (a tail's steep log-slope) passed
// the 1e-3 cut-off. On the linear scale a prediction below 1e-3 residual SDs now counts as ≈ 0:
// the level cannot tell it from 0. Numbers from test/oracle/uninformative_tail.py (mpmath, 50
// digits). Failed before the fix (W_LEVEL_IMPLAUSIBLE, no W_LEVEL_UNINFORMATIVE).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { NEGLIGIBLE_SENSITIVITY } from '../../../src/bayes/warnings.js';

const goti = defineModel(JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')));
const oracle = JSON.parse(readFileSync('test/oracle/uninformative-tail.json', 'utf8')) as { points: { effect: string | null; sd: number; f: number; f_over_sd: number; sensitivity: number }[] };
const H = 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL';
const fit = (t: number, dv: number) => estimate(goti, readNmtran([H, '2,0,1,1000,1000,.,1,80,60,0', `2,${t},0,.,.,${dv},0,80,60,0`].join('\n')).records);

describe('a level far after elimination on the linear scale is uninformative, not implausible', () => {
  it('the oracle: below 1e-3 residual SDs at every plausible point, though one point has a sensitivity above 1e-3', () => {
    for (const p of oracle.points) expect(p.f_over_sd).toBeLessThan(NEGLIGIBLE_SENSITIVITY);
    const vUp = oracle.points.find((p) => p.effect === 'ETA_V' && p.sd === 2);
    expect(vUp?.sensitivity).toBeGreaterThan(NEGLIGIBLE_SENSITIVITY);
  });

  it('nc2.csv ID 2: 40 mg/L at 1000 h after one dose is W_LEVEL_UNINFORMATIVE; the estimate stays at the prior', () => {
    const f = fit(1000, 40);
    const codes = f.warnings.map((w) => w.code);
    expect(codes).toContain('W_LEVEL_UNINFORMATIVE');
    expect(codes).not.toContain('W_LEVEL_IMPLAUSIBLE');
    expect(f.warnings.find((w) => w.code === 'W_LEVEL_UNINFORMATIVE')?.message).toMatch(/^row 2 \(TIME 1000, DV 40\): the level carries no information/);
    for (const e of f.eta) expect(Math.abs(e)).toBeLessThan(1e-6);
  });

  it('a level within reach of the model (24 h after the dose) is still informative', () => {
    expect(fit(24, 8).warnings.map((w) => w.code)).not.toContain('W_LEVEL_UNINFORMATIVE');
  });
});
