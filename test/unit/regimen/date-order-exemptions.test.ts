// W_DATE_ORDER on charts without II (5d85dc5) warned where the II rule's own exemptions hold (h2
// F3): a dose with II 744 h ADDL 2 on 01/05/2026 and troughs on 02/05 and 03/05 (the II puts the
// doses a month apart, as the month-first reading does), and two TDM occasions a month apart
// with an EVID 3 reset between them (the II rule never judges across a reset). A genuine
// month-first chart a month apart (a monthly depot on the 1st, quarterly visits) stays warned by
// design; its remedy now says plainly that ISO dates silence it. Reference hours are python
// datetime differences: (datetime(2026,2,5,7,30) - datetime(2026,1,5,8)) / 1 h = 743.5,
// (… 2026,3,5,7,30 …) = 1415.5; (datetime(2026,2,1,7,30) - datetime(2026,1,1,8)) / 1 h = 743.5,
// (… 2026,3,1,10 …) = 1418; day-first (datetime(2026,1,2,7,30) - datetime(2026,1,1,8)) = 23.5,
// (… 2026,1,3,10 …) = 50; (datetime(2026,2,5,8) - datetime(2026,1,5,8)) = 744, day-first
// (datetime(2026,5,2,8) - datetime(2026,5,1,8)) = 24.

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';

