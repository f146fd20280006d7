// --param of a data item the chart already has replaced it on every record, the history included, and
// refitted the levels at it, silently: `forecast --param ClCr=30` on a patient charted at ClCr 60
// gave CL 1.52 (for 2.98) and a trough of 7.62 where the future regimen's items give 7.94. It is
// W_PARAM_REPLACES_DATA now, on stderr and in --json's warnings, for estimate, forecast and simulate.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-param-data-'));
const data = join(dir, 'p1.csv');
const future = join(dir, 'fut24.json');
const futureItems = join(dir, 'fut24c.json');
writeFileSync(data, 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT,ClCr\n1,0,1,560,1120,.,1,80,60\n1,1.5,0,.,.,18.2,0,80,60\n1,8.5,0,.,.,5.1,0,80,60\n');
const observe = '"observe": [{ "grid": { "from": 24, "to": 96, "step": 0.5 } }]';
writeFileSync(future, `{ "doses": [{ "time": 24, "amt": 560, "dur": 0.5, "addl": 2, "ii": 24 }], ${observe} }`);
writeFileSync(futureItems, `{ "doses": [{ "time": 24, "amt": 560, "dur": 0.5, "addl": 2, "ii": 24, "items": { "ClCr": 30 } }], ${observe} }`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const model = ['--model', 'gentamicin_xuan_2003', '--data', data];
const note = `W_PARAM_REPLACES_DATA: ClCr 60 in ${data} replaced by 30 (--param ClCr=30) on 3 records`;

interface Json {
  eta: number[];
  warnings: { code: string; message: string }[];
  metrics: Record<string, { mode: number }>;
}

describe('--param of a data item the records chart', () => {
  it('forecast: warns that the history is refitted at it, and points to the future regimen\'s items', async () => {
    const r = await cli(['forecast', ...model, '--regimen', future, '--metric', 'trough', '--param', 'ClCr=30', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`${data}, ID 1: ${note}, the history included; to change it from the future regimen on, give it in ${future}'s items\n`);
    const [f] = JSON.parse(r.out) as Json[];
    expect(f!.warnings.filter((w) => w.code === 'W_PARAM_REPLACES_DATA')).toHaveLength(1);
    // the way it points to: the history fitted at 60, the future at 30. The MAP trough before 96 h is
    // 7.9390322228196 by scipy (expm of the two-compartment system, piecewise, with the MAP η of the
    // history; NOCB: the future's first record governs ClCr from the last level at 8.5 h); measured 7.93903
    const items = await cli(['forecast', ...model, '--regimen', futureItems, '--metric', 'trough', '--json']);
    expect(items.code, items.err).toBe(0);
    expect(items.err).not.toContain('W_PARAM_REPLACES_DATA');
    const [g] = JSON.parse(items.out) as Json[];
    expect(Math.abs(g!.metrics.trough!.mode / 7.9390322228196 - 1)).toBeLessThan(1e-6);
    // the refit under --param: η K12 0.152 at ClCr 60 becomes 0.650 at 30
    expect(g!.eta[2]!).toBeCloseTo(0.152, 2);
    expect(f!.eta[2]!).toBeCloseTo(0.65, 2);
  });

  it('estimate --json and simulate say it too; a value equal to the charted one, or an item not charted, does not', async () => {
    const e = await cli(['estimate', ...model, '--param', 'ClCr=30', '--json']);
    expect(e.code, e.err).toBe(0);
    expect(e.err).toContain(`${data}, ID 1: ${note}, every level fitted at it`);
    expect((JSON.parse(e.out) as Json[])[0]!.warnings.map((w) => w.code)).toContain('W_PARAM_REPLACES_DATA');
    const s = await cli(['simulate', ...model, '--param', 'ClCr=30']);
    expect(s.code, s.err).toBe(0);
    expect(s.err).toContain(`${note}, the whole simulation at it`);
    const same = await cli(['estimate', ...model, '--param', 'WT=80', '--json']);
    expect(same.err).not.toContain('W_PARAM_REPLACES_DATA');
    writeFileSync(join(dir, 'nocl.csv'), 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT\n1,0,1,560,1120,.,1,80\n1,1.5,0,.,.,18.2,0,80\n');
    const absent = await cli(['estimate', '--model', 'gentamicin_xuan_2003', '--data', join(dir, 'nocl.csv'), '--param', 'ClCr=30', '--json']);
    expect(absent.code, absent.err).toBe(0);
    expect(absent.err).not.toContain('W_PARAM_REPLACES_DATA');
  });
});
