// Model texts linear in their states (f = J·y + c, J and c constant in y and t) are propagated
// exactly between events, by the same code as the built-in linear structures' stable fallback
// (Van Loan exponential, LU steady states). Checked against the built-in closed forms, a closed
// form with a constant input, the transit chain's closed form, and dopri5 at rtol 1e-12.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../../src/engine/model-text.js';
import { resolveMethod, simulate } from '../../../src/engine/simulate.js';
import { defineModel, type Model } from '../../../src/model/model.js';
import { compileModelText } from '../../../src/model/text/index.js';
import { regimen } from '../../../src/regimen/builder.js';
import { Method } from '../../../src/abi.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'dosewise-exact-linear-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
const text = (name: string) => readFileSync(`examples/user-models/${name}.model`, 'utf8');

/** Largest relative difference, with a floor of 1e-9 of the largest |reference| for values near 0. */
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let peak = 0;
  for (let i = 0; i < b.length; i++) peak = Math.max(peak, Math.abs(b[i] as number));
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)) / Math.max(Math.abs(b[i] as number), 1e-9 * peak));
  return m;
}

const TIGHT = { method: 'dopri5', rtol: 1e-12, atol: 1e-14 } as const;

let wb: Model;
let oral: Model;
let transit: Model;
beforeAll(async () => {
  wb = await compileModel(text('wb-population'), { cacheDir });
  oral = await compileModel(text('two-cmt-oral'), { cacheDir });
  transit = await compileModel(text('transit'), { cacheDir });
}, 180_000);

describe('which model texts are linear', () => {
  it('affine right-hand sides, intermediates of parameters included; not with the state or t in the Jacobian', () => {
    const lin = (t: string) => compileModelText(t).program.linear;
    expect(lin(text('wb-population'))).toBe(true);
    expect(lin(text('two-cmt-oral'))).toBe(true);
    expect(lin(text('transit'))).toBe(true);
    expect(lin(text('tmdd'))).toBe(false);
    // an intermediate of parameters only (K = CL/V) keeps the Jacobian constant
    expect(lin('theta CL = 1, V = 10\ncompartment A\nK = CL / V\nd/dt(A) = -K * A\nobserve = A / V')).toBe(true);
    // a constant input (zero-order production) is affine
    expect(lin('theta KIN = 2, KOUT = 0.1\ncompartment R\nd/dt(R) = KIN - KOUT * R\nobserve = R')).toBe(true);
    // an intermediate of the state, or time, is not
    expect(lin('theta VM = 1, KM = 2\ncompartment A\nC = A / 10\nd/dt(A) = -VM * C / (KM + C)\nobserve = C')).toBe(false);
    expect(lin('theta K = 1\ncompartment A\nd/dt(A) = -K * A * exp(-0.01 * t)\nobserve = A')).toBe(false);
    expect(lin('theta K = 1\ncompartment A\nd/dt(A) = -K * A + t\nobserve = A')).toBe(false);
    // steps on the state have a zero or piecewise derivative, yet f is not affine: never linear
    expect(lin('theta K = 1\ncompartment A, B\nd/dt(A) = -K * A\nd/dt(B) = (A > 10) * K\nobserve = B')).toBe(false);
    expect(lin('theta K = 1\ncompartment A, B\nd/dt(A) = -K * A\nd/dt(B) = K * floor(A)\nobserve = B')).toBe(false);
    expect(lin('theta K = 1\ncompartment A, B\nd/dt(A) = -K * A\nON = A > 10 ? 1 : 2\nd/dt(B) = K * ON\nobserve = B')).toBe(false);
    expect(lin('theta K = 1\ncompartment A, B\nd/dt(A) = -K * A\nd/dt(B) = if(A > 10, K, 2 * K)\nobserve = B')).toBe(false);
    expect(lin('theta K = 1\ncompartment A, B\nd/dt(A) = -K * A\nd/dt(B) = K * max(A, 5)\nobserve = B')).toBe(false);
    // a step on parameters alone is fine
    expect(lin('theta K = 1, WT = 80\ncompartment A\nKK = WT > 70 ? 2 * K : K\nd/dt(A) = -KK * A\nobserve = A')).toBe(true);
  });

  it('a text with a step on its state (zero derivative, not affine) is integrated, not propagated', async () => {
    const m = await compileModel('theta K = 0.5\ncompartment A, B\nd/dt(A) = -K * A\nd/dt(B) = (A > 10) * 2\nobserve = B', { cacheDir });
    expect(m.kernel?.linear).toBe(false);
    expect(resolveMethod(m, undefined)).toBe(Method.Auto);
    // B grows at 2/h while A = 100·e^(−0.5t) > 10, i.e. until t = 2·ln 10: B(24) = 4·ln 10
    const recs = regimen().dose({ time: 0, amt: 100, cmt: 1 }).observe({ times: [24] }).records();
    const b24 = simulate(m, recs, { rtol: 1e-10, atol: 1e-12 }).ipred[1] as number;
    expect(Math.abs(b24 - 4 * Math.log(10))).toBeLessThan(1e-6);
  });

  it("'auto' propagates a linear text exactly; 'analytic' on a nonlinear text is refused naming the line", async () => {
    expect(resolveMethod(wb, undefined)).toBe(Method.Analytic);
    expect(resolveMethod(wb, 'dopri5')).toBe(Method.Dopri5);
    expect(() => compileModelText('theta VM = 1, KM = 2\ncompartment A\nd/dt(A) = -VM * A / (KM + A)\nobserve = A\nsolver analytic', 'mm.model')).toThrow(/mm\.model:5.*solver analytic needs a model linear/);
    const mm = defineModel({ dosewise: 'text', text: 'theta VM = 1, KM = 2\ncompartment A\nd/dt(A) = -VM * A / (KM + A)\nobserve = A' });
    expect(() => resolveMethod(mm, 'analytic')).toThrow(/its Jacobian depends on the state or time/);
  });
});

