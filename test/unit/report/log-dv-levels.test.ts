// With exponential (log-scale) residual error DV is ln(concentration), and the reports showed it as a
// concentration. The case (modelB.json, dataB.csv, futB2.json): the
// chart's tooltip read "t = 1 h, C = 2.887 mg/L", the point drawn at 2.887 on the mg/L axis, for
// a level of e^2.887292 = 17.94 mg/L (IPRED 19.26); the BLQ mark "C < 0 mg/L (the LLOQ)" for a
// limit of e^0 = 1 mg/L; the table "Measured 2.88729" beside IPRED 19.2631 and "<0 (BLQ)". The same
// in the advice report (optimize --from) and for a parent on the log scale beside a metabolite on
// the linear one (modelE.json, dataE.csv), whose table did not say which output a row is.
// References: exp(DV) and exp(LLOQ) of the data file (closed form).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

const { dir, write } = tempFiles('dosewise-report-logdv-');

const modelB = write('modelB.json', {
  dosewise: 2,
  name: '1cmt iv exp error full omega IOV',
  structure: '1cmt-iv',
  theta: { TVCL: 4, TVV: 30 },
  parameters: { CL: { expr: 'TVCL * exp(ETA_CL + KAPPA_CL)', unit: 'L/h' }, V: { expr: 'TVV * exp(ETA_V)', unit: 'L' } },
  omega: { etas: ['ETA_CL', 'ETA_V'], matrix: [[0.15, 0.06], [0.06, 0.1]] },
  iov: { etas: ['KAPPA_CL'], diagonal: [0.05], occasion: 'OCC' },
  residual: { model: 'exponential', exponential: 0.15 },
  observe: { compartment: 1, unit: 'mg/L' },
  time_varying: 'nocb',
});
const dataBText =
  'ID,TIME,EVID,AMT,RATE,CMT,DV,MDV,OCC,BLQ,LLOQ\n' +
  '1,0,1,1000,500,1,.,1,1,0,.\n' +
  '1,1.0,0,.,.,1,2.887292,0,1,0,.\n' +
  '1,12,0,.,.,1,0.969003,0,1,0,.\n' +
  '1,12,1,1000,500,1,.,1,1,0,.\n' +
  '1,13,0,.,.,1,3.153911,0,1,0,.\n' +
  '1,23.5,0,.,.,1,0.861845,0,1,0,.\n' +
  '1,24,1,1000,500,1,.,1,2,0,.\n' +
  '1,25.5,0,.,.,1,3.313742,0,2,0,.\n' +
  '1,36,0,.,.,1,1.796285,0,2,0,.\n' +
  '1,36,1,1000,500,1,.,1,2,0,.\n' +
  '1,47,0,.,.,1,2.210930,0,2,0,.\n' +
  '1,48,1,1000,500,1,.,1,3,0,.\n' +
  '1,49,0,.,.,1,3.136842,0,3,0,.\n' +
  '1,59.9,0,.,.,1,1.298339,0,3,0,.\n' +
  '1,60,0,.,.,1,0.884913,0,3,0,.\n' +
  '1,60,1,1000,500,1,.,1,3,0,.\n' +
  '1,61,0,.,.,1,3.259277,0,3,0,.\n' +
  '1,90,0,.,.,1,0.000000,0,3,1,0.000000\n';
const dataB = write('dataB.csv', dataBText);
const futB2 = write('futB2.json', { doses: [{ time: 96, amt: 1000, dur: 2, addl: 1, ii: 12, items: { OCC: 4 } }], observe: [{ grid: { from: 96, to: 120, step: 2 }, items: { OCC: 4 } }] });

