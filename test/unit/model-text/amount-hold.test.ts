// A model text's amounts are held at zero by the step control, as the built-in models' are (a step
// that carries one from above its tolerance to below −(atol + rtol·|y|) is rejected and retried
// smaller; src/model/text/held-amounts.ts says which compartments). A Michaelis–Menten text (V 42,
// VMAX 6300, KM 10, 60 g IV) at rtol 1e-4 read −67.9 mg/L at 10 h and −2210 at 24 h with `auto` and
// `dopri5` (exact 1.0198 and ~0), exit 0 with only W_NEGATIVE_AMOUNT, where the built-in `mm-iv`
// read 1.0200. A quantity negative by right (an observed change from baseline) is not held and crosses zero.
// References: test/oracle/text_amount_hold.py (Lambert W; scipy Radau at rtol 1e-12).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { regimen } from '../../../src/regimen/builder.js';
import { simulate } from '../../../src/engine/simulate.js';
import { compileModelText } from '../../../src/model/text/index.js';

const ref = JSON.parse(readFileSync(new URL('../../oracle/text-amount-hold.json', import.meta.url), 'utf8')) as {
  mm: { V: number; VMAX: number; KM: number; AMT: number; times: number[]; conc: number[] };
  cross: { params: Record<string, number>; dose: number; times: number[]; E: number[] };
};
const ATOL = 1e-10;
const METHODS = ['auto', 'dopri5', 'dop853', 'rosenbrock'] as const;

const MM = `theta V = ${ref.mm.V}, VMAX = ${ref.mm.VMAX}, KM = ${ref.mm.KM}
compartment CENTRAL
C = CENTRAL / V
d/dt(CENTRAL) = -VMAX * C / (KM + C)
observe = C
`;

const levels = (text: string, amt: number, times: number[], method: (typeof METHODS)[number], rtol: number): { obs: number[]; warnings: readonly string[] } => {
  const recs = regimen().dose({ time: 0, amt }).observe({ times }).records();
  const sim = simulate(defineModel({ dosewise: 'text', text }), recs, { method, rtol });
  return { obs: Array.from(sim.ipred).filter((_, k) => recs[k]!.EVID === 0), warnings: sim.warnings };
};

describe('a Michaelis–Menten text through the end of its fall at loose rtol', () => {
  for (const rtol of [1e-4, 1e-3])
    for (const method of METHODS)
      it(`${method}, rtol ${rtol}: the Lambert-W values, never below −atol/V, no W_NEGATIVE_AMOUNT`, () => {
        const { obs, warnings } = levels(MM, ref.mm.AMT, ref.mm.times, method, rtol);
        const tu = obs.map((g, k) => Math.abs(g - ref.mm.conc[k]!) / (rtol * ref.mm.conc[k]! + ATOL / ref.mm.V));
        // measured at rtol 1e-4: auto and rosenbrock 1.8 tolerances, dop853 3.5, dopri5 6.2 (IPRED was
        // −67.9 at 10 h and −2210 at 24 h with auto and dopri5); at 1e-3: 2.9, 0.6, dopri5 61 (at 1e-3 the
        // built-ins reach 117 on random boluses: README), where they read −69.4 and −2206.6. Lowest
        // value −1.9e-12 (dop853), within atol/V = 2.4e-12.
        expect(Math.max(...tu)).toBeLessThan(rtol === 1e-4 ? 15 : 200);
        expect(Math.min(...obs)).toBeGreaterThanOrEqual(-2 * ATOL / ref.mm.V);
        expect(warnings.join('\n')).not.toContain('W_NEGATIVE_AMOUNT');
      });
});

describe('a held quantity that is negative by right still crosses zero', () => {
  const p = ref.cross.params;
  const TEXT = `theta VMAX = ${p.VMAX}, KM = ${p.KM}, V = ${p.V}, KE = ${p.KE}, KOUT = ${p.KOUT}, R = ${p.R}
compartment A, E
d/dt(A) = -VMAX * A / (KM * V + A)
d/dt(E) = KE * A / V - KOUT * E - R
observe = E
`;
  for (const rtol of [1e-4, 1e-8])
    for (const method of METHODS)
      it(`${method}, rtol ${rtol}: E from +18.65 to −2.5 as scipy has it`, () => {
        const { obs } = levels(TEXT, ref.cross.dose, ref.cross.times, method, rtol);
        const err = obs.map((g, k) => Math.abs(g - ref.cross.E[k]!) / (rtol * Math.abs(ref.cross.E[k]!) + ATOL));
        // measured: at most 1.5 tolerances (auto, dop853 at 1e-8; 1.3 at 1e-4)
        expect(Math.max(...err)).toBeLessThan(5);
        expect(obs.at(-1)).toBeLessThan(-2.49);
      });
});

describe('which compartments a text holds', () => {
  const held = (text: string): readonly number[] => compileModelText(text).program.held;
  it('compartment 1 and the compartments dose modifiers name; not the observed one (it may cross zero by right) nor a PD state the text says nothing of', () => {
    expect(held(MM)).toEqual([0]);
    const pd = 'theta K = 1, KE = 1, V = 1\ncompartment A, E\nd/dt(A) = -K * A\nd/dt(E) = KE * A - E - 1\nobserve = A / V\n';
    expect(held(pd)).toEqual([0]);
    const oral = 'theta KA = 1, K = 1, V = 1, KE = 1\ncompartment R, DEPOT, CENT\nlag(DEPOT) = 0.5\nd/dt(R) = KE * CENT - R\nd/dt(DEPOT) = -KA * DEPOT\nd/dt(CENT) = KA * DEPOT - K * CENT\nobserve = CENT / V\n';
    expect(held(oral)).toEqual([0, 1]);
  });
});
