// W_ETA_FAR: a level charted 400 h after a 1-h infusion (40 h meant) put the W-map patient's CL at
// 0.67 L/h for a typical 4 (η_CL −1.78278, −5.6 prior SDs) with no warning: the level passed the
// uninformative check (its prediction at η −2 SD is 9e-4 of it) and fits at the estimate (IWRES
// 0.63). The estimate itself is right: a grid and Nelder–Mead on the same objective (scipy) give
// η (−1.78277589, 0.03040705), OFV 28.3636286. Also: W_PARAMETERS_CHANGE names every parameter
// that changes (tacrolimus's IOV on KA and F named KA alone).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { FAR_EFFECT_SD, farEffectWarning } from '../../../src/bayes/warnings.js';

const model = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));
const chart = (late: number): string => `ID,TIME,EVID,AMT,RATE,DV,MDV\n2,0,1,1000,1000,.,1\n2,1.5,0,.,.,28,0\n2,${late},0,.,.,0.5,0\n`;

describe('an estimate far in the prior (W_ETA_FAR)', () => {
  it('a level at 400 h: η_CL −1.78278 as scipy finds, now warned with its prior SDs', () => {
    const e = estimate(model, readNmtran(chart(400)).records);
    expect(Math.abs((e.eta[0] as number) + 1.78277589)).toBeLessThan(2e-5);
    const w = e.warnings.find((x) => x.code === 'W_ETA_FAR');
    expect(w?.message).toMatch(/^the estimate puts ETA\w* −5\.\d+ SD from the population's typical value \(beyond 4 prior SDs/);
  });

  it('the same level at 40 h: no warning', () => {
    const e = estimate(model, readNmtran(chart(40)).records);
    expect(e.warnings.map((x) => x.code)).not.toContain('W_ETA_FAR');
  });

  it('the limit is 4 SD on either side', () => {
    const obj = { labels: ['A', 'B'], priorSd: Float64Array.of(0.5, 0.2) };
    expect(farEffectWarning(obj, Float64Array.of(1.99, -0.79))).toBeUndefined();
    expect(farEffectWarning(obj, Float64Array.of(2.01, -0.81))?.message).toMatch(/^the estimate puts A \+4\.02 SD, B −4\.05 SD from/);
    expect(FAR_EFFECT_SD).toBe(4);
  });
});