const modelE = write('modelE.json', {
  dosewise: 2,
  name: 'parent-metabolite full omega IOV',
  structure: '1cmt-oral',
  theta: { TVKP: 0.3, TVVP: 20, TVCL: 2, TVV: 15 },
  parameters: { KA: 'TVKP * exp(ETA_KP)', S1: 'TVVP * exp(ETA_VP)', CL: 'TVCL * exp(ETA_CL + KAPPA_CL)', V: 'TVV' },
  omega: { etas: ['ETA_KP', 'ETA_VP', 'ETA_CL'], matrix: [[0.09, 0.02, 0.01], [0.02, 0.04, -0.015], [0.01, -0.015, 0.09]] },
  iov: { etas: ['KAPPA_CL'], diagonal: [0.04], occasion: 'OCC' },
  outputs: {
    '1': { compartment: 1, name: 'parent', residual: { model: 'exponential', exponential: 0.15 }, unit: 'mg/L' },
    '2': { compartment: 2, name: 'metabolite', unit: 'mg/L', residual: { model: 'combined', additive: 0.05, proportional: 0.12 } },
  },
  observe: { compartment: 2, unit: 'mg/L' },
  time_varying: 'nocb',
});
const dataEText =
  'ID,TIME,EVID,AMT,CMT,DV,MDV,DVID,OCC,BLQ,LLOQ\n' +
  '1,0,1,500,1,.,1,.,1,0,.\n' +
  '1,1,0,.,1,2.845427,0,1,1,0,.\n' +
  '1,2,0,.,2,12.89966,0,2,1,0,.\n' +
  '1,6,0,.,2,16.88532,0,2,1,0,.\n' +
  '1,10,0,.,1,0.000000,0,1,1,1,0.000000\n' +
  '1,12,0,.,1,0.000000,0,1,1,1,0.000000\n' +
  '1,12,1,500,1,.,1,.,1,0,.\n' +
  '1,14,0,.,2,22.75919,0,2,1,0,.\n' +
  '1,22,0,.,1,0.000000,0,1,1,1,0.000000\n' +
  '1,24,0,.,2,9.99872,0,2,1,0,.\n' +
  '1,24,1,500,1,.,1,.,2,0,.\n' +
  '1,26,0,.,1,2.635920,0,1,2,0,.\n' +
  '1,30,0,.,2,19.31504,0,2,2,0,.\n' +
  '1,36,0,.,2,5.81043,0,2,2,0,.\n' +
  '1,36,1,500,1,.,1,.,2,0,.\n' +
  '1,40,0,.,1,1.632475,0,1,2,0,.\n' +
  '1,47,0,.,2,5.62181,0,2,2,0,.\n' +
  '1,47.5,0,.,1,0.000000,0,1,2,1,0.000000\n';
const dataE = write('dataE.csv', dataEText);
const futA2 = write('futA2.json', { doses: [{ time: 48, amt: 500, cmt: 1, addl: 1, ii: 12, items: { OCC: 3 } }], observe: [{ grid: { from: 48, to: 72, step: 3 }, items: { OCC: 3 } }] });

const six = (v: number): string => String(Number(v.toPrecision(6)));
const four = (v: number): string => String(Number(v.toPrecision(4)));

/** The measured levels of a data set's text, with the output (DVID) each measures: DV or the BLQ limit, as written. */
function levels(text: string): { t: number; dv: number; blq: boolean; dvid: number }[] {
  const [head, ...rows] = text.trim().split('\n');
  const cols = (head as string).split(',');
  return rows
    .map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i] as string, v])))
    .filter((r) => r.EVID === '0' && r.MDV === '0')
    .map((r) => ({ t: Number(r.TIME), dv: Number(r.BLQ === '1' ? r.LLOQ : r.DV), blq: r.BLQ === '1', dvid: r.DVID === undefined ? 1 : Number(r.DVID) }));
}

/** The level table (header and cells) and the chart's measured points and BLQ marks of a report. */
function report(folder: string): { head: string[]; caption: string; rows: string[][]; points: string[]; blq: { lloq: string; title: string }[] } {
  const html = readFileSync(join(folder, 'report.html'), 'utf8');
  const at = html.indexOf('<caption>Measured against fitted levels');
  const table = html.slice(at, html.indexOf('</tbody>', at));
  const caption = /<caption>([^<]*)<\/caption>/.exec(table)?.[1] as string;
  const head = [...table.matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)].map((m) => m[1] as string);
  const rows = table
    .split('<tr>')
    .slice(2)
    .map((tr) => [...tr.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1] as string));
  const points = [...html.matchAll(/class="dw-point"[^>]*><title>([^<]*)</g)].map((m) => m[1] as string);
  const blq = [...html.matchAll(/class="dw-blq" data-t="[^"]*" data-lloq="([^"]*)"[^>]*><title>([^<]*)</g)].map((m) => ({ lloq: m[1] as string, title: m[2] as string }));
  return { head, caption, rows, points, blq };
}

