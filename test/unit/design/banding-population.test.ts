// Population banding end to end: the closed form dose = target · CL / F through the engine with
// real models, one band = the best fixed dose = the PTA of that dose on the same virtual subjects,
// banding by predicted CL, and clear errors for targets and models that banding cannot serve.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bandPopulation, populationExposure } from '../../../src/design/banding/banding-population.js';
import { pta } from '../../../src/design/pta/pta.js';
import { regimen } from '../../../src/regimen/builder.js';

const fixedDir = 'examples/fixed-dose/';
const read = (f: string) => JSON.parse(readFileSync(f, 'utf8'));
const fixedModel = read(fixedDir + 'model.json');
const fixedCov = read(fixedDir + 'covariates.json');
const goti = read('models/vancomycin_goti_2018.json');
const vancoCov = read('examples/design-vancomycin-covariates.json');

describe('closed form: the dose that puts a subject exactly at an AUC target is target · CL / F', () => {
  it('vancomycin (Goti 2018, two-compartment IV, F = 1), 1-h infusions q12h at steady state', async () => {
    const records = regimen().dose({ time: 0, amt: 1000, dur: 1, ii: 12, addl: 1, ss: 1 }).observe({ grid: { from: 0, to: 24, step: 0.05 } }).records();
    const pe = await populationExposure({ model: goti, regimen: records, covariates: vancoCov, target: 'auc24:500:500', by: 'CRCL', n: 400, seed: 7, workers: 0, keep: ['CL'] });
    const CL = pe.columns.CL!;
    let worst = 0;
    for (let i = 0; i < 400; i++) {
      // AUC24 at steady state = 2 doses / CL → the dose per administration is target · CL / 2
      const expected = (500 * (CL[i] as number)) / 1 / 2;
      expect(pe.doseLo[i]).toBe(pe.doseHi[i]);
      worst = Math.max(worst, Math.abs((pe.doseLo[i] as number) / expected - 1));
    }
    expect(worst).toBeLessThan(1e-4); // the AUC is the linear-up/log-down trapezoid on a 0.05-h grid (worst 2.9e-5)
    expect(pe.failed).toBe(0);
  });

  it('oral one-compartment model with F = 0.6, once daily at steady state', async () => {
    const oral = {
      dosewise: 2,
      name: 'oral F 0.6',
      structure: '1cmt-oral',
      parameters: { CL: '5 * exp(ETA_CL)', V: '40 * exp(ETA_V)', KA: 1.5 },
      compartments: { 1: { bioavailability: 0.6 } },
      omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
      observe: { compartment: 2 },
    };
    const records = regimen().dose({ time: 0, amt: 100, cmt: 1, ii: 24, ss: 1 }).observe({ grid: { from: 0, to: 24, step: 0.02 } }).records();
    const pe = await populationExposure({ model: oral, regimen: records, target: 'auc24:300:300', by: 'CL', n: 300, seed: 3, workers: 0 });
    let worst = 0;
    for (let i = 0; i < 300; i++) worst = Math.max(worst, Math.abs((pe.doseLo[i] as number) / ((300 * (pe.by[i] as number)) / 0.6) - 1));
    expect(worst).toBeLessThan(1e-4);
  });
});

