// A steady-state constant infusion (SS 1, AMT 0, RATE > 0) sets the state at the infusion's steady
// state and stops at its record, as NONMEM does; mrgsolve reads it as an infusion that runs on.
// estimate, simulate, vpc and shrinkage said so; optimize (with and without --from), population,
// pta and band on a regimen file, and forecast on its future regimen said nothing: `optimize --from
// 24` advised from a level that assumed the infusion stopped at 0 h, and `population` on
// {amt 0, rate 100, ss 1} printed an auc24 (mean 337 with W-map) of a decaying level, without a word.
// Each now says it on standard error, once per file, naming the file and the row (a regimen JSON's
// dose by its place, doses.N: its records' rows are their sorted order, not in the file).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { parseRegimenJson, readRegimen } from '../../../src/regimen/file.js';
import { steadyInfusionWarnings } from '../../../src/cli/data-set-warnings.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-ssinf-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};
const json = (name: string, v: unknown): string => file(name, JSON.stringify(v));

const said = (place: string, rate: number): RegExp =>
  new RegExp(`dosewise: warning: ${place.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: a steady-state infusion \\(SS 1, AMT 0, RATE ${rate}\\) starts at the infusion's steady state and stops at its record, as in NONMEM`);
const count = (text: string, re: RegExp): number => text.split('\n').filter((l) => re.test(l)).length;

// CL 5, V 50 (k = 0.1 /h) with an Ω too small to matter: the levels are closed forms. A WT covariate
// (read with exponent 0) gives band an axis to cut.
const fixed = json('fixed.model.json', {
  dosewise: 2,
  name: 'fixed',
  structure: '1cmt-iv',
  covariates: { WT: { default: 70, unit: 'kg' } },
  parameters: { CL: '5*exp(ETA_CL)*(WT/70)^0', V: 50 },
  omega: { etas: ['ETA_CL'], diagonal: [1e-20] },
  residual: { model: 'proportional', proportional: 0.1 },
});
const cov = json('cov.json', { covariates: { WT: { dist: 'normal', mean: 70, sd: 10, lower: 40, upper: 120, unit: 'kg' } } });
const grid = [{ grid: { from: 0, to: 24, step: 1 } }];
const ssReg = json('ss.json', { doses: [{ time: 0, amt: 0, rate: 50, ss: 1 }], observe: grid });
const normalReg = json('normal.json', { doses: [{ time: 0, amt: 1000, rate: 1000, addl: 1, ii: 12 }], observe: grid });
const ssCsv = file('ss-reg.csv', 'ID,TIME,EVID,AMT,RATE,SS,MDV\n1,0,0,.,.,0,0\n1,0,1,0,50,1,1\n1,24,0,.,.,0,0\n');

const wmap = 'examples/map-wmap.model.json';
// a level at 12 h after a steady-state infusion at 0 h (the chart cont.csv), and the same history
// with an ordinary 10-h infusion
const ssHistory = file('cont.csv', 'ID,TIME,EVID,AMT,RATE,SS,II,DV,MDV\n1,0,1,0,100,1,0,.,1\n1,12,0,.,.,0,0,20,0\n');
const normalHistory = file('cont-normal.csv', 'ID,TIME,EVID,AMT,RATE,SS,II,DV,MDV\n1,0,1,1000,100,0,0,.,1\n1,12,0,.,.,0,0,20,0\n');
const optimizeArgs = ['--model', wmap, '--target', 'auc24:400:600', '--doses', '500:2000:500', '--intervals', '12', '--infusions', '1', '--top', '1', '--draws', '50', '--no-progress'];

