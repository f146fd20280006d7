// optimize --from 2026-03-06T09:00 on vanco1.csv, whose last row is 1250 mg at RATE
// 625 from 08:00 (running until 10:00), with a trough limit of 20: the hold (4.864691274979 h, shown 5 h;
// a brentq 4.864691274978) outlasts the bag, so the next dose waits for the hold, rightly, but
// the JSON's running_infusion was null and the text did not mention the bag: a JSON consumer lost the fact
// that a bag still runs at `from`. Now running_infusion is kept (row 7, 48 h, 1250, rate 625, end 50 h,
// 10:00) and the text says the bag runs until 10:00 and that the hold lasts longer; the next dose is
// still the hold's end. 50 h = 48 h + 1250/625 h. Failed before the fix (running_infusion null).

import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write } = tempFiles('dosewise-running-hold-');
const VANCO1 = [
  'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL',
  '1,2026-03-04,08:00,1,1000,1000,.,1,80,70',
  '1,2026-03-04,20:00,1,1000,1000,.,1,80,70',
  '1,2026-03-05,07:45,0,.,.,12.4,0,80,70',
  '1,2026-03-05,09:30,1,1000,1000,.,1,80,70',
  '1,2026-03-05,11:30,0,.,.,31.0,0,80,70',
  '1,2026-03-06,07:40,0,.,.,6.1,0,80,70',
  '1,2026-03-06,08:00,1,1250,625,.,1,80,70',
].join('\n');

interface Out {
  hold: { hours: number; exact: number } | null;
  next_time: number;
  running_infusion: { row: number; time: number; amount: number; rate: number; end: number; end_clock: string } | null;
}

describe('optimize --from: a running bag that a hold outlasts is still reported', () => {
  const data = write('vanco1.csv', VANCO1);
  const args = ['optimize', '--model', 'vancomycin_goti_2018', '--data', data, '--from', '2026-03-06T09:00', '--target', 'auc24:400:600,trough::20', '--doses', '500:2000:250', '--intervals', '8,12,24', '--infusions', '1', '--draws', '200', '--seed', '1'];

  it('JSON: running_infusion names the bag; the hold decides the next dose', async () => {
    const j = await cli([...args, '--json']);
    expect(j.code, j.err).toBe(0);
    const [r] = JSON.parse(j.out) as Out[];
    expect(r!.hold?.exact).toBeCloseTo(4.864691274978, 6);
    expect(r!.running_infusion).toMatchObject({ row: 7, time: 48, amount: 1250, rate: 625, end: 50, end_clock: '2026-03-06T10:00:00' });
    // the hold's end (49 h + 5 h), past the bag's end
    expect(r!.next_time).toBeCloseTo(54, 9);
  }, 120_000);

  it('text: the bag is said, with the hold lasting longer', async () => {
    const t = await cli(args);
    expect(t.code, t.err).toBe(0);
    expect(t.out).toContain('the charted infusion of 1250 at 2026-03-06 08:00 (48 h) (row 7, rate 625/h) runs until 2026-03-06 10:00 (50 h): the hold below lasts longer, so the next dose waits for the hold');
  }, 120_000);
});
