// MAP estimation cases of the issue: BLQ (M3) against the same sample quantified, inter-occasion
// variability over several occasions, exponential (log-scale) error, time-varying covariates, a
// patient without observations, and invariance to record order and to consistently given units.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { recordFromItems } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { simulate } from '../../../src/engine/simulate.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { mapObjective } from '../../../src/bayes/objective.js';
import { logNormalCdf } from '../../../src/stats/normal.js';
import { shrinkage } from '../../../src/bayes/shrinkage.js';
import { oracleModel, oracleRecords } from './fixtures.js';

const records = (rows: Record<string, number>[], id = 1): DataRecord[] => rows.map((r, i) => recordFromItems({ ID: id, ...r }, i + 1));
const maxDiff = (a: readonly number[], b: readonly number[]): number => Math.max(...a.map((x, i) => Math.abs(x - (b[i] as number))));

describe('BLQ (M3)', () => {
  it('the M3 likelihood and the same samples taken as quantified give different estimates; both match the SciPy oracle', () => {
    const m = oracleModel('blq-m3');
    const model = defineModel(m.model);
    for (let k = 0; k < m.patients.length; k += 2) {
      const m3 = m.patients[k]!;
      const quant = m.patients[k + 1]!;
      expect(m3.label).toBe('m3');
      expect(quant.label).toBe('quantified');
      const a = estimate(model, oracleRecords(m3));
      const b = estimate(model, oracleRecords(quant));
      // the SciPy oracle: largest difference measured 2.6e-9 (test/unit/bayes/oracle.test.ts)
      expect(maxDiff(a.eta, m3.eta)).toBeLessThan(2e-8);
      expect(maxDiff(b.eta, quant.eta)).toBeLessThan(2e-8);
      expect(maxDiff(a.eta, b.eta)).toBeGreaterThan(0.05);
      // IWRES only for quantified samples
      const recs = oracleRecords(m3);
      recs.forEach((r, i) => {
        if (r.items.BLQ === 1) expect(Number.isNaN(a.iwres[i])).toBe(true);
      });
    }
  });

  it('with blq: false the flags are ignored: the M3 records then estimate like the quantified ones', () => {
    const m = oracleModel('blq-m3');
    const model = defineModel(m.model);
    const ignored = estimate(model, oracleRecords(m.patients[0]!), { blq: false });
    expect(maxDiff(ignored.eta, m.patients[1]!.eta)).toBeLessThan(2e-8);
  });

  it('a BLQ-only patient: the objective is the prior plus −2 ln Φ, and the estimate moves CL up', () => {
    const model = defineModel({
      dosewise: 2,
      name: 'blq only',
      structure: '1cmt-iv',
      parameters: { CL: '3*exp(ETA_CL)', V: 20 },
      omega: { etas: ['ETA_CL'], diagonal: [0.2] },
      residual: { model: 'additive', additive: 0.1 },
    });
    const recs = records([
      { TIME: 0, EVID: 1, AMT: 100 },
      { TIME: 12, EVID: 0, DV: 1, BLQ: 1 },
    ]);
    const obj = mapObjective(model, recs);
    const f = 5 * Math.exp(-0.15 * 12);
    expect(obj.ofv([0])).toBeCloseTo(-2 * logNormalCdf((1 - f) / 0.1), 12);
    const fit = estimate(model, recs);
    expect(fit.eta[0]).toBeGreaterThan(0);
  });
});