describe('W_DATE_ORDER without II: the II rule\'s exemptions', () => {
  it('says nothing where the ID\'s II and ADDL give doses as far apart as the dates read (II 744 h, ADDL 2, troughs a month apart)', () => {
    const d2 = 'ID,DATE,TIME,EVID,AMT,RATE,II,ADDL,DV,MDV\n1,01/05/2026,08:00,1,1000,1000,744,2,.,1\n1,02/05/2026,07:30,0,0,0,0,0,0.01,0\n1,03/05/2026,07:30,0,0,0,0,0,0.01,0\n';
    const d = readNmtran(d2, { file: 'D2.csv' });
    expect(d.records.map((r) => r.TIME)).toEqual([0, 743.5, 1415.5]);
    expect(d.warnings).toBeUndefined();
  });

  it('still warns where the levels read far past the doses the II and ADDL give (II 24 h, ADDL 2, a level a month on)', () => {
    const c = 'ID,DATE,TIME,EVID,AMT,RATE,II,ADDL,DV,MDV\n1,01/12/2026,08:00,1,1500,1000,24,2,.,1\n1,02/12/2026,10:00,0,.,.,.,.,35,0\n';
    expect(readNmtran(c, { file: 'c.csv' }).warnings?.[0]).toMatch(/^W_DATE_ORDER: c\.csv, rows 1 and 2 \(ID 1\): records read 746 h apart/);
  });

  // h2 finding 1: the covered exemption took any gap inside an earlier dose's (ADDL + 1.5) · II,
  // so a q12h standing order with ADDL 89 (45 days) hid a day-first chart read month-first: levels
  // at 743.5 and 745 h for 23.5 and 25 h (python datetime differences: (datetime(2026,2,3,7,30) -
  // datetime(2026,1,3,8)) / 1 h = 743.5, (… 2026,2,3,9 …) = 745; day-first (datetime(2026,3,2,7,30)
  // - datetime(2026,3,1,8)) = 23.5, (… 2026,3,2,9 …) = 25), MAP CL 5.904 for 4.521, exit 0.
  it('warns where only a large ADDL of a short II covers the gap (q12h, ADDL 89, levels a month on as read)', () => {
    const c = 'ID,DATE,TIME,EVID,AMT,RATE,II,ADDL,DV,MDV\n1,01/03/2026,08:00,1,1000,1000,12,89,.,1\n1,02/03/2026,07:30,0,0,0,0,0,7.0,0\n1,02/03/2026,09:00,0,0,0,0,0,35.0,0\n';
    const d = readNmtran(c, { file: 'df_addl.csv' });
    expect(d.records.map((r) => r.TIME)).toEqual([0, 743.5, 745]);
    expect(d.warnings).toHaveLength(1);
    expect(d.warnings?.[0]).toMatch(/^W_DATE_ORDER: df_addl\.csv, rows 1 and 2 \(ID 1\): records read 743\.5 h apart, DATE 01\/03\/2026 as 3 January 2026 and 02\/03\/2026 as 3 February 2026 \(DATE is month\/day\/year\), the ID's records spanning 745 h; read day\/month\/year they are 1 March 2026 and 2 March 2026, 23\.5 h apart, spanning 25 h; /);
    // ADDL 59 ends inside the gap and was warned already: the same warning
    expect(readNmtran(c.replace(',12,89,', ',12,59,'), { file: 'df_addl.csv' }).warnings).toEqual(d.warnings);
  });

  it('still says nothing where the II itself is a week or more (II 168 h, ADDL 8, levels a month apart)', () => {
    const w = 'ID,DATE,TIME,EVID,AMT,RATE,II,ADDL,DV,MDV\n1,01/05/2026,08:00,1,1000,1000,168,8,.,1\n1,02/05/2026,07:30,0,0,0,0,0,0.01,0\n1,03/05/2026,07:30,0,0,0,0,0,0.01,0\n';
    const d = readNmtran(w, { file: 'W.csv' });
    expect(d.records.map((r) => r.TIME)).toEqual([0, 743.5, 1415.5]);
    expect(d.warnings).toBeUndefined();
  });

  it('says nothing of a gap across a reset (two TDM occasions a month apart, EVID 3 between them)', () => {
    const j = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,01/05/2026,08:00,1,1000,1000,.,1\n1,01/05/2026,10:00,0,0,0,28,0\n1,02/05/2026,07:00,3,0,0,.,1\n1,02/05/2026,08:00,1,1000,1000,.,1\n1,02/05/2026,10:00,0,0,0,28,0\n';
    const d = readNmtran(j, { file: 'J.csv' });
    expect(d.records.map((r) => r.TIME)).toEqual([0, 2, 743, 744, 746]);
    expect(d.warnings).toBeUndefined();
  });

  it('still judges each occasion on its own: a day-first occasion before a reset is warned', () => {
    const c = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,01/05/2026,08:00,1,1000,1000,.,1\n1,02/05/2026,08:00,0,0,0,28,0\n1,03/05/2026,07:00,3,0,0,.,1\n1,03/05/2026,08:00,1,1000,1000,.,1\n1,03/05/2026,10:00,0,0,0,28,0\n';
    const w = readNmtran(c, { file: 'o.csv' }).warnings;
    expect(w).toHaveLength(1);
    expect(w?.[0]).toMatch(/^W_DATE_ORDER: o\.csv, rows 1 and 2 \(ID 1\): records read 744 h apart, DATE 01\/05\/2026 as 5 January 2026 and 02\/05\/2026 as 5 February 2026 .* read day\/month\/year they are 1 May 2026 and 2 May 2026, 24 h apart/);
  });
});

describe('W_DATE_ORDER\'s remedy for a genuine month-first chart', () => {
  it('says plainly that ISO dates silence it (a monthly depot on the 1st, D_monthly_1st.csv)', () => {
    const depot = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,01/01/2026,08:00,1,1000,1000,.,1\n1,02/01/2026,07:30,0,0,0,0.01,0\n1,02/01/2026,08:00,1,1000,1000,.,1\n1,03/01/2026,07:30,0,0,0,0.01,0\n1,03/01/2026,08:00,1,1000,1000,.,1\n1,03/01/2026,10:00,0,0,0,28,0\n';
    expect(readNmtran(depot, { file: 'D.csv' }).warnings).toEqual([
      "W_DATE_ORDER: D.csv, rows 1 and 2 (ID 1): records read 743.5 h apart, DATE 01/01/2026 as 1 January 2026 and 02/01/2026 as 1 February 2026 (DATE is month/day/year), the ID's records spanning 1418 h; read day/month/year they are 1 January 2026 and 2 January 2026, 23.5 h apart, spanning 50 h; if the chart writes the day first, name the column DAT1 (day/month/year); if it writes the month first, as read, write the dates ISO (2026-01-01 for 01/01/2026), which silences this warning",
    ]);
    const iso = depot.replace(/(\d\d)\/(\d\d)\/2026/g, '2026-$1-$2');
    expect(readNmtran(iso, { file: 'D.csv' }).warnings).toBeUndefined();
  });
});
