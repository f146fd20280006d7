// Records built or edited in code (regimen().records(), plain objects, readNmtran's records copied)
// have no cells: W_DOSE_DUPLICATE was judged on a file's cells alone, so a dose given twice in code
// ran twice without a word (a 1000-mg bolus twice: the level at 2 h 134.06 for 67.03), and the
// library's warnings and refusals of a record without a row named "row undefined" ("row undefined
// (and 3 more): W_RENAL_UNIT: …", "row : MDV 0 … with DV missing", "column WT: …" without a place).
// Now a record without a row is named by its position + 1 (the number checkRecords' refusals gave
// it), and simulate(), estimate() and forecast() warn of copied and near-copied doses in code.
// Numbers: C(t) = n·AMT/V·e^(−CL/V·t) of n boluses (closed form).

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { libraryModel } from '../../../src/model/library.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { regimen } from '../../../src/regimen/builder.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { simulate } from '../../../src/engine/simulate.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';

// one compartment, IV bolus: C(t) = AMT/V · e^(−CL/V · t), CL = 2·e^η, V = 10
const model = defineModel({
  dosewise: 2,
  name: 'one compartment',
  structure: { kind: 'linear', compartments: 1, depot: false },
  parameters: { CL: '2*exp(ETA_CL)', V: 10 },
  omega: { etas: ['ETA_CL'], diagonal: [0.1] },
  residual: { model: 'proportional', proportional: 0.1 },
});
const closed = (n: number, amt: number, t: number): number => ((n * amt) / 10) * Math.exp(-0.2 * t);
const withoutRows = (records: readonly DataRecord[]): DataRecord[] => records.map(({ row: _row, ...r }) => r as DataRecord);
const dup = (ws: readonly string[]): string[] => ws.filter((w) => w.startsWith('W_DOSE_DUPLICATE'));

