// The shipped model library (models/*.json): every file loads, carries its provenance, and
// reproduces a documented figure. Three kinds of check:
//
//  1. typical parameters for a reference patient, from model.evaluate(...).values, against the
//     published typical values (θ at the reference covariates) or, where a covariate model has no
//     reference patient that yields θ exactly, against the published formula computed by hand
//     (numbers below, worked out independently of dosewise from the formulas in
//     ../shared/models/<id>.json);
//  2. one simulated dose for the typical patient against a closed-form concentration written here
//     (1- or 2-compartment infusion, first-order absorption with lag and F), to 1e-13 relative;
//  3. where the shared README documents a MAP cross-check (Goti 2018, Burdet 2015), a small MAP
//     estimator written in this file (posologyr's objective, Nelder–Mead over η, predictions from
//     simulate()) on posologyr's test patients, against the individual parameters posologyr's
//     tests assert (Monolix- and nlmixr-checked).

import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defineModel, type Model } from '../../src/model/model.js';
import { simulate } from '../../src/engine/simulate.js';
import { regimen } from '../../src/regimen/builder.js';

const DIR = fileURLToPath(new URL('../../models/', import.meta.url));
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const raw = (id: string): Record<string, unknown> => JSON.parse(readFileSync(`${DIR}${id}.json`, 'utf8')) as Record<string, unknown>;
const load = (id: string): Model => defineModel(raw(id));

/** The published models in ../shared/models, one file each. */
const IDS = [
  'amikacin_burdet_2015',
  'busulfan_mccune_2014',
  'busulfan_shukla_2020',
  'ganciclovir_caldes_2009',
  'gentamicin_xuan_2003',
  'tacrolimus_storset_2014',
  'theophylline_nonmem_theo_example_focei',
  'vancomycin_buelga_2005',
  'vancomycin_colin_2019',
  'vancomycin_goti_2018',
  'vancomycin_thomson_2009',
];

/** Closed forms vs the analytic engine: measured at most 2.4e-14 relative (rounding). */
const TOL = 1e-13;

function rel(actual: number, expected: number, tol: number): void {
  const r = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  if (!(r <= tol)) expect.fail(`${actual} vs ${expected}: relative error ${r} > ${tol}`);
}

/** Typical individual (all η = 0) parameter values for the given data items. */
function typical(id: string, items: Record<string, number>): Readonly<Record<string, number>> {
  return load(id).evaluate(items).values;
}

// ---------------------------------------------------------------------------------------------
// closed forms

/** Disposition of a 1- or 2-compartment model: exponents λ and unit-impulse coefficients c (Σc = 1). */
function disposition(k10: number, k12 = 0, k21 = 0): { l: number[]; c: number[] } {
  if (k12 === 0) return { l: [k10], c: [1] };
  const s = k10 + k12 + k21;
  const d = Math.sqrt(s * s - 4 * k10 * k21);
  const a = (s + d) / 2;
  const b = (s - d) / 2;
  return { l: [a, b], c: [(a - k21) / (a - b), (k21 - b) / (a - b)] };
}

/** Central concentration after a zero-order infusion of `amt` over `dur` starting at 0. */
function infusionConc(amt: number, dur: number, V: number, k10: number, k12: number, k21: number, t: number): number {
  const { l, c } = disposition(k10, k12, k21);
  const R = amt / dur;
  let s = 0;
  for (let i = 0; i < l.length; i++) {
    const li = l[i];
    s += t <= dur ? (c[i] / li) * (1 - Math.exp(-li * t)) : (c[i] / li) * (1 - Math.exp(-li * dur)) * Math.exp(-li * (t - dur));
  }
  return (R / V) * s;
}

