// Regression tests: the adaptive ODE solvers abort with E_SOLVER "step size fell below its floor"
// on ordinary input, although the problem is perfectly smooth. Both cases are the same flaw: the
// floor check in assembly/ode/dopri5.ts (`else if (h < stepFloor(t))`, stepFloor = 1e-14·max(1,|t|),
// assembly/ode/control.ts) and its twin in assembly/ode/rosenbrock.ts is applied to a FIRST step
// that never came from error control, so the segment fails before a single step is tried.
//
// BUG 1, sliver warm start. An observation at the nominal end of an infusion whose computed end
// (src/regimen/compile.ts doseShape: TIME + AMT·F/RATE) is one ulp later: 600 over 7 h gives
// RATE = 600/7 and end 7.000000000000001. The 8.9e-16 sliver between the observation and the end is
// integrated with h = min(h, span); the proposal written back to HSTATE is clipped to that span
// (`hnew = min(hnew, span)`, and hWanted was already clipped), so the next segment starts with
// h ≈ 1e-15 < stepFloor(7) ≈ 7e-14 → Status.StepTooSmall.
//
// BUG 2, tiny initial state. With no warm start (subject start, after a reset, after an SS event the
// driver sets HSTATE = 0) initialStep() (control.ts, Hairer's HINIT) proposes
// h = min(100·0.01·‖y/sk‖/‖f/sk‖, h1). When every state is non-zero but far below atol and an input
// starts (e.g. the trough of an SS = 1 short infusion with a long interval), ‖y/sk‖ is tiny, so is h
// (1e-17 for y = 8e-17, atol 1e-12, rate 20), and the floor check fails at once. odeSegment alone
// reproduces it: y0 = 1e-13, k10 = 2, rate 20, rtol 1e-8, atol 1e-10 → status 1 (y0 = 0 or ≥ atol
// are fine).
//
// Suggested fix (both): at the start of a segment raise the first step to at least a small multiple
// of the floor, h = min(span, max(h, 100·stepFloor(t0))), in dopri5() and rosenbrock() — the error
// controller then shrinks or grows it as usual; keep the floor test for steps that error control
// itself has reduced. Optionally do not store a step proposal from a segment shorter than the floor.

import { describe, expect, it } from 'vitest';
import { builtinModel } from '../../src/model/model.js';
import { simulate } from '../../src/engine/simulate.js';
import { regimen } from '../../src/regimen/builder.js';

const infusion = { time: 0, amt: 600, dur: 7 } as const;

describe('ODE solvers: first step below the step floor', () => {
  it('bug 1 trigger: the computed infusion end is not the nominal one', () => {
    const rate = regimen().dose(infusion).records()[0]?.RATE as number;
    expect(600 / rate).not.toBe(7);
    expect(Math.abs(600 / rate - 7)).toBeLessThan(1e-14);
  });

  it('without an observation at the infusion end the ODE solvers agree with the analytic solution', () => {
    const recs = regimen().dose(infusion).observe({ times: [6.5, 8] }).records();
    const exact = simulate(builtinModel('1cmt-iv'), recs, { method: 'analytic' }).ipred;
    for (const method of ['dopri5', 'rosenbrock'] as const) {
      const { ipred } = simulate(builtinModel('1cmt-iv'), recs, { method });
      ipred.forEach((v, i) => expect(v).toBeCloseTo(exact[i] as number, 6));
    }
  });

  it('an observation at the nominal end of an infusion', () => {
    const recs = regimen().dose(infusion).observe({ times: [7, 8] }).records();
    const exact = simulate(builtinModel('1cmt-iv'), recs, { method: 'analytic' }).ipred;
    for (const method of ['dopri5', 'rosenbrock'] as const) {
      const { ipred } = simulate(builtinModel('1cmt-iv'), recs, { method });
      ipred.forEach((v, i) => expect(v).toBeCloseTo(exact[i] as number, 6));
    }
    // a model without an analytic solution, default solver and tolerances
    const mm = builtinModel('mm-iv');
    const alone = simulate(mm, regimen().dose(infusion).observe({ times: [8] }).records()).ipred[1] as number;
    expect(simulate(mm, recs).ipred[2]).toBeCloseTo(alone, 6);
  });

  it('bug 2 trigger: a shorter interval (trough above atol) works', () => {
    const m = builtinModel('effect-emax', { V: 5, CL: 10 });
    const recs = regimen().dose({ time: 0, amt: 100, dur: 0.5, ii: 24, ss: 1 }).observe({ times: [1, 6] }).records();
    const { ipred } = simulate(m, recs);
    expect(ipred[1]).toBeGreaterThan(10);
  });

  it('SS = 1 short infusion q48h whose trough is below atol', () => {
    // effect-emax (Sheiner) with its default solver (dopri5) and default tolerances
    const m = builtinModel('effect-emax', { V: 5, CL: 10 });
    const recs = regimen().dose({ time: 0, amt: 100, dur: 0.5, ii: 48, ss: 1 }).observe({ times: [1, 6] }).records();
    const { ipred } = simulate(m, recs);
    // at steady state with τ = 48 h (k = 2/h) every dose starts from ~0: same as a single dose
    const single = simulate(m, regimen().dose({ time: 0, amt: 100, dur: 0.5 }).observe({ times: [1, 6] }).records()).ipred;
    expect(ipred[1]).toBeCloseTo(single[1] as number, 6);
    expect(ipred[2]).toBeCloseTo(single[2] as number, 6);
  });

  it('a steady-state trough below atol with a linear model and tight tolerances, both ODE solvers', () => {
    const m = builtinModel('1cmt-iv', { CL: 10, V: 5 });
    const recs = regimen().dose({ time: 0, amt: 10, dur: 0.5, ii: 20, ss: 1 }).observe({ times: [0.125, 5] }).records();
    const exact = simulate(m, recs, { method: 'analytic' }).ipred;
    for (const method of ['dopri5', 'rosenbrock'] as const) {
      const { ipred } = simulate(m, recs, { method, rtol: 1e-10, atol: 1e-12 });
      expect(ipred[1]).toBeCloseTo(exact[1] as number, 8);
      expect(ipred[2]).toBeCloseTo(exact[2] as number, 8);
    }
  });
});
