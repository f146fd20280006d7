// With IOV, `population`, `pta` and `band` gave a regimen record without its occasion the first
// occasion's κ (preparePlan read a missing OCC as the first value), without a word: the natural
// regimen JSON, OCC on each dose and an observation grid without it, ran every interval on κ of
// occasion 1. 500 mg at 0/24/48 h on occasions 1/2/3: auc:0:72 SD 98.2 and 39.2 % in 250–350, for
// the 86.4 and 43.9 % of three occasions (test/oracle/iov_occasions_auc.py, numpy, 2e6 subjects).
// Such a record is refused now, as `simulate --replicates` and estimation refuse it, named by its
// JSON path or CSV row; OCC on the observe entries' items (one entry per occasion) runs true IOV.
// A regimen JSON's sample without OCC beside doses on several occasions is on the occasion of the
// dose before it, as forecast reads a future sample: the grid without OCC was refused where forecast
// filled it; it runs now as the entries per occasion do, subject for subject.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';
import { DosewiseError } from '../../../src/errors.js';
import { regimen } from '../../../src/regimen/builder.js';
import { runStudy, seedKey } from '../../../src/population/study.js';
import { populationPlan } from '../../../src/design/pta/pta-plan.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';
import { pta } from '../../../src/design/pta/pta.js';
import { bandPopulation } from '../../../src/design/banding/banding-population.js';

interface Summary {
  readonly mean: number;
  readonly sd: number;
  readonly fracIn: number;
}
const oracle = JSON.parse(readFileSync('test/oracle/iov-occasions-auc.json', 'utf8')) as { threeOccasions: Summary; oneKappa: Summary };

const { write } = tempFiles('dosewise-iov-occasions-');
const modelJson = {
  dosewise: 2,
  name: 'iov occasions',
  structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
  theta: { TVCL: { value: 5, unit: 'L/h' }, TVV: { value: 50, unit: 'L' } },
  parameters: { CL: { expr: 'TVCL * exp(ETA_CL + KAPPA_CL)', unit: 'L/h' }, V: { expr: 'TVV * exp(ETA_V + KAPPA_V)', unit: 'L' } },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
  iov: { etas: ['KAPPA_CL', 'KAPPA_V'], matrix: [[0.04, 0.01], [0.01, 0.0225]], occasion: 'OCC' },
  residual: { model: 'proportional', proportional: 0.1 },
  observe: { compartment: 1, unit: 'mg/L' },
};
const model = write('m.json', modelJson);
const doses = [0, 24, 48].map((time, k) => ({ time, amt: 500, cmt: 1, items: { OCC: k + 1 } }));
// OCC on the doses only: the observation grid has none
const dosesOnly = write('doses-only.json', { doses, observe: [{ grid: { from: 0.5, to: 72, step: 0.5 } }] });
// one observe entry per occasion: the level at 24 h, before the dose there, is occasion 1's
const perEntry = write('per-entry.json', {
  doses,
  observe: [1, 2, 3].map((k) => ({ grid: { from: 24 * (k - 1) + 0.5, to: 24 * k, step: 0.5 }, items: { OCC: k } })),
});
const csvRows = ['ID,TIME,AMT,CMT,EVID,DV,OCC', '1,0,500,1,1,.,1', '1,1,0,1,0,.,1', '1,2,0,1,0,.,1', '1,24,500,1,1,.,2', '1,25,0,1,0,.,', '1,26,0,1,0,.,', '1,48,500,1,1,.,3', '1,49,0,1,0,.,', '1,50,0,1,0,.,'];
const blankCsv = write('blank.csv', csvRows.join('\n') + '\n');
const run = ['--model', model, '--n', '200', '--seed', '1', '--workers', '0', '--no-progress'];

