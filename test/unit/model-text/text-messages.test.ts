// What a model text's mistakes and failures say. A second solver or records line overrode the
// first in silence, where every other repeated statement is refused; a NaN prediction from a
// fractional power of a compartment a hair below 0 spoke of square roots and logarithms; a solve
// that ran out of steps, or an SS dose without a steady state, named neither row nor time; and the
// warning for a switch on t the solver cannot stop at did not name abs among its forms.

import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/model/text/index.js';
import { defineModel } from '../../../src/model/model.js';
import { refused } from '../refused.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';


/** d/dt(A) = −A^1.5 from A(0) = 100: A = (0.1 + t/2)^−2, so A(2) = 1/1.21 (closed form). */
const power = (solver: string): string => `theta K = 1\ncompartment A\nd/dt(A) = -K * A^1.5\nobserve = A\n${solver}\n`;
const EXACT_A2 = 1 / 1.21;
const bolus = readNmtran('ID,TIME,EVID,AMT,CMT,MDV\n1,0,1,100,1,1\n1,2,0,.,1,0').records;

describe('a repeated solver or records line', () => {
  const cases: [string, string, RegExp][] = [
    // ran at rtol 1e-3: A(2) 0.8273477784 for 0.826446281 (1.1e-3 off)
    ['solver dopri5 then solver dopri5 rtol = 1e-3', power('solver dopri5\nsolver dopri5 rtol = 1e-3'), /^m\.model:6:1: the solver is given twice \(first on line 5\)/],
    // dropped the rtol line
    ['solver dopri5 rtol = 1e-3 then solver dopri5', power('solver dopri5 rtol = 1e-3\nsolver dopri5'), /^m\.model:6:1: the solver is given twice \(first on line 5\)/],
    // ran NOCB
    ['records locf then records nocb', power('records locf\nrecords nocb'), /^m\.model:6:1: the records rule \(nocb or locf\) is given twice \(first on line 5\)/],
  ];
  for (const [what, text, why] of cases)
    it(`is refused where it is written: ${what}`, () => {
      const e = refused(() => compileModelText(text, 'm.model'), 'E_MODEL_TEXT', why);
      const [, src, caret] = e.message.split('\n');
      expect(src).toContain(text.split('\n')[5]);
      expect((caret as string).indexOf('^') - (caret as string).indexOf('|') - 2).toBe(0);
    });

  it('once, runs as written: the default tolerance meets the closed form, rtol = 1e-3 does not', () => {
    const tight = simulate(defineModel({ dosewise: 'text', text: power('solver dopri5') }), bolus).ipred[1] as number;
    const loose = simulate(defineModel({ dosewise: 'text', text: power('solver dopri5 rtol = 1e-3') }), bolus).ipred[1] as number;
    expect(Math.abs(tight / EXACT_A2 - 1)).toBeLessThan(2e-8); // measured 5.1e-9 (rtol 1e-8)
    expect(Math.abs(loose / EXACT_A2 - 1)).toBeGreaterThan(1e-4); // measured 1.09e-3 (0.8273477784)
  });
});