/** Central concentration after an oral dose at 0 (first-order absorption, bioavailability F, lag). */
function oralConc(amt: number, F: number, lag: number, ka: number, V: number, k10: number, k12: number, k21: number, t: number): number {
  const tt = t - lag;
  if (tt <= 0) return 0;
  const { l, c } = disposition(k10, k12, k21);
  let s = 0;
  for (let i = 0; i < l.length; i++) s += (c[i] * (Math.exp(-l[i] * tt) - Math.exp(-ka * tt))) / (ka - l[i]);
  return ((F * amt * ka) / V) * s;
}

const TIMES = [0.25, 0.5, 1, 1.5, 2, 4, 6, 8, 12, 24];

/** Simulated concentrations for one infusion of 1000 over 1 h into `cmt`, covariates on every record. */
function simulateInfusion(m: Model, items: Record<string, number>, cmt: number, times = TIMES): Float64Array {
  const recs = regimen()
    .dose({ time: 0, amt: 1000, dur: 1, cmt, items })
    .observe({ times, items })
    .records();
  const { ipred } = simulate(m, recs);
  // the dose record comes after a time-0 observation, before the rest: keep observation rows only
  return Float64Array.from(recs.flatMap((r, i) => (r.EVID === 0 ? [ipred[i] as number] : [])));
}

// ---------------------------------------------------------------------------------------------

describe('model library: files', () => {
  it('has one file per published model in ../shared/models', () => {
    expect(FILES).toEqual(IDS.map((id) => `${id}.json`));
  });

  it.each(IDS)('%s loads with defineModel and carries its provenance', (id) => {
    const json = raw(id);
    const m = defineModel(json);
    expect(json.dosewise).toBe(2);
    expect(m.name).toBe(id);
    for (const k of ['drug', 'population', 'reference', 'citation', 'source', 'caveat']) expect(typeof json[k], k).toBe('string');
    const source = json.source as string;
    expect(source).toContain(`../shared/models/${id}.json`);
    expect(source).toMatch(/github\.com\/[\w-]+\/[\w-]+@[0-9a-f]{40}/);
    // every data item the model reads is declared as a covariate (TIME is the record time; η/κ are random effects)
    const random = new Set([...(m.omega?.names ?? []), ...(m.iov?.names ?? [])]);
    const declared = new Set(Object.keys((json.covariates ?? {}) as object));
    for (const input of m.inputs) if (!random.has(input) && input !== 'TIME') expect(declared.has(input), `${id}: covariate ${input} declared`).toBe(true);
    // every θ has a description; every covariate a unit
    for (const [name, t] of Object.entries(json.theta as Record<string, { description?: string }>)) expect(t.description, `${id}: theta ${name}`).toBeTruthy();
    for (const [name, c] of Object.entries((json.covariates ?? {}) as Record<string, { unit?: string }>)) expect(c.unit, `${id}: covariate ${name}`).toBeTruthy();
    expect(m.residual, `${id}: residual error`).toBeDefined();
    expect(m.omega, `${id}: Omega`).toBeDefined();
  });
});