describe('IOV: a regimen record without its occasion is refused', () => {
  it('population and pta: OCC on the doses and none on the grid is the dose before\'s, as one observe entry per occasion', async () => {
    const summary = async (cmd: string[]): Promise<string> => {
      const r = await cli(cmd);
      expect(r.code, r.err).toBe(0);
      return JSON.stringify((JSON.parse(r.out) as { metrics?: unknown; regimens?: unknown }).metrics ?? (JSON.parse(r.out) as { regimens: unknown }).regimens);
    };
    // the level at 24 h, before the dose there, is occasion 1's in both
    const pop = ['population', ...run, '--metric', 'auc:0:72', '--metric', 'conc@24', '--metric', 'conc@25', '--json', '--regimen'];
    expect(await summary([...pop, dosesOnly])).toBe(await summary([...pop, perEntry]));
    const p = ['pta', ...run, '--target', 'auc24:250:350', '--json', '--regimens'];
    const ptaOf = async (f: string): Promise<unknown> => {
      const r = await cli([...p, f]);
      expect(r.code, r.err).toBe(0);
      return (JSON.parse(r.out) as { regimens: { overall: unknown }[] }).regimens.map((x) => x.overall);
    };
    expect(await ptaOf(dosesOnly)).toEqual(await ptaOf(perEntry));
  });

  it('population: blank OCC cells of a CSV regimen, named by the row and column', async () => {
    const r = await cli(['population', ...run, '--regimen', blankCsv, '--metric', 'conc@25']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/blank\.csv, row 5, column OCC: the model has IOV by OCC \(κ per occasion\): every record needs its occasion, and this one has none \(nor 3 more records\).*fill in OCC on every row/);
  });

  it('a dose without its occasion is named by its path', async () => {
    const f = write('dose-blank.json', { doses: [doses[0], { time: 24, amt: 500, cmt: 1 }], observe: [{ times: [1], items: { OCC: 1 } }, { times: [25], items: { OCC: 2 } }] });
    const r = await cli(['population', ...run, '--regimen', f, '--metric', 'conc@25']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('dose-blank.json, doses.1.items.OCC: the model has IOV by OCC');
    expect(r.err).toContain('give OCC in the items of every dose');
  });

  it('band (the same planning) refuses a CSV\'s blank cells too', async () => {
    const b = await cli(['band', ...run, '--regimen', blankCsv, '--target', 'auc24:100:200', '--by', 'ETA_CL', '--bands', '2', '--doses', '250,500']);
    expect(b.code).toBe(1);
    expect(b.err).toContain('blank.csv, row 5, column OCC: the model has IOV by OCC');
  });

  it('the library: runStudy(), pta() and bandPopulation()', async () => {
    let reg = regimen();
    for (const d of doses) reg = reg.dose(d);
    const records = reg.observe({ grid: { from: 0.5, to: 72, step: 0.5 } }).records();
    const metric = parseMetric('auc:0:72', regimenTimesOf(records));
    const refusal = (e: unknown): string => {
      expect(e).toBeInstanceOf(DosewiseError);
      return (e as DosewiseError).message;
    };
    const plan = populationPlan({ model: modelJson, records, key: seedKey(1), metrics: [metric], table: false });
    expect(refusal(await runStudy(plan, { n: 10, workers: 0 }).catch((e: unknown) => e))).toMatch(/^regimen, row 2, column OCC: the model has IOV by OCC \(κ per occasion\): every record needs its occasion/);
    expect(refusal(await pta({ model: modelJson, regimens: [{ name: 'q24', records }], target: 'auc24:250:350', n: 10, seed: 1, workers: 0 }).catch((e: unknown) => e))).toContain('column OCC: the model has IOV by OCC');
    expect(refusal(await bandPopulation({ model: modelJson, regimen: records, target: 'auc24:250:350', by: 'ETA_CL', bands: 2, doses: [250, 500], n: 10, seed: 1, workers: 0 }).catch((e: unknown) => e))).toContain('column OCC: the model has IOV by OCC');
  });
});

describe('IOV: OCC on every record draws κ per occasion', () => {
  // n 20,000: the SD of the sample SD is about 0.5, of the fraction 0.0035
  const check = async (file: string): Promise<Summary> => {
    const r = await cli(['population', '--model', model, '--regimen', file, '--n', '20000', '--seed', '21', '--workers', '0', '--no-progress', '--metric', 'auc:0:72', '--window', 'auc:0:72=250:350', '--json']);
    expect(r.code, r.err).toBe(0);
    const rep = (JSON.parse(r.out) as { metrics: { report: Summary }[] }).metrics[0]!.report;
    return rep;
  };

  it('OCC on each observe entry of a regimen JSON: auc:0:72 as numpy gives (SD 86.4, 43.9 % in 250–350), not one κ (98.2, 39.2 %)', async () => {
    const got = await check(perEntry);
    // measured: mean 299.90, SD 85.90, 44.06 % (seed 21); before, the grid without OCC: 300.67, 98.04, 39.28 %
    expect(Math.abs(got.mean - oracle.threeOccasions.mean)).toBeLessThan(3);
    expect(Math.abs(got.sd - oracle.threeOccasions.sd)).toBeLessThan(2);
    expect(Math.abs(got.fracIn - oracle.threeOccasions.fracIn)).toBeLessThan(0.015);
    expect(oracle.oneKappa.sd - got.sd).toBeGreaterThan(8);
    // the same records as a CSV with OCC on every row: the same subjects
    const rows = ['ID,TIME,AMT,CMT,EVID,DV,OCC'];
    for (let k = 1; k <= 3; k++) {
      rows.push(`1,${24 * (k - 1)},500,1,1,.,${k}`);
      for (let t = 24 * (k - 1) + 0.5; t <= 24 * k; t += 0.5) rows.push(`1,${t},0,1,0,.,${k}`);
    }
    const csv = await check(write('every-row.csv', rows.join('\n') + '\n'));
    expect([csv.mean, csv.sd, csv.fracIn]).toEqual([got.mean, got.sd, got.fracIn]);
  });
});

describe('IOV: a regimen on one occasion', () => {
  // one occasion leaves no other for a record without it: a dose with OCC 1 and a grid without
  // items was refused (the first version of the refusal above), where it runs as OCC on every record
  it('OCC on the dose alone, or on the grid alone, runs as OCC on every record, in JSON and CSV', async () => {
    const summary = async (reg: string): Promise<string> => {
      const r = await cli(['population', ...run, '--regimen', reg, '--metric', 'auc:0:72', '--json']);
      expect(r.code, r.err).toBe(0);
      // nor said to change from blank to 1
      expect(r.err).not.toContain('changes over the records');
      const s = JSON.parse(r.out) as { metrics: unknown; seconds?: unknown };
      expect(s.metrics).toHaveLength(1);
      return JSON.stringify(s.metrics);
    };
    const full = await summary(write('one-full.json', { doses: [{ time: 0, amt: 500, cmt: 1, ii: 24, addl: 2, items: { OCC: 1 } }], observe: [{ grid: { from: 0.5, to: 72, step: 0.5 }, items: { OCC: 1 } }] }));
    expect(await summary(write('one-dose.json', { doses: [{ time: 0, amt: 500, cmt: 1, ii: 24, addl: 2, items: { OCC: 1 } }], observe: [{ grid: { from: 0.5, to: 72, step: 0.5 } }] }))).toBe(full);
    expect(await summary(write('one-grid.json', { doses: [{ time: 0, amt: 500, cmt: 1, ii: 24, addl: 2 }], observe: [{ grid: { from: 0.5, to: 72, step: 0.5 }, items: { OCC: 1 } }] }))).toBe(full);
    const rows = ['ID,TIME,AMT,CMT,EVID,DV,OCC,II,ADDL', '1,0,500,1,1,.,1,24,2', ...Array.from({ length: 144 }, (_, i) => `1,${0.5 * (i + 1)},0,1,0,.,,0,0`)];
    expect(await summary(write('one-blank.csv', rows.join('\n') + '\n'))).toBe(full);
  });
});