describe('bandPopulation', () => {
  const records = regimen().dose({ time: 0, amt: 2000, cmt: 1, dur: 1, ii: 24, ss: 1 }).observe({ grid: { from: 0, to: 24, step: 0.25 } }).records();
  const doses = [1000, 1500, 2000, 2500, 3000, 3500];
  const base = { model: fixedModel, covariates: fixedCov, regimen: records, target: 'auc24:400:600', doses, n: 6000, seed: 11, workers: 0, chunkSize: 3000 };

  it('one band = the best fixed dose = the PTA of that dose on the same virtual subjects', async () => {
    const one = await bandPopulation({ ...base, by: 'EGFR', bands: 1 });
    expect(one.bands).toHaveLength(1);
    expect(one.bands[0]!.dose).toBe(one.fixed.dose);
    expect(one.fixed.dose).toBe(2000);
    const direct = await pta({
      model: fixedModel,
      covariates: fixedCov,
      regimens: doses.map((amt) => ({ name: String(amt), records: regimen().dose({ time: 0, amt, cmt: 1, dur: 1, ii: 24, ss: 1 }).observe({ grid: { from: 0, to: 24, step: 0.25 } }).records() })),
      target: 'auc24:400:600',
      n: 6000,
      seed: 11,
      workers: 0,
    });
    for (const d of one.byDose) {
      const g = direct.regimens.find((x) => x.dose === d.dose)!;
      // scaling the reference simulation = simulating the dose (up to rounding at the window's edges)
      expect(Math.abs(g.overall.attained - d.in)).toBeLessThanOrEqual(1);
      expect(Math.abs(g.overall.below - d.below)).toBeLessThanOrEqual(1);
    }
  });

  it('four bands by eGFR beat the fixed dose; banding by predicted CL (monotone in eGFR) gives the same optimum', async () => {
    const byEgfr = await bandPopulation({ ...base, by: 'EGFR', bands: 4 });
    expect(byEgfr.feasible).toBe(true);
    expect(byEgfr.overall.fracIn).toBeGreaterThan(byEgfr.fixed.fracIn + 0.1);
    expect(byEgfr.bands.map((b) => b.dose)).toEqual([...byEgfr.bands.map((b) => b.dose)].sort((a, b) => a - b));
    expect(byEgfr.population.n).toBe(6000);
    expect(byEgfr.referenceDose).toBe(2000);
    const byPred = await bandPopulation({ ...base, by: 'pred:CL', bands: 4 });
    expect(byPred.overall.in).toBe(byEgfr.overall.in);
    // predicted CL = 4 · eGFR / 90: the cut points map onto each other
    byPred.bands.forEach((b, i) => {
      const e = byEgfr.bands[i]!;
      if (b.to !== null) expect(b.to).toBeCloseTo((4 * (e.to as number)) / 90, 9);
    });
    // the individual CL (with η) is a better banding variable still
    const byCl = await bandPopulation({ ...base, by: 'CL', bands: 4 });
    expect(byCl.overall.fracIn).toBeGreaterThan(byEgfr.overall.fracIn);
  });

  it('combined target (AUC window and trough ceiling) and practical cut steps', async () => {
    const r = await bandPopulation({ ...base, target: 'auc24:400:600,trough::3', by: 'EGFR', bands: 3, cutStep: 10 });
    const plain = await bandPopulation({ ...base, by: 'EGFR', bands: 3, cutStep: 10 });
    expect(r.overall.in).toBeLessThanOrEqual(plain.overall.in);
    for (const b of r.bands) if (b.from !== null) expect(b.from % 10).toBe(0);
    expect(r.candidates.mode).toBe('step');
  });

  it('no feasible regimen: explicit result', async () => {
    const r = await bandPopulation({ ...base, n: 500, by: 'EGFR', bands: 2, doses: [10, 20] });
    expect(r.feasible).toBe(false);
    expect(r.message).toMatch(/^no feasible regimen/);
  });

  it('errors before any simulation: non-proportional targets, unknown variables, non-linear models, bad doses', async () => {
    await expect(bandPopulation({ ...base, target: 'tabove:10:0.5', by: 'EGFR', bands: 2 })).rejects.toThrow(
      'target tabove:10:0.5: time above MIC is not proportional to the dose; banding needs targets on AUC, trough, Cavg or peak/MIC',
    );
    await expect(bandPopulation({ ...base, by: 'WT', bands: 2 })).rejects.toThrow(/^by WT: not a covariate or parameter of this population \(available: EGFR, ETA_CL, CL, V;/);
    await expect(bandPopulation({ ...base, by: 'pred:KA', bands: 2 })).rejects.toThrow(/^by pred:KA: the model has no parameter KA/);
    await expect(bandPopulation({ ...base, by: 'EGFR', bands: 0 })).rejects.toThrow('bands: expected an integer ≥ 1 (got 0)');
    await expect(bandPopulation({ ...base, by: 'EGFR', bands: 2, doses: [] })).rejects.toThrow('doses: the list of available doses is empty');
    await expect(bandPopulation({ ...base, by: 'EGFR', bands: 2, doses: [500, -1] })).rejects.toThrow('doses: every dose must be a positive number (got -1)');
    const mm = { dosewise: 2, name: 'mm', structure: 'mm-iv', parameters: { V: 10, VMAX: 5, KM: 2 } };
    await expect(bandPopulation({ ...base, model: mm, covariates: undefined, by: 'V', bands: 1 })).rejects.toThrow(/linear PK\); model mm is michaelis-menten/);
    // a linear structure whose F reads the dose amount is not dose-proportional either
    const doseF = { dosewise: 2, name: 'doseF', structure: '1cmt-oral', parameters: { CL: 5, V: 50, KA: 1.2, F1: 'AMT > 750 ? 0.5 : 1' }, compartments: { '1': { bioavailability: 'F1' } } };
    await expect(bandPopulation({ ...base, model: doseF, covariates: undefined, by: 'V', bands: 1 })).rejects.toThrow(/model doseF reads AMT in its parameters or dose modifiers, so its exposure is not/);
  });
});