describe('optimize warns of a steady-state infusion in the history', () => {
  it('--from 24: advice from a level that assumes the infusion stopped at 0 h (it printed nothing)', async () => {
    const r = await cli(['optimize', '--data', ssHistory, '--from', '24', ...optimizeArgs]);
    expect(r.code, r.err).toBe(0);
    expect(count(r.err, said(`${ssHistory}, row 1`, 100))).toBe(1);
  });
  it('without --from (it printed nothing)', async () => {
    const r = await cli(['optimize', '--data', ssHistory, ...optimizeArgs]);
    expect(r.code, r.err).toBe(0);
    expect(count(r.err, said(`${ssHistory}, row 1`, 100))).toBe(1);
  });
  it('once for the data set, not once per ID', async () => {
    const two = file('cont-2.csv', 'ID,TIME,EVID,AMT,RATE,SS,II,DV,MDV\n1,0,1,0,100,1,0,.,1\n1,12,0,.,.,0,0,20,0\n2,0,1,0,100,1,0,.,1\n2,12,0,.,.,0,0,20,0\n');
    for (const from of [['--from', '24'], []]) {
      const r = await cli(['optimize', '--data', two, ...from, ...optimizeArgs]);
      expect(r.code, r.err).toBe(0);
      expect(r.err).toMatch(/dosewise: warning: .*cont-2\.csv, row 1: 2 steady-state infusions \(SS 1, AMT 0, RATE 100\) start at the infusion's steady state and stop at their records/);
      expect(count(r.err, /steady-state infusion/)).toBe(1);
    }
  });
  it('says nothing of an ordinary infusion', async () => {
    for (const from of [['--from', '24'], []]) {
      const r = await cli(['optimize', '--data', normalHistory, ...from, ...optimizeArgs]);
      expect(r.code, r.err).toBe(0);
      expect(r.err).not.toMatch(/steady-state infusion/);
    }
  });
});

describe('population warns of a steady-state infusion in its regimen file', () => {
  it('{amt 0, rate 50, ss 1} in a JSON regimen: named by doses.0; its auc24 is of a level that decays from 10 (it printed 90.93 without a warning)', async () => {
    const r = await cli(['population', '--model', fixed, '--regimen', ssReg, '--n', '20', '--metric', 'auc24', '--metric', 'conc@24', '--json', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    expect(count(r.err, said(`${ssReg}, doses.0`, 50))).toBe(1);
    // what the warning says was computed: C(t) = (R/CL)·e^(−kt) = 10·e^(−0.1t), so
    // auc24 = 100·(1 − e^(−2.4)) = 90.928205 and conc@24 = 10·e^(−2.4) = 0.90717953; an infusion that
    // runs on gives 240 and 10. Measured off by 2.7e-9 and 5.3e-11 (Ω 1e-20: no spread).
    const out = JSON.parse(r.out) as { metrics: { name: string; report: { mean: number } }[] };
    const mean = (m: string) => out.metrics.find((x) => x.name === m)?.report.mean as number;
    expect(Math.abs(mean('auc24') - 100 * (1 - Math.exp(-2.4)))).toBeLessThan(1e-8);
    expect(Math.abs(mean('conc@24') - 10 * Math.exp(-2.4))).toBeLessThan(5e-10);
  });
  it('a CSV regimen is named by its row', async () => {
    const r = await cli(['population', '--model', fixed, '--regimen', ssCsv, '--n', '5', '--metric', 'conc@24', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    expect(count(r.err, said(`${ssCsv}, row 2`, 50))).toBe(1);
  });
  it('says nothing of an ordinary infusion', async () => {
    const r = await cli(['population', '--model', fixed, '--regimen', normalReg, '--n', '5', '--metric', 'auc24', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/steady-state infusion/);
  });
});

describe('pta warns once per regimen file that holds one', () => {
  it('two regimen files: the steady-state one is named, the ordinary one is not (it printed nothing)', async () => {
    const r = await cli(['pta', '--model', fixed, '--regimens', `${ssReg},${normalReg}`, '--n', '5', '--target', 'auc24:50:150', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    expect(count(r.err, said(`${ssReg}, doses.0`, 50))).toBe(1);
    expect(count(r.err, /steady-state infusion/)).toBe(1);
  });
});

describe('band warns of a steady-state infusion in its regimen file', () => {
  const bandArgs = ['--model', fixed, '--covariates', cov, '--by', 'WT', '--bands', '2', '--doses', '500,1000', '--target', 'auc24:50:150', '--n', '50', '--no-progress'];
  it('a steady-state infusion beside a dose (it printed nothing)', async () => {
    // the JSON's second dose, given first in time: named by its place in the file, not by sorted order
    const reg = json('band.json', { doses: [{ time: 12, amt: 1000, rate: 1000 }, { time: 0, amt: 0, rate: 50, ss: 1 }], observe: grid });
    const r = await cli(['band', ...bandArgs, '--regimen', reg]);
    expect(r.code, r.err).toBe(0);
    expect(count(r.err, said(`${reg}, doses.1`, 50))).toBe(1);
  });
  it('says nothing of an ordinary infusion', async () => {
    const r = await cli(['band', ...bandArgs, '--regimen', normalReg]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/steady-state infusion/);
  });
});

describe('forecast warns of a steady-state infusion in its future regimen, not only in the history', () => {
  const history = file('history.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,100,100,.,1\n');
  it('a future {time 48, amt 0, rate 50, ss 1}: named by doses.0; the forecast level decays from 10 (it printed 6.7032 at 52 h without a warning)', async () => {
    const future = json('future.json', { doses: [{ time: 48, amt: 0, rate: 50, ss: 1 }], observe: [{ times: [48, 52] }] });
    const r = await cli(['forecast', '--model', fixed, '--data', history, '--regimen', future, '--draws', '20', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(count(r.err, said(`${future}, doses.0`, 50))).toBe(1);
    expect(r.err).not.toContain(`${history}, row`);
    // the level at 48 h comes before the dose of that time: the history's 1-h infusion of 100,
    // 20·(1 − e^(−0.1))·e^(−4.7) = 0.0173106. SS 1 then resets the state to the infusion's steady
    // state, 10, and it stops: 10·e^(−0.4) = 6.7032005 at 52 h (an infusion running on: 10; the
    // history kept on top of it: 6.7148). Measured to 2e-16.
    const out = JSON.parse(r.out) as { times: number[]; ipred: number[] }[];
    expect(out[0]?.times).toEqual([48, 52]);
    expect(out[0]?.ipred[0]).toBeCloseTo(20 * (1 - Math.exp(-0.1)) * Math.exp(-4.7), 12);
    expect(out[0]?.ipred[1]).toBeCloseTo(10 * Math.exp(-0.4), 12);
  });
  it('history and future each warned once, each by its own file', async () => {
    const ssHist = file('ss-history.csv', 'ID,TIME,EVID,AMT,RATE,SS,DV,MDV\n1,0,1,0,50,1,.,1\n2,0,1,0,50,1,.,1\n');
    const r = await cli(['forecast', '--model', fixed, '--data', ssHist, '--regimen', ssReg, '--draws', '20', '--metric', 'auc24']);
    expect(r.code, r.err).toBe(0);
    expect(count(r.err, /steady-state infusion/)).toBe(2);
    expect(r.err).toMatch(/ss-history\.csv, row 1: 2 steady-state infusions/);
    expect(count(r.err, said(`${ssReg}, doses.0`, 50))).toBe(1);
  });
  it('says nothing of the example future regimen', async () => {
    const r = await cli(['forecast', '--model', wmap, '--data', 'examples/map-patient.csv', '--regimen', 'examples/map-future.json', '--draws', '20', '--metric', 'auc24']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/steady-state infusion/);
  });
});

describe("a regimen JSON's dose is named by its place in the file", () => {
  it('doses out of time order: doses.2 is the steady-state one (the sorted rows would say row 1)', () => {
    const records = parseRegimenJson({ doses: [{ time: 24, amt: 500 }, { time: 12, amt: 500 }, { time: 0, amt: 0, rate: 50, ss: 1 }], observe: [{ times: [0, 36] }] }, 'r.json');
    expect(steadyInfusionWarnings(records, 'r.json')).toEqual([expect.stringMatching(/^r\.json, doses\.2: a steady-state infusion \(SS 1, AMT 0, RATE 50\)/)]);
  });
  it('doses of the same time keep the order given: doses.1 (the sorted rows would say row 3)', () => {
    const records = parseRegimenJson({ doses: [{ time: 0, amt: 500 }, { time: 0, amt: 0, rate: 50, ss: 1 }], observe: [{ times: [0, 12] }] }, 'r.json');
    expect(steadyInfusionWarnings(records, 'r.json')).toEqual([expect.stringMatching(/^r\.json, doses\.1: a steady-state infusion/)]);
  });
  it('a CSV regimen keeps its rows', () => {
    const records = readRegimen('ID,TIME,EVID,AMT,RATE,SS\n1,0,0,.,.,0\n1,0,1,0,50,1\n', 'r.csv');
    expect(steadyInfusionWarnings(records, 'r.csv')).toEqual([expect.stringMatching(/^r\.csv, row 2: a steady-state infusion/)]);
  });
});
