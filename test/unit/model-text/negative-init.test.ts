// A model text's init() below zero on a compartment that holds an amount. init(A) = −5 on compartment
// 1 (where a dose without CMT goes) with 100 mg at t = 0 read A1 95 at TIME 0 and 95·e^(−0.1 t) after,
// exit 0 without a word (t4 report P3, bad/b4.model); with an observation before the dose it was
// warned W_NEGATIVE_AMOUNT advising "tighten --rtol from 1e-8 to 1e-10", which cannot change an
// initial value. Now a constant one on a compartment the text marks as an amount is refused where it
// is written, one that reads a parameter or covariate, or sits on a compartment the subject's records
// dose, is refused per subject, naming the place, the value and what it read; a state that may be
// negative by right (neither marked nor dosed) keeps it, and its warning says init() put it there.
// Reference: closed form, −5·e^(−0.1 t) for d/dt(E) = −0.1·E from init(E) = −5.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const text = (body: string, file = 'neg.model') => defineModel({ dosewise: 'text', text: body, file });
const records = (csv: string) => readNmtran(csv).records;
const thrown = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'nothing thrown';
};

const B4 = `theta K = 0.1, V = 10
compartment A
init(A) = -5
d/dt(A) = -K * A
observe = A / V
`;
const D = 'ID,TIME,AMT,CMT,EVID,DV\n1,0,100,1,1,.\n1,1,.,1,0,.\n1,5,.,1,0,.\n';

describe('a constant init() below zero on a compartment the text marks as an amount is refused where it is written', () => {
  it('compartment 1 (the report\'s b4.model): was A1 95 at TIME 0, exit 0', () => {
    const m = thrown(() => text(B4, 'b4.model'));
    expect(m).toContain('b4.model:3:1: init(A) is -5, below zero, but A is an amount (compartment 1, where a dose record without CMT goes)');
    expect(m).toContain('a negative amount is never right there');
    expect(m).toContain('3 | init(A) = -5');
  });
  it('a compartment given lag(): doses go there', () => {
    const m = thrown(() => text(`theta KA = 1, K = 0.1, V = 10, A0 = 2
compartment C, DEPOT
init(DEPOT) = 3 - 8
lag(DEPOT) = 0.5
d/dt(DEPOT) = -KA * DEPOT
d/dt(C) = KA * DEPOT - K * C
observe = C / V
`));
    expect(m).toContain('neg.model:3:17: init(DEPOT) is -5, below zero, but DEPOT is an amount (given lag(DEPOT): doses go there)');
  });
});

describe('an init() below zero for a subject, on an amount, is refused per subject', () => {
  it('an init() that reads a covariate, on compartment 1: named with its value, ID, row and what it read', () => {
    const m = text(`theta K = 0.1, V = 10, A0 = 5
covariate WT = 70
compartment A
init(A) = A0 * (WT - 80) / 10
d/dt(A) = -K * A
observe = A / V
`);
    // WT 90: init +5, accepted: 105·e^(−0.1) at 1 h
    const ok = simulate(m, records('ID,TIME,AMT,CMT,EVID,DV,WT\n1,0,100,1,1,.,90\n1,1,.,1,0,.,90\n'));
    expect(ok.ipred[1]).toBeCloseTo((105 * Math.exp(-0.1)) / 10, 9);
    const e = thrown(() => simulate(m, records('ID,TIME,AMT,CMT,EVID,DV,WT\n1,0,.,1,0,.,90\n2,0,100,1,1,.,70\n2,1,.,1,0,.,70\n'), { file: 'd.csv' }));
    expect(e).toContain('neg.model:4:26: init(A) is -5 for ID 2 (d.csv, row 2: A0 = 5, WT = 70), below zero, but A is an amount (compartment 1, where a dose record without CMT goes)');
    // the value the subject was simulated with: an override that makes it positive is accepted, one that makes it negative refused
    const wt70 = records('ID,TIME,AMT,CMT,EVID,DV,WT\n1,0,100,1,1,.,70\n1,1,.,1,0,.,70\n');
    expect(simulate(m, wt70, { overrides: { A0: -5 } }).ipred[1]).toBeCloseTo((105 * Math.exp(-0.1)) / 10, 9);
    const wt90 = records('ID,TIME,AMT,CMT,EVID,DV,WT\n1,0,100,1,1,.,90\n1,1,.,1,0,.,90\n');
    expect(thrown(() => simulate(m, wt90, { overrides: { A0: -5 } }))).toContain('neg.model:4:26: init(A) is -5 for ID 1 (row 1: with the values given to it), below zero');
  });
  it('a compartment the text does not mark, which the subject\'s records dose', () => {
    const PD = `theta K = 0.1, V = 10, KE = 0.5
compartment A, B
init(B) = -2
d/dt(A) = -K * A
d/dt(B) = -KE * B
observe = A / V
`;
    const e = thrown(() => simulate(text(PD), records('ID,TIME,AMT,CMT,EVID,DV\n1,0,100,1,1,.\n1,2,50,2,1,.\n1,3,.,1,0,.\n'), { file: 'd.csv' }));
    expect(e).toContain("neg.model:3:1: init(B) is -2 for ID 1 (d.csv, row 1), below zero, but B is an amount (ID 1's dose at d.csv, row 2 (TIME 2) goes into it)");
  });
});

describe('a state negative by right keeps its init(), and its warning does not advise a tighter rtol', () => {
  const PD = `theta K = 0.1, V = 10, KE = 0.1
compartment A, E
init(E) = -5
d/dt(A) = -K * A
d/dt(E) = -KE * E
observe = A / V
`;
  it('E = −5·e^(−0.1 t), W_NEGATIVE_AMOUNT naming init(E) and its place, no "tighten"', () => {
    const sim = simulate(text(PD), records(D), { file: 'd.csv' });
    const E = [0, 1, 5].map((_, k) => sim.amounts![k * 2 + 1]!);
    [0, 1, 5].forEach((t, k) => expect(Math.abs(E[k]! - -5 * Math.exp(-0.1 * t))).toBeLessThan(1e-7));
    const w = sim.warnings.find((x) => x.startsWith('W_NEGATIVE_AMOUNT')) ?? '';
    expect(w).toContain('compartment E is -5');
    expect(w).toContain('its init() starts it below zero: init(E) (neg.model:3:1) is -5 for ID 1');
    expect(w).not.toContain('tighten');
  });
});
