// A model text with more compartments than the engine's 16 initial pages hold (its static state
// buffers and matrices grow with the states): a 40-compartment transit chain, a standard absorption
// model, was refused by every method with the compiler's "AS105: Module requires at least '20'
// pages of initial memory" (chains of up to 33 compiled).
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../src/engine/model-text.js';
import { simulate } from '../../../src/engine/simulate.js';
import { regimen } from '../../../src/regimen/builder.js';

function chain(n: number): string {
  const names = Array.from({ length: n }, (_, i) => `T${i + 1}`);
  const lines = [`model "transit ${n}"`, 'theta KTR = 10.0, K = 0.1, V = 10', `compartment ${names.join(', ')}, CENT`, 'd/dt(T1) = -KTR * T1'];
  for (let i = 2; i <= n; i++) lines.push(`d/dt(T${i}) = KTR * T${i - 1} - KTR * T${i}`);
  lines.push(`d/dt(CENT) = KTR * T${n} - K * CENT`, 'observe = CENT / V');
  return `${lines.join('\n')}\n`;
}

/** Dose·(k t)^(n−1)/(n−1)!·e^(−k t), the amount in the n-th of n equal transit compartments. */
function erlang(dose: number, k: number, n: number, t: number): number {
  let logFact = 0;
  for (let i = 2; i < n; i++) logFact += Math.log(i);
  return dose * Math.exp((n - 1) * Math.log(k * t) - logFact - k * t);
}

describe('model texts with many compartments', () => {
  it('a 40-compartment transit chain compiles and matches its closed form', async () => {
    const m = await compileModel(chain(40), { file: 'transit40.model' });
    expect(m.nStates).toBe(41);
    const times = [2, 3, 4, 5, 6];
    const recs = regimen().dose({ time: 0, amt: 100, cmt: 1 }).observe({ times, cmt: 40 }).records();
    for (const method of ['auto', 'dopri5'] as const) {
      const sim = simulate(m, recs, { rtol: 1e-10, atol: 1e-12, method });
      const exact = times.map((t) => erlang(100, 10, 40, t));
      const rel = Math.max(...exact.map((x, i) => Math.abs((sim.ipred[i + 1] ?? NaN) - x) / x));
      // measured 3.5e-12 (auto: exact propagation) and 9.8e-11 (dopri5)
      expect(rel, method).toBeLessThan(method === 'auto' ? 1e-11 : 5e-10);
    }
  }, 300_000);
});
