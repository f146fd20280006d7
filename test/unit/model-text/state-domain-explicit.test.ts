// A state whose right-hand side is not a number past a point (d/dt(A) = −K·sqrt(A − 80) from 100:
// A reaches 80 at t = 2·√20/K ≈ 8.9 h and a step beyond takes sqrt of a negative) was refused by
// `auto` and `rosenbrock` naming sqrt(A − 80) and the fix, but by `dopri5` only as "step budget
// exhausted within one segment: try --method rosenbrock or auto": Dormand–Prince rejects a trial
// whose right-hand side is not finite and retries it smaller until its budget is spent, so the
// engine reports the budget, not the NaN. The likely cause is now named there too.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';

const TEXT = 'theta K = 1, V = 10\ncompartment A\nd/dt(A) = -K * sqrt(A - 80)\nobserve = A / V\n';
const DATA = 'ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,100,1,.,1\n1,1,0,.,1,.,0\n1,4,0,.,1,.,0\n1,12,0,.,1,.,0\n1,300,0,.,1,.,0\n';

const refusal = (method: 'dopri5' | 'rosenbrock' | 'auto'): string => {
  try {
    simulate(defineModel({ dosewise: 'text', text: TEXT }), readNmtran(DATA).records, { file: 'd2.csv', method });
  } catch (e) {
    return (e as Error).message.replace(/\s+/g, ' ');
  }
  return '';
};

describe('a square root of a negative in the right-hand side under an explicit method', () => {
  it('dopri5: names the row, the sqrt and the fix, not the step budget alone', () => {
    const m = refusal('dopri5');
    expect(m).toMatch(/d2\.csv, row 4 \(ID 1, TIME 12\)/);
    expect(m).toContain("the right-hand side's sqrt(A - 80)");
    expect(m).toContain('sqrt(max(A - 80, 0))');
  });
  it('rosenbrock and auto as before', () => {
    for (const method of ['rosenbrock', 'auto'] as const) expect(refusal(method), method).toContain("a state became NaN or infinite (likely the right-hand side's sqrt(A - 80)");
  });
});
