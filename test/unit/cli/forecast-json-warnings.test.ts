// forecast --json: the warnings the command line says on stderr about an ID are in that ID's JSON
// `warnings` too, with the same words. W_DOSE_DURING_INFUSION (a future dose on a charted bag still
// running: vanco1.csv's 1250 mg at 625 mg/h from 08:00, fut2.csv's 750 mg at 09:00) was said on
// stderr and in forecast()'s warnings but not in the JSON; so were W_CONTINUOUS_INFUSION (the default
// cmax and trough left out), the default auc24 left out (now W_AUC24_LEFT_OUT on both), W_EXTRA_DOSE,
// W_IRREGULAR_DOSE and W_II_NOT_REPEATED of the plan, and the library's forecast warnings.

import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write } = tempFiles('dosewise-forecast-json-warnings-');
const H = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL';
const VANCO1 = [
  H,
  '1,2026-03-04,08:00,1,1000,1000,.,1,80,70',
  '1,2026-03-04,20:00,1,1000,1000,.,1,80,70',
  '1,2026-03-05,07:45,0,.,.,12.4,0,80,70',
  '1,2026-03-05,09:30,1,1000,1000,.,1,80,70',
  '1,2026-03-05,11:30,0,.,.,31.0,0,80,70',
  '1,2026-03-06,07:40,0,.,.,6.1,0,80,70',
  '1,2026-03-06,08:00,1,1250,625,.,1,80,70',
].join('\n');
const FUT2 = `${H}\n1,2026-03-06,09:00,1,750,750,.,1,80,70\n1,2026-03-06,20:00,0,.,.,.,1,80,70\n`;

/** Meropenem, 1 compartment: CL 10 L/h, V 20 L. */
const mero = {
  dosewise: 2, name: 'meropenem 1-cmt', structure: '1cmt-iv',
  theta: { TVCL: { value: 10, unit: 'L/h' }, TVV: { value: 20, unit: 'L' } },
  parameters: { CL: { expr: 'TVCL * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV * exp(ETA_V)', unit: 'L' } },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
  residual: { model: 'proportional', proportional: 0.1 },
  observe: { compartment: 1, unit: 'mg/L' },
};

type Item = { code: string; message: string };

/** The stderr warnings with a code, as {code, message} (`dosewise: warning: CODE: message`); a data set of one ID. */
function stderrItems(err: string): Item[] {
  return err
    .split('\n')
    .map((l) => /^dosewise: warning: (W_[A-Z0-9_]+): (.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ code: m[1] as string, message: m[2] as string }));
}

describe('forecast --json: the warnings said on stderr are in the JSON', () => {
  it('W_DOSE_DURING_INFUSION, with the same words', async () => {
    const r = await cli(['forecast', '--model', 'vancomycin_goti_2018', '--data', write('vanco1.csv', VANCO1), '--regimen', write('fut2.csv', FUT2), '--draws', '50', '--metric', 'conc@56', '--json']);
    expect(r.code, r.err).toBe(0);
    const said = stderrItems(r.err).filter((w) => w.code === 'W_DOSE_DURING_INFUSION');
    expect(said).toHaveLength(1);
    const out = JSON.parse(r.out) as { warnings: Item[] }[];
    expect(out[0]?.warnings).toContainEqual(said[0]);
    expect(said[0]?.message).toMatch(/fut2\.csv, ID 1: the future dose of 750 at 2026-03-06 09:00 .* still runs, until 2026-03-06 10:00: both run together, 1375\/h/);
  }, 60_000);

  it('W_CONTINUOUS_INFUSION (the default cmax and trough left out), every stderr warning of the ID', async () => {
    const m = write('mero.json', mero);
    const history = write('history.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,2000,4000,.,1\n1,0.5,1,18000,250,.,1\n1,24,0,.,.,22,0\n');
    const future = write('future.json', { doses: [], observe: [{ grid: { from: 24, to: 72, step: 1 } }] });
    const r = await cli(['forecast', '--model', m, '--data', history, '--regimen', future, '--draws', '50', '--json']);
    expect(r.code, r.err).toBe(0);
    const said = stderrItems(r.err);
    expect(said.map((w) => w.code)).toContain('W_CONTINUOUS_INFUSION');
    const out = JSON.parse(r.out) as { warnings: Item[] }[];
    for (const w of said) expect(out[0]?.warnings).toContainEqual(w);
  }, 60_000);

  it('the library\'s forecast warnings (W_EARLIER_INTERVAL of a grid ending inside the last interval)', async () => {
    const m = write('mero2.json', mero);
    const history = write('h2.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,1000,2000,.,1\n1,12,1,1000,2000,.,1\n1,23,0,.,.,4,0\n');
    const future = write('f2.json', { doses: [{ time: 24, amt: 1000, cmt: 1, dur: 0.5 }], observe: [{ grid: { from: 24, to: 34, step: 1 } }] });
    const r = await cli(['forecast', '--model', m, '--data', history, '--regimen', future, '--draws', '50', '--json']);
    expect(r.code, r.err).toBe(0);
    const said = stderrItems(r.err);
    expect(said.map((w) => w.code)).toContain('W_EARLIER_INTERVAL');
    const out = JSON.parse(r.out) as { warnings: Item[] }[];
    for (const w of said) expect(out[0]?.warnings).toContainEqual(w);
  }, 60_000);

  it('the default auc24 left out: W_AUC24_LEFT_OUT on stderr and in the JSON', async () => {
    const m = write('mero3.json', mero);
    // 1000 mg q8h at steady state (SS = 1 at 24 h), then 3000 mg at 32 h: the 24 h before 40 h start
    // before the SS record, whose regimen the 32-h dose changes (dailyAucRefusal)
    const history = write('h3.csv', 'ID,TIME,EVID,AMT,RATE,II,SS,DV,MDV\n1,24,1,1000,2000,8,1,.,1\n1,30,0,.,.,.,.,20,0\n');
    const future = write('f3.json', { doses: [{ time: 32, amt: 3000, cmt: 1, dur: 0.5 }], observe: [{ grid: { from: 32, to: 40, step: 1 } }] });
    const r = await cli(['forecast', '--model', m, '--data', history, '--regimen', future, '--draws', '50', '--json']);
    expect(r.code, r.err).toBe(0);
    const said = stderrItems(r.err);
    expect(said.map((w) => w.code)).toContain('W_AUC24_LEFT_OUT');
    const out = JSON.parse(r.out) as { warnings: Item[] }[];
    for (const w of said) expect(out[0]?.warnings).toContainEqual(w);
  }, 60_000);
});
