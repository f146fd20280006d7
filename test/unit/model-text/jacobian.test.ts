// The symbolic Jacobian (and df/dt) of model texts against central finite differences of the
// right-hand side, at random states and parameters (fast-check). The programs are evaluated in
// TypeScript here; the same programs are printed as the AssemblyScript kernel.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../../src/model/expression.js';
import { compileModelText } from '../../../src/model/text/index.js';
import type { Program } from '../../../src/model/text/kernel.js';

function evaluate(prog: Program, env: Readonly<Record<string, number>>): number[] {
  const slots = new Map<string, number>();
  const slot = (n: string): number => {
    let s = slots.get(n);
    if (s === undefined) slots.set(n, (s = slots.size));
    return s;
  };
  const locals = prog.locals.map((l) => ({ s: slot(l.id), f: compileExpression(l.expr, slot) }));
  const outs = prog.out.map((o) => compileExpression(o, slot));
  const v = new Float64Array(slots.size + 64);
  for (const [k, x] of Object.entries(env)) if (slots.has(k)) v[slots.get(k) as number] = x;
  for (const l of locals) v[l.s] = l.f(v);
  return outs.map((f) => f(v));
}

const MODELS: Record<string, string> = {
  tmdd: `theta V = 3, KEL = 0.1, KON = 0.5, KOFF = 0.05, KINT = 0.2, KSYN = 1, KDEG = 0.25
compartment CENTRAL, RECEPTOR, COMPLEX
C = CENTRAL / V
bind = KON * C * RECEPTOR - KOFF * COMPLEX
d/dt(CENTRAL) = -KEL * CENTRAL - bind * V
d/dt(RECEPTOR) = KSYN - KDEG * RECEPTOR - bind
d/dt(COMPLEX) = bind - KINT * COMPLEX
observe = C`,
  hill: `theta V = 20, VMAX = 5, KM = 2, H = 1.7, KA = 0.8
compartment DEPOT, CENTRAL
C = CENTRAL / V
elim = VMAX * C^H / (KM^H + C^H)
d/dt(DEPOT) = -KA * DEPOT
d/dt(CENTRAL) = KA * DEPOT - elim * V
observe = C`,
  functions: `theta EMAX = 3, EC50 = 1.5, K = 0.2
compartment A, B
E = EMAX * min(A, 10) / (EC50 + abs(A))
g = sqrt(A + 1) * log(B + 2) - max(A, B) * 0.1 + (A > 1 ? A : 2 * A) + pow(B + 1, A / 5) + log10(A + 3) + exp(-K * B)
d/dt(A) = -E * A + g / 10
d/dt(B) = E - K * B * B / (1 + B)
observe = A`,
  time: `theta K = 0.3, R0 = 2
compartment A, B
u = t * A
d/dt(A) = -K * A * exp(-0.1 * t) + R0 * exp(-t) * B - 0.01 * u
d/dt(B) = -B + t^2 / (1 + t)
observe = A`,
};

describe('symbolic Jacobian = finite differences', () => {
  for (const [name, text] of Object.entries(MODELS))
    it(name, () => {
      const c = compileModelText(text);
      const k = c.program;
      const n = k.nStates;
      const nIn = c.model.kernel.inputs.length;
      const theta = c.model.theta;
      fc.assert(
        fc.property(
          fc.array(fc.double({ min: 0.05, max: 20, noNaN: true }), { minLength: n, maxLength: n }),
          fc.double({ min: 0.01, max: 48, noNaN: true }),
          fc.double({ min: 0.5, max: 2, noNaN: true }),
          (y, t, scale) => {
            // differences across a kink (max(A, B) at A = B, A > 1, min(A, 10)) measure no derivative
            if (name === 'functions') fc.pre(Math.abs((y[0] as number) - (y[1] as number)) > 1e-3 && Math.abs((y[0] as number) - 1) > 1e-3 && Math.abs((y[0] as number) - 10) > 1e-3);
            const env: Record<string, number> = { t };
            y.forEach((x, i) => (env[`y${i}`] = x));
            c.model.kernel.inputs.forEach((nm, i) => (env[`p${i}`] = (theta[nm] as number) * scale));
            expect(nIn).toBeGreaterThan(0);
            const J = evaluate(k.jac, env);
            for (let j = 0; j < n; j++) {
              const h = 1e-6 * Math.max(1, Math.abs(y[j] as number));
              const up = evaluate(k.rhs, { ...env, [`y${j}`]: (y[j] as number) + h });
              const dn = evaluate(k.rhs, { ...env, [`y${j}`]: (y[j] as number) - h });
              for (let i = 0; i < n; i++) {
                const fd = ((up[i] as number) - (dn[i] as number)) / (2 * h);
                expect(J[i * n + j]).toBeCloseTo(fd, 5);
              }
            }
            if (k.dt) {
              const ft = evaluate(k.dt, env);
              const h = 1e-6 * Math.max(1, t);
              const up = evaluate(k.rhs, { ...env, t: t + h });
              const dn = evaluate(k.rhs, { ...env, t: t - h });
              for (let i = 0; i < n; i++) expect(ft[i]).toBeCloseTo(((up[i] as number) - (dn[i] as number)) / (2 * h), 5);
            }
          },
        ),
        { numRuns: 200, seed: 7 },
      );
    });

  it('linear models have a constant Jacobian (dopri5 by default); nonlinear ones Rosenbrock', () => {
    expect(compileModelText(MODELS.tmdd as string).program.nonlinear).toBe(true);
    expect(compileModelText(MODELS.hill as string).program.nonlinear).toBe(true);
    expect(compileModelText('theta K = 1, V = 2\ncompartment A, B\nd/dt(A) = -K*A\nd/dt(B) = K*A - B\nobserve = B / V').program.nonlinear).toBe(false);
  });
});
