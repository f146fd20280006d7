// W_LEVEL_AMOUNT counted every unscaled level of the data set under the first one's compartment:
// on 2cmt-oral, a level with CMT 1 and two with CMT 3 were said as "3 levels with CMT 1 (DEPOT)
// predict the amount in that compartment", and a user checking the depot missed the peripheral
// amounts. Now one warning per compartment, each with its own count
// and first row, in the order the compartments first appear.

import { describe, expect, it } from 'vitest';
import { builtinModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';

// lvamt.csv of the report (estimate(), forecast(), vpc and shrinkage read the same function)
const csv = ['ID,TIME,EVID,AMT,CMT,DV,MDV', '1,0,1,100,1,.,1', '1,1,0,0,1,.,0', '1,2,0,0,3,.,0', '1,3,0,0,3,.,0'].join('\n');
const levels = (w: readonly string[]): string[] => w.filter((x) => x.startsWith('W_LEVEL_AMOUNT'));

describe('W_LEVEL_AMOUNT names each compartment with its own levels', () => {
  it('2cmt-oral: 1 level with CMT 1 (DEPOT) and 2 with CMT 3 (PERIPH1) are two warnings', () => {
    const m = builtinModel('2cmt-oral', {});
    const w = levels(simulate(m, readNmtran(csv).records, { file: 'lvamt.csv' }).warnings);
    expect(w).toHaveLength(2);
    expect(w[0]).toMatch(/^W_LEVEL_AMOUNT: lvamt\.csv, row 2: a level with CMT 1 \(DEPOT\) predicts the amount in that compartment.*no scale S1/);
    expect(w[1]).toMatch(/^W_LEVEL_AMOUNT: lvamt\.csv, row 3: 2 levels with CMT 3 \(PERIPH1\) predict the amount in that compartment.*no scale S3/);
    expect(w.join('\n')).not.toMatch(/3 levels/);
  });

});
