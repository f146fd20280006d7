// The nomogram and relevance commands name what the user gave or must give: a model whose
// parameters change with TIME needs the time (--set TIME), a covariate nobody gave is asked for by
// its option, a cell the model refuses is named by its --grid entry, not "row 1", a field error of
// an effect names the effect; an empty effects list, a repeated grid value and --min-dose above
// --max-dose are refused.

import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { defineModel } from '../../../src/model/model.js';
import { nomogram } from '../../../src/design/nomogram/nomogram.js';
import { relevance, relevanceFromModel } from '../../../src/design/relevance/relevance.js';
import { loadModel } from '../../../src/cli/model-arg.js';
import { tempFiles } from '../temp-files.js';

const { write: file } = tempFiles('dosewise-fnomo-');

const busulfan = ['nomogram', '--model', 'busulfan_mccune_2014', '--target', 'auc24=80', '--interval', '24', '--infusion', '3', '--grid', 'WT=20,40,70', '--set', 'AGE=30', '--set', 'HT=170', '--set', 'SEX=1'];
const vanco = ['nomogram', '--model', 'vancomycin_goti_2018', '--target', 'auc24=500', '--interval', '12', '--infusion', '1'];

describe('a model whose parameters change with TIME', () => {
  it('is refused without --set TIME, saying why and how to give it (it was "parameter TIME: … the record has no value")', async () => {
    const r = await cli(busulfan);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/busulfan_mccune_2014's parameters change with time \(it reads TIME\), so a steady state needs the time at which to read them: give it with --set TIME=<h>/);
    expect(r.err).not.toMatch(/record has no value/);
  });

  it('gives with --set TIME=100 the doses 80·CL/1000 of CL at that time (FTIM = 0.919 after 36 h)', async () => {
    const r = await cli([...busulfan, '--set', 'TIME=100', '--json']);
    expect(r.code).toBe(0);
    const cells = (JSON.parse(r.out) as { cells: { dose: number; parameters: { CL: number } }[] }).cells;
    // python3: HTM = 1.7, FFM = 42.92·HTM²·WT/(30.93·HTM² + WT), NFM = FFM + 0.509·(WT − FFM),
    // CL = 11.4·(NFM/70)^0.75·FMAT·0.919 with FMAT = 1/(1 + ((30·52.1775 + 40)/45.7)^−2.3), and
    // dose = AUC24 (ng·h/mL) · CL (L/h) / 1000 for q24h
    const refCL = [4.293326302374442, 6.778620802606386, 9.606087248312436];
    const refDose = [0.3434661041899554, 0.5422896642085109, 0.7684869798649948];
    // measured: CL equal to 1e-16; doses 9.9e-6, 8.5e-6, 7.8e-6 above (the engine's AUC on its sampling grid)
    cells.forEach((c, i) => {
      expect(Math.abs(c.parameters.CL / (refCL[i] as number) - 1)).toBeLessThan(1e-12);
      expect(Math.abs(c.dose / (refDose[i] as number) - 1)).toBeLessThan(3e-5);
    });
  });

  it('is refused by nomogram() and relevanceFromModel() without TIME, naming the field to give it in', async () => {
    const model = await loadModel('busulfan_mccune_2014');
    const cov = { AGE: 30, HT: 170, SEX: 1 };
    expect(() => nomogram(model, { target: { metric: 'auc24', value: 80 }, intervals: [24], infusion: 3, grid: [{ name: 'WT', values: [70] }], fixed: cov })).toThrow(/parameters change with time \(it reads TIME\).*give the time in fixed/);
    expect(() => relevanceFromModel(model, [{ label: 'x', on: 'CL', ratio: 0.5 }], { covariates: { ...cov, WT: 70 }, dose: 1, regimen: { interval: 24, infusion: 3 } })).toThrow(/reads TIME.*give the time in covariates/);
  });

  it('relevance --model is refused the same way without --set TIME', async () => {
    const e = file('one.json', '[{"label":"inhibitor","on":"CL","ratio":0.5}]');
    const r = await cli(['relevance', '--effects', e, '--model', 'busulfan_mccune_2014', '--dose', '1', '--interval', '24', '--infusion', '3', '--set', 'AGE=30', '--set', 'HT=170', '--set', 'SEX=1', '--set', 'WT=70']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/parameters change with time \(it reads TIME\).*--set TIME=<h>/);
  });
});

