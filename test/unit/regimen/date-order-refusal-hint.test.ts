// A DATE chart crossing a month, written day-first (M_cross.csv: 08/03/2026, 09/03/2026, then
// 05/04/2026, meant 8 and 9 March and 5 April), was refused "times must not decrease" (3 September,
// then 4 May) without a word that the day/month order may be the cause. The refusal now says it
// where both dates read either way and, swapped, keep their order.

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const caught = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('not refused');
};
const chart = (column: string, d1: string, d2: string, d3: string): string =>
  `ID,${column},TIME,EVID,AMT,RATE,DV,MDV\n1,${d1},08:00,1,1000,1000,.,1\n1,${d2},08:00,0,0,0,5,0\n1,${d3},08:00,0,0,0,0.1,0\n`;

describe('"times must not decrease" under a date column whose dates read either way', () => {
  it('names the dates as read, the other reading and the remedy (DAT1 or ISO) under DATE', () => {
    const e = caught(() => readNmtran(chart('DATE', '08/03/2026', '09/03/2026', '05/04/2026'), { file: 'M.csv' }));
    expect(e.message).toBe(
      'M.csv, row 3, column TIME: times must not decrease within an ID: row 2 is 09/03/2026 08:00; DATE is month/day/year, which reads 09/03/2026 as 3 September 2026 and 05/04/2026 as 4 May 2026: if the chart writes the day first (9 March 2026 and 5 April 2026, in order), name the column DAT1 (day/month/year), or write the dates ISO (2026-04-05 for 05/04/2026) (got "05/04/2026 08:00")',
    );
  });

  it('says the same the other way under DAT1, and nothing where the swapped dates go back too or a date reads one way', () => {
    expect(caught(() => readNmtran(chart('DAT1', '03/08/2026', '03/09/2026', '04/05/2026'), { file: 'M.csv' })).message).toMatch(
      /row 2 is 03\/09\/2026 08:00; DAT1 is day\/month\/year, which reads 03\/09\/2026 as 3 September 2026 and 04\/05\/2026 as 4 May 2026: if the chart writes the month first \(9 March 2026 and 5 April 2026, in order\), name the column DATE \(month\/day\/year\), or write the dates ISO \(2026-04-05 for 04\/05\/2026\) \(got "04\/05\/2026 08:00"\)$/,
    );
    // swapped, 9 March then 5 February: no help in the other reading
    expect(caught(() => readNmtran(chart('DATE', '08/03/2026', '09/03/2026', '05/02/2026'), { file: 'M.csv' })).message).toMatch(/row 2 is 09\/03\/2026 08:00 \(got "05\/02\/2026 08:00"\)$/);
    expect(caught(() => readNmtran(chart('DATE', '08/03/2026', '09/13/2026', '05/04/2026'), { file: 'M.csv' })).message).toMatch(/row 2 is 09\/13\/2026 08:00 \(got "05\/04\/2026 08:00"\)$/);
  });
});
