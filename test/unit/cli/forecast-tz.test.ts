// `forecast --tz ZONE` (README, clock times): optimize --from had it, forecast had not, so a wall-clock
// chart and its future regimen were read on the wall clock whatever the ward's zone: vancomycin at
// 08:00 and 20:00 on 28 March 2026 and a level at 01:30, a future level at 08:00 after Berlin's clocks
// went forward, read 24 h after the first dose where 23 h had passed (IPRED 24.27 for 24.90; autumn 25 h,
// 23.68). With --tz both files are read on the zone's clock, as optimize --from --tz reads the chart.
// Reference: test/oracle/clock_dst_advice.py (python zoneinfo for the hours, the matrix exponential at
// the history's MAP for the level) → clock-dst-advice.json.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';

interface Case {
  from_hours: number;
  wall_hours: number;
  level_at_from: number;
  level_at_wall_24: number;
}
const ORACLE = JSON.parse(readFileSync(join(import.meta.dirname, '../../oracle/clock-dst-advice.json'), 'utf8')) as Record<'spring' | 'autumn', Case>;

const { write: file } = tempFiles('dosewise-forecast-tz-');
const head = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL\n';
const chart = (d1: string, d2: string): string => `${head}1,${d1},08:00,1,1500,1000,.,1,80,40,0\n1,${d1},20:00,1,1500,1000,.,1,80,40,0\n1,${d2},01:30,0,.,.,38.0,0,80,40,0\n`;
const charts = { spring: file('fspring.csv', chart('2026-03-28', '2026-03-29')), autumn: file('fautumn.csv', chart('2026-10-24', '2026-10-25')) };
const futures = {
  spring: file('fspring-future.csv', 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-03-29,08:00,0,.,.,.,0\n1,2026-03-29,17:00,1,1000,1000,.,1\n'),
  autumn: file('fautumn-future.csv', 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-10-25,08:00,0,.,.,.,0\n1,2026-10-25,17:00,1,1000,1000,.,1\n'),
};
const forecast = (name: 'spring' | 'autumn', ...more: string[]) => cli(['forecast', '--model', 'vancomycin_goti_2018', '--data', charts[name], '--regimen', futures[name], '--draws', '20', '--metric', 'cmax', ...more]);
type Out = { times: number[]; ipred: number[]; warnings: { code: string; message: string }[] };

const tz = process.env.TZ;
afterEach(() => {
  if (tz === undefined) delete process.env.TZ;
  else process.env.TZ = tz;
});

describe('forecast --tz: the history and the future regimen read on the ward’s clock', () => {
  it.each(['spring', 'autumn'] as const)('%s: the future level at 08:00 is at the real hours (python zoneinfo), its IPRED the oracle’s, no W_CLOCK_DST', async (name) => {
    const c = ORACLE[name];
    process.env.TZ = 'UTC';
    const r = await forecast(name, '--tz', 'Europe/Berlin', '--json');
    expect(r.code, r.err).toBe(0);
    const o = (JSON.parse(r.out) as Out[])[0] as Out;
    expect(o.times[0]).toBe(c.from_hours);
    expect(o.ipred[0]).toBeCloseTo(c.level_at_from, 3);
    expect(Math.abs((o.ipred[0] as number) - c.level_at_wall_24)).toBeGreaterThan(0.5);
    expect(r.err).not.toMatch(/W_CLOCK_DST/);
    // the CLOCK column shows the times as the chart writes them, on the zone's clock
    const t = await forecast(name, '--tz', 'Europe/Berlin');
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(new RegExp(`\\n\\s+${c.from_hours.toFixed(4)}\\s+${name === 'spring' ? '2026-03-29' : '2026-10-25'} 08:00\\s`));
  });

  it('a history across the switch: 11 h from 20:00 to 08:00 (python zoneinfo), where the wall clock reads 12 h and warns', async () => {
    process.env.TZ = 'Europe/Berlin';
    const across = file('facross.csv', `${head}1,2026-03-28,20:00,1,1500,1000,.,1,80,40,0\n1,2026-03-29,08:00,0,.,.,20,0,80,40,0\n`);
    const future = file('facross-future.csv', 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-03-29,10:00,0,.,.,.,0\n');
    const args = ['forecast', '--model', 'vancomycin_goti_2018', '--data', across, '--regimen', future, '--draws', '20', '--metric', 'cmax', '--json'];
    const r = await cli([...args, '--tz', 'Europe/Berlin']);
    expect(r.code, r.err).toBe(0);
    expect(((JSON.parse(r.out) as Out[])[0] as Out).times[0]).toBe(13);
    expect(r.err).not.toMatch(/W_CLOCK_DST/);
    const w = await cli(args);
    expect(w.code, w.err).toBe(0);
    expect(((JSON.parse(w.out) as Out[])[0] as Out).times[0]).toBe(14);
    expect(w.err).toMatch(/W_CLOCK_DST: \S*facross\.csv, ID 1: the daylight-saving switch of Europe\/Berlin/);
  });

  it('without --tz, the switch after the history is warned, pointing to --tz as optimize does', async () => {
    process.env.TZ = 'Europe/Berlin';
    const r = await forecast('spring', '--json');
    expect(r.code, r.err).toBe(0);
    expect(((JSON.parse(r.out) as Out[])[0] as Out).times[0]).toBe(ORACLE.spring.wall_hours);
    expect(r.err).toMatch(/W_CLOCK_DST: \S*fspring-future\.csv, ID 1: .*give --tz with the ward's zone \(e\.g\. --tz Europe\/Berlin\)/);
  });

  it('a history with UTC offsets and a future regimen without: refused without --tz, read on its clock with it (08:00 CEST is 06:00Z, 23 h)', async () => {
    process.env.TZ = 'UTC';
    const offsets = file('foffsets.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL\n1,2026-03-28T08:00+01:00,1,1500,1000,.,1,80,40,0\n1,2026-03-28T20:00+01:00,1,1500,1000,.,1,80,40,0\n1,2026-03-29T01:30+01:00,0,.,.,38.0,0,80,40,0\n');
    const args = ['forecast', '--model', 'vancomycin_goti_2018', '--data', offsets, '--regimen', futures.spring, '--draws', '20', '--metric', 'cmax', '--json'];
    const refused = await cli(args);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/give both the same way/);
    const r = await cli([...args, '--tz', 'Europe/Berlin']);
    expect(r.code, r.err).toBe(0);
    const o = (JSON.parse(r.out) as Out[])[0] as Out;
    expect(o.times[0]).toBe(ORACLE.spring.from_hours);
    expect(o.ipred[0]).toBeCloseTo(ORACLE.spring.level_at_from, 3);
  });

  it('a time in the hour the clocks repeat, of the history or the future: W_CLOCK_AMBIGUOUS (python zoneinfo fold 0: 02:30 +02:00 is 00:30Z, 18.5 h after 08:00 +02:00)', async () => {
    process.env.TZ = 'UTC';
    const history = file('fambig.csv', `${head}1,2026-10-24,08:00,1,1500,1000,.,1,80,40,0\n1,2026-10-24,20:00,1,1500,1000,.,1,80,40,0\n1,2026-10-25,02:30,0,.,.,30.0,0,80,40,0\n`);
    const future = file('fambig-future.csv', 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-10-25,08:00,1,1500,1000,.,1\n1,2026-10-25,20:00,0,.,.,.,0\n');
    const r = await cli(['forecast', '--model', 'vancomycin_goti_2018', '--data', history, '--regimen', future, '--draws', '20', '--metric', 'cmax', '--tz', 'Europe/Berlin', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/W_CLOCK_AMBIGUOUS: \S*fambig\.csv, ID 1: row 3 \(2026-10-25 02:30\) lies in the hour the clocks of Europe\/Berlin repeat.*read as the first, 02:30 \+02:00 \(00:30 UTC\); the second, 02:30 \+01:00 \(01:30 UTC\), 1 h later, puts it 19\.5 h after the ID's first record \(row 1\) for 18\.5 h/);
    const o = (JSON.parse(r.out) as Out[])[0] as Out;
    expect(o.warnings.some((w) => w.code === 'W_CLOCK_AMBIGUOUS')).toBe(true);
    const late = file('fambig-future2.csv', 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-10-25,02:45,1,1500,1000,.,1\n1,2026-10-25,20:00,0,.,.,.,0\n');
    const g = await cli(['forecast', '--model', 'vancomycin_goti_2018', '--data', charts.spring, '--regimen', late, '--draws', '20', '--metric', 'cmax', '--tz', 'Europe/Berlin', '--json']);
    expect(g.err).toMatch(/W_CLOCK_AMBIGUOUS: \S*fambig-future2\.csv, ID 1: row 1 \(2026-10-25 02:45\)/);
    const a = await cli(['optimize', '--model', 'vancomycin_goti_2018', '--data', history, '--from', '2026-10-25T08:00', '--tz', 'Europe/Berlin', '--target', 'auc24:400:600', '--doses', '500:2000:500', '--intervals', '12', '--infusions', '1', '--draws', '50', '--json']);
    expect(a.code, a.err).toBe(0);
    expect(a.err).toMatch(/W_CLOCK_AMBIGUOUS: \S*fambig\.csv, ID 1: row 3/);
  });

  it('an unknown zone is refused naming --tz', async () => {
    const r = await forecast('spring', '--tz', 'Mars/Olympus');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--tz Mars\/Olympus: not a time zone/);
  });
});