describe('model library: typical values for a reference patient', () => {
  it('vancomycin_goti_2018: CL 4.5, V1 58.4, V2 38.4, Q 6.5 at CRCL 120 mL/min, WT 70 kg, no dialysis (θ)', () => {
    const v = typical('vancomycin_goti_2018', { CRCL: 120, WT: 70, DIAL: 0 });
    rel(v.CL, 4.5, 1e-12);
    rel(v.V, 58.4, 1e-12);
    rel(v.V2, 38.4, 1e-12);
    rel(v.Q, 6.5, 1e-12);
    // hemodialysis: CL × 0.7, V1 × 0.5
    const d = typical('vancomycin_goti_2018', { CRCL: 120, WT: 70, DIAL: 1 });
    rel(d.CL, 3.15, 1e-12);
    rel(d.V, 29.2, 1e-12);
    // Ω and residual are the paper-faithful (posologyr) choices
    const m = load('vancomycin_goti_2018');
    expect(m.omega?.matrix.map((r, i) => r[i])).toEqual([0.147, 0.51, 0.282]);
    expect(m.residual).toMatchObject({ model: 'combined1', additive: 3.4, proportional: 0.227 });
  });

  it('vancomycin_thomson_2009: CL 2.99 at CRCL 66 mL/min; V1 0.675, V2 0.732 L/kg; Q 2.28 (θ)', () => {
    const v = typical('vancomycin_thomson_2009', { CRCL: 66, WT: 70 });
    rel(v.CL, 2.99, 1e-12);
    rel(v.V, 0.675 * 70, 1e-12);
    rel(v.V2, 0.732 * 70, 1e-12);
    rel(v.Q, 2.28, 1e-12);
    // linear CrCL model: 2.99 × (1 + 0.0154 × (100 − 66)) = 4.555564
    rel(typical('vancomycin_thomson_2009', { CRCL: 100, WT: 70 }).CL, 4.555564, 1e-12);
  });

  it('vancomycin_buelga_2005: CL = 1.08 × CRCL (L/h), V = 0.98 L/kg (θ)', () => {
    const v = typical('vancomycin_buelga_2005', { CRCL: 6, WT: 70 });
    rel(v.CL, 6.48, 1e-12);
    rel(v.V, 68.6, 1e-12);
  });

  it('vancomycin_colin_2019: 35-year-old, 70 kg, SCR 0.83 mg/dL → CL 4.10, V2 41.7, Q 3.22 L/h (paper abstract)', () => {
    const v = typical('vancomycin_colin_2019', { WT: 70, PMA: 35 * 52 + 40, SCR: 0.83 });
    expect(v.CL).toBeCloseTo(4.1, 2); // abstract: 4.10 L/h (this model: 4.1018)
    rel(v.CL, 4.101825926862749, 1e-9); // 5.312 × FMAT × FAGE × FSCR by hand
    expect(v.V2).toBeCloseTo(41.7, 1); // abstract: 41.7 L
    expect(v.Q).toBeCloseTo(3.22, 2); // abstract: 3.22 L/h
    rel(v.V, 42.52, 1e-12); // θ; the abstract's 42.9 L is not reproduced (see the file's caveat)
    rel(v.SCR_STD, 0.8314476844814986, 1e-9); // age-typical SCR at 35 y ≈ the abstract's 0.83
    // 'maximal CL of 5.31 L/h/70 kg': CL without maturation, decline and creatinine factors
    rel(v.CL / (v.FMAT * v.FAGE * v.FSCR), 5.312, 1e-12);
  });

  it('busulfan_mccune_2014: adults, and the time-varying CL (hand-computed from the published formulas)', () => {
    // male, 30 y, 70 kg, 175 cm: FFM 55.857, NFM_CL 63.056, NFM_V 58.735, FMAT 0.99972
    const male = { AGE: 30, WT: 70, HT: 175, SEX: 1, TIME: 0 };
    const v = typical('busulfan_mccune_2014', male);
    rel(v.FFM, 55.85721494781016, 1e-10);
    rel(v.CL, 10.537912618982888, 1e-10);
    rel(v.V, 11.66174263366179, 1e-10);
    rel(v.Q, 125.01076695754817, 1e-10);
    rel(v.V2, 25.085331276725718, 1e-10);
    // female, 30 y, 60 kg, 165 cm (female FFM constants, volumes × 1.07)
    const f = typical('busulfan_mccune_2014', { AGE: 30, WT: 60, HT: 165, SEX: 0, TIME: 0 });
    rel(f.CL, 8.832411922261755, 1e-10);
    rel(f.V, 9.240823538463241, 1e-10);
    rel(f.V2, 19.87774271942812, 1e-10);
    // infant, 1 y, 10 kg, 75 cm: maturation 1/(1 + (92.18/45.7)^-2.3)
    const inf = typical('busulfan_mccune_2014', { AGE: 1, WT: 10, HT: 75, SEX: 1, TIME: 0 });
    rel(inf.CL, 2.111683353080825, 1e-10);
    rel(inf.Q, 30.031181914584188, 1e-10);
    // time on treatment: × 0.932 after T_CL_EFF + 6 h, × 0.919 after T_CL_EFF + 36 h
    rel(typical('busulfan_mccune_2014', { ...male, TIME: 6 }).CL, 10.537912618982888, 1e-10);
    rel(typical('busulfan_mccune_2014', { ...male, TIME: 6.5 }).CL, 10.537912618982888 * 0.932, 1e-10);
    rel(typical('busulfan_mccune_2014', { ...male, TIME: 40 }).CL, 10.537912618982888 * 0.919, 1e-10);
    rel(typical('busulfan_mccune_2014', { ...male, TIME: 40, T_CL_EFF: 30 }).CL, 10.537912618982888 * 0.932, 1e-10);
  });

  it('busulfan_shukla_2020: child 5 y, 18 kg, 110 cm (hand-computed from the published formulas)', () => {
    const boy = { AGE: 5, WT: 18, HT: 110, SEX: 1, REGI: 0, TIME: 0 };
    const v = typical('busulfan_shukla_2020', boy);
    rel(v.FFM, 14.842167316525083, 1e-10);
    rel(v.CL, 4.641726706472856, 1e-10);
    rel(v.V, 13.357950584872576, 1e-10);
    const girl = typical('busulfan_shukla_2020', { ...boy, SEX: 0 });
    rel(girl.CL, 4.52019035041037, 1e-10);
    rel(girl.V, 12.893654899961666, 1e-10);
    rel(typical('busulfan_shukla_2020', { ...boy, REGI: 1 }).CL, 4.641726706472856 * 0.8, 1e-10);
    rel(typical('busulfan_shukla_2020', { ...boy, TIME: 30 }).CL, 4.641726706472856 * 0.865, 1e-10);
  });

  it('tacrolimus_storset_2014: CLp 811 L/h at FFM 60 kg; F = 1 without prednisolone (θ)', () => {
    // male, 1.80 m: FFM = 9270·WT/(6680 + 216·WT/3.24) = 60 for WT = 400800/5270 kg
    const ref = { WT: 400800 / 5270, HT: 1.8, FEMALE: 0, CYP3A5: 0, PredDose: 0, FirstDay: 0 };
    const m = load('tacrolimus_storset_2014');
    const e = m.evaluate(ref);
    rel(e.values.FFM, 60, 1e-12);
    rel(e.values.CL, 811, 1e-12);
    rel(e.values.V, 6290, 1e-12);
    rel(e.values.Q, 1200, 1e-12);
    rel(e.values.V2, 32100, 1e-12);
    rel(e.values.KA, 1.01, 1e-12);
    rel(e.F[0] as number, 1, 1e-12);
    rel(e.lag[0] as number, 0.41, 1e-12);
    // CYP3A5 expresser: CL × 1.30, F × 0.82; prednisolone 35 mg: F × (1 − 0.67/2); first day: F × 2.68
    const x = m.evaluate({ ...ref, CYP3A5: 1 });
    rel(x.values.CL, 1054.3, 1e-12);
    rel(x.F[0] as number, 0.82, 1e-12);
    rel(m.evaluate({ ...ref, PredDose: 35 }).F[0] as number, 0.665, 1e-12);
    rel(m.evaluate({ ...ref, FirstDay: 1 }).F[0] as number, 2.68, 1e-12);
  });

  it('amikacin_burdet_2015: CL 4.3, Vc 15.9, Vp 21.4, Q 12.1 at CLCREAT4H 82, TBW 78, PaO2/FiO2 169 (θ)', () => {
    const v = typical('amikacin_burdet_2015', { CLCREAT4H: 82, TBW: 78, PoverF: 169 });
    rel(v.CL, 4.3, 1e-12);
    rel(v.V, 15.9, 1e-12);
    rel(v.V2, 21.4, 1e-12);
    rel(v.Q, 12.1, 1e-12);
  });

  it('gentamicin_xuan_2003: CL = 0.047 × ClCr, V = 0.28 L/kg, k12 0.092, k21 0.071 (θ)', () => {
    const v = typical('gentamicin_xuan_2003', { ClCr: 100, WT: 70 });
    rel(v.CL, 4.7, 1e-12);
    rel(v.V, 19.6, 1e-12);
    rel(v.K, 4.7 / 19.6, 1e-12);
    rel(v.K12, 0.092, 1e-12);
    rel(v.K21, 0.071, 1e-12);
  });

  it('ganciclovir_caldes_2009: CL 7.49 at ClCr 57; V1 31.9, Q 10.2, V2 32, KA 0.895, F 0.825, lag 0.382 (θ)', () => {
    const e = load('ganciclovir_caldes_2009').evaluate({ ClCr: 57 });
    rel(e.values.CL, 7.49, 1e-12);
    rel(e.values.V, 31.9, 1e-12);
    rel(e.values.Q, 10.2, 1e-12);
    rel(e.values.V2, 32, 1e-12);
    rel(e.values.KA, 0.895, 1e-12);
    rel(e.F[0] as number, 0.825, 1e-12);
    rel(e.lag[0] as number, 0.382, 1e-12);
    rel(e.F[1] as number, 1, 0); // IV doses into the central compartment are not scaled
  });

  it('theophylline_nonmem_theo_example_focei: KA 1.49072, V 32.447, K 0.0872901 (NONMEM FOCE-I THETA)', () => {
    const v = typical('theophylline_nonmem_theo_example_focei', {});
    rel(v.KA, 1.49072, 1e-12);
    rel(v.V, 32.447, 1e-12);
    rel(v.K, 0.0872901, 1e-12);
    const m = load('theophylline_nonmem_theo_example_focei');
    expect((m.residual?.proportional ?? NaN) ** 2).toBeCloseTo(0.0170386, 6);
    expect((m.residual?.additive ?? NaN) ** 2).toBeCloseTo(0.082844, 6);
  });
});

