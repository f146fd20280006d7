// An ID whose DATE column mixes ISO dates with day-first ones (a European chart pasted
// under an ISO block): 2026-03-04, then 05/03/2026 and 06/03/2026, which DATE (month/day/year) reads
// as 3 May and 3 June. Doses 12 h apart were read 1428 h apart, the last level at 2183.5 h, and
// estimate gave ETA_CL -3.224 (CL 0.159 L/h for 5.44) with exit 0 and no W_DATE_ORDER: the rule for
// charts without II judged only IDs whose every date reads either way, and an ISO date reads one way.
// Hours from test/oracle/date_iso_mixed.py (python datetime).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const ORACLE = JSON.parse(readFileSync(join(import.meta.dirname, '../../oracle/date-iso-mixed.json'), 'utf8')) as { read_mdy: number[]; read_dmy: number[] };

const chart = (column: string, d1: string, d2: string, d3: string): string =>
  `ID,${column},TIME,EVID,AMT,RATE,DV,MDV\n1,${d1},08:00,1,1000,1000,.,1\n1,${d1},09:30,0,0,0,27.57698,0\n1,${d1},19:30,0,0,0,3.437169,0\n1,${d1},20:00,1,1000,1000,.,1\n` +
  `1,${d2},08:00,1,1000,1000,.,1\n1,${d2},09:00,0,0,0,38.494925,0\n1,${d2},20:00,1,1000,1000,.,1\n1,${d3},07:30,0,0,0,7.016984,0\n`;

describe('W_DATE_ORDER on an ID mixing ISO dates with dates the other order reads too', () => {
  it('warns on an ISO block followed by day-first dates under DATE, naming the rows, both readings and the remedy', () => {
    const d = readNmtran(chart('DATE', '2026-03-04', '05/03/2026', '06/03/2026'), { file: 'mixed.csv' });
    expect(d.records.map((r) => r.TIME)).toEqual(ORACLE.read_mdy);
    expect(d.warnings).toEqual([
      "W_DATE_ORDER: mixed.csv, rows 4 and 5 (ID 1): records read 1428 h apart, DATE 2026-03-04 as 4 March 2026 and 05/03/2026 as 3 May 2026 (DATE is month/day/year), the ID's records spanning 2183.5 h; read day/month/year they are 4 March 2026 and 5 March 2026, 12 h apart, spanning 47.5 h (the ID's ISO dates, as 2026-03-04 at row 1, read one way only); if the chart writes the day first, name the column DAT1 (day/month/year); if it writes the month first, as read, write the dates ISO (2026-05-03 for 05/03/2026), which silences this warning",
    ]);
  });

  it('says nothing under DAT1, which reads the chart as written (12 h apart)', () => {
    const d = readNmtran(chart('DAT1', '2026-03-04', '05/03/2026', '06/03/2026'), { file: 'mixed.csv' });
    expect(d.records.map((r) => r.TIME)).toEqual(ORACLE.read_dmy);
    expect(d.warnings).toBeUndefined();
  });

  it('says nothing where the ISO and other dates agree (month-first 03/05/2026 after 2026-03-04), nor of ISO dates alone', () => {
    const d = readNmtran(chart('DATE', '2026-03-04', '03/05/2026', '03/06/2026'), { file: 'agree.csv' });
    expect(d.records.map((r) => r.TIME)).toEqual(ORACLE.read_dmy);
    expect(d.warnings).toBeUndefined();
    // the chart dates/date_mixed_forms.csv: ISO and slash dates alternating on the same days
    const alternating = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,03/04/2026,08:00,1,1000,1000,.,1\n1,03/04/2026,09:30,0,0,0,27.57698,0\n1,2026-03-04,19:30,0,0,0,3.437169,0\n1,2026-03-04,20:00,1,1000,1000,.,1\n1,03/05/2026,08:00,1,1000,1000,.,1\n1,03/05/2026,09:00,0,0,0,38.494925,0\n1,2026-03-05,20:00,1,1000,1000,.,1\n1,03/06/2026,07:30,0,0,0,7.016984,0\n';
    expect(readNmtran(alternating, { file: 'alt.csv' }).warnings).toBeUndefined();
    expect(readNmtran(chart('DATE', '2026-03-04', '2026-05-03', '2026-06-03'), { file: 'iso.csv' }).warnings).toBeUndefined();
  });
});
