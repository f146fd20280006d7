// t5 item 5b (7a8e4b8): a genuine DAT2 yy/mm/dd chart of 2001-2012 with monthly doses
// (dat2_2011.csv: 11/01/15, 11/02/15, 11/03/15 = 15 January, February, March 2011) got W_DATE_ORDER
// "read month/day/year they are 1, 2, 3 November 2015". One ID's dates alone cannot tell: the two
// readings are mirror images (a US chart's 03/05/26, 03/06/26 reads 26 May, 26 June 2003 under DAT2
// the same way), so that chart stays warned (README). But a file whose DAT2 column holds a date that
// reads year/month/day only (a first field 13-99: 13/01/15; or a four-digit year, 2011/04/15) shows
// it writes year first: no ID of it is warned so.

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const H = 'ID,DAT2,TIME,EVID,AMT,RATE,DV,MDV';
const monthly = ['1,11/01/15,08:00,1,1000,1000,.,1', '1,11/02/15,08:00,1,1000,1000,.,1', '1,11/03/15,07:30,0,.,.,5.0,0', '1,11/03/15,08:00,1,1000,1000,.,1'];
const csv = (rows: readonly string[]): string => `${H}\n${rows.join('\n')}\n`;
const dateOrder = (text: string): string[] => (readNmtran(text).warnings ?? []).filter((w) => w.startsWith('W_DATE_ORDER'));

describe('DAT2 yy/mm/dd of 2001-2012 beside a date that reads year first only', () => {
  it('dat2_2011.csv alone: still warned (both readings mirror images), the warning pointing to ISO', () => {
    expect(dateOrder(csv(monthly))).toEqual([expect.stringMatching(/write the dates ISO \(2011-01-15 for 11\/01\/15\)/)]);
  });
  it('beside another ID dated 13/01/15 (2013, no month 13): quiet', () => {
    expect(dateOrder(csv([...monthly, '2,13/01/15,08:00,1,1000,1000,.,1', '2,13/01/15,20:00,0,.,.,4.0,0']))).toEqual([]);
  });
  it('beside a four-digit year in the column (2011/04/15): quiet', () => {
    expect(dateOrder(csv([...monthly, '1,2011/04/15,08:00,1,1000,1000,.,1']))).toEqual([]);
  });
  it("a US chart (03/05/26 …) beside another date that reads both ways (12/10/25) is still warned", () => {
    const us = ['1,03/05/26,08:00,1,1000,1000,.,1', '1,03/06/26,08:00,1,1000,1000,.,1', '1,03/07/26,07:30,0,.,.,5.0,0', '2,12/10/25,08:00,1,1000,1000,.,1'];
    expect(dateOrder(csv(us))).toHaveLength(1);
  });
});
