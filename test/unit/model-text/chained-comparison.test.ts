// `observe = 1 < A < 3` was refused with `unexpected "<": one statement per line (or separate them
// with ";")`, as if a second statement began there. Comparisons do not chain (each reads 1 or 0):
// the refusal says so and gives the form to write. With == or != the range's form was the advice
// too: `A == 2 == 1` was told "write A == 2 && 2 == 1", always 0, where (A == 2) == 1 was meant.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { parseExpression } from '../../../src/model/expression.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';

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

  it('with == or !=: brackets for comparing a comparison\'s 1 or 0, && only where both can hold', () => {
    const eq = refusal(() => parseExpression('A == 2 == 1'));
    expect(eq).toContain('comparisons do not chain');
    expect(eq).toContain('to compare the 1 or 0 of A == 2 with 1, write (A == 2) == 1');
    expect(eq).not.toContain('&&');
    const mixed = refusal(() => defineModel({ dosewise: 'text', text: 'compartment A\ninit(A) = 2\nd/dt(A) = 0\nobserve = 1 < A == 1\n' }));
    expect(mixed).toMatch(/model:4:17: comparisons do not chain .*: to compare the 1 or 0 of 1 < A with 1, write \(1 < A\) == 1\n/);
    expect(refusal(() => parseExpression('A != 0 == 0'))).toMatch(/write \(A != 0\) == 0$/);
    // names: either may be meant
    expect(refusal(() => parseExpression('A == B == C'))).toMatch(/write \(A == B\) == C; for both comparisons to hold, A == B && B == C$/);
    expect(refusal(() => parseExpression('A == 2 != B'))).toMatch(/write \(A == 2\) != B; for both comparisons to hold, A == 2 && 2 != B$/);
    // what the advice says to write runs: (A == 2) == 1 is 1 at A = 2, and 0 at A = 3
    for (const [a, want] of [[2, 1], [3, 0]] as const) {
      const m = defineModel({ dosewise: 'text', text: `compartment A\ninit(A) = ${a}\nd/dt(A) = 0\nobserve = (A == 2) == 1\n` });
      expect(simulate(m, readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,0,.,1,.,0\n1,1,0,.,1,.,0').records).ipred[1]).toBe(want);
    }
  });
});

