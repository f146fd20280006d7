// readNmtran was quadratic in the records of one ID under a date column since W_DATE_ORDER judged
// charts without II (5d85dc5): grouping records by ID copied the ID's list for every record. One ID
// of 20,000 records every 5 min under DATE read in 3.4-5.1 s for 0.23 s before; 60,000 in 26 s.
// These tests check what such data sets read to, not how fast: they are run under the suite's
// timeout. Reference hours are python datetime differences:
// (datetime(2026,3,1,8) + timedelta(minutes=5*59999) - datetime(2026,3,1,8)) / 1 h = 4999.91667 (25 September 15:55);
// (datetime(2026,12,5) + timedelta(seconds=15*4999) - datetime(2026,1,5)) / 1 h = 8036.82917.

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const two = (n: number): string => String(n).padStart(2, '0');
const clock = (seconds: number): string => `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;

describe('one ID of 60,000 records under DATE', () => {
  it('reads every 5 min from 03/01/2026 08:00 to 09/25/2026 15:55, without a warning', () => {
    const lines = ['ID,DATE,TIME,EVID,AMT,RATE,DV,MDV'];
    const start = Date.UTC(2026, 2, 1, 8);
    for (let k = 0; k < 60_000; k++) {
      const at = new Date(start + k * 300_000);
      const date = `${two(at.getUTCMonth() + 1)}/${two(at.getUTCDate())}/2026`;
      lines.push(k === 0 ? `1,${date},08:00,1,1000,1000,.,1` : `1,${date},${two(at.getUTCHours())}:${two(at.getUTCMinutes())},0,0,0,1,1`);
    }
    const d = readNmtran(lines.join('\n') + '\n', { file: 'one.csv' });
    expect(d.records).toHaveLength(60_000);
    expect(d.records[59_999]?.TIME).toBeCloseTo(4999.916667, 5);
    expect(d.records[30_000]?.TIME).toBeCloseTo(2500, 9);
    expect(d.warnings).toBeUndefined();
  });

  it('reads twelve TDM occasions on the 5th of each month (01/05 .. 12/05), each after a reset, without a warning', () => {
    // every date reads either way and day-first the chart spans 12 days for 11 months: the gaps of
    // a month lie across resets (EVID 3), which say nothing of the dates, as the II rule holds
    const lines = ['ID,DATE,TIME,EVID,AMT,RATE,DV,MDV'];
    for (let m = 1; m <= 12; m++)
      for (let k = 0; k < 5000; k++) {
        const evid = k === 0 ? (m === 1 ? 1 : 3) : k === 1 && m > 1 ? 1 : 0;
        lines.push(`1,${two(m)}/05/2026,${clock(15 * k)},${evid},${evid === 1 ? '1000,1000,.,1' : evid === 3 ? '0,0,.,1' : '0,0,1,1'}`);
      }
    const d = readNmtran(lines.join('\n') + '\n', { file: 'occasions.csv' });
    expect(d.records).toHaveLength(60_000);
    expect(d.records[59_999]?.TIME).toBeCloseTo(8036.829167, 5);
    expect(d.warnings).toBeUndefined();
  });
});