describe('inter-occasion variability', () => {
  // three occasions with κ on CL; the same model written without IOV, κ as three extra η switched by
  // occasion indicator columns, must give the same mode
  const iovModel = {
    dosewise: 2,
    name: 'iov',
    structure: { kind: 'linear', compartments: 1, depot: true },
    parameters: { CL: '5*exp(ETA_CL + K_CL)', V: '50*exp(ETA_V)', KA: '1.2*exp(K_KA)' },
    omega: { etas: ['ETA_CL', 'ETA_V'], matrix: [[0.09, 0.02], [0.02, 0.05]] },
    iov: { etas: ['K_CL', 'K_KA'], diagonal: [0.04, 0.09], occasion: 'OCC' },
    residual: { model: 'combined', additive: 0.1, proportional: 0.1 },
  };
  const unrolled = {
    dosewise: 2,
    name: 'iov unrolled',
    structure: { kind: 'linear', compartments: 1, depot: true },
    parameters: {
      CL: '5*exp(ETA_CL + O1*C1 + O2*C2 + O3*C3)',
      V: '50*exp(ETA_V)',
      KA: '1.2*exp(O1*A1 + O2*A2 + O3*A3)',
    },
    omega: {
      etas: ['ETA_CL', 'ETA_V', 'C1', 'A1', 'C2', 'A2', 'C3', 'A3'],
      matrix: [
        [0.09, 0.02, 0, 0, 0, 0, 0, 0],
        [0.02, 0.05, 0, 0, 0, 0, 0, 0],
        [0, 0, 0.04, 0, 0, 0, 0, 0],
        [0, 0, 0, 0.09, 0, 0, 0, 0],
        [0, 0, 0, 0, 0.04, 0, 0, 0],
        [0, 0, 0, 0, 0, 0.09, 0, 0],
        [0, 0, 0, 0, 0, 0, 0.04, 0],
        [0, 0, 0, 0, 0, 0, 0, 0.09],
      ],
    },
    residual: { model: 'combined', additive: 0.1, proportional: 0.1 },
  };
  const rows: Record<string, number>[] = [];
  const dv = [[6.1, 8.3, 4.0], [9.4, 11.2, 5.9], [5.0, 6.8, 2.7]];
  [0, 1, 2].forEach((o) => {
    const t0 = 24 * o;
    const ind = { OCC: o + 1, O1: o === 0 ? 1 : 0, O2: o === 1 ? 1 : 0, O3: o === 2 ? 1 : 0 };
    rows.push({ TIME: t0, EVID: 1, AMT: 500, CMT: 1, ...ind });
    [1, 4, 12].forEach((dt, k) => rows.push({ TIME: t0 + dt, EVID: 0, DV: (dv[o] as number[])[k] as number, CMT: 2, ...ind }));
  });

  it('κ per occasion (3 occasions) equal the unrolled model\'s η, and the OFV agrees', () => {
    const a = estimate(defineModel(iovModel), records(rows));
    const b = estimate(defineModel(unrolled), records(rows));
    expect(a.converged && b.converged).toBe(true);
    expect(a.occasions).toEqual([1, 2, 3]);
    expect(a.labels).toEqual(['ETA_CL', 'ETA_V', 'K_CL@1', 'K_KA@1', 'K_CL@2', 'K_KA@2', 'K_CL@3', 'K_KA@3']);
    // the same objective evaluated the same way: measured identical (0); 1e-12 leaves room for rounding only
    expect(maxDiff(a.x, b.eta)).toBeLessThan(1e-12);
    expect(Math.abs(a.ofv - b.ofv)).toBeLessThan(1e-12);
    // occasion 2 has the highest concentrations: its κ(CL) is the lowest
    const kcl = a.kappa.map((k) => k[0] as number);
    expect(kcl[1]).toBeLessThan(kcl[0] as number);
    expect(kcl[1]).toBeLessThan(kcl[2] as number);
  });

  it('an occasion without observations keeps κ = 0', () => {
    const withEmpty = [...rows, { TIME: 72, EVID: 1, AMT: 500, CMT: 1, OCC: 4, O1: 0, O2: 0, O3: 0 }];
    const a = estimate(defineModel(iovModel), records(withEmpty));
    expect(a.occasions).toEqual([1, 2, 3, 4]);
    expect(Math.abs(a.kappa[3]![0]!)).toBeLessThan(1e-6);
    expect(Math.abs(a.kappa[3]![1]!)).toBeLessThan(1e-6);
  });
});