describe('model library: one dose for the typical patient against a closed form', () => {
  // [id, covariates, dose compartment, concentration factor (dose in mg → output unit)]
  const iv: [string, Record<string, number>, number, number][] = [
    ['vancomycin_goti_2018', { CRCL: 80, WT: 85, DIAL: 0 }, 1, 1],
    ['vancomycin_thomson_2009', { CRCL: 80, WT: 85 }, 1, 1],
    ['vancomycin_buelga_2005', { CRCL: 5, WT: 85 }, 1, 1],
    ['vancomycin_colin_2019', { WT: 20, PMA: 6 * 52 + 40, SCR: 0.35 }, 1, 1],
    ['busulfan_mccune_2014', { AGE: 12, WT: 40, HT: 150, SEX: 0, T_CL_EFF: 100 }, 1, 1000],
    ['busulfan_shukla_2020', { AGE: 5, WT: 18, HT: 110, SEX: 1, REGI: 0 }, 1, 1000],
    ['amikacin_burdet_2015', { CLCREAT4H: 60, TBW: 70, PoverF: 250 }, 1, 1],
    ['gentamicin_xuan_2003', { ClCr: 70, WT: 70 }, 1, 1],
    // IV infusion into the central compartment of the oral models
    ['ganciclovir_caldes_2009', { ClCr: 40 }, 2, 1],
    ['tacrolimus_storset_2014', { WT: 70, HT: 1.75, FEMALE: 1, CYP3A5: 1, PredDose: 20, FirstDay: 0 }, 2, 1000],
  ];

  it.each(iv)('%s: 1000 mg over 1 h matches the infusion formula to 1e-13', (id, cov, cmt, factor) => {
    const m = load(id);
    const v = m.evaluate({ ...cov, TIME: 0 }).values;
    const twoCmt = m.structure.compartments === 2;
    const k10 = m.structure.parameterization === 'micro' ? v.K : v.CL / v.V;
    const k12 = twoCmt ? (m.structure.parameterization === 'micro' ? v.K12 : v.Q / v.V) : 0;
    const k21 = twoCmt ? (m.structure.parameterization === 'micro' ? v.K21 : v.Q / v.V2) : 0;
    const sim = simulateInfusion(m, cov, cmt);
    expect(sim.length).toBe(TIMES.length);
    TIMES.forEach((t, i) => rel(sim[i] as number, factor * infusionConc(1000, 1, v.V, k10, k12, k21, t), TOL));
  });

  it('busulfan_shukla_2020: CL × 0.865 after 24 h (a record at 24 h makes the NOCB step exact)', () => {
    const m = load('busulfan_shukla_2020');
    const cov = { AGE: 5, WT: 18, HT: 110, SEX: 1, REGI: 0 };
    const v = m.evaluate({ ...cov, TIME: 0 }).values;
    const times = [12, 24, 30, 36];
    const sim = simulateInfusion(m, cov, 1, times);
    const k1 = v.CL / v.V;
    const k2 = (v.CL * 0.865) / v.V;
    const c24 = 1000 * infusionConc(1000, 1, v.V, k1, 0, 0, 24);
    rel(sim[0] as number, 1000 * infusionConc(1000, 1, v.V, k1, 0, 0, 12), TOL);
    rel(sim[1] as number, c24, TOL);
    rel(sim[2] as number, c24 * Math.exp(-k2 * 6), TOL);
    rel(sim[3] as number, c24 * Math.exp(-k2 * 12), TOL);
  });

  it("theophylline: 320 mg oral matches the $PRED closed form DOSE/V·KA/(KA−K)·(e^−Kt − e^−KAt)", () => {
    const m = load('theophylline_nonmem_theo_example_focei');
    const { KA, V, K } = m.evaluate({}).values;
    const times = [0.25, 0.5, 1, 2, 3.5, 5, 7, 9, 12, 24];
    const recs = regimen().dose({ time: 0, amt: 320 }).observe({ times }).records();
    const { ipred } = simulate(m, recs);
    const obs = recs.flatMap((r, i) => (r.EVID === 0 ? [ipred[i] as number] : []));
    times.forEach((t, i) => rel(obs[i] as number, (320 / V) * (KA / (KA - K)) * (Math.exp(-K * t) - Math.exp(-KA * t)), TOL));
  });

  it.each([
    ['ganciclovir_caldes_2009', { ClCr: 57 }, 1],
    ['tacrolimus_storset_2014', { WT: 80, HT: 1.8, FEMALE: 0, CYP3A5: 0, PredDose: 0, FirstDay: 0 }, 1000],
  ] as [string, Record<string, number>, number][])('%s: oral dose with lag and F matches the 2-cmt absorption formula', (id, cov, factor) => {
    const m = load(id);
    const e = m.evaluate(cov);
    const v = e.values;
    const times = [0.2, 0.5, 1, 2, 4, 8, 12, 24];
    const recs = regimen()
      .dose({ time: 0, amt: 450, items: cov })
      .observe({ times, items: cov })
      .records();
    const { ipred } = simulate(m, recs);
    const obs = recs.flatMap((r, i) => (r.EVID === 0 ? [ipred[i] as number] : []));
    times.forEach((t, i) =>
      rel(obs[i] as number, factor * oralConc(450, e.F[0] as number, e.lag[0] as number, v.KA, v.V, v.CL / v.V, v.Q / v.V, v.Q / v.V2, t), TOL),
    );
    expect(obs[0]).toBe(0); // before the lag time
  });
});

