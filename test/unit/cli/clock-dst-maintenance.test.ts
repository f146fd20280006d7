// W_CLOCK_DST for the advice's maintenance start. 837ef24 and 5f3c47f judged the
// legs last record → --from → next dose only; with the next dose before Berlin's spring switch and
// the maintenance after it the advice read "then: … every 24 h from 2026-03-29 08:00 +01:00 (72 h)",
// 09:00 on the ward's clock (python zoneinfo), and on a wall-clock chart "from 2026-03-29 08:00
// (72 h)" for 71 h real, without a word. Now the leg next dose → maintenance start is judged too.

import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write: file } = tempFiles('dosewise-dst-maint-');
const offsets = file('off2.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL\n1,2026-03-26T08:00+01:00,1,1500,1000,.,1,80,40,0\n1,2026-03-27T08:00+01:00,1,1500,1000,.,1,80,40,0\n1,2026-03-27T19:30+01:00,0,.,.,18.0,0,80,40,0\n');
const wall = file('wall2.csv', 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL\n1,2026-03-26,08:00,1,1500,1000,.,1,80,40,0\n1,2026-03-27,08:00,1,1500,1000,.,1,80,40,0\n1,2026-03-27,19:30,0,.,.,18.0,0,80,40,0\n');
const optimize = (data: string, ...more: string[]) =>
  cli(['optimize', '--model', 'vancomycin_goti_2018', '--data', data, '--from', 'next-dose', '--target', 'auc24:400:600,trough::20', '--doses', '500:2000:250', '--intervals', '24', '--infusions', '1', '--top', '1', '--seed', '1', '--draws', '200', ...more]);

const tz = process.env.TZ;
afterEach(() => {
  if (tz === undefined) delete process.env.TZ;
  else process.env.TZ = tz;
});

describe('W_CLOCK_DST between the advised next dose and the maintenance start', () => {
  it('a chart with UTC offsets (off2.csv, TZ=Europe/Berlin): the maintenance start 2026-03-29 08:00 +01:00 is 09:00 +02:00 on the zone’s clock', async () => {
    process.env.TZ = 'Europe/Berlin';
    const r = await optimize(offsets);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/then: .* every 24 h from 2026-03-29 08:00 \+01:00 \(72 h\)/);
    expect(r.err).toMatch(/W_CLOCK_DST: \S*off2\.csv, ID 1: the advice's times are shown in the offset of the chart's last record \(\+01:00\), and Europe\/Berlin, this computer's zone, is at \+02:00 by the maintenance start: 2026-03-29 08:00 \+01:00 is 2026-03-29 09:00 \+02:00 on its clock/);
    process.env.TZ = 'UTC';
    expect((await optimize(offsets)).err).not.toMatch(/W_CLOCK_DST/);
    process.env.TZ = 'Europe/Berlin';
    const t = await optimize(offsets, '--tz', 'Europe/Berlin');
    expect(t.err).not.toMatch(/W_CLOCK_DST/);
    expect(t.out).toMatch(/then: .* from 2026-03-29 09:00 \+02:00/);
  });
  it('a wall-clock chart (wall2.csv, TZ=Europe/Berlin): 24 h on the wall clock between next dose and maintenance start, 23 h real', async () => {
    process.env.TZ = 'Europe/Berlin';
    const r = await optimize(wall);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/then: .* every 24 h from 2026-03-29 08:00 \(72 h\)/);
    expect(r.err).toMatch(/W_CLOCK_DST: \S*wall2\.csv, ID 1: the daylight-saving switch of Europe\/Berlin .* lies between the advised next dose \(2026-03-28 08:00\) and the maintenance start \(2026-03-29 08:00\): .*24 h apart, where the instants are 23 h apart/);
    process.env.TZ = 'UTC';
    expect((await optimize(wall)).err).not.toMatch(/W_CLOCK_DST/);
  });
});
