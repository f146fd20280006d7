// Method 'auto' on ODE models: Dormand–Prince while the problem is not stiff (then its output is
// dopri5's, bit for bit: the stiffness test only reads), RODAS4 for the rest of a subject from the
// segment where Hairer's test (h·λ > 3.25 on 15 accepted steps in a row) fires. At rtol ≤ 1e-8
// DOP853 first, as long as its steps are held by accuracy (test/unit/ode.test.ts, AutoTight).

import { describe, expect, it } from 'vitest';
import { builtinModel } from '../../src/model/model.js';
import { regimen } from '../../src/regimen/builder.js';
import { resolveMethod, simulate } from '../../src/engine/simulate.js';
import { Method } from '../../src/abi.js';

const records = regimen().dose({ time: 0, amt: 100, addl: 3, ii: 24 }).observe({ grid: { from: 0, to: 96, step: 1 } }).records();

describe("method 'auto' on ODE models", () => {
  it('is the default of every built-in ODE model, and analytic for linear ones', () => {
    for (const name of ['mm-oral', 'tmdd', 'tmdd-qss', 'effect-emax', 'claret']) expect(resolveMethod(builtinModel(name), undefined), name).toBe(Method.Auto);
    expect(resolveMethod(builtinModel('2cmt-oral'), undefined)).toBe(Method.Analytic);
  });

  it('on non-stiff problems gives exactly what DOP853 gives at rtol ≤ 1e-8 (the default), and Dormand–Prince above', () => {
    for (const model of [builtinModel('mm-oral'), builtinModel('tmdd'), builtinModel('effect-emax')]) {
      for (const [rtol, method] of [[undefined, 'dop853'], [1e-8, 'dop853'], [1e-7, 'dopri5'], [1e-6, 'dopri5']] as const) {
        const a = simulate(model, records, { method: 'auto', amounts: true, rtol });
        const d = simulate(model, records, { method, amounts: true, rtol });
        expect(a.ipred).toEqual(d.ipred);
        expect(a.amounts).toEqual(d.amounts);
      }
    }
  });

  it('switches a stiff subject to RODAS4: solved where Dormand–Prince exhausts its step budget', () => {
    // fast binding (KON 1e4 /conc/h): eigenvalues near −KON·R0 ≈ −4e4 /h against hours of dynamics
    const model = builtinModel('tmdd', { KON: 1e4, KOFF: 100 });
    expect(() => simulate(model, records, { method: 'dopri5' })).toThrow(/step budget exhausted/);
    const a = simulate(model, records, { method: 'auto', amounts: true });
    const r = simulate(model, records, { method: 'rosenbrock', amounts: true });
    // from the first segment on, the subject runs RODAS4 exactly as a RODAS4 run does
    expect(a.ipred).toEqual(r.ipred);
    expect(a.amounts).toEqual(r.amounts);
  });
});
