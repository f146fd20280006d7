// A right-hand side term that is not finite by the record's values or by t, not by the states: a
// division by t at a dose at t = 0 (d/dt(A) = -K * A / t), or by a θ set to 0. It was refused as
// "step size fell below its floor (try the rosenbrock solver, or check the parameters)" or "a state
// became NaN or infinite (check the parameters)", naming neither the term nor the values; now the
// term with its file:line:col and equation, and the values that made it so (t, θ by name). An
// init() that is not a number is refused like a per-record parameter (CL = log(-1) named CL, row
// and value; init(A) = log(-1) said "a state became NaN or infinite").

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';

const data = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,1,1,.,1\n1,1,0,.,1,.,0\n1,5,0,.,1,.,0').records;
const refusal = (text: string): string => {
  try {
    simulate(defineModel({ dosewise: 'text', text, file: 'm.model' }), data, { file: 'd.csv' });
  } catch (e) {
    return (e as Error).message.replace(/\s+/g, ' ');
  }
  return '';
};

describe('a right-hand side term not finite by t or a θ, named', () => {
  it('a division by t at the dose at t = 0: the term, its place and t = 0', () => {
    const m = refusal('theta K = 1, V = 1\ncompartment A\nd/dt(A) = -K * A / t\nobserve = A / V\n');
    expect(m).toMatch(/d\.csv, row 2 \(ID 1, TIME 1\)/);
    expect(m).toContain('m.model:3:18');
    expect(m).toContain('d/dt(A)');
    expect(m).toContain('-K * A / t');
    expect(m).toContain('its divisor t is 0');
    expect(m).toContain('t = 0');
    expect(m).not.toContain('check the parameters');
    expect(m).not.toContain('try the rosenbrock');
  });

  it('through an intermediate: the intermediate is named where it is written', () => {
    const m = refusal('theta K = 1, V = 1\ncompartment A\nR = 1 / t\nd/dt(A) = -K * A * R\nobserve = A / V\n');
    expect(m).toContain('m.model:3:7');
    expect(m).toContain('R = 1 / t');
    expect(m).toContain('t = 0');
  });

  it('a division by a θ set to 0: the θ by name and value', () => {
    const m = refusal('theta K = 0, V = 1\ncompartment A\nd/dt(A) = -A / K\nobserve = A / V\n');
    expect(m).toContain('a state became NaN or infinite');
    expect(m).toContain('m.model:3:14');
    expect(m).toContain('its divisor K is 0');
    expect(m).toContain('θ K = 0');
    expect(m).not.toContain('check the parameters');
  });

  it('0/0 of t over a θ at t = 0: both values', () => {
    const m = refusal('theta K = 1, V = 1, Z = 0\ncompartment A\nd/dt(A) = -K * A + t / Z\nobserve = A / V\n');
    expect(m).toContain('m.model:3:22');
    expect(m).toContain('its divisor Z is 0');
    expect(m).toContain('θ Z = 0');
  });

  it('a divisor computed from θ (K2 - 2 with K2 = 2)', () => {
    const m = refusal('theta K2 = 2, V = 1\ncompartment A\nd/dt(A) = -A / (K2 - 2)\nobserve = A / V\n');
    expect(m).toContain('its divisor K2 - 2 is 0');
    expect(m).toContain('θ K2 = 2');
  });

  it('a divisor of t that reaches 0 inside the segment: the time it does', () => {
    const m = refusal('theta K = 1, V = 1\ncompartment A\nd/dt(A) = -K * A + 1 / (t - 2)\nobserve = A / V\n');
    expect(m).toMatch(/d\.csv, row 3 \(ID 1, TIME 5\)/);
    expect(m).toContain('m.model:3:22');
    expect(m).toContain('its divisor t - 2 is 0 at t = 2');
  });

  it('the logarithm of a negative quantity of t (log(t - 2) at t = 0)', () => {
    const m = refusal('theta K = 1, V = 1\ncompartment A\nd/dt(A) = -K * A * log(t - 2)\nobserve = A / V\n');
    expect(m).toContain('m.model:3:20');
    expect(m).toContain('its argument t - 2 is -2 (the logarithm of 0 is infinite, of a negative number not a number) at t = 0');
  });

  it('an ordinary stiff or broken model keeps its words (no term blamed)', () => {
    const m = refusal('theta K = 1, V = 1\ncompartment A\nd/dt(A) = -K * A^0.5\nobserve = A / V\n');
    expect(m).toContain("the right-hand side's A^0.5");
    expect(m).not.toContain('divisor');
  });

  it('init() that is not a number: refused as a per-record parameter is, naming init(A), its place and the row', () => {
    const m = refusal('theta K = 1, V = 1\ncompartment A\ninit(A) = log(-1)\nd/dt(A) = -K * A\nobserve = A / V\n');
    expect(m).toContain('d.csv: row 1, parameter init(A) (m.model:3:11): must be a finite number (the initial amount of A)');
    expect(m).toContain('must be a finite number');
    expect(m).toContain('got NaN');
    expect(m).not.toContain('a state became NaN');
  });

  it('init() from a θ: the θ by value', () => {
    const m = refusal('theta K = 1, V = 1, A0 = 0\ncompartment A\ninit(A) = 1 / A0\nd/dt(A) = -K * A\nobserve = A / V\n');
    expect(m).toContain('parameter init(A)');
    expect(m).toContain('A0 = 0');
  });

  it('init() reading an η makes no event table depend on it (its check is no dose modifier)', () => {
    const m = defineModel({ dosewise: 'text', text: 'theta K = 1, V = 1, A0 = 2\neta ETA_A ~ 0.1\ncompartment A\ninit(A) = A0 * exp(ETA_A)\nd/dt(A) = -K * A\nobserve = A / V\n' });
    expect(m.slots.modifiersDependOn(new Set(['ETA_A']))).toBe(false);
  });

  it('a finite init() still solves (closed form)', () => {
    const sim = simulate(defineModel({ dosewise: 'text', text: 'theta K = 1, V = 1\ncompartment A\ninit(A) = 2\nd/dt(A) = -K * A\nobserve = A / V\n' }), data);
    expect(sim.ipred[1]).toBeCloseTo(3 * Math.exp(-1), 7);
  });
});