describe('W_DOSE_DUPLICATE of records built in code', () => {
  it('a dose given twice by regimen(): warned by simulate(), estimate() and forecast(), both given', () => {
    const recs = regimen().dose({ time: 0, amt: 1000 }).dose({ time: 0, amt: 1000 }).observe({ times: [2] }).records();
    const sim = simulate(model, recs);
    expect(sim.ipred[2]).toBeCloseTo(closed(2, 1000, 2), 9);
    expect(dup(sim.warnings)).toEqual([
      'W_DOSE_DUPLICATE: rows 1 and 2 (ID 1): dose records with every field and item equal (AMT 1000 at TIME 0), both given (2 doses at that time, as NONMEM gives them); if one is a copy of the other, remove it',
    ]);
    const withLevel = recs.map((r) => (r.EVID === 0 ? { ...r, DV: 130, MDV: 0 } : r));
    const fit = estimate(model, withLevel);
    expect(fit.warnings.filter((w) => w.code === 'W_DOSE_DUPLICATE').map((w) => w.message)).toEqual([expect.stringMatching(/^rows 1 and 2 \(ID 1\): dose records with every field and item equal \(AMT 1000 at TIME 0\)/)]);
    const future = regimen().dose({ time: 12, amt: 500 }).dose({ time: 12, amt: 500 }).observe({ times: [14] }).records();
    const f = forecast(model, withLevel, fit, future, { draws: 20 });
    expect(dup(f.warnings)).toEqual([
      expect.stringMatching(/^W_DOSE_DUPLICATE: records: rows 1 and 2 \(ID 1\): dose records with every field and item equal \(AMT 1000 at TIME 0\)/),
      expect.stringMatching(/^W_DOSE_DUPLICATE: future regimen: rows 1 and 2 \(ID 1\): dose records with every field and item equal \(AMT 500 at TIME 12\)/),
    ]);
  });

  it('plain records without a row are named by their position + 1, with ID and TIME', () => {
    const recs = withoutRows(regimen().observe({ times: [1] }).dose({ time: 8, amt: 250 }).dose({ time: 8, amt: 250 }).dose({ time: 8, amt: 250 }).observe({ times: [9] }).records());
    expect(dup(simulate(model, recs).warnings)).toEqual([expect.stringMatching(/^W_DOSE_DUPLICATE: rows 2, 3 and 4 \(ID 1\): dose records with every field and item equal \(AMT 250 at TIME 8\), both given \(3 doses at that time/)]);
  });

  it('a near copy (20:00 and 20:05) is warned; doses in a series, or of another amount, are not', () => {
    const near = regimen().dose({ time: 20, amt: 1000 }).dose({ time: 20 + 5 / 60, amt: 1000 }).observe({ times: [22] }).records();
    const sim = simulate(model, near);
    expect(sim.ipred[2]).toBeCloseTo(closed(1, 1000, 2) + closed(1, 1000, 2 - 5 / 60), 9);
    expect(dup(sim.warnings)).toEqual([expect.stringMatching(/^W_DOSE_DUPLICATE: rows 1 and 2 \(ID 1\): two doses of AMT 1000 into CMT 1 at TIME 20 and TIME 20\.0833, 5 min apart, both given \(2000 in all\)/)]);
    const series = regimen().dose({ time: 0, amt: 2 }).dose({ time: 10 / 60, amt: 2 }).dose({ time: 20 / 60, amt: 2 }).observe({ times: [1] }).records();
    expect(dup(simulate(model, series).warnings)).toEqual([]);
    const other = regimen().dose({ time: 0, amt: 1000 }).dose({ time: 0, amt: 500 }).observe({ times: [1] }).records();
    expect(dup(simulate(model, other).warnings)).toEqual([]);
  });

  it('two equal steady-state records: the last one alone counts', () => {
    const ss = regimen().dose({ time: 0, amt: 1000, ii: 12, ss: 1 }).dose({ time: 0, amt: 1000, ii: 12, ss: 1 }).observe({ times: [5] }).records();
    expect(dup(simulate(model, ss).warnings)).toEqual([expect.stringMatching(/^W_DOSE_DUPLICATE: rows 1 and 2 \(ID 1\): .*the last one alone counts \(a steady-state record, SS 1/)]);
  });

  it("a data set's copies are readNmtran's to say (once), an edited copy of its record the library's", () => {
    const d = readNmtran('ID,TIME,EVID,AMT,DV,MDV\n1,0,1,1000,.,1\n1,0,1,1000,.,1\n1,2,0,0,.,1\n', { file: 'd.csv' });
    expect(d.warnings).toEqual([expect.stringMatching(/^W_DOSE_DUPLICATE: d\.csv, rows 1 and 2 \(ID 1\): dose records with every cell equal/)]);
    expect(dup(simulate(model, d.records, { file: 'd.csv' }).warnings)).toEqual([]);
    const one = readNmtran('ID,TIME,EVID,AMT,DV,MDV\n1,0,1,1000,.,1\n1,2,0,0,.,1\n');
    expect(one.warnings).toBeUndefined();
    const edited = [one.records[0] as DataRecord, { ...(one.records[0] as DataRecord), row: 2 }, { ...(one.records[1] as DataRecord), row: 3 }];
    expect(dup(simulate(model, edited).warnings)).toEqual([expect.stringMatching(/^W_DOSE_DUPLICATE: rows 1 and 2 \(ID 1\): dose records with every field and item equal \(AMT 1000 at TIME 0\)/)]);
  });
});

describe('records built in code without a row', () => {
  const goti = libraryModel('vancomycin_goti_2018');
  const items = { WT: 70, CRCL: 3, DIAL: 0 };
  const recs = withoutRows(regimen().dose({ time: 0, amt: 1000, dur: 1, items }).dose({ time: 12, amt: 1000, dur: 1, items }).observe({ times: [2, 23], items }).records());
  const leveled = recs.map((r, i) => (i === 3 ? { ...r, DV: 15, MDV: 0 } : r));

  it('simulate(), estimate() and forecast() name them by position + 1, not "row undefined"', () => {
    expect(simulate(goti, recs).warnings).toEqual([expect.stringMatching(/^row 1 \(and 3 more\): W_RENAL_UNIT: CRCL 3 read as 3 mL\/min/)]);
    const fit = estimate(goti, leveled);
    const msgs = fit.warnings.map((w) => `${w.code}: ${w.message}`);
    expect(msgs.join('\n')).not.toMatch(/undefined|row :/);
    expect(msgs).toContainEqual(expect.stringMatching(/^W_LEVEL_MISSING: row 2: MDV 0/));
    expect(msgs).toContainEqual(expect.stringMatching(/^W_RENAL_UNIT: row 1 \(and 3 more\): CRCL 3/));
    const future = withoutRows(regimen().dose({ time: 24, amt: 1000, dur: 1, items }).observe({ times: [30, 36], items }).records());
    const f = forecast(goti, leveled, fit, future, { draws: 20 });
    expect(f.warnings.join('\n')).not.toContain('undefined');
    expect(f.warnings).toContainEqual(expect.stringMatching(/^W_RENAL_UNIT: records: row 1 \(and 3 more\): CRCL 3/));
    expect(f.warnings).toContainEqual(expect.stringMatching(/^W_RENAL_UNIT: future regimen: row 1 \(and 2 more\): CRCL 3/));
    // the caller's records are not changed
    expect(recs.every((r) => r.row === undefined)).toBe(true);
  });

  it('a refusal names the record too', () => {
    const bad = recs.map((r, i) => (i >= 2 ? { ...r, items: { ...r.items, WT: -5 } } : r));
    expect(() => simulate(goti, bad)).toThrow(/^row 3, column WT: /);
    expect(() => estimate(goti, bad)).toThrow(/^row 3, column WT: /);
  });
});
