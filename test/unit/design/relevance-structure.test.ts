// relevance --model: an effect on CL or V means what it says for the model's structure.
// Reference values are closed forms for a 1-compartment linear model at steady state:
//   AUCτ = F·Dose/CL, and with a 1-h infusion q12h, Cmax ∝ (1/CL)·(1 − e^(−kT))/(1 − e^(−kτ)),
//   trough = Cmax·e^(−k(τ−T)), k = CL/V (computed with python3 when the test was written).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { effectMapping, formatRelevance, parseEffects, relevance, relevanceFromModel } from '../../../src/design/relevance/relevance.js';

const oneCmt = (name: string, parameterization: 'micro' | 'clearance', parameters: Record<string, { expr: string }>, etas: string[]) =>
  defineModel({
    dosewise: 2,
    name,
    structure: { kind: 'linear', compartments: 1, depot: false, parameterization },
    theta: { TVK: { value: 0.1, unit: '1/h' }, TVV: { value: 50, unit: 'L' } },
    parameters,
    omega: { etas, diagonal: etas.map(() => 0.04) },
    observe: { compartment: 1, scale: 'V', unit: 'mg/L' },
  });

// rate constants K = 0.1/h, V = 50 L, and CL = K·V only reported: the structure never reads CL
const microReportsCL = oneCmt(
  'micro_with_derived_CL',
  'micro',
  { K: { expr: 'TVK * exp(ETA_K)' }, V: { expr: 'TVV * exp(ETA_V)' }, CL: { expr: 'K * V' } },
  ['ETA_K', 'ETA_V'],
);
// clearance form whose CL is computed from V: an effect on V moves CL with it
const clFromV = oneCmt('cl_reads_v', 'clearance', { V: { expr: 'TVV * exp(ETA_V)' }, CL: { expr: 'TVK * V * exp(ETA_CL)' } }, ['ETA_CL', 'ETA_V']);

const opts = { covariates: {}, dose: 500, regimen: { interval: 12, infusion: 1 } };
const inhibitor = { label: 'strong inhibitor', on: 'CL' as const, ratio: 0.45, lo: 0.38, hi: 0.53 };
const onV = { label: 'V effect', on: 'V' as const, ratio: 1.71, lo: 1.5, hi: 1.95 };
// the engine's steady-state AUC on its grid, off the closed form by at most (measured):
// 3.3e-7 for the 1-h infusion (1 compartment), 5.2e-6 for theophylline's oral doses, 1.8e-6 for
// gentamicin's 2 compartments; peak and trough are read at grid points, 2e-14 off
const TOL = 1e-6;
const TOL_ORAL = 1e-5;
const TOL_2CMT = 5e-6;
// where only the volume and clearance scale together, the whole profile scales: 2e-15 off
const TOL_EXACT = 1e-13;

