// W_CLOCK_AMBIGUOUS named a time with seconds at the minute it rounds to: a trough charted at
// 02:59:30 on Berlin's autumn night, in the hour the clocks repeat and 30 s before a 03:00 dose,
// was said as "row 2 (2026-10-25 03:00) lies in the hour the clocks of Europe/Berlin repeat ...
// read as the first, 03:00 +02:00 (01:00 UTC)": a time outside the hour, the dose's, and a UTC
// reading 30 s off (00:59:30). The seconds are now shown where a time has them.

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';

describe('W_CLOCK_AMBIGUOUS of a time with seconds', () => {
  it('02:59:30 is named as charted, with its readings to the second (00:59:30 and 01:59:30 UTC)', () => {
    const text = 'ID,DAT2,TIME,EVID,AMT,DV,MDV\n1,2026-10-24,21:00,1,1000,.,1\n1,2026-10-25,02:59:30,0,.,20,0\n1,2026-10-25,03:00,1,1000,.,1\n';
    const d = readNmtran(text, { file: 'w.csv', zone: 'Europe/Berlin', onZoneClock: true });
    // 21:00 +02:00 is 19:00 UTC; 00:59:30 UTC is 5 h 59.5 min later; 03:00 +01:00 is 02:00 UTC, 7 h
    d.records.forEach((r, i) => expect(r.TIME).toBeCloseTo([0, 5 + 59.5 / 60, 7][i] as number, 12));
    const w = (d.warnings ?? []).filter((x) => x.startsWith('W_CLOCK_AMBIGUOUS'));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('row 2 (2026-10-25 02:59:30) lies in the hour');
    expect(w[0]).toContain('read as the first, 02:59:30 +02:00 (00:59:30 UTC); the second, 02:59:30 +01:00 (01:59:30 UTC)');
    expect(w[0]).toContain('2026-10-25T02:59:30+01:00');
  });
});
