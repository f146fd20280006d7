// The chart dst6.csv: a level at 2026-03-29 02:30 between doses at 20:00 the evening before
// and 08:00, read without --tz on a computer in Europe/Berlin. Berlin's clocks go from 02:00 to 03:00
// that night, so 02:30 is no time on them (almost always a typo, or a device clock not put forward);
// with --tz such a row is refused. Without it the chart is read on the wall clock (the chart does not
// say its zone: 5.5 h from 02:30 to 08:00), and W_CLOCK_DST said the switch "lies between row 2
// (2026-03-29 02:30) and row 3 … where the instants are 4.5 h apart", giving the impossible time an
// instant (+01:00). It now names the row, says the time does not exist on that night's clock and how
// to give it, and gives no instant for it. Failed before the fix (no "is no time" clause; 4.5 h said).
// The gap 02:00-03:00 and the offsets: python zoneinfo (datetime(2026,3,29,2,30,fold=0/1) on
// Europe/Berlin gives +01:00 and +02:00, which round-trip to other wall times: no such time).

import { afterEach, describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write } = tempFiles('dosewise-dst-skipped-');
const head = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL\n';
const DST6 = `${head}1,2026-03-28,20:00,1,1000,1000,.,1,80,70,0\n1,2026-03-29,02:30,0,.,.,20.0,0,80,70,0\n1,2026-03-29,08:00,1,1000,1000,.,1,80,70,0\n`;
const skipped = /row 2's time, 2026-03-29 02:30, is no time on the clock of Europe\/Berlin: its clocks skip from 02:00 to 03:00 that night/;

describe('W_CLOCK_DST names a row at a time the clocks skip', () => {
  it('dst6.csv: the row is named, no instant is given for it, and how to write it is said', () => {
    const read = readNmtran(DST6, { file: 'dst6.csv', zone: 'Europe/Berlin' });
    const w = read.warnings ?? [];
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^W_CLOCK_DST: dst6\.csv, ID 1: the daylight-saving switch of Europe\/Berlin at 2026-03-29 02:00 \+01:00 \(2026-03-29 03:00 \+02:00\)/);
    expect(w[0]).toMatch(skipped);
    expect(w[0]).toContain('2026-03-29T02:30+01:00');
    expect(w[0]).toContain('2026-03-29T03:30+02:00');
    expect(w[0]).not.toContain('4.5 h');
    // read as written on the wall clock (the rule without --tz): 6.5 h and 12 h after the first dose
    expect(read.records.map((r) => r.TIME)).toEqual([0, 6.5, 12]);
  });

  it('a skipped time on an ID\'s last row, with no record after the switch, is named too', () => {
    const w = readNmtran(DST6.split('\n').slice(0, 3).join('\n'), { file: 'dst6.csv', zone: 'Europe/Berlin' }).warnings ?? [];
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(skipped);
  });

  it('a time after the gap or before it is not named (03:00 and 01:59 exist)', () => {
    for (const t of ['03:00', '01:59']) {
      const w = (readNmtran(DST6.replace('02:30', t), { zone: 'Europe/Berlin' }).warnings ?? []).join('\n');
      expect(w).not.toMatch(/is no time on the clock/);
    }
  });

  describe('estimate, TZ=Europe/Berlin, no --tz', () => {
    const tz = process.env.TZ;
    afterEach(() => {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    });
    it('says it on stderr and in the JSON', async () => {
      process.env.TZ = 'Europe/Berlin';
      const r = await cli(['estimate', '--model', 'vancomycin_goti_2018', '--data', write('dst6.csv', DST6), '--json']);
      expect(r.code, r.err).toBe(0);
      expect(r.err).toMatch(skipped);
      const w = (JSON.parse(r.out) as { warnings: { code: string; message: string }[] }[])[0]?.warnings ?? [];
      expect(w.find((x) => x.code === 'W_CLOCK_DST')?.message).toMatch(skipped);
    });
  });
});