// ---------------------------------------------------------------------------------------------
// MAP cross-checks (posologyr's test patients)

function invert(a: readonly (readonly number[])[]): number[][] {
  const n = a.length;
  const m = a.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const d = m[c][c];
    for (let j = 0; j < 2 * n; j++) m[c][j] /= d;
    for (let r = 0; r < n; r++)
      if (r !== c) {
        const f = m[r][c];
        for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j];
      }
  }
  return m.map((r) => r.slice(n));
}

/** Nelder–Mead minimiser (standard coefficients), started at x0 with the given step. */
function nelderMead(f: (x: number[]) => number, x0: number[], step = 0.2, tol = 1e-12, maxIter = 20000): number[] {
  const n = x0.length;
  let pts = [x0, ...x0.map((_, i) => x0.map((x, j) => (i === j ? x + step : x)))].map((x) => ({ x, f: f(x) }));
  for (let it = 0; it < maxIter; it++) {
    pts.sort((a, b) => a.f - b.f);
    if (Math.abs(pts[n].f - pts[0].f) < tol && it > 50) break;
    const c = Array.from({ length: n }, (_, j) => pts.slice(0, n).reduce((s, p) => s + p.x[j], 0) / n);
    const along = (t: number): number[] => c.map((cj, j) => cj + t * (pts[n].x[j] - cj));
    const r = along(-1);
    const fr = f(r);
    if (fr < pts[0].f) {
      const e = along(-2);
      const fe = f(e);
      pts[n] = fe < fr ? { x: e, f: fe } : { x: r, f: fr };
    } else if (fr < pts[n - 1].f) pts[n] = { x: r, f: fr };
    else {
      const k = fr < pts[n].f ? along(-0.5) : along(0.5);
      const fk = f(k);
      if (fk < Math.min(fr, pts[n].f)) pts[n] = { x: k, f: fk };
      else pts = pts.map((p, i) => (i === 0 ? p : { x: p.x.map((xj, j) => pts[0].x[j] + 0.5 * (xj - pts[0].x[j])), f: NaN })).map((p) => (Number.isNaN(p.f) ? { x: p.x, f: f(p.x) } : p));
    }
  }
  pts.sort((a, b) => a.f - b.f);
  return pts[0].x;
}

