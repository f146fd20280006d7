// One wording for a dose record's amount: AMT −100 said "a dose amount must be ≥ 0 (got -100)" while
// AMT 0 said "needs an amount > 0" (and 0 is refused too, but for a steady-state constant infusion).

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const read = (amt: string) => (): unknown => readNmtran(`ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,${amt},1,.,1\n1,1,0,.,1,3,0\n`, { file: 'e.csv' });

describe('a dose amount ≤ 0', () => {
  it('AMT −100 and AMT 0 are refused with the same "needs an amount > 0"', () => {
    expect(read('-100')).toThrow(/^e\.csv, row 1, column AMT: a dose record \(EVID 1\) needs an amount > 0 \(got -100\)$/);
    expect(read('0')).toThrow(/^e\.csv, row 1, column AMT: a dose record \(EVID 1\) needs an amount > 0.*\(got 0\)$/);
    expect(read('-100')).not.toThrow(/≥ 0/);
  });
});