describe('a prediction that is not a number from a fractional power of a compartment', () => {
  // MM PK into an effect compartment, sigmoid Emax with γ 2.5 (the model file mm_emax.model)
  const emax = (observe: string): string => `model "MM PK + effect compartment sigmoid Emax"
theta V = 5, VMAX = 100, KM = 2, CL = 40, KE0 = 5, E0 = 10, EMAX = 80, EC50 = 2, GAMMA = 2.5
compartment CENT, CE
C = CENT / V
d/dt(CENT) = -VMAX * C / (KM + C) - CL * C
d/dt(CE) = KE0 * (C - CE)
observe = ${observe}
`;
  const data = readNmtran('ID,TIME,EVID,AMT,CMT,MDV\n1,0,1,200,1,1\n1,2,0,0,2,0\n1,6,0,0,2,0\n1,12,0,0,2,0\n1,24,0,0,2,0\n1,48,0,0,2,0').records;

  it('names the power and the fix (the solver returns CE = −7.7e-15 at 12 h, inside atol 1e-10)', () => {
    const m = defineModel({ dosewise: 'text', text: emax('E0 + EMAX * CE^GAMMA / (EC50^GAMMA + CE^GAMMA)'), file: 'e.model' });
    const e = refused(() => simulate(m, data), 'E_SOLVER', /not a number there/);
    // measured CE −7.65432e-15 ('auto' turns stiff here: Rodas5P at rtol 1e-8; −1.82214e-13 with RODAS4),
    // its noise bound 1000·atol + rtol·200 = 1.00018e-7
    expect(e.message).toMatch(/ID 1, TIME 12\): the model's prediction is not a number there \(likely the observation's CE\^GAMMA: a quantity a hair below 0 from the solver's rounding \(CE is -7\.65\d*e-15 there, within the solver's noise \(-1\.00018e-7\)\) raised to a fractional power is not a number: write max\(CE, 0\)\^GAMMA\)/);
  });

  it('names a power of a sum with its brackets: (A - 3)^1.5, not A - 3^1.5 (A − 5.196)', () => {
    const at2 = readNmtran('ID,TIME,EVID,AMT,CMT,MDV\n1,0,0,.,1,0').records;
    for (const [obs, shown] of [
      ['(A - 3)^1.5', '(A - 3)^1.5'],
      ['(A * -4)^(1/3)', '(A * -4)^(1 / 3)'],
    ]) {
      const m = defineModel({ dosewise: 'text', text: `compartment A\ninit(A) = 2\nd/dt(A) = 0\nobserve = ${obs}\n` });
      const e = refused(() => simulate(m, at2), 'E_SOLVER', /not a number there/);
      expect(e.message).toContain(`likely the observation's ${shown}:`);
      expect(e.message).toContain(`max(${obs.slice(1, obs.indexOf(')'))}, 0)^`);
    }
  });

  it('written as the message says, runs and meets the reference', () => {
    const m = defineModel({ dosewise: 'text', text: emax('E0 + EMAX * max(CE, 0)^GAMMA / (EC50^GAMMA + max(CE, 0)^GAMMA)') });
    const { ipred } = simulate(m, data);
    // scipy solve_ivp Radau, rtol 1e-12, atol 1e-20: CE(2) = 0.001759278108646317, E(2) = 10.000001835909353;
    // CE(6) = 3.6e-12 and CE(12) = 4.6e-24 leave E at E0 = 10 (and later)
    expect(Math.abs(((ipred[1] as number) - 10) / 1.835909353e-6 - 1)).toBeLessThan(3e-7); // measured 7.0e-8 (CE itself 2.8e-8 off, to the power 2.5)
    for (const r of [2, 3, 4, 5]) expect(ipred[r]).toBeCloseTo(10, 12);
  });

  it('a compartment really below 0 is said to be, with its value, not blamed on rounding', () => {
    // the model file bad5.model: d/dt(E) = −0.5 − 0.1·E from 0, so E = 5·(e^(−0.1t) − 1) = −0.475813 at 1 h
    const m = defineModel({ dosewise: 'text', text: 'theta V = 20, K = 0.1, G = 0.5\ncompartment CENT, E\nd/dt(CENT) = -K * CENT\nd/dt(E) = -0.5 - 0.1 * E\nobserve = CENT / V + E^G\n' });
    const d24 = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,0,.,1,.,0\n1,0,1,100,1,.,1\n1,1,0,.,1,.,0').records;
    const e = refused(() => simulate(m, d24), 'E_SOLVER', /ID 1, TIME 1\): the model's prediction is not a number there/);
    // it said "a quantity a hair below 0 from the solver's rounding (e.g. a compartment at −1e-13) … write max(E, 0)^G"
    expect(e.message).not.toContain('hair below');
    expect(e.message).toContain(`compartment E is ${+(5 * (Math.exp(-0.1) - 1)).toPrecision(6)} there`);
    expect(e.message).toContain("by the model's own equations");
    expect(e.message).toMatch(/max\(E, 0\)\^G would hide/);
  });

  it('only powers of a compartment-reading quantity to an exponent that is not a whole number are named', () => {
    const powers = (observe: string, extra = ''): unknown => compileModelText(emax(observe).replace('observe', `${extra}observe`)).model.observePowers;
    expect(powers('E0 + EMAX * CE^GAMMA / (EC50^GAMMA + CE^GAMMA)')).toEqual([{ base: 'CE', exponent: 'GAMMA' }]);
    expect(powers('CE^2 + EC50^GAMMA')).toEqual([]);
    expect(powers('pow(C, 0.5)')).toEqual([{ base: 'C', exponent: '0.5' }]);
    expect(powers('E', 'E = (CE / EC50)^(GAMMA + 1)\n')).toEqual([{ base: 'CE / EC50', exponent: '(GAMMA + 1)' }]);
    // a negative number to an exponent that reads a compartment is one too, its value kept
    expect(powers('(-1)^CE^0.5')).toEqual([{ base: '-1', exponent: '(CE ^ 0.5)', negativeBase: -1 }, { base: 'CE', exponent: '0.5' }]);
  });

  it('a negative number to a power is named as the cause, not the compartment-reading power beside it', () => {
    // (-1)^A^0.5 is (-1)^(A^0.5): at A = 2, (-1)^1.414 is not a number; it said "A^0.5: its base is below 0"
    const data = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,0,.,1,.,0\n1,1,0,.,1,.,0').records;
    const m = defineModel({ dosewise: 'text', text: 'compartment A\ninit(A) = 2\nd/dt(A) = 0\nobserve = (-1)^A^0.5\n' });
    const e = refused(() => simulate(m, data), 'E_SOLVER', /the model's prediction is not a number there/);
    expect(e.message).toContain("likely the observation's (-1)^(A ^ 0.5): its base -1 is below 0 and its exponent (A ^ 0.5) not a whole number there, and a negative number to such a power is not a number");
    expect(e.message).not.toContain('A^0.5: its base');
    // a compartment-reading base is judged as before: (A - 3)^1.5 at A = 2
    const b = defineModel({ dosewise: 'text', text: 'compartment A\ninit(A) = 2\nd/dt(A) = 0\nobserve = (A - 3)^1.5\n' });
    expect(refused(() => simulate(b, data), 'E_SOLVER', /not a number/).message).toContain("likely the observation's (A - 3)^1.5: its base is below 0 there while no compartment it reads is");
  });
});