describe('reports show a log-scale DV (exponential error) as its concentration, exp(DV)', () => {
  it('forecast: the chart and the level table in mg/L, the header saying exp(DV)', async () => {
    const folder = join(dir, 'repB');
    const r = await cli(['forecast', '--model', modelB, '--data', dataB, '--regimen', futB2, '--draws', '200', '--seed', '3', '--report', folder]);
    expect(r.code, r.err).toBe(0);
    const rep = report(folder);
    const lv = levels(dataBText);
    expect(rep.caption).toBe('Measured against fitted levels (mg/L)');
    expect(rep.head.slice(0, 3)).toEqual(['Time (h)', 'Measured (exp(DV))', 'Fitted (IPRED)']);
    // e^2.887292 = 17.9446 beside IPRED 19.2631; the limit e^0 = 1
    expect(rep.rows.map((x) => x.slice(0, 2))).toEqual(lv.map((l) => [six(l.t), l.blq ? `&lt;${six(Math.exp(l.dv))} (BLQ)` : six(Math.exp(l.dv))]));
    expect(rep.rows[0]?.[1]).toBe('17.9446');
    expect(Number(rep.rows[0]?.[2])).toBeCloseTo(19.2631, 3);
    expect(rep.points).toEqual(lv.filter((l) => !l.blq).map((l) => `t = ${four(l.t)} h, C = ${four(Math.exp(l.dv))} mg/L`));
    expect(rep.blq).toEqual([{ lloq: '1', title: 'BLQ: t = 90 h, C &lt; 1 mg/L (the LLOQ)' }]);
  });

  it('forecast, a log-scale parent beside a linear metabolite: per output, with an output column', async () => {
    const folder = join(dir, 'repE');
    const r = await cli(['forecast', '--model', modelE, '--data', dataE, '--regimen', futA2, '--draws', '200', '--seed', '3', '--report', folder]);
    expect(r.code, r.err).toBe(0);
    const rep = report(folder);
    const lv = levels(dataEText);
    const name = (l: { dvid: number }): string => (l.dvid === 1 ? 'parent' : 'metabolite');
    const conc = (l: { dv: number; dvid: number }): number => (l.dvid === 1 ? Math.exp(l.dv) : l.dv);
    expect(rep.head.slice(0, 4)).toEqual(['Time (h)', 'Output', 'Measured (exp(DV) for parent)', 'Fitted (IPRED)']);
    expect(rep.rows.map((x) => x.slice(0, 3))).toEqual(lv.map((l) => [six(l.t), `${name(l)} (mg/L)`, l.blq ? `&lt;${six(conc(l))} (BLQ)` : six(conc(l))]));
    // the parent's chart: its levels e^DV and its limits e^0 = 1; the metabolite's as measured
    const html = readFileSync(join(folder, 'report.html'), 'utf8');
    const charts = html.split('<svg').slice(1);
    const parent = charts.find((s) => s.includes('— parent')) as string;
    const metabolite = charts.find((s) => s.includes('— metabolite')) as string;
    const tips = (s: string): string[] => [...s.matchAll(/class="dw-point"[^>]*><title>([^<]*)</g)].map((m) => m[1] as string);
    expect(tips(parent)).toEqual(lv.filter((l) => l.dvid === 1 && !l.blq).map((l) => `t = ${four(l.t)} h, C = ${four(Math.exp(l.dv))} mg/L`));
    expect(tips(metabolite)).toEqual(lv.filter((l) => l.dvid === 2).map((l) => `t = ${four(l.t)} h, C = ${four(l.dv)} mg/L`));
    expect([...parent.matchAll(/data-lloq="([^"]*)"/g)].map((m) => m[1])).toEqual(['1', '1', '1', '1']);
  });

  it('optimize --from (advice): the chart and the level table in mg/L', async () => {
    const folder = join(dir, 'repOpt');
    const r = await cli(['optimize', '--model', modelB, '--data', dataB, '--from', '96', '--target', 'auc24:300:500', '--doses', '1000,1250', '--intervals', '12', '--infusions', '2', '--draws', '200', '--seed', '3', '--no-progress', '--report', folder]);
    expect(r.code, r.err).toBe(0);
    const rep = report(folder);
    const lv = levels(dataBText);
    expect(rep.head[1]).toBe('Measured (exp(DV))');
    expect(rep.rows.map((x) => x[1])).toEqual(lv.map((l) => (l.blq ? `&lt;${six(Math.exp(l.dv))} (BLQ)` : six(Math.exp(l.dv)))));
    expect(rep.points).toEqual(lv.filter((l) => !l.blq).map((l) => `t = ${four(l.t)} h, C = ${four(Math.exp(l.dv))} mg/L`));
    expect(rep.blq.map((b) => b.lloq)).toEqual(['1']);
  });
});
