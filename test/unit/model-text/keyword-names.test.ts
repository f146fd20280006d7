// A keyword named a compartment (compartment A, theta with d/dt(theta) = 0 ran, exit 0) where it
// could not name a parameter (residual = 2: "residual is a keyword and cannot name a parameter").
// Now a keyword names nothing a declaration declares either. The dose-modifier words
// (lag, F, rate, duration) stay usable as names: F = 0.5 is a parameter, F(A) = ... the modifier.

import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/model/text/index.js';

const text = (decl: string, ddt = ''): string => `theta K = 0.1, V = 10\n${decl}\nd/dt(A) = -K * A\n${ddt}observe = A / V\n`;

describe('a keyword as a declared name', () => {
  it('compartment theta is refused where it is written', () => {
    expect(() => compileModelText(text('compartment A, theta', 'd/dt(theta) = 0\n'), 'm.model')).toThrow(/m\.model:2:16: theta is a keyword and cannot name a compartment/);
  });

  it('a θ, covariate or random effect named by a keyword is refused', () => {
    expect(() => compileModelText(text('compartment A\ncovariate observe'), 'm.model')).toThrow(/observe is a keyword and cannot name a covariate/);
    expect(() => compileModelText('theta K = 0.1, V = 10, init = 2\ncompartment A\nd/dt(A) = -K * A\nobserve = A / V\n', 'm.model')).toThrow(/init is a keyword and cannot name a theta/);
  });

  it('F = 0.5 beside F(A) stays a parameter', () => {
    expect(() => compileModelText('theta K = 0.1, V = 10\ncompartment A\nF = 0.5\nF(A) = F\nd/dt(A) = -K * A\nobserve = A / V\n', 'm.model')).not.toThrow();
  });
});
