// W_DOSE_DUPLICATE, two gaps of the near-copy rule:
// F5: a MAR "scheduled" row exported without a rate (RATE 0 or blank) beside the "given" row with the
// pump rate 5 min later was read as a push beside a bag, both given without a word: CL 10.22 L/h
// (ETA_CL 0.938) for 5.49 (0.316) with one dose. A push beside a bag of the same amount is now warned;
// a push and a bag of different amounts (a loading push with its bag) and a second bag hung as the
// first ends (a split load) are not.
// F4: nurse titration is never at one exact spacing: morphine 2 mg at 08:02, 08:09 and 08:21 (or 0,
// 5 and 15 min) was told twice to "remove one", and "4 in all" for 6 mg. A third dose of the amount
// within 15 minutes of a pair, at its own time, makes them a series whatever the spacing; a pair
// alone (20:00 and 20:05 of a q12h chart) is still warned.

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const warnings = (text: string): string[] => [...(readNmtran(text, { file: 'c.csv' }).warnings ?? [])];
const levels = '1,1.5,0,.,.,27.57698,0\n1,11.5,0,.,.,3.437169,0\n';
const head = 'ID,TIME,EVID,AMT,RATE,DV,MDV\n';

describe('F5: a scheduled row without a rate beside the given infusion of the same dose', () => {
  it('the chart sched.csv (RATE 0) and sched_blank.csv (RATE blank): warned, naming both rows and rates', () => {
    for (const rate of ['0', '.', '']) {
      const w = warnings(`${head}1,0,1,1000,${rate},.,1\n1,0.0833333,1,1000,1000,.,1\n${levels}`);
      expect(w, `RATE ${JSON.stringify(rate)}`).toEqual([expect.stringMatching(/^W_DOSE_DUPLICATE: c\.csv, rows 1 and 2 \(ID 1\): two doses of AMT 1000 at TIME 0 and TIME 0\.0833333, 5 min apart, RATE 0 and 1000, both given \(2000 in all\); .*remove one/)]);
    }
  });
  it('the other order (the given bag first, the scheduled row after it) and at one time: warned', () => {
    expect(warnings(`${head}1,0,1,1000,1000,.,1\n1,0.0833333,1,1000,0,.,1\n${levels}`)).toHaveLength(1);
    expect(warnings(`${head}1,0,1,1000,0,.,1\n1,0,1,1000,1000,.,1\n${levels}`)).toHaveLength(1);
  });
  it('not for a loading push beside a bag of another amount, nor a second bag hung as the first ends, nor one dose', () => {
    expect(warnings(`${head}1,0,1,500,0,.,1\n1,0.0833333,1,1000,1000,.,1\n${levels}`)).toEqual([]);
    expect(warnings(`${head}1,0,1,1000,1000,.,1\n1,0,1,500,0,.,1\n${levels}`)).toEqual([]);
    expect(warnings(`${head}1,0,1,1000,6000,.,1\n1,0.1666667,1,1000,6000,.,1\n${levels}`)).toEqual([]);
    expect(warnings(`${head}1,0.0833333,1,1000,1000,.,1\n${levels}`)).toEqual([]);
  });
});

describe('F4: titration not at one spacing is a series', () => {
  const bolus = (t: string): string => `1,03/04/2026,${t},1,2,0,.,1\n`;
  const dated = (...rows: string[]): string => 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n' + rows.join('') + '1,03/04/2026,09:30,0,.,.,0.05,0\n';
  it('the chart titr2.csv (08:02, 08:09, 08:21) and titr.csv (0, 5, 15 min): no warning', () => {
    expect(warnings(dated(bolus('08:02'), bolus('08:09'), bolus('08:21')))).toEqual([]);
    expect(warnings(`${head}1,0,1,2,0,.,1\n1,0.0833333,1,2,0,.,1\n1,0.25,1,2,0,.,1\n1,1,0,.,.,0.05,0\n`)).toEqual([]);
    expect(warnings(dated(bolus('08:00'), bolus('08:04'), bolus('08:13'), bolus('08:25')))).toEqual([]);
  });
  it('a pair alone is still warned: 08:02 and 08:09', () => {
    expect(warnings(dated(bolus('08:02'), bolus('08:09')))).toHaveLength(1);
    // a third bolus of the amount 16 min on (within 2 h, past the 15 min of a series) was warned too:
    // presses on demand (PCA, dose-near-duplicate-pca.test.ts) are no copy, changed deliberately
    expect(warnings(dated(bolus('08:02'), bolus('08:09'), bolus('08:25')))).toEqual([]);
  });
  it('a dose charted twice at one time within a series is still warned (the third dose is no spacing of a copy)', () => {
    expect(warnings(dated(bolus('08:02'), bolus('08:09'), bolus('08:09').replace(',0,.,1', ',2,.,1'), bolus('08:21')))).toEqual([expect.stringMatching(/rows 2 and 3 \(ID 1\): two doses of AMT 2 at 03\/04\/2026 08:09, RATE 0 and 2, both given \(4 in all\)/)]);
  });
  it('20:00 and 20:05 in a q12h chart: still warned', () => {
    const d = (t: string, day = '03/04/2026'): string => `1,${day},${t},1,1000,1000,.,1\n`;
    const text = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n' + d('08:00') + d('20:00') + d('20:05') + d('08:00', '03/05/2026') + '1,03/05/2026,09:00,0,.,.,38.5,0\n';
    expect(warnings(text)).toEqual([expect.stringMatching(/rows 2 and 3 \(ID 1\): two doses of AMT 1000 .*5 min apart, both given \(2000 in all\)/)]);
  });
});
