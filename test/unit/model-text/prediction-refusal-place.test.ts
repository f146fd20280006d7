// An observation that divides by zero (observe = A / (V − 10), V = 10) was refused as "solver: ID 1,
// TIME 0: the model's prediction is infinite there …", naming neither the file nor the row that the
// solver's other refusals name ("d.csv, row 4 (ID 1, TIME 12): …"). Now it names both.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';

const TEXT = 'theta K = 0.1, V = 10\ncompartment A\nd/dt(A) = -K * A\nobserve = A / (V - 10)\n';
const DATA = 'ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,100,1,.,1\n1,1,0,.,1,.,0\n';

describe('a prediction refused as infinite', () => {
  it('names the file, the row, ID and TIME', () => {
    let m = '';
    try {
      simulate(defineModel({ dosewise: 'text', text: TEXT }), readNmtran(DATA).records, { file: 'd.csv' });
    } catch (e) {
      m = (e as Error).message;
    }
    expect(m).toMatch(/d\.csv, row 1 \(ID 1, TIME 0\): the model's prediction is infinite there/);
  });
});
