// Date forms across the commands that place times on a history's clock: day numbers and dates without
// a year count from no calendar day, so a future regimen in calendar dates, `--from now` or a
// timestamp against them landed decades away (a dose at 492,408 h, exit 0); each ID may take its own
// form (forecast and advice applied the per-ID rule across IDs); advice shows clock times without
// an invented date (it printed 1970-01-04). And shrinkage over IDs without an estimate.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-date-forms-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const rows = (id: number, dates: readonly string[]): string =>
  [`${id},${dates[0]},08:00,1,1000,1000,.,1,80,60`, `${id},${dates[0]},20:00,1,1000,1000,.,1,80,60`, `${id},${dates[1]},07:30,0,.,.,18.5,0,80,60`, `${id},${dates[1]},08:00,1,1000,1000,.,1,80,60`].join('\n');
const HEAD = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL\n';

describe('date forms on a history clock', () => {
  it('a forecast regimen in calendar dates against day numbers is refused; the same form on both sides runs', async () => {
    const days = file('days.csv', `${HEAD}${rows(1, ['1', '2'])}\n`);
    const full = file('fut-full.csv', 'ID,DATE,TIME,EVID,AMT,RATE,MDV\n1,03/06/2026,08:00,1,1000,1000,1\n1,03/06/2026,20:00,0,.,.,1\n');
    const r = await cli(['forecast', '--model', 'vancomycin_goti_2018', '--data', days, '--regimen', full, '--draws', '50']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/fut-full\.csv: its dates are calendar dates, those of .*days\.csv day numbers: write both the same way/);
    const dayFuture = file('fut-days.csv', 'ID,DATE,TIME,EVID,AMT,RATE,MDV\n1,3,08:00,1,1000,1000,1\n1,3,20:00,0,.,.,1\n');
    const ok = await cli(['forecast', '--model', 'vancomycin_goti_2018', '--data', days, '--regimen', dayFuture, '--draws', '50', '--json']);
    expect(ok.code, ok.err).toBe(0);
    expect((JSON.parse(ok.out) as { times: number[] }[])[0]?.times).toEqual([60]); // day 3, 20:00: 60 h after day 1, 08:00
  });

  it('each ID takes its own form: full dates for one, day numbers for another (forecast with hours, advice)', async () => {
    const multi = file('multi.csv', `${HEAD}${rows(1, ['03/04/2026', '03/05/2026'])}\n${rows(2, ['1', '2'])}\n`);
    const fut = file('fut.json', JSON.stringify({ doses: [{ time: 48, amt: 1000, rate: 1000 }], observe: [{ times: [60] }] }));
    const r = await cli(['forecast', '--model', 'vancomycin_goti_2018', '--data', multi, '--regimen', fut, '--draws', '50']);
    expect(r.code, r.err).toBe(0);
    const a = await cli(['optimize', '--model', 'vancomycin_goti_2018', '--data', multi, '--from', '50', '--target', 'auc24:400:600', '--doses', '500:1500:500', '--intervals', '12', '--infusions', '1', '--draws', '50']);
    expect(a.code, a.err).toBe(0);
  });

  it('advice from a day-number history: a clock time works and shows no invented date; now and timestamps are refused', async () => {
    const days = file('days2.csv', `${HEAD}${rows(1, ['1', '2'])}\n`);
    const base = ['optimize', '--model', 'vancomycin_goti_2018', '--data', days, '--target', 'auc24:400:600', '--doses', '500:1500:500', '--intervals', '12', '--infusions', '1', '--draws', '50'];
    const ok = await cli([...base, '--from', '12:00']);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/12:00 \(28 h\)/);
    expect(ok.out).not.toMatch(/1970/);
    for (const from of ['now', '2026-03-06T08:00']) {
      const r = await cli([...base, '--from', from]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/the data set's dates are day numbers or have no year, which no calendar time matches/);
    }
  });

  it('shrinkage over IDs of which one has no estimate exits 1 naming it (its η̂ = 0 was counted)', async () => {
    const model = file('m.json', JSON.stringify({ dosewise: 2, name: 'log-scale', structure: '1cmt-iv', parameters: { CL: '4*exp(ETA_CL)', V: '30*exp(ETA_V)' }, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.05] }, residual: { model: 'exponential', exponential: 0.2 } }));
    const data = file('s.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,0,.,.,-1.2,0\n1,1,1,1000,1000,.,1\n1,3,0,.,.,3.2,0\n2,1,1,1000,1000,.,1\n2,3,0,.,.,3.0,0\n');
    const r = await cli(['shrinkage', '--model', model, '--data', data]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no estimate for 1 of 2 IDs, whose objective is not finite: ID 1 \(/);
  });
});
