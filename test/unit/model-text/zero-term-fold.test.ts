// A user-written 0·u or 0/u was folded to 0 by the kernel's simplification, so a term that is not
// a number where it is evaluated vanished without a word: `observe = A + 0*sqrt(A - 3)` at A = 2
// read 2 (exit 0), `A + 0/(A - 2)` 2, where the same term as a parameter (`P = 0*sqrt(W - 3)`) is
// refused as NaN and `(X - X)*sqrt(A - 3)` is refused as a prediction not a number. The kernel now
// evaluates what was written (IEEE: 0·NaN and 0/0 are NaN); derivatives still fold their own zeros.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';
import { ONE, ZERO, derivative, simplify } from '../../../src/model/text/derive.js';
import { parseExpression } from '../../../src/model/expression.js';

const data = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,0,.,1,.,0\n1,1,0,.,1,.,0').records;
const run = (observe: string, init = 2): number[] | string => {
  try {
    return Array.from(simulate(defineModel({ dosewise: 'text', text: `compartment A\ninit(A) = ${init}\nd/dt(A) = 0\nobserve = ${observe}\n` }), data).ipred);
  } catch (e) {
    return (e as Error).message;
  }
};

describe('a user-written zero times (or over) a term is evaluated, not folded away', () => {
  it('0*sqrt(A - 3) and 0/(A - 2) at A = 2 are refused as a prediction not a number, as (X - X)*sqrt(A - 3) is', () => {
    for (const o of ['A + 0*sqrt(A - 3)', 'A + sqrt(A - 3)*0', 'A + 0/(A - 2)'])
      expect(run(o), o).toMatch(/prediction is not a number/);
  });

  it('where the term is finite the value is unchanged (A = 4: 4)', () => {
    expect(run('A + 0*sqrt(A - 3)', 4)).toEqual([4, 4]);
    expect(run('A + 0/(A - 2)', 4)).toEqual([4, 4]);
  });

  it("a derivative's zeros still fold (d/dA of 0*sqrt(A - 3) is 0, of 3*A is 3)", () => {
    const d = (s: string) => simplify(derivative(parseExpression(s), (n) => (n === 'A' ? ONE : ZERO)));
    expect(d('0*sqrt(A - 3)')).toEqual({ k: 'num', v: 0 });
    expect(d('3*A')).toEqual({ k: 'num', v: 3 });
  });
});
