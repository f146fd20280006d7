// Censoring the data say but dosewise would not read: a CENS column (Monolix, NONMEM) where the BLQ
// column is expected, a flag column of another usual name (BQL, BLOQ, BLQFLAG, ...), or an LLOQ
// column with a level below it and no BLQ column. All were fitted as measured levels with exit 0
// (CL 3.76 for 3.48 with CENS; ETA_KA −0.801 for −1.012 with BQL; a DV of 0 under an LLOQ of 2 as a 0).

import { readFileSync } from 'node:fs';
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

  it('a flag column named BQL is refused, naming it, the row and value, and saying to name it BLQ', () => {
    // examples/vpc ID 1: one BLQ row (row 2, DV = LLOQ = 1) of six observations; as BLQ, M3 gives
    // ETA_KA −1.012; with the column named BQL the row was fitted as a measured 1.0 (ETA_KA −0.801)
    const vpcModel = defineModel(JSON.parse(readFileSync('examples/vpc/model.json', 'utf8')));
    const id1 = readFileSync('examples/vpc/data.csv', 'utf8').trim().split('\n').slice(0, 14).join('\n') + '\n';
    expect(estimate(vpcModel, readNmtran(id1).records).eta[2]).toBeCloseTo(-1.0124, 3);
    for (const name of ['BQL', 'BLOQ', 'BLQFLAG', 'Blq_Flag', 'BQL_FLAG', 'BLOQ_FLAG'])
      expect(() => estimate(vpcModel, readNmtran(id1.replace(',BLQ,', `,${name},`), { file: 'id1.csv' }).records, { file: 'id1.csv' })).toThrow(
        new RegExp(`id1\\.csv, row 2, column ${name}: censoring is read from a BLQ column .*${name} is not read, so its flagged rows would be read as measured levels; name the column BLQ \\(got 1\\)`),
      );
    // a flag column that flags nothing is harmless
    expect(estimate(vpcModel, readNmtran(id1.replace(',BLQ,', ',BQL,').replace(/^(1,0\.25,0,\.,2,1,0,)1,/m, '$10,')).records).converged).toBe(true);
  });
});
