// `optimize --from next-dose` where the last dose was given as back-to-back bags (500 mg 20:00–20:30,
// then 500 mg 20:30–21:00, of q12h 1000 mg): one dose, as the metrics read it (intervalStarts), so
// the next dose is its start + the interval. It was refused: "the last doses have no interval (no
// II; 12 h then 0.5 h apart)". Reference: the chart's own arithmetic (20:00 + 12 h = 08:00).

import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';
import { ADVISE_ARGS, ONE_CMT_MODEL } from './one-cmt-advice.js';
import { nextDoseTime } from '../../../src/cli/advice.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';

const { write: file } = tempFiles('dosewise-next-dose-bags-');
const recs = (rows: string): readonly DataRecord[] => readNmtran(`ID,TIME,EVID,AMT,RATE,DV,MDV\n${rows}`).records;
const q12h = '1,0,1,1000,1000,.,1\n1,12,1,1000,1000,.,1\n1,24,1,1000,1000,.,1\n';

describe('--from next-dose after a dose given as two bags', () => {
  it('two equal bags back to back (500 mg over 0.5 h at 36 and 36.5 h): 36 + 12 = 48 h', () => {
    expect(nextDoseTime(recs(`${q12h}1,36,1,500,1000,.,1\n1,36.5,1,500,1000,.,1\n1,47.5,0,.,.,12,0`))).toBe(48);
  });

  it('two bags of another rate and length chained (1000 mg over 1 h, then 500 mg over 0.5 h): 48 h', () => {
    expect(nextDoseTime(recs(`${q12h}1,36,1,1000,1000,.,1\n1,37,1,500,1000,.,1\n1,47.5,0,.,.,12,0`))).toBe(48);
  });

  it('a late last dose still has no interval (12 h then 12.75 h apart)', () => {
    expect(() => nextDoseTime(recs(`${q12h}1,36.75,1,1000,1000,.,1\n1,47.5,0,.,.,12,0`))).toThrow(/the last doses have no interval \(no II; the doses at rows 2 \(12 h\), 3 \(24 h\) and 4 \(36\.75 h\): 12 h then 12\.75 h apart\)/);
  });

  it('on a chart (n3.csv): the next dose is 06/12/2026 08:00, 48 h after the first record', async () => {
    const model = file('m1.model.json', ONE_CMT_MODEL);
    const data = file(
      'n3.csv',
      'ID,DAT1,TIME,EVID,AMT,RATE,II,DV,MDV\n' +
        '1,04/12/2026,08:00,1,1000,1000,.,.,1\n1,04/12/2026,20:00,1,1000,1000,.,.,1\n1,05/12/2026,08:00,1,1000,1000,.,.,1\n' +
        '1,05/12/2026,20:00,1,500,1000,.,.,1\n1,05/12/2026,20:30,1,500,1000,.,.,1\n1,06/12/2026,07:30,0,.,.,.,12,0\n',
    );
    const r = await cli(['optimize', '--model', model, '--data', data, ...ADVISE_ARGS, '--from', 'next-dose', '--json']);
    expect(r.code, r.err).toBe(0);
    const a = (JSON.parse(r.out) as { from: number; from_clock: string }[])[0]!;
    expect(a.from).toBe(48);
    expect(a.from_clock).toMatch(/08:00/);
  });
});
