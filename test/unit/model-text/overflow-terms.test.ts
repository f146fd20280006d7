// A right-hand side or an observation that overflows through a compartment was refused with a
// generic cause: d/dt(A) = -K * A + exp(A) from 100 mg as "a state became NaN or
// infinite (check the parameters)"; observe = exp(A * 10) at A = 100 and (A / V + 10)^N with N 400
// as "its observation outside its domain, e.g. a division by an empty compartment, or the square
// root or logarithm of a negative value or of 0", naming neither the term nor its line; observe =
// log(A / V) with A below 0 by d/dt(A) = -0.5 - 0.1 * A named neither the log nor A's value. Now the
// term, its place and (for the observation) the compartments at the record.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';

const data = (times: number[]): ReturnType<typeof readNmtran>['records'] => readNmtran(['ID,TIME,EVID,AMT,CMT,DV,MDV', '1,0,1,100,1,.,1', ...times.map((t) => `1,${t},0,.,1,1,0`)].join('\n')).records;
const refusal = (text: string, times = [1, 4, 12]): string => {
  try {
    simulate(defineModel({ dosewise: 'text', text, file: 'm.model' }), data(times), { file: 'd.csv' });
  } catch (e) {
    return (e as Error).message.replace(/\s+/g, ' ');
  }
  return '';
};

describe('an overflow through a compartment, named with its place', () => {
  it('exp of a state in the right-hand side: the term, its line and equation, not "check the parameters"', () => {
    const m = refusal('theta K = 0.1, V = 10\ncompartment A\nd/dt(A) = -K * A + exp(A)\nobserve = A / V\n');
    expect(m).toContain('a state became NaN or infinite');
    expect(m).toContain("likely the right-hand side's exp(A) (m.model:3:20, d/dt(A))");
    expect(m).toContain('709.78');
    expect(m).not.toContain('check the parameters');
  });

  it('exp in the observation: the term, its place and A at the record (100 mg at the dose row)', () => {
    const m = refusal('theta K = 0.1, V = 10\ncompartment A\nd/dt(A) = -K * A\nobserve = exp(A * 10)\n');
    expect(m).toContain("d.csv, row 1 (ID 1, TIME 0): the model's prediction is infinite there (likely the observation's exp(A * 10) (m.model:4:11)");
    expect(m).toContain('at the record: A 100');
    expect(m).not.toContain('division by an empty compartment');
  });

  it('a power of a large quantity in the observation', () => {
    const m = refusal('theta K = 0.1, V = 10, N = 400\ncompartment A\nd/dt(A) = -K * A\nobserve = (A / V + 10)^N\n');
    expect(m).toContain("likely the observation's (A / V + 10) ^ N (m.model:4:23)");
    expect(m).toContain('overflows');
    expect(m).not.toContain('logarithm');
  });

  it('log of a state gone below 0: the log, its place and A = 105 e^-3.6 - 5 = -2.13101 at 36 h', () => {
    const m = refusal('theta K = 0.5, V = 10\ncompartment A\nd/dt(A) = -K - 0.1 * A\nobserve = log(A / V)\n', [1, 12, 24, 36]);
    expect(m).toContain("row 5 (ID 1, TIME 36): the model's prediction is not a number there (likely the observation's log(A / V) (m.model:4:11)");
    expect(m).toContain('A -2.131');
  });

  it('no such term: the generic words, with the observation named by its place', () => {
    const m = refusal('theta K = 0.1, V = 10\ncompartment A\nd/dt(A) = -K * A\nobserve = A / (V - 10)\n');
    expect(m).toContain('its observation (m.model:4:13) outside its domain');
  });
});
