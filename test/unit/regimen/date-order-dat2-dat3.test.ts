// W_DATE_ORDER judged DATE and DAT1 only: a yyyy/mm/dd or yy-mm-dd chart under DAT3 (year/day/month)
// read consecutive days a month apart (the records at 24 h read at 720 h, the last at 1463.5 h for
// 47.5; simulate printed IPRED 1.6e-11 at the 24-h dose for 7.7692) with exit 0 and no warning. The
// day and month of DAT2 and DAT3 are the last two fields; swapped, they are judged as DATE's and
// DAT1's first two are. Reference: test/oracle/spreadsheet_dates_gaps.py (the script ref_sims.py).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';

const ref = JSON.parse(readFileSync('test/oracle/spreadsheet-dates-gaps.json', 'utf8')) as { dat3_ymd: Record<string, number> };
const wmap = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));
const CLOCK = ['08:00', '09:30', '19:30', '20:00', '08:00', '09:00', '20:00', '07:30'];
const DAY = [0, 0, 0, 0, 1, 1, 1, 2];
const EV = ['1,1000,1000,.,1', '0,.,.,27.57698,0', '0,.,.,3.437169,0', '1,1000,1000,.,1', '1,1000,1000,.,1', '0,.,.,38.494925,0', '1,1000,1000,.,1', '0,.,.,7.016984,0'];
const chart = (column: string, days: readonly string[]): string => `ID,${column},TIME,EVID,AMT,RATE,DV,MDV\n${CLOCK.map((c, k) => `1,${days[DAY[k] as number]},${c},${EV[k]}`).join('\n')}\n`;

describe('W_DATE_ORDER under DAT2 and DAT3', () => {
  it('j_dat3_yyyymmdd_slash.csv: yyyy/mm/dd under DAT3 is warned, naming the rows, both readings and DAT2', () => {
    const d = readNmtran(chart('DAT3', ['2026/03/04', '2026/03/05', '2026/03/06']), { file: 'j_dat3_yyyymmdd_slash.csv' });
    expect(d.records.map((r) => r.TIME)).toEqual([0, 1.5, 11.5, 12, 720, 721, 732, 1463.5]);
    expect(d.warnings).toEqual([
      expect.stringMatching(/^W_DATE_ORDER: j_dat3_yyyymmdd_slash\.csv, rows 7 and 8 \(ID 1\): records read 731\.5 h apart, DAT3 2026\/03\/05 as 3 May 2026 and 2026\/03\/06 as 3 June 2026 \(DAT3 is year\/day\/month\), .*read year\/month\/day they are 5 March 2026 and 6 March 2026, 11\.5 h apart, spanning 47\.5 h; if the chart writes the month before the day, name the column DAT2 \(year\/month\/day\); if it writes the day before the month, as read, write the dates ISO/),
    ]);
    expect(readNmtran(chart('DAT3', ['26-03-04', '26-03-05', '26-03-06'])).warnings).toEqual([expect.stringMatching(/^W_DATE_ORDER: .*DAT3 26-03-05 as 3 May 2026/)]);
  });
  it('yyyy/dd/mm under DAT2 is warned, pointing to DAT3 after ISO (year/day/month is the rare case; ISO dates under DAT2 are not judged: date-order-dat2-iso.test.ts)', () => {
    expect(readNmtran(chart('DAT2', ['2026/04/03', '2026/05/03', '2026/06/03'])).warnings).toEqual([expect.stringMatching(/^W_DATE_ORDER: .*\(DAT2 is year\/month\/day\).*; only if it writes year\/day\/month, name the column DAT3$/)]);
  });
  it('the column it names reads the hours meant: IPRED within 1e-6 of the oracle, without a warning', () => {
    const d = readNmtran(chart('DAT2', ['2026/03/04', '2026/03/05', '2026/03/06']));
    expect(d.warnings).toBeUndefined();
    const sim = simulate(wmap, d.records);
    const t = d.records.map((r) => r.TIME);
    for (const [h, c] of Object.entries(ref.dat3_ymd)) expect(Math.abs((sim.ipred[t.indexOf(Number(h))] as number) - c) / c).toBeLessThan(1e-6);
    expect(readNmtran(chart('DAT3', ['2026/04/03', '2026/05/03', '2026/06/03'])).warnings).toBeUndefined();
  });
});