describe('exact propagation = the built-in closed forms', () => {
  it('W-b as a model text = built-in 1cmt-oral analytic (C(24) check value, 337 outputs)', () => {
    const recs = regimen().dose({ time: 0, amt: 500, addl: 27, ii: 12 }).observe({ grid: { from: 0, to: 336, step: 1 } }).records();
    const items = { ETA_CL: 0, ETA_V: 0, ETA_KA: 0 };
    const got = simulate(wb, recs, { overrides: items });
    const ref = simulate(defineModel({ dosewise: 1, name: 'wb', structure: '1cmt-oral', parameters: { CL: 5, V: 50, KA: 1.2 } }), recs, { method: 'analytic' });
    expect(relDiff(got.ipred, ref.ipred)).toBeLessThan(1e-13); // measured 2.0e-14
    const c24 = got.ipred[recs.findIndex((r) => r.EVID === 0 && r.TIME === 24)] as number;
    expect(Math.abs(c24 - 4.27539936) / 4.27539936).toBeLessThan(1e-8);
  });

  it('2-cmt oral text = ADVAN4: boluses, an infusion, SS=1 bolus and infusion, SS=2, a reset', () => {
    const items = { WT: 85, ETA_CL: 0.2, ETA_V: -0.1 };
    const v = oral.evaluate(items).values;
    const advan4 = defineModel({ dosewise: 1, name: 'advan4', structure: 'advan4', parameters: { CL: v.CL, V: v.V, Q: v.Q, V2: v.V2, KA: v.KA } });
    const recs = regimen()
      .dose({ time: 0, amt: 250, ss: 1, ii: 8, cmt: 1, addl: 2 })
      .dose({ time: 30, amt: 300, rate: 150, cmt: 2 })
      .dose({ time: 40, amt: 200, dur: 3, ss: 1, ii: 12, cmt: 2 })
      .dose({ time: 60, amt: 100, ss: 2, ii: 12, cmt: 1 })
      .observe({ grid: { from: 0, to: 100, step: 0.5 }, items })
      .records();
    const ref = simulate(advan4, recs);
    const got = simulate(oral, recs, { overrides: items });
    expect(relDiff(got.ipred, ref.ipred)).toBeLessThan(1e-13); // measured 2.4e-14
    expect(relDiff(got.amounts as Float64Array, ref.amounts as Float64Array)).toBeLessThan(1e-13); // measured 2.9e-14
  });

  it('8-compartment transit chain: amounts equal Dose·(KTR·t)^(i−1)/(i−1)!·e^(−KTR·t)', () => {
    const recs = regimen().dose({ time: 0, amt: 100, cmt: 1 }).observe({ grid: { from: 0, to: 24, step: 0.25 } }).records();
    const got = simulate(transit, recs);
    const ktr = 1.5;
    let worst = 0;
    recs.forEach((r, row) => {
      if (r.EVID !== 0 || r.TIME === 0) return; // at 0 the sample precedes the dose
      let fact = 1;
      for (let i = 0; i < 7; i++) {
        if (i > 0) fact *= i;
        const want = (100 * (ktr * r.TIME) ** i * Math.exp(-ktr * r.TIME)) / fact;
        const have = (got.amounts as Float64Array)[row * 8 + i] as number;
        worst = Math.max(worst, Math.abs(have - want) / 100);
      }
    });
    expect(worst).toBeLessThan(1e-15); // measured 1.4e-16 of the dose
    expect(relDiff(got.ipred, simulate(transit, recs, TIGHT).ipred)).toBeLessThan(1e-10); // dopri5 at rtol 1e-12: measured 2.0e-11
  });
});

