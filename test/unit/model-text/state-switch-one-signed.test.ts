// W_STATE_SWITCH on smooth quotients: (A1 - A2)/abs(A1 + A2 + 1), whose denominator
// is at least 1, and the normalised gradient (A1/V1 - A2/V2)/abs(A1/V1 + A2/V2), continuous for
// non-negative amounts, were warned as jumps ("a term of its own parity that need not vanish"). A
// magnitude |g| turns the sign only where g changes sign; amounts are not negative, so where g keeps
// one sign for every non-negative amount (zero only where all are) |g| is ±g, smooth, and nothing
// jumps. Where g crosses zero at a state threshold (abs(A2 - A1), abs(A - TH)) it is still warned.

import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/model/text/index.js';

const stateSwitch = (text: string): string[] => compileModelText(text, 'm.model').model.warnings.filter((w) => w.includes('W_STATE_SWITCH'));
const two = (s: string): string =>
  `model "sw"\ntheta K = 0.5, V1 = 10, V2 = 20, KE = 0.1, TH = 3\ncompartment A1, A2\nS = ${s}\nd/dt(A1) = -K * A1 * (1 + 0.1 * S) - KE * A1\nd/dt(A2) = K * A1 * (1 + 0.1 * S)\nobserve = A1 / V1\n`;

describe('W_STATE_SWITCH only where a magnitude’s argument changes sign at a state threshold', () => {
  it('the smooth expressions: no warning', () => {
    for (const s of ['(A1 - A2)/abs(A1 + A2 + 1)', '(A1/V1 - A2/V2)/abs(A1/V1 + A2/V2)', '(A1 - A2)/sqrt((A1 + A2 + 1)^2)', 'abs(A1 + A2 + TH)/(A1 - A2 + TH)'])
      expect(stateSwitch(two(s)), s).toEqual([]);
  });
  it('a sign at a threshold is still warned: abs(A2 - A1) (the model file m.model), abs(A1 - TH), abs(A1 - K * A2), and under a product', () => {
    for (const s of ['(A1 - A2)/abs(A2 - A1)', 'max(0, A1 - TH)/abs(A1 - TH)', '(A1 - A2)/abs(A1 - K * A2)', 'abs(A1 + A2 - TH)/(A1 + A2 - TH)'])
      expect(stateSwitch(two(s)), s).toHaveLength(1);
  });
});
