// The reports showed a level below the limit of quantification (BLQ 1) as the data's DV, while the
// fit censored it (M3) and estimate's text marks it "<0.5 (BLQ)". The gentamicin chart
// (genta_z.csv, genta_dot.csv, gfut.json): the level at 23.5 h, BLQ 1 with LLOQ 0.5,
// coded DV 0 was a measured point at C = 0 and "Measured 0" in the table; coded DV . it was in
// neither, yet fitted (OFV 11.526921 in both codings). Amikacin (amk.csv, DV 2.5 = LLOQ 2.5):
// "Measured 2.5", no mark. Now the table reads "<0.5 (BLQ)" and the chart has an open ▽ (dw-blq)
// at the LLOQ, with no measured point at that time.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { concentrationChart } from '../../../src/report/concentration.js';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

const { dir, write } = tempFiles('dosewise-report-blq-');
const genta = (dv: string): string =>
  'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,BLQ,LLOQ,WT,ClCr\n' +
  '7,03/28/2026,21:00,1,500,1000,.,1,0,.,72,70\n' +
  '7,03/28/2026,22:30,0,.,.,21.3,0,0,.,72,70\n' +
  `7,03/29/2026,20:30,0,.,.,${dv},0,1,0.5,72,70\n` +
  '7,03/29/2026,21:15,1,500,1000,.,1,0,.,72,70\n' +
  '7,03/29/2026,22:45,0,.,.,24.1,0,0,.,72,70\n' +
  '7,03/30/2026,06:00,0,.,.,3.2,0,0,.,72,70\n';
const future = write('gfut.json', { doses: [{ time: 44, amt: 400, dur: 0.5 }], observe: [{ grid: { from: 35, to: 92, step: 1 } }] });

/** The report's level table rows (time, measured) and its chart's measured points and BLQ marks. */
function report(folder: string): { rows: string[][]; points: string[]; blq: { t: string; lloq: string; title: string }[] } {
  const html = readFileSync(join(folder, 'report.html'), 'utf8');
  const table = html.slice(html.indexOf('Measured against fitted levels'));
  const body = table.slice(0, table.indexOf('</tbody>'));
  const rows = [...body.matchAll(/<tr><td class="num">([^<]*)<\/td><td class="num">([^<]*)<\/td>/g)].map((m) => [m[1] as string, m[2] as string]);
  const points = [...html.matchAll(/class="dw-point"[^>]*><title>([^<]*)</g)].map((m) => m[1] as string);
  const blq = [...html.matchAll(/class="dw-blq" data-t="([^"]*)" data-lloq="([^"]*)"[^>]*><title>([^<]*)</g)].map((m) => ({ t: m[1] as string, lloq: m[2] as string, title: m[3] as string }));
  return { rows, points, blq };
}

