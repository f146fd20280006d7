// Data codes that were read as something else with exit 0, now refused naming row, column and
// value: a BLQ flag other than 0/1, a BLQ record's LLOQ ≤ 0 in concentration units, a DVID other
// than 1 for a model with one output, and a DUR item the model does not read (NONMEM has none: the
// dose was a bolus). Valid data keep their numbers.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel, type Model } from '../../../src/model/model.js';
import { DosewiseError } from '../../../src/errors.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { mapObjective } from '../../../src/bayes/objective.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { simulate, compileForModel } from '../../../src/engine/simulate.js';
import { vpc } from '../../../src/vpc/vpc.js';
import { caught } from '../refused.js';

const spec = JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')) as Record<string, unknown>;
const proportional = defineModel(spec);
const exponential = defineModel({ ...spec, residual: { model: 'exponential', exponential: 0.1 } });

async function rejected(p: Promise<unknown>): Promise<DosewiseError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DosewiseError);
    return e as DosewiseError;
  }
  throw new Error('expected a DosewiseError, nothing was thrown');
}

const data = (header: string, ...rows: string[]) => readNmtran([header, ...rows].join('\n'), { file: 'p.csv' }).records;
const ofv = (model: Model, records: ReturnType<typeof data>, file = 'p.csv') => mapObjective(model, records, { file }).ofv([0, 0]);

describe('BLQ flags other than 0 and 1', () => {
  const H = 'ID,TIME,EVID,AMT,RATE,DV,MDV,BLQ,LLOQ';
  // the 11.5-h level above its LLOQ: a blank flag below it is refused (unread-censoring.test.ts)
  const patient = (flag: string) => data(H, '1,0,1,1000,1000,.,1,.,.', `1,1.5,0,.,.,27.6,0,${flag},.`, '1,11.5,0,.,.,3,0,.,2');

  for (const flag of ['2', '0.5', '-1']) {
    it(`BLQ ${flag}: refused by estimation with row, column and value`, () => {
      const e = caught(() => ofv(proportional, patient(flag)));
      expect(e.code).toBe('E_RECORD');
      expect(e.place).toMatchObject({ file: 'p.csv', row: 2, column: 'BLQ', value: Number(flag) });
      expect(e.message).toContain('only 0 and 1 are understood');
      if (flag === '-1') expect(e.message).toContain('Monolix');
    });
  }

  it('0, 1 and missing keep their meaning', () => {
    expect(ofv(proportional, patient('0'))).toBe(ofv(proportional, patient('.')));
    expect(Number.isFinite(ofv(proportional, patient('1')))).toBe(true);
    expect(ofv(proportional, patient('1'))).not.toBe(ofv(proportional, patient('0')));
  });

  it('--no-blq (blq: false) reads no flag', () => {
    expect(Number.isFinite(mapObjective(proportional, patient('2'), { blq: false }).ofv([0, 0]))).toBe(true);
  });

  it('a flag on a dose record is not read', () => {
    expect(Number.isFinite(ofv(proportional, data(H, '1,0,1,1000,1000,.,1,2,.', '1,1.5,0,.,.,27.6,0,0,.')))).toBe(true);
  });

  it('vpc refuses it too', async () => {
    const recs = data(H, '1,0,1,1000,1000,.,1,.,.', '1,1.5,0,.,.,27.6,0,0,.', '1,11.5,0,.,.,3.4,0,2,.');
    const e = await rejected(vpc(proportional, recs, { replicates: 5, seed: 1, file: 'p.csv' }));
    expect(e.place).toMatchObject({ file: 'p.csv', row: 3, column: 'BLQ', value: 2 });
  });
});

