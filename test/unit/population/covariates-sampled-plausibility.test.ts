// A sampled creatinine or height in the other usual unit than the model file declares ran, though
// the same value in a regimen, a data set or --set is refused: Colin 2019 (SCR in mg/dL) with SCR
// lognormal(median 80) (µmol/L) gave a trough mean of 7.8e57; tacrolimus_storset_2014 (HT in m)
// with HT normal(172, 9) (cm) gave CL 1253.5 L/h for 851.6, both exiting 0. The rule: a
// distribution whose median (as drawn, bounds included) is implausible is refused, since then at
// least half of the subjects would be; a categorical, any value it gives a probability.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { refuseCovariateUnitMismatch } from '../../../src/population/covariates/units.js';
import { caught } from '../refused.js';
import { cli } from '../cli/run-cli.js';

const library = (name: string) => defineModel(JSON.parse(readFileSync(`models/${name}.json`, 'utf8')) as never);
const tmp = mkdtempSync(join(tmpdir(), 'dosewise-cov8-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, v: unknown): string => {
  const p = join(tmp, name);
  writeFileSync(p, JSON.stringify(v));
  return p;
};
const vanco = file('vanco.json', { doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1, ii: 12, ss: 1, addl: 1 }], observe: [{ grid: { from: 0, to: 24, step: 0.5 } }] });
const colin = (scr: unknown): string =>
  file('colin.json', { covariates: { WT: { dist: 'lognormal', median: 70, cv: 0.2, unit: 'kg' }, PMA: { dist: 'normal', mean: 2640, sd: 300, lower: 1000 }, SCR: scr } });
const run = (model: string, regimen: string, covariates: string) =>
  cli(['population', '--model', model, '--regimen', regimen, '--covariates', covariates, '--n', '2000', '--seed', '1', '--metric', 'trough', '--workers', '0', '--no-progress']);

describe('a sampled covariate in the other usual unit', () => {
  it('Colin 2019, SCR lognormal(median 80): refused, naming the covariate, distribution and unit (before: exit 0, trough mean 7.8e57)', async () => {
    const r = await run('vancomycin_colin_2019', vanco, colin({ dist: 'lognormal', median: 80, sdlog: 0.3 }));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/covariates\.SCR: SCR is sampled as lognormal\(median 80, sdlog 0\.3\), whose median is 80, and model vancomycin_colin_2019 reads SCR in mg\/dL: a serum creatinine in mg\/dL is at most 40 \(a value in µmol\/L\?\)/);
  });

  it('tacrolimus, HT normal(172, 9) in [140, 200]: refused at its median 171.992 (before: CL 1253.5 L/h for 851.6)', async () => {
    // the truncated normal's median, scipy.stats.truncnorm.median((140−172)/9, (200−172)/9)·9 + 172
    // = 171.9916153269912 (python3, scipy)
    const tac = file('tac.json', { covariates: { WT: { dist: 'lognormal', median: 75, cv: 0.2, unit: 'kg' }, HT: { dist: 'normal', mean: 172, sd: 9, lower: 140, upper: 200 }, FEMALE: { dist: 'categorical', values: [0, 1], p: [0.6, 0.4] } } });
    const reg = file('tac-reg.json', { doses: [{ time: 0, amt: 5, cmt: 1, ii: 12, addl: 13 }], observe: [{ grid: { from: 0, to: 168, step: 1 } }] });
    const r = await run('tacrolimus_storset_2014', reg, tac);
    expect(r.code).toBe(1);
    const m = /whose median is ([0-9.]+), and model tacrolimus_storset_2014 reads HT in m: a height in m is at most 3 \(a value in cm\?\)/.exec(r.err);
    expect(m, r.err).not.toBeNull();
    expect(Math.abs(Number(m?.[1]) - 171.9916153269912)).toBeLessThan(1e-3);
  });

  it('a categorical giving a height in cm any probability is refused, naming the value', () => {
    const e = caught(() => refuseCovariateUnitMismatch({ covariates: { HT: { dist: 'categorical', values: [1.7, 175], p: [0.5, 0.5] } } }, library('tacrolimus_storset_2014')));
    expect(e.message).toMatch(/covariates\.HT\.values\[1\]: HT is sampled as categorical\(values \[1\.7, 175\], p \[0\.5, 0\.5\]\), and model tacrolimus_storset_2014 reads HT in m: a height in m is at most 3/);
  });

  it('a plausible population with a wide tail still runs: SCR lognormal(median 0.9 mg/dL, sdlog 1)', async () => {
    // P(SCR > 40 mg/dL) = P(Z > ln(40/0.9)) = 7.4e-5 (scipy norm.sf): a few tail draws in a large
    // population are not the unit of the distribution, and the median 0.9 is plausible
    const r = await run('vancomycin_colin_2019', vanco, colin({ dist: 'lognormal', median: 0.9, sdlog: 1 }));
    expect(r.err).not.toMatch(/sampled as/);
    expect(r.code).toBe(0);
  });

  it('the median is taken as drawn: SCR lognormal(median 80) bounded above by 3 mg/dL runs', () => {
    expect(() => refuseCovariateUnitMismatch({ covariates: { SCR: { dist: 'lognormal', median: 80, sdlog: 0.3, upper: 3 } } }, library('vancomycin_colin_2019'))).not.toThrow();
  });
});