describe('reports show a BLQ level as below its LLOQ', () => {
  for (const [name, dv] of [
    ['DV 0', '0'],
    ['DV .', '.'],
    ['DV = LLOQ', '0.5'],
  ] as const) {
    it(`forecast, ${name}: "<0.5 (BLQ)" in the table, an open ▽ at 0.5 on the chart, the fit the same`, async () => {
      const data = write(`genta-${dv}.csv`, genta(dv));
      const folder = join(dir, `rep-${dv}`);
      const r = await cli(['forecast', '--model', 'gentamicin_xuan_2003', '--data', data, '--regimen', future, '--draws', '200', '--report', folder]);
      expect(r.code, r.err).toBe(0);
      // censored in every coding: the same objective
      expect(r.out).toMatch(/MAP OFV 11\.5269\b/);
      const rep = report(folder);
      expect(rep.rows).toEqual([
        ['1.5', '21.3'],
        ['23.5', '&lt;0.5 (BLQ)'],
        ['25.75', '24.1'],
        ['33', '3.2'],
      ]);
      expect(rep.points).toHaveLength(3);
      expect(rep.points.some((p) => p.startsWith('t = 23.5 '))).toBe(false);
      expect(rep.blq).toEqual([{ t: '23.5', lloq: '0.5', title: 'BLQ: t = 23.5 h, C &lt; 0.5 mg/L (the LLOQ)' }]); // the model's observe.unit, shown since 2026-12-06
    });
  }

  it('forecast --no-blq: the level fitted as measured is shown as measured', async () => {
    const data = write('genta-nb.csv', genta('0'));
    const folder = join(dir, 'rep-nb');
    const r = await cli(['forecast', '--model', 'gentamicin_xuan_2003', '--data', data, '--regimen', future, '--draws', '200', '--no-blq', '--report', folder]);
    expect(r.code, r.err).toBe(0);
    const rep = report(folder);
    expect(rep.rows[1]).toEqual(['23.5', '0']);
    expect(rep.blq).toEqual([]);
    expect(rep.points).toHaveLength(4);
  });

  it('optimize --from (advice), DV 2.5 = LLOQ 2.5: "<2.5 (BLQ)" and the ▽ at 2.5', async () => {
    const data = write(
      'amk.csv',
      'ID,DAT1,TIME,EVID,AMT,RATE,DV,MDV,BLQ,LLOQ,TBW,CLCREAT4H,PoverF\n' +
        '3,30/03/2026,23:20,1,2000,4000,.,1,0,.,92,55,150\n' +
        '3,31/03/2026,00:50,0,.,.,71.5,0,0,.,92,55,150\n' +
        '3,31/03/2026,22:50,0,.,.,2.5,0,1,2.5,92,55,150\n' +
        '3,01/04/2026,23:40,1,1800,3600,.,1,0,.,92,40,220\n' +
        '3,02/04/2026,00:30,0,.,.,68.0,0,0,.,92,40,220\n' +
        '3,02/04/2026,08:15,0,.,.,21.0,0,0,.,92,40,220\n',
    );
    const folder = join(dir, 'rep-amk');
    const r = await cli(['optimize', '--model', 'amikacin_burdet_2015', '--data', data, '--from', '2026-04-02T09:00', '--target', 'peak/mic:8:8,trough::2.5', '--doses', '1000:3000:100', '--intervals', '24,36,48', '--infusions', '0.5', '--seed', '3', '--report', folder]);
    expect(r.code, r.err).toBe(0);
    const rep = report(folder);
    expect(rep.rows.map((x) => x[1])).toEqual(['71.5', '&lt;2.5 (BLQ)', '68', '21']);
    expect(rep.blq).toHaveLength(1);
    expect(rep.blq[0]?.lloq).toBe('2.5');
    expect(rep.points).toHaveLength(3);
  });

  it('the chart draws a BLQ level as an open ▽ whose top edge is at its limit, with its own legend entry', () => {
    const svg = concentrationChart({ observations: [{ t: 1, c: 2 }, { t: 2, c: 2, blq: true }] }, { timeUnit: 'h', concentrationUnit: 'mg/L' });
    const cy = Number(/class="dw-point" cx="[^"]*" cy="([^"]*)"/.exec(svg)?.[1]);
    const pts = (/class="dw-blq"[^>]* points="([^"]*)"/.exec(svg)?.[1] ?? '').split(' ').map((p) => p.split(',').map(Number));
    expect(pts).toHaveLength(3);
    // the top edge at the limit (the measured point's height, the same value), the apex below it
    expect(pts[0]?.[1]).toBe(cy);
    expect(pts[1]?.[1]).toBe(cy);
    expect(pts[2]?.[1] as number).toBeGreaterThan(cy);
    expect(svg).toContain('Below LLOQ (BLQ), at the LLOQ');
    expect(svg).toContain('1 level below the limit of quantification (BLQ), drawn at the limit.');
    expect(svg).toContain('1 measured level.');
  });
});
