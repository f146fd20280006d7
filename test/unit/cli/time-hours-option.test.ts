// --time hours: the command line's word for TIME's unit where Excel's serial
// window leaves it open. Without it, Excel's dialysis chart xl47g.csv (doses 4 and 7 days apart) ran
// as doses 4 and 7 h apart, IPRED 56.26 at the level for 14.35 (h47g.csv, the same chart in hours),
// exit 0; now refused naming both readings and --time hours. With --time hours an hours-since-origin
// chart with jitter (q4h, a dose 15 min early) runs in simulate, estimate, forecast and optimize.
// Reference: h47g.csv's hours (0, 96, 264, 352), the chart xl47g.csv's dates give (python datetime).

import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write: file } = tempFiles('dosewise-time-hours-');
const head = 'ID,TIME,AMT,RATE,DV,EVID,MDV,CMT,WT,CRCL,DIAL\n';
const xl47g = file('xl47g.csv', `${head}1,46085.666667,2000,1000,.,1,1,1,80,10,1\n1,46089.666667,1000,1000,.,1,1,1,80,10,1\n1,46096.666667,1000,1000,.,1,1,1,80,10,1\n1,46100.333333,.,.,12,0,0,1,80,10,1\n`);
const stamped = file('xl47g-stamped.csv', `${head}1,2026-03-04T16:00,2000,1000,.,1,1,1,80,10,1\n1,2026-03-08T16:00,1000,1000,.,1,1,1,80,10,1\n1,2026-03-15T16:00,1000,1000,.,1,1,1,80,10,1\n1,2026-03-19T08:00,.,.,12,0,0,1,80,10,1\n`);
const h47g = file('h47g.csv', `${head}1,0,2000,1000,.,1,1,1,80,10,1\n1,96,1000,1000,.,1,1,1,80,10,1\n1,264,1000,1000,.,1,1,1,80,10,1\n1,352,.,.,12,0,0,1,80,10,1\n`);
// q4h since an origin (hours), one dose 15 min early, a trough before the fourth dose
const q4j = file('q4j.csv', `${head}1,46000.1667,1000,1000,.,1,1,1,80,60,0\n1,46004.1667,1000,1000,.,1,1,1,80,60,0\n1,46007.9167,1000,1000,.,1,1,1,80,60,0\n1,46011.9000,.,.,30,0,0,1,80,60,0\n1,46012.1667,1000,1000,.,1,1,1,80,60,0\n`);
const future = file('future.csv', 'ID,TIME,AMT,RATE,DV,EVID,MDV,CMT\n1,46016.1667,1000,1000,.,1,1,1\n1,46020,.,.,.,0,0,1\n');
const model = ['--model', 'vancomycin_goti_2018'];
const ipred = (out: string): number[] => (JSON.parse(out) as { ipred: number[] }[]).flatMap((x) => x.ipred);

describe('--time hours', () => {
  it('simulate xl47g.csv (Excel dates 4 and 7 days apart) is refused, exit 1, naming both readings and --time hours; as timestamps it runs as h47g.csv', async () => {
    const r = await cli(['simulate', ...model, '--data', xl47g, '--json']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('as Excel dates 4 and 7 days apart');
    expect(r.err).toContain('as hours 4 and 7 h apart');
    expect(r.err).toContain('if it holds hours, give --time hours');
    const [a, b] = await Promise.all([cli(['simulate', ...model, '--data', stamped, '--json']), cli(['simulate', ...model, '--data', h47g, '--json'])]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(ipred(a.out)).toEqual(ipred(b.out));
  });

  it('q4j.csv (hours since an origin, a dose 15 min early) is refused without it and runs with it in simulate, estimate, forecast and optimize', async () => {
    const refused = await cli(['simulate', ...model, '--data', q4j, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('--time hours');
    const runs = [
      ['simulate', ...model, '--data', q4j, '--json', '--time', 'hours'],
      ['estimate', ...model, '--data', q4j, '--json', '--time', 'hours'],
      ['forecast', ...model, '--data', q4j, '--regimen', future, '--draws', '20', '--json', '--time', 'hours'],
      ['optimize', ...model, '--data', q4j, '--target', 'trough:10:20', '--doses', '1000,1500', '--intervals', '8,12', '--json', '--time', 'hours'],
    ];
    for (const args of runs) {
      const r = await cli(args);
      expect({ command: args[0], code: r.code, err: r.err.includes('E_CSV_VALUE') || r.err.includes('serial') }).toEqual({ command: args[0], code: 0, err: false });
    }
  }, 120_000);

  it('--time takes hours only', async () => {
    const r = await cli(['simulate', ...model, '--data', q4j, '--time', 'days']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--time');
  });
});