describe('relevance --model on a model written with rate constants', () => {
  it('CL × 0.45 is K × 0.45 at fixed V: AUC ratio 2.22 (1.89–2.63), adjust ×0.5 (read 1.00, no-change: CL fed nothing back)', () => {
    const r = relevanceFromModel(microReportsCL, [inhibitor], opts).rows[0]!;
    // AUC = Dose/(K·V): CL × r gives AUC × 1/r, the interval [1/0.53, 1/0.38]
    expect(Math.abs(r.ratio / (1 / 0.45) - 1)).toBeLessThan(TOL);
    expect(Math.abs(r.lo / (1 / 0.53) - 1)).toBeLessThan(TOL);
    expect(Math.abs(r.hi / (1 / 0.38) - 1)).toBeLessThan(TOL);
    expect(r.verdict).toBe('adjust');
    expect(r.doseRatioRounded).toBe(0.5);
    expect(r.note).toMatch(/CL ×0\.45 is K ×0\.45 at fixed V \(rate constants: CL = K·V\)/);
    // the closed form agrees row for row
    const c = relevance([inhibitor]).rows[0]!;
    expect([r.verdict, r.doseRatioRounded]).toEqual([c.verdict, c.doseRatioRounded]);
  });

  it('V × 1.71 holds CL = K·V: AUC ratio 1, V only (read 0.58 and adjust: K stayed, so CL moved with V)', () => {
    const r = relevanceFromModel(microReportsCL, [onV], opts).rows[0]!;
    for (const x of [r.ratio, r.lo, r.hi]) expect(Math.abs(x - 1)).toBeLessThan(TOL);
    expect(r.verdict).toBe('no-change');
    expect(r.advice).toMatch(/V only/);
    expect(r.note).toMatch(/V ×1\.71 with K ×0\.585 at fixed CL \(rate constants: CL = K·V\)/);
    // peak and trough do move: k = 0.1/1.71 at the same CL gives Cmax × 0.827144, trough × 1.305974
    // (at fixed K they were both × 1/1.71 = 0.585)
    expect(Math.abs(r.cmaxRatio! / 0.827144170945186 - 1)).toBeLessThan(TOL_EXACT);
    expect(Math.abs(r.troughRatio! / 1.3059736794481087 - 1)).toBeLessThan(TOL_EXACT);
  });

  it('a model with rate constants and no CL at all (theophylline, oral) reads CL × r as K × r: AUC ratio 1/r (it was refused)', () => {
    const theo = defineModel(JSON.parse(readFileSync('models/theophylline_nonmem_theo_example_focei.json', 'utf8')));
    const rows = relevanceFromModel(theo, [{ label: 'inducer', on: 'CL', ratio: 1.6, lo: 1.4, hi: 1.9 }, { label: 'V', on: 'V', ratio: 1.3 }], { covariates: {}, dose: 320, regimen: { interval: 12 } }).rows;
    expect(Math.abs(rows[0]!.ratio * 1.6 - 1)).toBeLessThan(TOL_ORAL);
    expect(Math.abs(rows[0]!.lo * 1.9 - 1)).toBeLessThan(TOL_ORAL);
    expect(rows[0]!.doseRatioRounded).toBe(1.5);
    expect(Math.abs(rows[1]!.ratio - 1)).toBeLessThan(TOL_ORAL);
  });

  // not a regression: K = CL/V already followed CL and V; the mapping must leave it so
  it('two compartments with K = CL/V (gentamicin, Xuan 2003): CL and V effects as before, AUC ratio 1/r and 1', () => {
    const gent = defineModel(JSON.parse(readFileSync('models/gentamicin_xuan_2003.json', 'utf8')));
    const rows = relevanceFromModel(gent, [inhibitor, onV], { covariates: { ClCr: 80, WT: 70 }, dose: 400, regimen: { interval: 24, infusion: 0.5 } }).rows;
    expect(Math.abs(rows[0]!.ratio * 0.45 - 1)).toBeLessThan(TOL_2CMT);
    expect(Math.abs(rows[1]!.ratio - 1)).toBeLessThan(TOL_2CMT);
  });
});

describe('an effect on a value the structure does not read', () => {
  // relevance --model takes linear built-in structures only, where CL or K and V are always read; a
  // model text can report CL without its equations reading it. Setting such a value changed nothing
  // (AUC ratio 1.00, "no change" for CL × 0.45): the mapping refuses it, naming the parameter.
  it('is refused: "CL is a reported value of model …, not an input of its structure"', () => {
    const text = [
      'model "rate constants, CL reported"',
      'theta TVK = 0.1, TVV = 50',
      'eta ETA_K ~ 0.09',
      'residual proportional 0.1',
      'compartment CENTRAL',
      'K = TVK * exp(ETA_K)',
      'V = TVV',
      'CL = K * V',
      'd/dt(CENTRAL) = -K * CENTRAL',
      'observe = CENTRAL / V',
    ].join('\n');
    const m = defineModel({ dosewise: 'text', text, file: 'k.model' });
    expect(() => effectMapping(m, 'CL', 0.45, {}, 'relevance: effect 1 (inhibitor)')).toThrow(/^relevance: effect 1 \(inhibitor\): CL is a reported value of model rate constants, CL reported, not an input of its structure: an effect on it would change nothing/);
    // a ratio of 1 changes nothing by itself: not refused
    expect(effectMapping(m, 'CL', 1).overrides).toEqual({ CL: 5 });
  });
});