describe('exponential error', () => {
  it('DV on the log scale and concentrations with logDv: false give the same estimate', () => {
    const m = oracleModel('exp-error');
    const model = defineModel(m.model);
    const p = m.patients[0]!;
    const logRecs = oracleRecords(p);
    const concRecs = logRecs.map((r) => (r.EVID === 0 ? recordFromItems({ ...r.items, DV: Math.exp(r.DV) }, r.row) : r));
    const a = estimate(model, logRecs);
    const b = estimate(model, concRecs, { logDv: false });
    expect(maxDiff(a.eta, p.eta)).toBeLessThan(2e-8);
    expect(maxDiff(a.eta, b.eta)).toBeLessThan(1e-8);
    // IPRED stays on the concentration scale, IWRES on the log scale
    logRecs.forEach((r, i) => {
      if (r.EVID !== 0) return;
      expect(a.ipred[i]).toBeGreaterThan(0);
      expect(a.iwres[i]).toBeCloseTo((r.DV - Math.log(a.ipred[i] as number)) / 0.2, 10);
    });
  });
});

describe('time-varying covariates', () => {
  const model = defineModel({
    dosewise: 2,
    name: 'tv',
    structure: '1cmt-iv',
    parameters: { CL: '4*(CRCL/100)^0.8*exp(ETA_CL)', V: '40*exp(ETA_V)' },
    omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.1] },
    residual: { model: 'proportional', proportional: 0.1 },
  });
  // renal function falls from 100 to 40 mL/min on day 2
  const rows: Record<string, number>[] = [
    { TIME: 0, EVID: 1, AMT: 1000, RATE: 1000, CRCL: 100 },
    { TIME: 6, EVID: 0, DV: 12.0, CRCL: 100 },
    { TIME: 24, EVID: 1, AMT: 1000, RATE: 1000, CRCL: 40 },
    { TIME: 30, EVID: 0, DV: 26.0, CRCL: 40 },
    { TIME: 47, EVID: 0, DV: 17.5, CRCL: 40 },
  ];

  it('the objective follows the covariate per record (NOCB), matching simulate() at the estimate', () => {
    const recs = records(rows);
    const fit = estimate(model, recs);
    expect(fit.converged).toBe(true);
    const sim = simulate(model, recs.map((r) => recordFromItems({ ...r.items, ETA_CL: fit.eta[0] as number, ETA_V: fit.eta[1] as number }, r.row))).ipred;
    recs.forEach((_, i) => expect(fit.ipred[i]).toBeCloseTo(sim[i] as number, 10));
    // parameters are reported on the last record (CRCL 40: the patient's current CL), and the
    // change is said; the covariate change matters for the estimate
    expect(fit.parameters.CL).toBeCloseTo(4 * 0.4 ** 0.8 * Math.exp(fit.eta[0] as number), 10);
    const w = fit.warnings.find((x) => x.code === 'W_PARAMETERS_CHANGE');
    expect(w?.message).toMatch(/^CL changes over the records \([\d.]+ on row 1, [\d.]+ on row 5: covariates or occasions that change\); the parameters and their SEs are the last record's/);
    const constant = estimate(model, records(rows.map((r) => ({ ...r, CRCL: 100 }))));
    expect(maxDiff(fit.eta, constant.eta)).toBeGreaterThan(0.1);
  });
});

describe('no observations', () => {
  const model = defineModel({
    dosewise: 2,
    name: 'noobs',
    structure: '1cmt-iv',
    parameters: { CL: '4*exp(ETA_CL)', V: '40*exp(ETA_V)' },
    omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.2] },
    residual: { model: 'proportional', proportional: 0.1 },
  });
  it('returns the prior: η = 0 exactly (also with MDV = 1 samples and missing DV), shrinkage 100 %', () => {
    const cohort = [
      records([{ TIME: 0, EVID: 1, AMT: 1000 }]),
      records([{ TIME: 0, EVID: 1, AMT: 500 }, { TIME: 6, EVID: 0, DV: 9, MDV: 1 }]),
      records([{ TIME: 0, EVID: 1, AMT: 500 }, { TIME: 6, EVID: 0, DV: NaN }]),
    ];
    const fits = cohort.map((r) => estimate(model, r));
    for (const f of fits) {
      expect(f.eta).toEqual([0, 0]);
      expect(f.converged).toBe(true);
      expect(f.ofv).toBe(0);
    }
    const sh = shrinkage(model, fits);
    expect(sh.sd).toEqual([1, 1]);
    // one patient: the spread of one η̂ is undefined (it read 0, "shrinkage 100 %")
    expect(() => shrinkage(model, [fits[0]!])).toThrow(/shrinkage needs the estimates of at least 2 patients \(got 1\)/);
    expect(() => shrinkage(model, [])).toThrow(/at least 2 patients \(got 0\)/);
  });
});