/**
 * MAP η as posologyr computes it: minimise Σ [½((y − f)/g)² + log g] + ½ ηᵀΩ⁻¹η, with g the
 * model file's residual standard deviation. Returns the individual parameters at the optimum.
 */
function mapEstimate(m: Model, recs: ReturnType<ReturnType<typeof regimen>['records']>, dv: readonly number[]): Readonly<Record<string, number>> {
  const omega = m.omega;
  const res = m.residual;
  if (!omega || !res) throw new Error('needs Omega and residual');
  const names = omega.names;
  const inv = invert(omega.matrix);
  const sd = (f: number): number => {
    const { model, additive: a, proportional: b } = res;
    if (model === 'combined1') return a + b * f;
    if (model === 'combined') return Math.sqrt(a * a + b * b * f * f);
    if (model === 'proportional') return b * f;
    if (model === 'additive') return a;
    throw new Error(model);
  };
  const obsRows = recs.flatMap((r, i) => (r.EVID === 0 ? [i] : []));
  const eta = (x: number[]): Record<string, number> => Object.fromEntries(names.map((n, i) => [n, x[i] as number]));
  const objective = (x: number[]): number => {
    const { ipred } = simulate(m, recs, { overrides: eta(x), amounts: false });
    let u = 0;
    obsRows.forEach((row, k) => {
      const f = ipred[row] as number;
      const g = sd(f);
      u += 0.5 * ((dv[k] - f) / g) ** 2 + Math.log(g);
    });
    for (let i = 0; i < x.length; i++) for (let j = 0; j < x.length; j++) u += 0.5 * x[i] * inv[i][j] * x[j];
    return u;
  };
  let x = names.map(() => 0);
  for (let restart = 0; restart < 3; restart++) x = nelderMead(objective, x, restart === 0 ? 0.3 : 0.05);
  return m.evaluate({ ...recs[0].items }, eta(x)).values;
}

