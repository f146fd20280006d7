// A mode that hugs a lag boundary (src/bayes/global.ts, boundaryProbes). Oral one-compartment model
// (CL = 5·exp(ETA_CL), ω² 0.2; V 50; KA 1; ALAG = exp(ETA_LAG), ω² 0.3; combined error 0.3 mg/L +
// 10 %), 1000 mg at 0 and levels at 0.8 h and 6 h. With the lag above 0.8 h the early level is
// predicted 0 whatever the lag; just below 0.8 h its prediction rises from 0 with the absorption, so
// the posterior's dominant mode lies a little below the boundary. The local optimizer from η = 0
// stays above it, and the lag start at the middle of the lag < 0.8 h interval (ETA_LAG −0.94) was
// neither below the incumbent nor (in plag) on a path that failed the hill–valley test; where it did
// fail (ID 2) it ranked behind the two optional runs allowed. 39 of 150 prior-simulated patients
// were left in the higher mode, 35 without a warning. The search now probes both sides of every
// lag boundary and always runs from the far side when the objective falls moving away from the
// incumbent there.
//
// References: scipy Nelder–Mead from 84 starts, polished by BFGS, on the closed-form objective
// Σ (y − f)²/Var + ln Var + ηᵀΩ⁻¹η with Var = 0.09 + (0.1 f)² (the same OFV dosewise reports):
//   ID 2 (lag_id2.csv): −1.27386870038 at η (−0.0701983, −0.3003266), IPRED 1.15063, 13.39359;
//        the lag > 0.8 h mode that was returned: 13.4654690631 at (−0.0251336, 0.0086550)
//   plag: −1.62335842628 at η (0.1712896, −0.2354350), IPRED 0.194395, 12.10438;
//        the lag > 0.8 h mode that was returned: −1.29266662854 at (0.1982324, −0.0640291)

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { recordFromItems } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { mapObjective } from '../../../src/bayes/objective.js';
import { boundaryProbes, globalSearch, PROBE_POINTS } from '../../../src/bayes/global.js';
import type { BatchFunction, MinimizeResult } from '../../../src/bayes/optimize.js';
import { MULTIMODAL_DOFV } from '../../../src/bayes/warnings.js';

const model = defineModel({
  dosewise: 2,
  name: 'lag',
  structure: { kind: 'linear', compartments: 1, depot: true },
  parameters: { CL: '5*exp(ETA_CL)', V: 50, KA: 1, ALAG: '1*exp(ETA_LAG)' },
  omega: { etas: ['ETA_CL', 'ETA_LAG'], diagonal: [0.2, 0.3] },
  compartments: { '1': { lag: 'ALAG' } },
  residual: { model: 'combined', additive: 0.3, proportional: 0.1 },
});

const patient = (early: number, late: number): DataRecord[] =>
  (
    [
      { TIME: 0, EVID: 1, AMT: 1000, MDV: 1, CMT: 1 },
      { TIME: 0.8, EVID: 0, DV: early, MDV: 0, CMT: 2 },
      { TIME: 6, EVID: 0, DV: late, MDV: 0, CMT: 2 },
    ] as Record<string, number>[]
  ).map((r, i) => recordFromItems({ ID: 1, ...r }, i + 1));