describe('affine models and matrices with negative couplings', () => {
  it('turnover with a constant input: R(t) = R_ss + (R0 − R_ss)·e^(−kout·t), SS=1 and SS=2 included', async () => {
    const m = await compileModel('theta KIN = 2, KOUT = 0.1, KA = 0.7, K = 0.3\ncompartment D, C, R\ninit(R) = 5\nd/dt(D) = -KA * D\nd/dt(C) = KA * D - K * C\nd/dt(R) = KIN - KOUT * R - 0.05 * C\nobserve = R', { cacheDir });
    expect(m.kernel?.linear).toBe(true);
    // no dose: the turnover alone, against its closed form
    const free = regimen().observe({ grid: { from: 0, to: 48, step: 1 } }).records();
    const r = simulate(m, free).ipred;
    free.forEach((rec, i) => expect(Math.abs((r[i] as number) - (20 + (5 - 20) * Math.exp(-0.1 * rec.TIME))) / 20).toBeLessThan(1e-14)); // measured at most 1.4e-15
    // with doses, SS=1 (periodic state of the affine system) and SS=2: against dopri5 at rtol 1e-12
    const recs = regimen()
      .dose({ time: 0, amt: 100, ss: 1, ii: 12, cmt: 1, addl: 3 })
      .dose({ time: 50, amt: 50, rate: 25, ss: 2, ii: 12, cmt: 2 })
      .observe({ grid: { from: 0, to: 96, step: 0.5 } })
      .records();
    expect(relDiff(simulate(m, recs).amounts as Float64Array, simulate(m, recs, TIGHT).amounts as Float64Array)).toBeLessThan(5e-10); // measured 1.5e-10 (dopri5's own error at rtol 1e-12 and its Newton steady state)
  });

  it('a linear inhibition of production (negative coupling) over long, stiff steps: the general exponential = the closed form', async () => {
    // drug C (k = 8 /h) inhibits the production of R linearly; 24-h gaps scale K·h to ~200
    const m = await compileModel('theta K = 8, KIN = 10, KOUT = 0.05, SLOPE = 0.02\ncompartment C, R\ninit(R) = 200\nd/dt(C) = -K * C\nd/dt(R) = KIN - KIN * SLOPE * C - KOUT * R\nobserve = R', { cacheDir });
    expect(m.kernel?.linear).toBe(true);
    const recs = regimen().dose({ time: 0, amt: 40, addl: 4, ii: 24, cmt: 1 }).observe({ times: [0.5, 1, 24, 48, 72, 100, 150, 200] }).records();
    const got = simulate(m, recs).amounts as Float64Array;
    // C = Σ 40·e^(−K(t−tᵢ)); R = 200 − KIN·SLOPE·Σ 40·(e^(−KOUT(t−tᵢ)) − e^(−K(t−tᵢ)))/(K − KOUT) (R_ss = R0 = 200)
    const closed = (t: number): [number, number] => {
      let c = 0;
      let r = 200;
      for (let d = 0; d < 5; d++) {
        if (t < 24 * d) continue;
        const s = t - 24 * d;
        c += 40 * Math.exp(-8 * s);
        r -= (10 * 0.02 * 40 * (Math.exp(-0.05 * s) - Math.exp(-8 * s))) / (8 - 0.05);
      }
      return [c, r];
    };
    let worst = 0;
    recs.forEach((r, row) => {
      if (r.EVID !== 0) return;
      const [c, rr] = closed(r.TIME);
      worst = Math.max(worst, Math.abs((got[row * 2] as number) - c) / 40, Math.abs((got[row * 2 + 1] as number) - rr) / 200);
    });
    expect(worst).toBeLessThan(1e-13); // measured 2.6e-14 (RODAS4 at rtol 1e-12: 4.2e-13)
  });

  it('a negative coupling (not a mass balance) takes the general exponential', async () => {
    const m = await compileModel('theta K = 0.4, E = 0.2, KE = 0.3\ncompartment A, B\nd/dt(A) = -K * A\nd/dt(B) = -E * A - KE * B\ninit(B) = 50\nobserve = B', { cacheDir });
    expect(m.kernel?.linear).toBe(true);
    const recs = regimen().dose({ time: 0, amt: 100, addl: 3, ii: 6, cmt: 1 }).observe({ grid: { from: 0, to: 30, step: 0.5 } }).records();
    expect(relDiff(simulate(m, recs).amounts as Float64Array, simulate(m, recs, TIGHT).amounts as Float64Array)).toBeLessThan(1e-11); // measured 2.5e-12
  });
});