describe('a failed solve names the record', () => {
  // full TMDD (Mager & Jusko 2001), KON 1000: stiff (the model file stiff.model)
  const tmdd = `theta V = 3, KEL = 0.1, KON = 1000, KOFF = 1, KINT = 0.2, KSYN = 1, KDEG = 0.25
compartment CENTRAL, RECEPTOR, COMPLEX
init(RECEPTOR) = KSYN / KDEG
C = CENTRAL / V
bind = KON * C * RECEPTOR - KOFF * COMPLEX
d/dt(CENTRAL) = -KEL * CENTRAL - bind * V
d/dt(RECEPTOR) = KSYN - KDEG * RECEPTOR - bind
d/dt(COMPLEX) = bind - KINT * COMPLEX
observe = CENTRAL / V
`;
  const doses = readNmtran(['ID,TIME,EVID,AMT,CMT,MDV', '1,0,1,500,1,1', '1,6,0,0,1,0', '1,12,0,0,1,0', '1,20,1,300,1,1', '1,24,0,0,1,0'].join('\n')).records;

  it('dopri5 out of steps on a stiff text: the time it reached, the row it did not, and what to try', () => {
    const m = defineModel({ dosewise: 'text', text: tmdd });
    const e = refused(() => simulate(m, doses, { method: 'dopri5', file: 'd.csv' }), 'E_SOLVER', /step budget exhausted/);
    // it said "solver: ID 1: step budget exhausted within one segment"
    expect(e.message).toBe("solver: d.csv, row 2 (ID 1, TIME 6): the solver reached TIME 0 (row 1), not this record: step budget exhausted within one segment: try method: 'rosenbrock' or 'auto'");
    expect(e.place.row).toBe(2);
    // what it suggests solves it
    expect(simulate(m, doses, { method: 'auto' }).ipred.every(Number.isFinite)).toBe(true);
  });

  it('an SS dose of a non-linear text without a periodic steady state: the file, row and TIME of the SS record', () => {
    // 260 mg every 12 h is 21.67 mg/h, above VMAX 21.4 mg/h: no steady state exists
    const mm = defineModel({ dosewise: 'text', text: 'theta V = 20, VMAX = 21.4, KM = 1.5\ncompartment CENT\nC = CENT / V\nd/dt(CENT) = -VMAX * C / (KM + C)\nobserve = C\n' });
    const recs = readNmtran(['ID,TIME,EVID,AMT,CMT,SS,II,MDV', '1,0,1,100,1,0,0,1', '1,6,0,0,1,0,0,0', '1,24,1,260,1,1,12,1', '1,30,0,0,1,0,0,0'].join('\n')).records;
    const e = refused(() => simulate(mm, recs, { file: 'noss.csv' }), 'E_SOLVER', /periodic steady state/);
    // it said "solver: ID 1: dose iteration did not reach a periodic steady state (…)"
    expect(e.message).toMatch(/^solver: noss\.csv, row 3 \(ID 1, TIME 24\), the SS = 1 dose: dose iteration did not reach a periodic steady state/);
    expect(e.place.row).toBe(3);
  });
});

describe('the warning for a switch on t the solver cannot stop at', () => {
  it('names abs among its forms (abs(t - TON - 0.25) < 0.25 was warned without it)', () => {
    const text = 'theta K = 0.1, TON = 100\ncompartment A\nIN = if(abs(t - TON - 0.25) < 0.25, 100, 0)\nd/dt(A) = -K * A + IN\nobserve = A\n';
    const [w] = compileModelText(text, 'ts_abs.model').model.warnings;
    expect(w).toMatch(/^ts_abs\.model:3:\d+: warning: the equations switch on t here at a time that is not a record-level quantity \(a comparison of t with a compartment amount, of t·t or of abs\(t - …\); floor or ceil of t\)/);
  });
});
