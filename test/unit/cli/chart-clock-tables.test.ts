// The chart's clock beside the hours in estimate's and forecast's tables: a dated
// chart's levels were shown as "47.6667" and "51.1667" h since the first record (2026-12-04 08:00),
// for the 07:40 and 11:10 levels of 2026-12-06 (08:00 + 47 h 40 min, + 51 h 10 min). The JSON keeps
// the hours alone.

import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write: file } = tempFiles('dosewise-chart-clock-');
const data = file(
  'p1.csv',
  'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL\n1,2026-12-04,08:00,1,1500,1000,.,1,95,85,0\n1,2026-12-04,20:40,1,1000,1000,.,1,95,85,0\n1,2026-12-05,09:15,1,1000,1000,.,1,95,80,0\n1,2026-12-05,20:00,1,1000,500,.,1,95,80,0\n1,2026-12-06,07:40,0,.,.,14.2,0,95,75,0\n1,2026-12-06,08:05,1,1000,1000,.,1,95,75,0\n1,2026-12-06,11:10,0,.,.,31.5,0,95,75,0\n',
);
const future = file('p1fut.csv', 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-12-06,20:00,1,1250,1000,.,1\n1,2026-12-07,08:00,1,1250,1000,.,1\n1,2026-12-07,20:00,1,1250,1000,.,1\n1,2026-12-08,07:30,0,.,.,.,0\n1,2026-12-08,08:00,1,1250,1000,.,1\n');
const M = 'vancomycin_goti_2018';

describe('the chart’s clock beside the hours', () => {
  it('estimate: a CLOCK column (47.6667 h is 2026-12-06 07:40)', async () => {
    const r = await cli(['estimate', '--model', M, '--data', data]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/TIME\s+CLOCK\s+EVID/);
    expect(r.out).toMatch(/47\.6667\s+2026-12-06 07:40\s+0\s+14\.2/);
    expect(r.out).toMatch(/51\.1667\s+2026-12-06 11:10\s+0\s+31\.5/);
    const j = await cli(['estimate', '--model', M, '--data', data, '--json']);
    expect(j.out).not.toMatch(/2026-12-06 07:40/);
  });
  it('forecast: the grid and the metric windows on the clock (95.5 h is 2026-12-08 07:30, IPRED 23.4477; auc24 60-84 h is 20:00 to 20:00, 635.807: an independent simulation)', async () => {
    const r = await cli(['forecast', '--model', M, '--data', data, '--regimen', future, '--draws', '50']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/TIME\s+CLOCK\s+IPRED/);
    expect(r.out).toMatch(/95\.50*\s+2026-12-08 07:30\s+23\.4477\s/);
    expect(r.out).toMatch(/auc24\s+60-84\s+2026-12-06 20:00 – 2026-12-07 20:00\s+635\.807\s/);
  });
  it('a chart with UTC offsets: each row in its own charted offset (08:00 +01:00 showed as 09:00 +02:00, the last record’s)', async () => {
    const off = file('off.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL\n1,2026-03-28T08:00+01:00,1,1500,1000,.,1,80,40,0\n1,2026-03-28T20:00+01:00,1,1500,1000,.,1,80,40,0\n1,2026-03-29T07:30+02:00,0,.,.,20,0,80,40,0\n1,2026-03-29T08:00+02:00,1,1500,1000,.,1,80,40,0\n1,2026-03-29T19:30+02:00,0,.,.,18,0,80,40,0\n');
    const r = await cli(['estimate', '--model', M, '--data', off]);
    expect(r.code, r.err).toBe(0);
    // 22.5 h after 08:00 +01:00 (07:00Z) is 05:30Z, 07:30 +02:00
    expect(r.out).toMatch(/\s0\s+2026-03-28 08:00 \+01:00\s/);
    expect(r.out).toMatch(/12\.0000\s+2026-03-28 20:00 \+01:00\s/);
    expect(r.out).toMatch(/22\.5000\s+2026-03-29 07:30 \+02:00\s/);
    expect(r.out).toMatch(/34\.5000\s+2026-03-29 19:30 \+02:00\s/);
  });
  it('no CLOCK column on a chart in elapsed hours', async () => {
    const hours = file('h.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL\n1,0,1,1500,1000,.,1,95,85,0\n1,12,1,1000,1000,.,1,95,85,0\n1,23.5,0,.,.,14.2,0,95,85,0\n');
    const r = await cli(['estimate', '--model', M, '--data', hours]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toMatch(/CLOCK/);
  });
});