describe("a BLQ record's LLOQ ≤ 0", () => {
  const H = 'ID,TIME,EVID,AMT,RATE,DV,MDV,BLQ,LLOQ';
  const withLimit = (dv: string, lloq: string) => data(H, '1,0,1,1000,1000,.,1,.,.', '1,1.5,0,.,.,27.6,0,0,.', `1,11.5,0,.,.,${dv},0,1,${lloq}`);

  it('from DV (DV = 0 on a BLQ row without an LLOQ): refused, naming DV', () => {
    const e = caught(() => ofv(proportional, withLimit('0', '.')));
    expect(e.place).toMatchObject({ row: 3, column: 'DV', value: 0 });
    expect(e.message).toMatch(/a BLQ record's LLOQ must be > 0 \(DV gives it when there is no LLOQ column\)/);
  });

  it('a negative LLOQ column: refused, naming LLOQ', () => {
    const e = caught(() => ofv(proportional, withLimit('.', '-2')));
    expect(e.place).toMatchObject({ row: 3, column: 'LLOQ', value: -2 });
  });

  it('an LLOQ column of 0 is censoring at zero (concentration units, no log taken)', () => {
    expect(Number.isFinite(ofv(proportional, withLimit('.', '0')))).toBe(true);
  });

  it('log-scale DV (exponential error, logDv): a limit ≤ 0 is a log concentration and stays', () => {
    expect(Number.isFinite(ofv(exponential, withLimit('-0.5', '.')))).toBe(true);
    expect(Number.isFinite(ofv(exponential, withLimit('.', '0')))).toBe(true);
  });

  it('exponential error with logDv false: the log of the limit is taken, so 0 is refused', () => {
    const e = caught(() => mapObjective(exponential, withLimit('.', '0'), { logDv: false, file: 'p.csv' }));
    expect(e.place).toMatchObject({ row: 3, column: 'LLOQ', value: 0 });
    expect(e.message).toContain('logDv false');
  });

  it('vpc: a BLQ observation whose DV limit is 0 is refused', async () => {
    const e = await rejected(vpc(proportional, withLimit('0', '.'), { replicates: 5, seed: 1, file: 'p.csv' }));
    expect(e.place).toMatchObject({ row: 3, column: 'DV', value: 0 });
  });
});

describe('DVID in a model with one output', () => {
  const H = 'ID,TIME,EVID,AMT,RATE,DV,MDV,DVID';
  const patient = (dvid: string) => data(H, '1,0,1,1000,1000,.,1,.', '1,1.5,0,.,.,27.6,0,1', `1,11.5,0,.,.,3.4,0,${dvid}`);

  for (const dvid of ['2', '0', '1.5']) {
    it(`DVID ${dvid} on an observation: refused with row and value`, () => {
      const e = caught(() => ofv(proportional, patient(dvid)));
      expect(e.place).toMatchObject({ file: 'p.csv', row: 3, column: 'DVID', value: Number(dvid) });
      expect(e.message).toContain('the model has one output (DVID 1)');
    });
  }

  it('DVID 1 or missing: the same objective as without the column', () => {
    const plain = ofv(proportional, data('ID,TIME,EVID,AMT,RATE,DV,MDV', '1,0,1,1000,1000,.,1', '1,1.5,0,.,.,27.6,0', '1,11.5,0,.,.,3.4,0'));
    expect(ofv(proportional, patient('1'))).toBe(plain);
    expect(ofv(proportional, patient('.'))).toBe(plain);
  });

  it('a DVID on a dose record is not read', () => {
    expect(Number.isFinite(ofv(proportional, data(H, '1,0,1,1000,1000,.,1,9', '1,1.5,0,.,.,27.6,0,.')))).toBe(true);
  });

  it('vpc refuses it too', async () => {
    const e = await rejected(vpc(proportional, patient('2'), { replicates: 5, seed: 1, file: 'p.csv' }));
    expect(e.place).toMatchObject({ row: 3, column: 'DVID', value: 2 });
  });
});

describe('a DUR data item', () => {
  const H = 'ID,TIME,EVID,AMT,RATE,DUR,DV,MDV';
  const withDur = data(H, '1,0,1,1000,.,2,.,1', '1,1.5,0,.,.,.,27.6,0', '1,11.5,0,.,.,.,3.4,0');
  const message = "dosewise reads NONMEM's RATE, not DUR: give RATE = AMT/DUR (500) for a 2-h infusion, or RATE = -2 with the duration in the model";

  it('estimation refuses a dose with DUR > 0 and no RATE, naming row, column and value', () => {
    const e = caught(() => estimate(proportional, withDur, { file: 'p.csv' }));
    expect(e.code).toBe('E_RECORD');
    expect(e.place).toMatchObject({ file: 'p.csv', row: 1, column: 'DUR', value: 2 });
    expect(e.message).toBe(`p.csv, row 1, column DUR: ${message} (got 2)`);
  });

  it('simulation refuses it too (simulate, compileForModel)', () => {
    expect(caught(() => simulate(proportional, withDur, { file: 'p.csv' })).place).toMatchObject({ row: 1, column: 'DUR', value: 2 });
    expect(caught(() => compileForModel(proportional, withDur)).place).toMatchObject({ row: 1, column: 'DUR' });
  });

  it('a forecast refuses a future regimen with it, named as the future regimen', () => {
    const history = data('ID,TIME,EVID,AMT,RATE,DV,MDV', '1,0,1,1000,1000,.,1', '1,1.5,0,.,.,27.6,0');
    const fit = estimate(proportional, history);
    const future = readNmtran('ID,TIME,EVID,AMT,DUR\n1,12,1,1000,2\n1,13,0,.,.', { file: 'future.csv' }).records;
    const e = caught(() => forecast(proportional, history, fit, future, { draws: 10 }));
    expect(e.place).toMatchObject({ file: 'future regimen', row: 1, column: 'DUR', value: 2 });
  });

  it('stays allowed with a RATE (> 0 or -2), DUR 0 or missing, and on observations', () => {
    const ok = [
      data(H, '1,0,1,1000,500,2,.,1', '1,1.5,0,.,.,.,27.6,0'),
      data(H, '1,0,1,1000,.,0,.,1', '1,1.5,0,.,.,.,27.6,0'),
      data(H, '1,0,1,1000,.,.,.,1', '1,1.5,0,.,.,2,27.6,0'),
    ];
    for (const r of ok) expect(simulate(proportional, r).ipred.length).toBe(r.length);
  });

  it('refuses a RATE whose AMT/RATE is not DUR, naming row, both values (dur.csv: RATE 10, DUR 5 ran 10 h, DUR dropped)', () => {
    const both = data(H, '1,0,1,100,10,5,.,1', '1,6,0,.,.,.,2.1,0');
    const e = caught(() => simulate(proportional, both, { file: 'dur.csv' }));
    expect(e.code).toBe('E_RECORD');
    expect(e.place).toMatchObject({ file: 'dur.csv', row: 1, column: 'DUR', value: 5 });
    expect(e.message).toBe("dur.csv, row 1, column DUR: RATE 10 and DUR 5 disagree: AMT/RATE = 100/10 is a 10-h infusion, DUR says 5 h (times are in hours); dosewise reads NONMEM's RATE, not DUR: drop DUR where RATE is right (with a bioavailability F on this dose the infusion lasts F·AMT/RATE, as in NONMEM, which DUR may be), or give RATE = AMT/DUR (20) for a 5-h infusion (got 5)");
    expect(caught(() => estimate(proportional, both, { file: 'dur.csv' })).place).toMatchObject({ row: 1, column: 'DUR', value: 5 });
  });

  it('passes a RATE rounded as data sets round it (2000 over 6 h as 333.333: 6.000006 h; a pump rate to one decimal, 7 mg at 2.3 mg/h for 3 h: 3.04 h), DUR off by under a minute, and a steady-state constant infusion (AMT 0) with its DUR', () => {
    // 7 mg at 2.3 and AMT 0 RATE 10 SS 1 beside DUR 24 were refused ("a 0-h infusion … give RATE = AMT/DUR (0)")
    for (const r of [data(H, '1,0,1,2000,333.333,6,.,1', '1,1.5,0,.,.,.,27.6,0'), data(H, '1,0,1,100,10,10.01,.,1', '1,1.5,0,.,.,.,27.6,0'), data(H, '1,0,1,7,2.3,3,.,1', '1,1.5,0,.,.,.,27.6,0')])
      expect(simulate(proportional, r).ipred.length).toBe(2);
    const ss = data('ID,TIME,EVID,AMT,RATE,DUR,II,SS,DV,MDV', '1,0,1,0,10,24,0,1,.,1', '1,1.5,0,.,.,.,.,.,27.6,0');
    expect(simulate(proportional, ss).ipred.length).toBe(2);
  });

  it('a model that reads a data item DUR keeps reading it', () => {
    const reads = defineModel({ ...spec, parameters: { CL: '4*exp(ETA_CL)*(DUR/2)^0.5', V: '30*exp(ETA_V1)', Q: 6, V2: 50 } });
    const recs = data(H, '1,0,1,1000,.,2,.,1', '1,1.5,0,.,.,2,27.6,0', '1,11.5,0,.,.,2,3.4,0');
    expect(simulate(reads, recs).ipred.length).toBe(3);
    expect(Number.isFinite(estimate(reads, recs).ofv)).toBe(true);
  });

  it('RATE = -2 with a modelled duration read from DUR', () => {
    const d1 = defineModel({ ...spec, compartments: { 1: { duration: 'DUR' } } });
    const recs = data(H, '1,0,1,1000,-2,2,.,1', '1,1.5,0,.,.,2,27.6,0');
    const bolusRate = data(H, '1,0,1,1000,500,.,.,1', '1,1.5,0,.,.,.,27.6,0');
    expect(simulate(d1, recs).ipred[1]).toBeCloseTo(simulate(proportional, bolusRate).ipred[1] as number, 10);
  });
});