/** The estimate rounds to the reported figure (half a unit in its last decimal). */
function rounds(actual: number, figure: number, decimals: number): void {
  const half = 0.5 * 10 ** -decimals;
  if (!(Math.abs(actual - figure) <= half * (1 + 1e-9))) expect.fail(`${actual} does not round to ${figure.toFixed(decimals)}`);
}

const gotiPatient02 = (): ReturnType<ReturnType<typeof regimen>['records']> => {
  // posologyr tests/testthat/test_map_mlx.R (levenc/posologyr): 1900 mg over 1 h at 0, 1750 mg over
  // 1 h at 22.2 h; levels 14.8 mg/L at 12 h and 22.5 mg/L at 37.5 h; CLCREAT 34, WT 62, DIAL 0
  const cov = { CRCL: 34, WT: 62, DIAL: 0 };
  return regimen()
    .dose({ time: 0, amt: 1900, dur: 1, items: cov })
    .dose({ time: 22.2, amt: 1750, dur: 1, items: cov })
    .observe({ times: [12, 37.5], items: cov })
    .records();
};

const amikPatient03 = (): ReturnType<ReturnType<typeof regimen>['records']> => {
  // posologyr tests/testthat/test_map_nlmixr.R: 1600 mg over 0.5 h at 0; levels 75 mg/L at 1 h and
  // 32 mg/L at 6 h; CLCREAT4H 50, TBW 62, PoverF 169
  const cov = { CLCREAT4H: 50, TBW: 62, PoverF: 169 };
  return regimen()
    .dose({ time: 0, amt: 1600, dur: 0.5, items: cov })
    .observe({ times: [1, 6], items: cov })
    .records();
};

