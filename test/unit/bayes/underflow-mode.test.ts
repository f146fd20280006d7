// NONMEM's guard IF (IPRED.EQ.0) W = 1 reads the residual variance of a level predicted as exactly 0
// at f = 1, meant for a level before any dose. A prediction after a dose that underflowed
// (f = 100/CL·(1 − e^(−2k))·e^(−28k) with V = 25·e^(−5.4): e^(−745) rounds to 0) took it too: the
// objective turned from +∞ (proportional error, Var = (0.2·f)² → 0 while the level is 0.12) to the
// finite plateau 0.12²/0.04 + ln 0.04 + ηᵀΩ⁻¹η, whose edge the global search reported as a second
// mode (ETA_V −5.402, W_MAP_MULTIMODAL). After a dose the model's own variance now holds there.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { recordFromItems } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { mapObjective } from '../../../src/bayes/objective.js';

const model = defineModel({
  dosewise: 2,
  name: 't5',
  structure: { kind: 'linear', compartments: 1, depot: false },
  parameters: { CL: '3*exp(ETA_CL)', V: '25*exp(ETA_V)' },
  omega: { etas: ['ETA_CL', 'ETA_V'], matrix: [[100, 0], [0, 100]] },
  residual: { model: 'proportional', proportional: 0.2 },
});
const recs = (rows: Record<string, number>[]) => rows.map((r, i) => recordFromItems({ ID: 1, ...r }, i + 1));
const infusion = { TIME: 0, EVID: 1, AMT: 200, RATE: 100, MDV: 1 };

describe('a prediction of 0: the IPRED = 0 guard only where no dose came before', () => {
  it('an underflowed prediction after the dose: the objective is +∞ there (it was 0.12²/0.04 + ln 0.04 + prior = −2.556 at ETA_V −5.5), and no second mode is reported', () => {
    const records = recs([infusion, { TIME: 30, EVID: 0, DV: 0.12, MDV: 0 }]);
    const obj = mapObjective(model, records);
    expect(obj.predict([0.12, -5.5]).ipred[1]).toBe(0);
    expect(obj.ofv([0.12, -5.5])).toBe(Infinity);
    const fit = estimate(model, records);
    // the one mode: the exact one (mpmath Newton) is (0.124435, −0.095694)
    expect(Math.abs(fit.eta[1]! + 0.09569375231038636)).toBeLessThan(1e-5);
    expect(fit.convergence!.modes.every((m) => m.eta[1]! > -5)).toBe(true);
    expect(fit.warnings.map((w) => w.code)).not.toContain('W_MAP_MULTIMODAL');
  });

  it('a level before the first dose still reads its variance at f = 1: OFV = 0.05²/0.2² + ln 0.2² + ηᵀΩ⁻¹η', () => {
    const obj = mapObjective(model, recs([{ TIME: 0, EVID: 0, DV: 0.05, MDV: 0 }, { ...infusion, TIME: 1 }]));
    const x = [0.3, -0.4];
    const want = 0.05 ** 2 / 0.04 + Math.log(0.04) + (0.3 ** 2 + 0.4 ** 2) / 100;
    expect(Math.abs(obj.ofv(x) - want)).toBeLessThan(1e-14);
  });

  it('a level at the time of the dose (a trough written after the dose row) also keeps the guard: the infusion has not started to show', () => {
    const obj = mapObjective(model, recs([infusion, { TIME: 0, EVID: 0, DV: 0.05, MDV: 0 }]));
    const want = 0.05 ** 2 / 0.04 + Math.log(0.04);
    expect(Math.abs(obj.ofv([0, 0]) - want)).toBeLessThan(1e-14);
  });
});
