// A state that becomes not a number through a fractional power, square root or logarithm of a
// compartment in the right-hand side: d/dt(A) = −K·A^0.5 empties A at t = 2·√A0 / K (2 h here:
// √A = 1 − t/2, A(1) = 0.25), and a step through 0 takes A^0.5 of a negative amount. The refusal
// named the row but said "check the parameters"; it now names the power and the fix, in the words
// the observation's refusal uses.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';

const text = (rhs: string): string => `theta K = 1, V = 1\ncompartment A\nd/dt(A) = ${rhs}\nobserve = A / V\n`;
const data = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,1,1,.,1\n1,1,0,.,1,.,0\n1,5,0,.,1,.,0').records;
const refusal = (rhs: string): string => {
  try {
    simulate(defineModel({ dosewise: 'text', text: text(rhs) }), data, { file: 'd.csv' });
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

describe('a state not a number from a fractional power of a compartment in the right-hand side', () => {
  it('solves up to the record before (A = 0.25 at 1 h, closed form)', () => {
    const sim = simulate(defineModel({ dosewise: 'text', text: text('-K * A^0.5') }), data.slice(0, 2));
    expect(sim.ipred[1]).toBeCloseTo(0.25, 7);
  });

  it('names the power, the row and the fix', () => {
    const m = refusal('-K * A^0.5');
    expect(m).toMatch(/d\.csv, row 3 \(ID 1, TIME 5\)/);
    expect(m).toContain('a state became NaN or infinite');
    expect(m).toContain("the right-hand side's A^0.5");
    expect(m).toContain('a quantity below 0 raised to a fractional power is not a number');
    expect(m).toContain('max(A, 0)^0.5');
    expect(m).not.toContain('check the parameters');
  });

  it('and a square root, through an intermediate', () => {
    const m = refusal('-K * sqrt(A)').replace(/\s+/g, ' ');
    expect(m).toContain("the right-hand side's sqrt(A)");
    expect(m).toContain('sqrt(max(A, 0))');
    const through = simulate.bind(null, defineModel({ dosewise: 'text', text: `theta K = 1, V = 1\ncompartment A\nC = A / V\nR = K * C^0.5\nd/dt(A) = -R\nobserve = A / V\n` }), data, {});
    expect(through).toThrow(/the right-hand side's C\^0\.5/);
  });
});