describe('model library: MAP cross-checks documented in ../shared/models/README.md', () => {
  it('vancomycin_goti_2018 reproduces posologyr/Monolix MAP for patient02_vanco: CL 1.72, Vc 59.8, Vp 41.6', () => {
    const v = mapEstimate(load('vancomycin_goti_2018'), gotiPatient02(), [14.8, 22.5]);
    // this file's estimate: CL 1.7209, Vc 59.781, Vp 41.556
    rounds(v.CL, 1.72, 2);
    rounds(v.V, 59.8, 1);
    rounds(v.V2, 41.6, 1);
    rel(v.Q, 6.5, 1e-12);
  });

  it('vancomycin_goti_2018: the alternatives named in the caveat do not reproduce it (Vc 61.5 and 60.6)', () => {
    const g = raw('vancomycin_goti_2018');
    const pkpdsimOmega = defineModel({ ...g, omega: { etas: ['ETA_CL', 'ETA_V', 'ETA_V2'], diagonal: [0.1584, 0.6659, 0.326] } });
    const pkpdsimResidual = defineModel({ ...g, residual: { model: 'combined', additive: 1.42, proportional: 0.197 } });
    expect(Math.abs(mapEstimate(pkpdsimOmega, gotiPatient02(), [14.8, 22.5]).V - 59.8)).toBeGreaterThan(1);
    expect(Math.abs(mapEstimate(pkpdsimResidual, gotiPatient02(), [14.8, 22.5]).V - 59.8)).toBeGreaterThan(0.5);
  });

  it('amikacin_burdet_2015 reproduces posologyr/nlmixr MAP for patient03_amik: CL 2.62, Vc 11.01, Vp 14.57, Q 11.96', () => {
    const v = mapEstimate(load('amikacin_burdet_2015'), amikPatient03(), [75, 32]);
    // this file's estimate: CL 2.6226, Vc 11.014, Vp 14.573, Q 11.961
    rounds(v.CL, 2.62, 2);
    rounds(v.V, 11.01, 2);
    rounds(v.V2, 14.57, 2);
    rounds(v.Q, 11.96, 2);
  });

  it("amikacin_burdet_2015: the vignette's combined1 residual (the caveat's alternative) does not (Vc 11.04, Vp 14.64)", () => {
    const alt = defineModel({ ...raw('amikacin_burdet_2015'), residual: { model: 'combined1', additive: 0.2, proportional: 0.1 } });
    const v = mapEstimate(alt, amikPatient03(), [75, 32]);
    expect(Math.abs(v.V2 - 14.57)).toBeGreaterThan(0.05);
  });
});