describe('global MAP search: a mode just below a lag boundary', () => {
  it('ID 2: OFV −1.27387 at η (−0.0702, −0.3003), lag 0.741 h, where 13.4655 at lag 1.009 h was returned as "1 mode, converged"', () => {
    const fit = estimate(model, patient(1.1699632817476249, 13.648853202715838));
    // measured: |ΔOFV| 8.9e-16, |Δη| 2.6e-9 and 5.0e-11
    expect(Math.abs(fit.ofv - -1.2738687003835283)).toBeLessThan(1e-12);
    expect(Math.abs((fit.eta[0] as number) - -0.07019825134901969)).toBeLessThan(2e-8);
    expect(Math.abs((fit.eta[1] as number) - -0.30032659586637755)).toBeLessThan(2e-8);
    expect(fit.parameters.ALAG as number).toBeLessThan(0.8);
    expect(fit.converged).toBe(true);
    // the other mode (lag above the level) is 14.7 OFV units higher: reported, no warning, and the estimate is the first mode
    const report = fit.convergence!;
    expect(report.modes[0]!.ofv).toBe(fit.ofv);
    expect(report.modes[0]!.eta).toEqual(fit.eta);
    const other = report.modes.find((m) => Math.abs(m.ofv - 13.465469063089378) < 1e-6);
    expect(other).toBeDefined();
    expect(report.modes.slice(1).every((m) => m.ofv > fit.ofv)).toBe(true);
    expect(report.multimodal).toBe(false);
  });

  it('plag: OFV −1.62336 at η (0.1713, −0.2354), lag 0.790 h, where −1.29267 at lag 0.938 h was returned without a warning', () => {
    const fit = estimate(model, patient(0.2, 12));
    // measured: |ΔOFV| 1.3e-15, |Δη| 9.9e-10 and 1.1e-11
    expect(Math.abs(fit.ofv - -1.6233584262841534)).toBeLessThan(1e-12);
    expect(Math.abs((fit.eta[0] as number) - 0.17128955465797377)).toBeLessThan(1e-8);
    expect(Math.abs((fit.eta[1] as number) - -0.23543504789072556)).toBeLessThan(1e-8);
    // the lag > 0.8 h mode is 0.33 OFV units higher: both reported, the lower first, and the warning
    // (that mode was what it returned before) names a mode above the estimate, not below
    const report = fit.convergence!;
    expect(report.modes[0]!.ofv).toBe(fit.ofv);
    const other = report.modes.find((m) => Math.abs(m.ofv - -1.292666628535421) < 1e-6);
    expect(other).toBeDefined();
    expect(other!.ofv - fit.ofv).toBeLessThan(MULTIMODAL_DOFV);
    expect(report.multimodal).toBe(true);
    expect(fit.warnings.map((w) => w.code)).toContain('W_MAP_MULTIMODAL');
    for (const m of report.modes.slice(1)) expect(m.ofv).toBeGreaterThan(fit.ofv);
  });

  it('the probes: one group per lag boundary, the boundary at ETA_LAG = ln 0.8, one point on the centre\'s side and two beyond it', () => {
    const obj = mapObjective(model, patient(0.2, 12));
    const centre = [0.1982324, -0.0640291];
    const probes = boundaryProbes(obj, centre);
    // the 6-h level is crossed only at ETA_LAG = ln 6 = 1.79 > 3 SD (1.64): one boundary, at ln 0.8
    expect(probes.length).toBe(PROBE_POINTS);
    const [near, far1, far2] = probes.map((p) => p[1] as number) as [number, number, number];
    expect(Math.abs(near - Math.log(0.8))).toBeLessThan(1e-6);
    expect(near).toBeGreaterThanOrEqual(Math.log(0.8));
    expect(far1).toBeLessThan(Math.log(0.8));
    expect(far2).toBeLessThan(far1);
    for (const p of probes) expect(p[0]).toBe(centre[0]);
    // across the boundary the objective falls moving away from the centre: a valley on the far side
    const f = probes.map((p) => obj.ofv(p));
    expect(f[1]!).toBeLessThan(f[0]!);
    expect(f[2]!).toBeLessThan(f[1]!);
  });
});

describe('globalSearch: the estimate is the lowest mode and the first one reported', () => {
  // one effect, prior precision 1; the objective min(x², (x − 3)² + c) has modes at 0 and 3
  const result = (x: number, f: number, converged: boolean): MinimizeResult => ({ x: Float64Array.of(x), f, g: Float64Array.of(0), iterations: 1, evaluations: 1, converged, message: '', inverseHessian: Float64Array.of(1), starts: 1, points: 1 });
  const batchOf =
    (c: number): BatchFunction =>
    (xs, n, out) => {
      for (let k = 0; k < n; k++) out[k] = Math.min((xs[k] as number) ** 2, ((xs[k] as number) - 3) ** 2 + c);
    };

  it('a run into the estimate\'s basin lower by less than its 1e-6 margin: one mode, at the estimate (it was listed beside the estimate as a second mode, W_MAP_MULTIMODAL against itself)', () => {
    // the first run stopped 1e-4 from the mode (f 1e-8); a start at 3 (f 0.5) fails the hill–valley
    // test and its run (stubbed) ends at 0 with f 0: the same mode, lower by 1e-8 < 1e-6
    const g = globalSearch(batchOf(0.5), 1, result(1e-4, 1e-8, true), Float64Array.of(3), 1, () => result(0, 0, true), Float64Array.of(1));
    expect(g.best.f).toBe(1e-8);
    // before: modes [{x 0, ofv 0}], whose OFV differs from the estimate's: the report put the estimate first and this after it
    expect(g.modes.length).toBe(1);
    expect(g.modes[0]!.ofv).toBe(g.best.f);
    expect(g.modes[0]!.x).toEqual([...g.best.x]);
  });

  it('an unconverged incumbent is not replaced by a converged run into another, higher mode (the higher one, 1 + 5e-7, was returned)', () => {
    const g = globalSearch(batchOf(1.5), 1, result(0, 1, false), Float64Array.of(3), 1, () => result(3, 1 + 5e-7, true), Float64Array.of(1));
    expect(g.best.f).toBe(1);
    expect(g.modes.map((m) => m.ofv)).toEqual([1, 1 + 5e-7]);
  });
});
