// A regimen dose with II and no ADDL repeats nothing (W_II_NOT_REPEATED): 1000 mg "ii 12" on a 0–24 h
// grid is one dose, as pta and population judge it. band simulated that one dose but labelled it
// "1000 q12h" ("simulated once at 1000 q12h", a "Dose (q12h)" column, dailyDose 2000) without a word,
// so a reader took its single-dose fractions (87.2 % in auc24:100:300 at 1000) for q12h ones (54.0 %
// and 34.9 % in the two bands, Monte Carlo). It now labels and counts the regimen as pta
// does and gives the same warning; with addl 1 it stays q12h without one.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { bandPopulation, populationExposure } from '../../../src/design/banding/banding-population.js';
import { regimenDose } from '../../../src/design/pta/pta.js';
import { regimen, type DoseSpec } from '../../../src/regimen/builder.js';

const model = { dosewise: 2, name: 'One-cmt WT', structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' }, parameters: { CL: '5*(WT/70)^0.75*exp(ETA_CL)', V: '40*(WT/70)*exp(ETA_V)' }, covariates: { WT: { unit: 'kg', range: [40, 120] } }, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.1] }, residual: { model: 'proportional', proportional: 0.1 } };
const covariates = { covariates: { WT: { dist: 'lognormal', median: 70, cv: 0.3, lower: 30, upper: 200, unit: 'kg' } } };
const single = { time: 0, amt: 1000, ii: 12 };
const twice = { time: 0, amt: 1000, ii: 12, addl: 1 };
const grid = { grid: { from: 0, to: 24, step: 0.25 } };
const records = (d: DoseSpec): ReturnType<ReturnType<typeof regimen>['records']> => regimen().dose(d).observe(grid).records();

/** Subjects whose AUC(0–24 h) after 1000 mg at 0 h (and at 12 h, `twice`) lies in 100–300: the closed form of a bolus, one compartment. */
function closedFormIn(CL: Float64Array, V: Float64Array, times: readonly number[]): number {
  let n = 0;
  for (let i = 0; i < CL.length; i++) {
    const cl = CL[i] as number;
    const k = cl / (V[i] as number);
    const auc = times.reduce((s, t0) => s + (1000 / cl) * (1 - Math.exp(-k * (24 - t0))), 0);
    if (auc >= 100 && auc <= 300) n++;
  }
  return n;
}

describe('band: a dose with ii and no addl is one dose, labelled and warned as pta does', () => {
  const n = 4000;

  it('API: interval 0 and dailyDose 1000 as pta judges it, W_II_NOT_REPEATED once; the in-window counts the single dose’s closed form', async () => {
    const recs = records(single);
    const r = await bandPopulation({ model, regimen: recs, file: 'reg12.json', target: 'auc24:100:300', by: 'WT', bands: 2, doses: [500, 750, 1000, 1250], cutStep: 5, covariates, n: 400, seed: 1, workers: 0 });
    const judged = regimenDose(recs, undefined, true);
    expect(judged).toMatchObject({ dose: 1000, interval: 0, dailyDose: 1000 });
    expect(r.regimen).toEqual(judged); // it was { dose 1000, interval 12, dailyDose 2000 }
    expect(r.warnings.filter((w) => w.startsWith('W_II_NOT_REPEATED: reg12.json: the dose at 0 h (row ') && w.includes('states ii 12 but no addl or ss'))).toHaveLength(1);
    expect(r.warnings.filter((w) => w.includes('W_II_NOT_REPEATED'))).toHaveLength(1);

    const pe = await populationExposure({ model, regimen: recs, target: 'auc24:100:300', by: 'WT', covariates, n, seed: 1, workers: 0, keep: ['CL', 'V'] });
    let engine = 0;
    for (let i = 0; i < n; i++) if ((pe.doseLo[i] as number) <= 1000 && 1000 <= (pe.doseHi[i] as number)) engine++;
    const exact = closedFormIn(pe.columns.CL as Float64Array, pe.columns.V as Float64Array, [0]);
    // the engine's AUC is the trapezoid on a 0.25-h grid: subjects at a window's edge may fall either side (measured: 0 of 4000)
    expect(Math.abs(engine - exact)).toBeLessThanOrEqual(4);
    // the single dose's fraction (400k Monte Carlo 87.3 %), not q12h's
    expect(exact / n).toBeGreaterThan(0.85);
    expect(closedFormIn(pe.columns.CL as Float64Array, pe.columns.V as Float64Array, [0, 12]) / n).toBeLessThan(0.6);
  }, 60_000);

  it('API: with addl 1 the regimen stays q12h, per 24 h 2000, without the warning; counts the q12h closed form', async () => {
    const recs = records(twice);
    const r = await bandPopulation({ model, regimen: recs, file: 'reg13.json', target: 'auc24:100:300', by: 'WT', bands: 2, doses: [500, 750, 1000], cutStep: 5, covariates, n: 400, seed: 1, workers: 0 });
    expect(r.regimen).toMatchObject({ dose: 1000, interval: 12, dailyDose: 2000 });
    expect(r.warnings.filter((w) => w.includes('W_II_NOT_REPEATED'))).toHaveLength(0);
    const pe = await populationExposure({ model, regimen: recs, target: 'auc24:100:300', by: 'WT', covariates, n, seed: 1, workers: 0, keep: ['CL', 'V'] });
    let engine = 0;
    for (let i = 0; i < n; i++) if ((pe.doseLo[i] as number) <= 1000 && 1000 <= (pe.doseHi[i] as number)) engine++;
    expect(Math.abs(engine - closedFormIn(pe.columns.CL as Float64Array, pe.columns.V as Float64Array, [0, 12]))).toBeLessThanOrEqual(4);
  }, 60_000);

  const tmp = mkdtempSync(join(tmpdir(), 'dosewise-band-ii-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const p = join(tmp, name);
    writeFileSync(p, text);
    return p;
  };

  it('CLI: the warning once on stderr and in the JSON, no "q12h" in the text, JSON or report', async () => {
    const m = file('m2.model.json', JSON.stringify(model));
    const cov = file('cov8.json', JSON.stringify(covariates));
    const reg = file('reg12.json', JSON.stringify({ doses: [single], observe: [grid] }));
    const rep = join(tmp, 'rep12');
    const args = ['band', '--model', m, '--covariates', cov, '--regimen', reg, '--target', 'auc24:100:300', '--by', 'WT', '--bands', '2', '--doses', '500:3000:250', '--cut-step', '5', '--n', '500', '--workers', '0', '--no-progress'];
    const j = await cli([...args, '--json', '--report', rep]);
    expect(j.code, j.err).toBe(0);
    expect(j.err.split('\n').filter((l) => /^dosewise: warning: W_II_NOT_REPEATED: .*reg12\.json: the dose at 0 h \(doses\.0\) states ii 12/.test(l))).toHaveLength(1);
    expect(j.err.split('\n').filter((l) => l.includes('W_II_NOT_REPEATED'))).toHaveLength(1);
    expect(j.err).not.toMatch(/\d q12h/);
    const out = JSON.parse(j.out) as { regimen: { interval: number; dailyDose: number }; warnings: string[] };
    expect(out.regimen).toMatchObject({ interval: 0, dailyDose: 1000 });
    expect(out.warnings.filter((w) => w.includes('W_II_NOT_REPEATED'))).toHaveLength(1);
    const html = readFileSync(join(rep, 'report.html'), 'utf8');
    expect(html).toContain('simulated once at 1000 (exposure');
    // the warning's own words say what it is not ("not a q12h interval 0–12 h"); no label says q12h
    expect(html).not.toMatch(/\d q12h|Dose \(q12h\)/);
    expect(html.match(/W_II_NOT_REPEATED/g)).toHaveLength(1);
    const t = await cli(args);
    expect(t.out.split('\n')[0]).toMatch(/simulated at 1000$/);
  }, 60_000);
});
