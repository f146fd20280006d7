// Pasted rows the what-if tool misread without a word (src/web/history.ts, parsePastedRows): a level
// at the time of an ADDL copy whose time is not a whole number, and a simple-layout row shorter than
// its header.

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { parsePastedRows, resolveTimes, type PasteModel } from '../../../src/web/history.js';

const GOTI: PasteModel = { covariates: ['CRCL', 'WT', 'DIAL'], observeCompartment: 1, outputs: [] };

describe('a level at the time of an ADDL copy is refused at any time, not only at whole hours', () => {
  // 1.13 + 12 = 13.13 exactly in decimal, so the level is drawn at the copy's time; in binary the sum
  // is 13.129999999999999 (python3: 1.13 + 12 == 13.13 is False), which missed the exact-key lookup,
  // and the level was accepted and placed before the copy (the tool reads a level at a dose's time
  // as a trough): η (−0.770, −1.328, −0.970), OFV 22.69, where estimate() of the set itself, which
  // gives the copy first, has η (−0.024, −0.546, −0.036), OFV 5.74 (measured when this was written)
  const HOURS = 'ID,TIME,AMT,RATE,ADDL,II,DV,MDV,EVID,CRCL,WT\n1,1.13,1000,0,1,12,.,1,1,60,80\n1,13.13,.,.,.,.,40,0,0,60,80\n';
  // 08:01 + 12 h = 20:01: 13.016666666666666 h summed against 13.016666666666667 h read from 20:01
  const CLOCK = 'ID,DATE,TIME,AMT,RATE,ADDL,II,DV,MDV,EVID\n1,2026-03-04,07:00,1000,0,0,0,.,1,1\n1,2026-03-04,08:01,1000,0,1,12,.,1,1\n1,2026-03-04,20:01,.,.,.,.,40,0,0\n';

  it('hours: 1.13 with ADDL 1, II 12 and a level at 13.13 is refused naming the dose row (was accepted)', () => {
    // the engine's own reading: the copy and the level are the same time written two ways
    const times = readNmtran(HOURS).records.map((r) => r.TIME);
    expect(times).toEqual([1.13, 13.13]);
    expect(() => parsePastedRows(HOURS, 'addl_hours.csv', GOTI)).toThrow(/addl_hours\.csv, row 2, column TIME: a level at the time of a dose of row 1 \(listed after it, or one of its ADDL copies\).*\(got "13\.13"\)/);
    // as at whole hours (the case that was already refused)
    expect(() => parsePastedRows(HOURS.replace('1,1.13,', '1,1,').replace('1,13.13,', '1,13,'), undefined, GOTI)).toThrow(/row 2, column TIME: a level at the time of a dose of row 1/);
  });

  it('clock times: 08:01 with ADDL 1, II 12 and a level at 20:01 is refused naming the dose row (was accepted)', () => {
    expect(() => parsePastedRows(CLOCK, 'addl_clock.csv', GOTI)).toThrow(/addl_clock\.csv, row 3, column TIME: a level at the time of a dose of row 2 \(listed after it, or one of its ADDL copies\)/);
  });

  it('a level a minute before the copy is still taken, as drawn before it', () => {
    const p = parsePastedRows(CLOCK.replace('20:01,.', '20:00,.'), undefined, GOTI);
    // a dated set keeps its clock in the tables (hours since the first record beside each)
    expect(p.levels).toEqual([{ time: '2026-03-04T20:00', conc: '40', blq: false }]);
    expect(p.doses.map((d) => d.time)).toEqual(['2026-03-04T07:00', '2026-03-04T08:01', '2026-03-04T20:01']);
    expect(resolveTimes([...p.doses, ...p.levels].map((r) => r.time))).toMatchObject({ hours: [0, 61 / 60, 13 + 1 / 60, 13], clock: true });
    const q = parsePastedRows(HOURS.replace('1,13.13,', '1,13.12,'), undefined, GOTI);
    expect(q.levels.map((l) => l.time)).toEqual(['13.12']);
    expect(q.doses.map((d) => d.time)).toEqual(['1.13', '13.13']);
  });
});

describe('a simple-layout row with fewer fields than the header is refused', () => {
  it('`0,1,000` under time,dose,duration,level (a decimal comma or a cell left out) is refused naming the row and both counts (was read as a 1 mg bolus)', () => {
    expect(() => parsePastedRows('time,dose,duration,level\n0,1,000\n12,,,18\n', 'chart.csv')).toThrow(/chart\.csv, row 1, column \*: expected 4 fields like the header, found 3 \(got "0,1,000"\)/);
    // tab-separated from a spreadsheet likewise
    expect(() => parsePastedRows('time\tdose\tduration\tlevel\n0\t1000\t1\t\n12\t1000\n')).toThrow(/row 2, column \*: expected 4 fields like the header, found 2/);
    // the same mistake in an NM-TRAN set, for the wording
    expect(() => readNmtran('ID,TIME,AMT,DUR,DV\n1,0,1,000\n1,12,.,.,18\n')).toThrow(/expected 5 fields like the header, found 4/);
  });

  it('an empty cell written as its separator counts as a field', () => {
    expect(parsePastedRows('time,dose,duration,level\n0,1000,1,\n12,,,18\n')).toEqual({
      layout: 'simple',
      doses: [{ time: '0', amount: '1000', infusion: '1' }],
      levels: [{ time: '12', conc: '18', blq: false }],
    });
    expect(parsePastedRows('time\tdose\tduration\tlevel\n0\t1000\t\t\n').doses).toEqual([{ time: '0', amount: '1000', infusion: '0' }]);
  });
});