describe('property: exact propagation of the 2-compartment text = ADVAN4 for any parameters and regimen', () => {
  it('random CL, V, Q, V2, KA, doses, intervals, infusions and SS (fast-check, 60 cases): within 3e-12', () => {
    fc.assert(
      fc.property(
        fc.record({
          CL: fc.double({ min: 0.05, max: 50, noNaN: true }),
          V: fc.double({ min: 2, max: 200, noNaN: true }),
          Q: fc.double({ min: 0.05, max: 50, noNaN: true }),
          V2: fc.double({ min: 2, max: 500, noNaN: true }),
          KA: fc.double({ min: 0.05, max: 10, noNaN: true }),
          dose: fc.double({ min: 1, max: 2000, noNaN: true }),
          ii: fc.constantFrom(6, 8, 12, 24),
          dur: fc.double({ min: 0.25, max: 4, noNaN: true }),
          ss: fc.boolean(),
        }),
        (p) => {
          const recs = regimen()
            .dose({ time: 0, amt: p.dose, addl: 3, ii: p.ii, cmt: 1, ss: p.ss ? 1 : 0 })
            .dose({ time: 4 * p.ii, amt: p.dose, dur: p.dur, cmt: 2 })
            .observe({ grid: { from: 0, to: 5 * p.ii, step: p.ii / 8 } })
            .records();
          const ref = simulate(defineModel({ dosewise: 1, name: 'advan4', structure: 'advan4', parameters: { CL: p.CL, V: p.V, Q: p.Q, V2: p.V2, KA: p.KA } }), recs);
          const got = simulate(oral, recs, { overrides: { CL: p.CL, V: p.V, Q: p.Q, V2: p.V2, KA: p.KA } });
          // every amount, the peripheral and the depot included: measured at most 9.3e-13 over the 60 cases
          expect(relDiff(got.amounts as Float64Array, ref.amounts as Float64Array)).toBeLessThan(3e-12);
        },
      ),
      { numRuns: 60, seed: 23 },
    );
  });
});