describe('messages that named internal rows', () => {
  it('a cell the model refuses is named by its --grid entry (it was "row 1, parameter CL")', async () => {
    const r = await cli([...vanco, '--grid', 'CRCL=0:150:30', '--set', 'WT=70']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--grid CRCL=0: parameter CL: .*CRCL must be > 0/);
    expect(r.err).not.toMatch(/row 1/);
  });

  it('a covariate nobody gave is asked for by its options (it was "row 1, parameter WT: … the record has no value")', async () => {
    const r = await cli([...vanco, '--grid', 'CRCL=30:150:30']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/model vancomycin_goti_2018 reads WT and gives it no default: give --set WT=<value> or a --grid WT=…/);
    const e = file('one-b.json', '[{"label":"inhibitor","on":"CL","ratio":0.5}]');
    const s = await cli(['relevance', '--effects', e, '--model', 'vancomycin_goti_2018', '--dose', '1000', '--interval', '12', '--set', 'WT=70']);
    expect(s.code).not.toBe(0);
    expect(s.err).toMatch(/reads CRCL and gives it no default: give --set CRCL=<value>/);
  });

  it('nomogram() names the cell and the covariate in its own terms', () => {
    const model = defineModel({ dosewise: 2, name: 'wtcl', structure: '1cmt-iv', covariates: { WT: {}, CRCL: {} }, parameters: { CL: '4*(CRCL/100)^0.8*WT/70', V: 50 } });
    const o = { target: { metric: 'auc24' as const, value: 500 }, intervals: [12], infusion: 1 };
    expect(() => nomogram(model, { ...o, grid: [{ name: 'CRCL', values: [60] }] })).toThrow(/model wtcl reads WT and gives it no default: give WT as a grid axis or in fixed/);
    expect(() => nomogram(model, { ...o, grid: [{ name: 'CRCL', values: [60, 0] }, { name: 'WT', values: [70] }] })).toThrow(/^grid CRCL=0, WT=70: parameter CL: /);
  });
});

describe('relevance and nomogram input checks', () => {
  it('a level out of (0, 1) names the effect (it named none: "relevance: interval level must be in (0, 1)")', async () => {
    const e = file('level.json', '[{"label":"inhibitor","on":"CL","ratio":0.5,"se":0.1,"level":90}]');
    const r = await cli(['relevance', '--effects', e]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/level\.json: effect 1 \(inhibitor\): level must be in \(0, 1\), e\.g\. 0\.9 for a 90% interval \(got 90\)/);
    expect(() => relevance([{ label: 'a', on: 'CL', ratio: 0.5, se: 0.1, level: 90 }])).toThrow(/effect 1 \(a\): level must be in \(0, 1\)/);
  });

  it('an empty effects list is refused (it printed an empty table and exited 0)', async () => {
    const r = await cli(['relevance', '--effects', file('empty.json', '[]')]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/empty\.json: no effects/);
    expect(() => relevance([])).toThrow(/no effects/);
  });

  it('--min-dose above --max-dose names the options (it said "dose rounding: min 600 > max 400")', async () => {
    const r = await cli([...vanco, '--grid', 'WT=70', '--set', 'CRCL=90', '--min-dose', '600', '--max-dose', '400']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--min-dose 600 is above --max-dose 400: no dose is allowed/);
  });

  it('a grid value given twice is refused (the same row was printed twice)', async () => {
    const r = await cli([...vanco, '--grid', 'WT=70,70', '--set', 'CRCL=90']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--grid WT: the value 70 is given twice; give each value once/);
  });
});
