// `observe = 1 < A < 3` was refused with `unexpected "<": one statement per line (or separate them
// with ";")`, as if a second statement began there. Comparisons do not chain (each reads 1 or 0):
// the refusal says so and gives the form to write.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { parseExpression } from '../../../src/model/expression.js';

const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

describe('a chained comparison', () => {
  it('in a model text: says comparisons do not chain and to write 1 < A && A < 3', () => {
    const m = refusal(() => defineModel({ dosewise: 'text', text: 'compartment A\ninit(A) = 2\nd/dt(A) = 0\nobserve = 1 < A < 3\n' }));
    expect(m).toMatch(/model:4:17: comparisons do not chain/);
    expect(m).toContain('write 1 < A && A < 3');
    expect(m).not.toContain('one statement per line');
  });

  it('in an expression, with other operators and operands as written', () => {
    const m = refusal(() => parseExpression('40 <= WT <= 120'));
    expect(m).toContain('comparisons do not chain');
    expect(m).toContain('write 40 <= WT && WT <= 120');
    // one comparison, and comparisons joined by && or ||, stay as they were
    for (const s of ['1 < A', '1 < A && A < 3', '(1 < A) == 1', 'A < 3 || B > 2']) expect(() => parseExpression(s), s).not.toThrow();
  });
});