describe('invariance', () => {
  const model = defineModel({
    dosewise: 2,
    name: 'inv',
    structure: { kind: 'linear', compartments: 2, depot: false },
    parameters: { CL: '4*exp(ETA_CL)', V: '30*exp(ETA_V1)', Q: 6, V2: '50*exp(ETA_V2)' },
    omega: { etas: ['ETA_CL', 'ETA_V1', 'ETA_V2'], matrix: [[0.1, 0.02, 0], [0.02, 0.1, 0], [0, 0, 0.2]] },
    residual: { model: 'combined', additive: 0.5, proportional: 0.1 },
  });
  const base: Record<string, number>[] = [
    { TIME: 0, EVID: 1, AMT: 1000, RATE: 1000 },
    { TIME: 1.5, EVID: 0, DV: 27.6 },
    { TIME: 11.5, EVID: 0, DV: 3.4 },
    { TIME: 11.5, EVID: 0, DV: 3.9 },
    { TIME: 12, EVID: 1, AMT: 1000, RATE: 1000 },
    { TIME: 25, EVID: 0, DV: 38.5 },
    { TIME: 47.5, EVID: 0, DV: 7.0 },
  ];

  it('to the order of records with equal content (two samples at the same time swapped)', () => {
    const swapped = [...base];
    [swapped[2], swapped[3]] = [swapped[3]!, swapped[2]!];
    const a = estimate(model, records(base));
    const b = estimate(model, records(swapped));
    expect(maxDiff(a.eta, b.eta)).toBeLessThan(1e-9);
    expect(Math.abs(a.ofv - b.ofv)).toBeLessThan(1e-9);
  });

  it('to units given consistently: mg & mg/L, µg with an observation scale of V·1000, µg & µg/L', () => {
    const a = estimate(model, records(base));
    // doses in µg, output scaled to mg/L: the same likelihood
    const scaled = defineModel({ ...(model.file as object), observe: { scale: 'V*1000' } });
    const ug = base.map((r) => (r.EVID === 1 ? { ...r, AMT: r.AMT! * 1000, RATE: r.RATE! * 1000 } : r));
    const b = estimate(scaled, records(ug));
    // doses in µg, DV in µg/L, the additive SD in µg/L: the OFV shifts by n·ln(1000²) only
    const inUg = defineModel({ ...(model.file as object), residual: { model: 'combined', additive: 500, proportional: 0.1 } });
    const ugl = ug.map((r) => (r.EVID === 0 ? { ...r, DV: r.DV! * 1000 } : r));
    const c = estimate(inUg, records(ugl));
    expect(maxDiff(a.eta, b.eta)).toBeLessThan(1e-7);
    expect(maxDiff(a.eta, c.eta)).toBeLessThan(1e-7);
    expect(b.ofv).toBeCloseTo(a.ofv, 7);
    expect(c.ofv - a.ofv).toBeCloseTo(5 * Math.log(1e6), 6);
    expect(c.parameters.CL).toBeCloseTo(a.parameters.CL as number, 6);
  });

  it('to the order of IDs (estimates are per patient)', () => {
    const other = base.map((r) => (r.EVID === 0 ? { ...r, DV: r.DV! * 0.7 } : r));
    const p1 = records(base, 1);
    const p2 = records(other, 2);
    const first = [p1, p2].map((p) => estimate(model, p));
    const second = [p2, p1].map((p) => estimate(model, p)).reverse();
    expect(first.map((f) => f.eta)).toEqual(second.map((f) => f.eta));
  });
});

