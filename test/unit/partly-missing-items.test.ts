// A covariate with a model default, blank on some records of a patient who has it on others, took
// the default there (vancomycin_goti_2018: DIAL blank on the dose rows of a dialysis patient gave a
// level of 6.47 for 9.16 and CL 1.42 for 0.99 L/h, exit 0); a column in another case (`wt` for WT)
// was not read. Both are refused on every path, naming the column, the patient and the rows.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { simulate } from '../../src/engine/simulate.js';
import { estimate } from '../../src/bayes/estimate.js';
import { simulateReplicates } from '../../src/replicate/run.js';
import { regimen } from '../../src/regimen/builder.js';

const goti = defineModel(JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')));
const H = 'ID,TIME,EVID,AMT,RATE,DV,MDV,CRCL,WT,DIAL';
const dialysis = (dial: [string, string, string]) =>
  readNmtran([H, `1,0,1,1000,1000,.,1,30,70,${dial[0]}`, `1,24,1,1000,1000,.,1,30,70,${dial[1]}`, `1,47.5,0,.,.,9,0,30,70,${dial[2]}`].join('\n'), { file: 'p.csv' }).records;
const refused = /p\.csv, row 2, column DIAL: ID 1 has DIAL 1 on row 3 but none on row 2, where model vancomycin_goti_2018 would use its default 0, not this patient's value/;

describe("a patient's covariate blank on some of its records", () => {
  it('simulate, estimate and replicates refuse it, naming the rows', async () => {
    const recs = dialysis(['', '', '1']);
    expect(() => simulate(goti, recs, { file: 'p.csv' })).toThrow(refused);
    expect(() => estimate(goti, recs, { file: 'p.csv' })).toThrow(refused);
    await expect(simulateReplicates(goti, recs, { replicates: 2, workers: 0, file: 'p.csv' }, () => undefined)).rejects.toThrow(refused);
  });

  it('filled in on every record, or blank on all of them (the default for everyone), it runs', () => {
    const full = simulate(goti, dialysis(['1', '1', '1']));
    const none = simulate(goti, dialysis(['', '', '']));
    const zero = simulate(goti, dialysis(['0', '0', '0']));
    expect(full.ipred[2]).not.toBe(none.ipred[2]);
    expect(none.ipred[2]).toBe(zero.ipred[2]);
  });

  it('another patient without the column value at all does not count against one who has it', () => {
    const recs = readNmtran([H, '1,0,1,1000,1000,.,1,30,70,1', '1,12,0,.,.,9,0,30,70,1', '2,0,1,1000,1000,.,1,30,70,', '2,12,0,.,.,9,0,30,70,'].join('\n')).records;
    expect(() => simulate(goti, recs)).not.toThrow();
  });
});

describe('a blank nothing reads', () => {
  const text = defineModel({ dosewise: 'text', text: 'model "t"\ntheta TVCL = 5, TVV = 50\ncovariate WT = 70\ncompartment CENTRAL\nCL = TVCL * (WT / 70)^0.75\nV = TVV\nd/dt(CENTRAL) = -CL / V * CENTRAL\nobserve = CENTRAL / V\n' });
  const cl = 5 * (80 / 70) ** 0.75;

  it('a first dose without the covariate (dose() then observe({ items })): NOCB reads nothing of it; the level is the closed form at WT 80', () => {
    const recs = regimen().dose({ time: 0, amt: 100 }).observe({ times: [2], items: { WT: 80 } }).records();
    expect(Math.abs((simulate(text, recs).ipred[1] as number) / ((100 / 50) * Math.exp((-cl / 50) * 2)) - 1)).toBeLessThan(1e-7);
  });

  it('a later dose without it is refused: the interval before it would run at the default WT', () => {
    const recs = regimen().dose({ time: 0, amt: 100 }).dose({ time: 12, amt: 100 }).observe({ times: [2, 14], items: { WT: 80 } }).records();
    expect(() => simulate(text, recs)).toThrow(/column WT: ID 1 has WT 80 on row \d+ but none on row \d+, where model t would use its default 70/);
    // LOCF: values hold from a record on, so the first dose's blank is read and the last one's is not
    expect(() => simulate(text, regimen().dose({ time: 0, amt: 100 }).observe({ times: [2], items: { WT: 80 } }).records(), { timeVarying: 'locf' })).toThrow(/column WT/);
  });
});

describe('a column named like a covariate in another case', () => {
  const text = defineModel({ dosewise: 'text', text: 'model "t"\ntheta TVCL = 5, TVV = 50\ncovariate WT = 70\ncompartment CENTRAL\nCL = TVCL * (WT / 70)^0.75\nV = TVV\nd/dt(CENTRAL) = -CL / V * CENTRAL\nobserve = CENTRAL / V\n' });

  it('wt for WT is refused, naming the column; WT runs', () => {
    const recs = (col: string) => readNmtran(`ID,TIME,EVID,AMT,CMT,DV,MDV,${col}\n1,0,1,100,1,.,1,140\n1,2,0,.,1,.,0,140\n`, { file: 'w.csv' }).records;
    expect(() => simulate(text, recs('wt'), { file: 'w.csv' })).toThrow(/w\.csv, row 1, column wt: model t reads WT, and names are case-sensitive: column wt is not read/);
    const cl = 5 * 2 ** 0.75;
    expect(Math.abs((simulate(text, recs('WT')).ipred[1] as number) / ((100 / 50) * Math.exp((-cl / 50) * 2)) - 1)).toBeLessThan(1e-7);
  });
});
