// Study days 101, 102, 103 under DAT1: read as ddmm they are 1 January, 1 February and
// 1 March, a monthly dose on the 1st charted without its leading zero, so the chart is refused (two
// readings a day and a month apart; DATE's mmdd reads them as days). Decision: still refused, but the
// refusal now names the short remedy: DAT1 → DATE, which reads them 0, 24, 48 h (days × 24 plus the
// clock time: 0, 1.5, 24, 48, 49 h), where before it offered only rewriting TIME as hours.

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const chart = (col: string, days: readonly string[]): string =>
  `ID,${col},TIME,EVID,AMT,RATE,DV,MDV\n1,${days[0]},08:00,1,1000,1000,.,1\n1,${days[0]},09:30,0,.,.,27.57698,0\n1,${days[1]},08:00,1,1000,1000,.,1\n1,${days[2]},08:00,1,1000,1000,.,1\n1,${days[2]},09:00,0,.,.,38.4,0\n`;

describe('DAT1 day numbers that read as ddmm a month apart', () => {
  it('101, 102, 103: refused, naming DATE as the study days’ remedy; the remedy reads the real hours', () => {
    expect(() => readNmtran(chart('DAT1', ['101', '102', '103']), { file: 'd.csv' })).toThrow(/if they are a study's days, name the column DATE \(its mmdd reads 101 and 102 1 day apart, as day numbers\)/);
    expect(readNmtran(chart('DATE', ['101', '102', '103'])).records.map((r) => r.TIME)).toEqual([0, 1.5, 24, 48, 49]);
  });
  it('no DATE remedy where mmdd parts from the day numbers too (1501 → 1502: no mmdd date)', () => {
    expect(() => readNmtran(chart('DAT1', ['1501', '1502', '1503']), { file: 'd.csv' })).toThrow(/give TIME as hours since the first record, without DAT1\)/);
    let message = '';
    try {
      readNmtran(chart('DAT1', ['1501', '1502', '1503']), { file: 'd.csv' });
    } catch (e) {
      message = String(e);
    }
    expect(message).not.toMatch(/name the column DATE/);
  });
});
