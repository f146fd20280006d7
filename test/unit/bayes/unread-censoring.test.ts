// Censoring the data say but dosewise would not read: a CENS column (Monolix, NONMEM) where the BLQ
// column is expected, or an LLOQ column with a level below it and no BLQ column. Both were fitted as
// measured levels with exit 0 (CL 3.76 for 3.48 with CENS; a DV of 0 under an LLOQ of 2 as a 0).

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const model = defineModel({
  dosewise: 2,
  name: 'one-cmt-iv',
  structure: { kind: 'linear', compartments: 1, depot: false },
  parameters: { CL: '4*exp(ETA_CL)', V: '40*exp(ETA_V)' },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.1] },
  residual: { model: 'combined', additive: 0.5, proportional: 0.1 },
});
const rows = (col: string, last: string) => {
  const [dv, v] = last.split(',');
  return readNmtran(`ID,TIME,EVID,AMT,RATE,DV,MDV,${col}\n1,0,1,1000,2000,.,1,.\n1,3,0,.,.,20.5,0,${col === 'LLOQ' ? v : 0}\n1,12,0,.,.,9.1,0,${col === 'LLOQ' ? v : 0}\n1,36,0,.,.,${dv},0,${v}\n`, { file: 'chart.csv' }).records;
};

describe('censoring that would not be read', () => {
  it('a CENS column with a censored row is refused, naming it and BLQ', () => {
    expect(() => estimate(model, rows('CENS', '2,1'), { file: 'chart.csv' })).toThrow(/chart\.csv, row 4, column CENS: censoring is read from a BLQ column .*name the column BLQ/);
    // a CENS column that censors nothing is harmless
    expect(estimate(model, rows('CENS', '2,0')).converged).toBe(true);
    // as BLQ it is the M3 likelihood
    expect(estimate(model, rows('BLQ', '2,1')).converged).toBe(true);
  });

  it('a level below its LLOQ without a BLQ column is refused; with the BLQ column it is censored', () => {
    expect(() => estimate(model, rows('LLOQ', '0,2'), { file: 'chart.csv' })).toThrow(/chart\.csv, row 4, column DV: below LLOQ 2, and no BLQ column marks it/);
    expect(estimate(model, rows('LLOQ', '3,2')).converged).toBe(true);
    const blq = readNmtran('ID,TIME,EVID,AMT,RATE,DV,MDV,BLQ,LLOQ\n1,0,1,1000,2000,.,1,.,.\n1,3,0,.,.,20.5,0,0,2\n1,36,0,.,.,0,0,1,2\n').records;
    expect(estimate(model, blq).converged).toBe(true);
  });
});
