// A clinical input given as a boxed number (new Number(1)) was shown "(got 1)", as if it were the
// number 1, by the formatter of clinical inputs' "(got …)" values (JSON.stringify of a Number object
// is its value). It is shown as the object it is, as the other refusals show it.

import { describe, expect, it } from 'vitest';
import { ClinicalInputError } from '../../src/errors.js';

describe('"(got …)" of a boxed number', () => {
  it('new Number(1) is an object of class Number, not 1', () => {
    expect(new ClinicalInputError('ageYears', new Number(1), 'must be a number').message).toBe('clinical input ageYears: must be a number (got an object of class Number)');
    expect(new ClinicalInputError('ageYears', 1, 'must be ≥ 18').message).toBe('clinical input ageYears: must be ≥ 18 (got 1)');
  });
});
