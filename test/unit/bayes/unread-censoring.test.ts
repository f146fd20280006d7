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

  // one-compartment bolus, combined error, a 2×2 Ω block; the 24-h level is censored at 1
  const blockModel = defineModel({
    dosewise: 2,
    name: '1cmt bolus',
    structure: { kind: 'linear', compartments: 1, depot: false },
    parameters: { CL: '4*exp(ETA_CL)', V: '30*exp(ETA_V)' },
    omega: { etas: ['ETA_CL', 'ETA_V'], matrix: [[0.1, 0.03], [0.03, 0.2]] },
    residual: { model: 'combined', additive: 0.5, proportional: 0.15 },
  });
  const chart = (cols: string, last: string, mid = '0,1') =>
    readNmtran(`ID,TIME,EVID,AMT,DV,MDV,${cols}\n1,0,1,500,.,1${',.'.repeat(cols.split(',').length)}\n1,1,0,.,14.2,0,${mid}\n1,6,0,.,6.1,0,${mid}\n1,12,0,.,2.9,0,${mid}\n1,24,0,.,${last}\n`, { file: 'loq.csv' }).records;

  it('a limit column named LOQ (LLQ, LIMIT, ...) is refused, naming it: its limits were not read', () => {
    // BLQ = 1 with DV = LOQ/2 imputed: the limit came from DV (M3 at 0.5: OFV 2.571417, ETA_V 0.0330034)
    // where the column says 1 (scipy, M3 at 1: OFV 1.659603, ETA_CL 0.153410, ETA_V 0.047720)
    for (const name of ['LOQ', 'LLQ', 'BLQ_LIMIT', 'loq'])
      expect(() => estimate(blockModel, chart(`BLQ,${name}`, '0.5,0,1,1'), { file: 'loq.csv' })).toThrow(
        new RegExp(`loq\\.csv, row 2, column ${name}: the limit of quantification is read from a LLOQ column .*${name} is not read, so its limits would be lost; name the column LLOQ \\(got 1\\)`),
      );
    // Monolix's LIMIT is the other end of the censoring interval (0 below DV = LLOQ), not the limit:
    // renamed LLOQ as the message said, a limit of 0 was fitted as censored at zero
    expect(() => estimate(blockModel, chart('BLQ,LIMIT', '1,0,1,0'), { file: 'loq.csv' })).toThrow(/loq\.csv, row 2, column LIMIT: Monolix's LIMIT is the other end of a censoring interval .*drop the LIMIT column/);
    // without a BLQ column a DV of 0 under LOQ 1 was fitted as a measured 0 (OFV 0.744622)
    expect(() => estimate(blockModel, chart('LOQ', '0,0,1', '1'), { file: 'loq.csv' })).toThrow(/column LOQ: the limit of quantification is read from a LLOQ column/);
    // named LLOQ, the censored fit is the scipy one
    const fit = estimate(blockModel, chart('BLQ,LLOQ', '0.5,0,1,1'));
    expect(fit.ofv).toBeCloseTo(1.659603, 5);
    expect(fit.eta[0]).toBeCloseTo(0.15341, 4);
    expect(fit.eta[1]).toBeCloseTo(0.04772, 4);
  });

  it('a blank BLQ cell on a level below its LLOQ is refused (it read as 0: a measured 0.4, OFV −0.00001 for 1.660 censored)', () => {
    expect(() => estimate(blockModel, chart('BLQ,LLOQ', '0.4,0,.,1'), { file: 'loq.csv' })).toThrow(/loq\.csv, row 5, column BLQ: is blank on a level below its LLOQ \(DV 0\.4 < 1\): blank reads as 0/);
    // blank above the limit is a measured level, as the README says (missing = 0)
    expect(estimate(blockModel, chart('BLQ,LLOQ', '1.4,0,.,1')).converged).toBe(true);
    expect(estimate(blockModel, chart('BLQ,LLOQ', '0.4,0,1,1')).ofv).toBeCloseTo(1.659603, 5);
  });
});