describe('relevance --model where the model computes CL from V', () => {
  it('V × 1.71 (1.5–1.95) makes CL × 1.71: AUC ratio 0.585 (0.513–0.667), adjust ×1.75 (read "×1 (V only)")', () => {
    const r = relevanceFromModel(clFromV, [onV], opts).rows[0]!;
    expect(Math.abs(r.ratio * 1.71 - 1)).toBeLessThan(TOL_EXACT);
    expect(Math.abs(r.lo * 1.95 - 1)).toBeLessThan(TOL_EXACT);
    expect(Math.abs(r.hi * 1.5 - 1)).toBeLessThan(TOL_EXACT);
    expect(r.verdict).toBe('adjust');
    // the dose restoring the AUC is 1/0.5848 = 1.71, to the nearest 0.25: 1.75
    expect(r.doseRatioRounded).toBe(1.75);
    expect(r.advice).toMatch(/^adjust the dose ×1\.75/);
    expect(r.note).not.toMatch(/changes no AUC-targeted maintenance dose/);
    expect(r.note).toMatch(/CL is computed from V: V ×1\.71 makes CL ×1\.71/);
    const text = formatRelevance(relevanceFromModel(clFromV, [onV], opts));
    expect(text).not.toMatch(/V only/);
    expect(text).toMatch(/adjust\s+×1\.75/);
  });
});

describe('apparent parameters CL/F and V/F', () => {
  it('are accepted (they were refused: "on must be CL, F or V"); CL/F × 0.5 is AUC ratio 2, V/F is AUC ratio 1', () => {
    const list = parseEffects([
      { label: 'inhibitor', on: 'CL/F', ratio: 0.5, lo: 0.4, hi: 0.6 },
      { label: 'obesity', on: 'v/f', ratio: 1.8, lo: 1.5, hi: 2.1 },
    ]);
    expect(list.map((e) => e.on)).toEqual(['CL/F', 'V/F']);
    const [cl, v] = relevance(list).rows;
    expect([cl!.ratio, cl!.lo, cl!.hi]).toEqual([2, 1 / 0.6, 1 / 0.4]);
    expect(cl!.note).toMatch(/CL\/F is the apparent clearance: AUC = Dose\/\(CL\/F\), so the AUC ratio is 1\/ratio/);
    expect([v!.ratio, v!.verdict, v!.doseRatioRounded]).toEqual([1, 'no-change', 1]);
    expect(v!.note).toMatch(/V\/F is the apparent volume/);
    // with a model: CL/F × 0.5 on an oral model (F = 1 held) is AUC × 2
    const theo = defineModel(JSON.parse(readFileSync('models/theophylline_nonmem_theo_example_focei.json', 'utf8')));
    const e = relevanceFromModel(theo, list, { covariates: {}, dose: 320, regimen: { interval: 12 } }).rows;
    expect(Math.abs(e[0]!.ratio / 2 - 1)).toBeLessThan(TOL_ORAL);
    expect(Math.abs(e[1]!.ratio - 1)).toBeLessThan(TOL_ORAL);
    expect(formatRelevance(relevance(list))).toMatch(/inhibitor\s+CL\/F/);
  });
  it('anything else is still refused, with the value quoted', () => {
    expect(() => parseEffects([{ label: 'a', on: ' CL', ratio: 1 }], 'e.json')).toThrow(/e\.json: effect 1 \(a\): on must be CL, F or V, or the apparent CL\/F or V\/F \(got " CL"\)/);
  });
});

describe('relevance --model: what patient the method names', () => {
  // an η set with the covariates is a what-if (as in nomogram): the ratios are that patient's, and
  // the method said "typical patient" all the same
  it('says "typical patient" only where no η or parameter is set', () => {
    expect(relevanceFromModel(clFromV, [inhibitor], opts).method).toMatch(/^engine: typical patient of cl_reads_v at steady state/);
    const whatIf = relevanceFromModel(clFromV, [inhibitor], { ...opts, covariates: { ETA_CL: 0.5 } });
    expect(whatIf.method).toMatch(/^engine: patient of cl_reads_v with η = 0 except ETA_CL = 0\.5 at steady state/);
    // linear PK: the AUC ratio is 1/0.45 for either patient
    expect(whatIf.rows[0]!.ratio).toBeCloseTo(1 / 0.45, 5);
  });
});
