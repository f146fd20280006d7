// Unit tests of the MAP layer: log Φ, the optimizer, and the objective checked against an
// independent computation through simulate() (η and κ passed as data items).

import { describe, expect, it } from 'vitest';
import { defineModel, type Model } from '../../../src/model/model.js';
import { recordFromItems } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { simulate } from '../../../src/engine/simulate.js';
import { logNormalCdf } from '../../../src/stats/normal.js';
import { bfgs, centralDifferences, finiteDifferenceHessian, minimize } from '../../../src/bayes/optimize.js';
import { mapObjective } from '../../../src/bayes/objective.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { DosewiseError } from '../../../src/errors.js';

const records = (rows: Record<string, number>[]): DataRecord[] => rows.map((r, i) => recordFromItems({ ID: 1, ...r }, i + 1));

/** OFV by hand: simulate() with η/κ as data items, then the residual model. */
function referenceOfv(model: Model, recs: readonly DataRecord[], effects: (r: DataRecord) => Record<string, number>, prior: number): number {
  const withEffects = recs.map((r) => recordFromItems({ ...r.items, ...effects(r) }, r.row));
  const { ipred } = simulate(model, withEffects);
  const res = model.residual as NonNullable<Model['residual']>;
  let s = prior;
  recs.forEach((r, i) => {
    if (r.EVID !== 0 || r.MDV !== 0) return;
    const f = ipred[i] as number;
    const V = res.model === 'proportional' ? (res.proportional * f) ** 2 : res.additive ** 2 + (res.proportional * f) ** 2;
    s += (r.DV - f) ** 2 / V + Math.log(V);
  });
  return s;
}

describe('logNormalCdf', () => {
  // scipy 1.17 norm.logcdf
  const cases: [number, number][] = [
    [-40, -804.6084420137539],
    [-38.4, -741.8476730152483],
    [-20, -203.9171553710973],
    [-10, -53.23128515051248],
    [-5.7, -18.933112423224742],
    [-5.6, -18.351379495909335],
    [-3, -6.60772622151035],
    [-1, -1.8410216450092634],
    [-0.5, -1.1759117615936188],
    [0, -0.6931471805599453],
    [0.3, -0.4814101615884813],
    [0.7, -0.2770239422771313],
    [2, -0.023012909328963476],
    [5, -2.8665161296376294e-7],
    [9, -1.1285884059538324e-19],
  ];
  it('matches scipy to ~1e-14 relative, far into the lower tail', () => {
    for (const [x, want] of cases) expect(Math.abs(logNormalCdf(x) - want) / Math.abs(want), `x = ${x}`).toBeLessThan(1e-13);
    expect(logNormalCdf(-Infinity)).toBe(-Infinity);
    expect(logNormalCdf(Infinity)).toBe(0);
  });
});

describe('optimizer', () => {
  const rosen = (xs: Float64Array, n: number, out: Float64Array): void => {
    for (let k = 0; k < n; k++) {
      const x = xs[2 * k] as number;
      const y = xs[2 * k + 1] as number;
      out[k] = 100 * (y - x * x) ** 2 + (1 - x) ** 2;
    }
  };
  it('BFGS with strong-Wolfe line search minimises Rosenbrock from (−1.2, 1)', () => {
    const r = minimize(rosen, [-1.2, 1], { steps: [1e-7, 1e-7], gtol: 1e-7 });
    expect(r.converged).toBe(true);
    expect(Math.abs((r.x[0] as number) - 1)).toBeLessThan(1e-6);
    expect(Math.abs((r.x[1] as number) - 1)).toBeLessThan(1e-6);
  });
  it('is deterministic', () => {
    const a = minimize(rosen, [-1.2, 1]);
    const b = minimize(rosen, [-1.2, 1]);
    expect([...a.x]).toEqual([...b.x]);
    expect(a.evaluations).toBe(b.evaluations);
  });
  it('restarts from prior quantile points when the start is invalid, keeping the best', () => {
    // f is +∞ on x < 0.5 (start 0 is invalid); minimum at x = 2
    const f = (xs: Float64Array, n: number, out: Float64Array): void => {
      for (let k = 0; k < n; k++) out[k] = (xs[k] as number) < 0.5 ? Infinity : ((xs[k] as number) - 2) ** 2;
    };
    const r = minimize(f, [0], { sd: [1] });
    expect(r.starts).toBe(3);
    expect(r.converged).toBe(true);
    expect(Math.abs((r.x[0] as number) - 2)).toBeLessThan(1e-6);
  });
  it('finite-difference Hessian of a quadratic is exact', () => {
    const A = [4, 1, 1, 3];
    const q = (xs: Float64Array, n: number, out: Float64Array): void => {
      for (let k = 0; k < n; k++) {
        const x = xs[2 * k] as number;
        const y = xs[2 * k + 1] as number;
        out[k] = 0.5 * (A[0]! * x * x + 2 * A[1]! * x * y + A[3]! * y * y) + x;
      }
    };
    const H = finiteDifferenceHessian(q, [0.3, -0.2], [1e-3, 1e-3]);
    [...H].forEach((h, i) => expect(h).toBeCloseTo(A[i]!, 6));
    const fg = centralDifferences(q, 2, [1e-6, 1e-6]);
    const r = bfgs(fg, [5, 5]);
    expect(r.converged).toBe(true);
  });
});

const oneCmt = {
  dosewise: 2,
  name: 'test 1-cmt oral',
  structure: { kind: 'linear', compartments: 1, depot: true },
  parameters: { CL: '4*exp(ETA1 + KCL)', V: '70*exp(ETA2)', KA: '1*exp(ETA3)' },
  omega: { etas: ['ETA1', 'ETA2', 'ETA3'], matrix: [[0.2, 0.05, 0], [0.05, 0.1, 0], [0, 0, 0]] },
  iov: { etas: ['KCL'], diagonal: [0.04], occasion: 'OCC' },
  residual: { model: 'combined', additive: 0.5, proportional: 0.15 },
};

const twoOccasions = (): DataRecord[] =>
  records([
    { TIME: 0, EVID: 1, AMT: 1000, CMT: 1, OCC: 1 },
    { TIME: 2, EVID: 0, DV: 9.1, CMT: 2, OCC: 1 },
    { TIME: 8, EVID: 0, DV: 6.2, CMT: 2, OCC: 1 },
    { TIME: 24, EVID: 1, AMT: 1000, CMT: 1, OCC: 2 },
    { TIME: 26, EVID: 0, DV: 12.5, CMT: 2, OCC: 2 },
    { TIME: 40, EVID: 0, DV: 5.0, CMT: 2, OCC: 2 },
  ]);

describe('MAP objective', () => {
  it('equals the hand computation (full Ω block, a fixed η, IOV κ per occasion)', () => {
    const model = defineModel(oneCmt);
    const recs = twoOccasions();
    const obj = mapObjective(model, recs);
    // ETA3 has zero variance: fixed, not estimated; κ per occasion estimated
    expect(obj.labels).toEqual(['ETA1', 'ETA2', 'KCL@1', 'KCL@2']);
    const x = [0.3, -0.1, 0.15, -0.2];
    // prior: [η1 η2] Ω⁻¹ [η1 η2]ᵀ + Σ κ²/0.04
    const det = 0.2 * 0.1 - 0.05 * 0.05;
    const prior = (0.1 * 0.3 * 0.3 - 2 * 0.05 * 0.3 * -0.1 + 0.2 * 0.01) / det + (0.15 ** 2 + 0.2 ** 2) / 0.04;
    const want = referenceOfv(model, recs, (r) => ({ ETA1: 0.3, ETA2: -0.1, ETA3: 0, KCL: r.items.OCC === 1 ? 0.15 : -0.2 }), prior);
    expect(obj.ofv(x)).toBeCloseTo(want, 9);
    const fit = estimate(model, recs);
    expect(fit.converged).toBe(true);
    expect(fit.eta[2]).toBe(0);
    expect(fit.kappa.length).toBe(2);
    expect(fit.occasions).toEqual([1, 2]);
    // a minimum: every coordinate perturbation raises the objective
    for (let i = 0; i < 4; i++)
      for (const d of [1e-3, -1e-3]) {
        const xp = [...fit.x];
        xp[i] = (xp[i] as number) + d;
        expect(obj.ofv(xp)).toBeGreaterThan(fit.ofv);
      }
  });

  it('lag time with IIV recompiles the event table per point and matches the hand computation', () => {
    const model = defineModel({
      dosewise: 2,
      name: 'lag',
      structure: { kind: 'linear', compartments: 1, depot: true },
      parameters: { CL: '4*exp(ETA1)', V: 70, KA: 1, TLAG: '0.5*exp(ETA2)' },
      compartments: { '1': { lag: 'TLAG' } },
      omega: { etas: ['ETA1', 'ETA2'], diagonal: [0.2, 0.3] },
      residual: { model: 'proportional', proportional: 0.2 },
    });
    const recs = records([
      { TIME: 0, EVID: 1, AMT: 1000, CMT: 1 },
      { TIME: 0.75, EVID: 0, DV: 3.2, CMT: 2 },
      { TIME: 4, EVID: 0, DV: 9.5, CMT: 2 },
    ]);
    const obj = mapObjective(model, recs);
    const x = [0.1, 0.4];
    const want = referenceOfv(model, recs, () => ({ ETA1: 0.1, ETA2: 0.4 }), 0.01 / 0.2 + 0.16 / 0.3);
    expect(obj.ofv(x)).toBeCloseTo(want, 9);
    expect(estimate(model, recs).converged).toBe(true);
  });

  it('a data item named like a parameter overrides it, as in simulate()', () => {
    const model = defineModel({
      dosewise: 2,
      name: 'override',
      structure: '1cmt-iv',
      parameters: { CL: '4*exp(ETA1)', V: '30*exp(ETA2)' },
      omega: { etas: ['ETA1', 'ETA2'], diagonal: [0.2, 0.2] },
      residual: { model: 'proportional', proportional: 0.1 },
    });
    const recs = records([
      { TIME: 0, EVID: 1, AMT: 500, V: 25 },
      { TIME: 2, EVID: 0, DV: 15, V: 25 },
      { TIME: 6, EVID: 0, DV: 9, V: 25 },
    ]);
    const obj = mapObjective(model, recs);
    // ETA2 only V reads, and the records give V: no level informs it, so it is not estimated (as with
    // overrides: { V: 25 }; W_ETA_NOT_ESTIMATED), its prior term 0.09/0.2 no longer in the OFV
    expect(obj.labels).toEqual(['ETA1']);
    const want = referenceOfv(model, recs, () => ({ ETA1: 0.2, ETA2: 0 }), 0.04 / 0.2);
    expect(obj.ofv([0.2])).toBeCloseTo(want, 9);
    // a value for a random effect would be overwritten by the estimate: refused, naming it
    expect(() => mapObjective(model, recs, { overrides: { ETA1: 0.5 } })).toThrow('a value for ETA1: ETA1 is a random effect, which MAP estimates');
  });

  it('BLQ (M3): −2 ln Φ((LLOQ − f)/√Var) replaces the normal term; LLOQ from the LLOQ column or DV', () => {
    const model = defineModel({
      dosewise: 2,
      name: 'blq',
      structure: '1cmt-iv',
      parameters: { CL: '4*exp(ETA1)', V: 30 },
      omega: { etas: ['ETA1'], diagonal: [0.2] },
      residual: { model: 'additive', additive: 0.5 },
    });
    const base = [{ TIME: 0, EVID: 1, AMT: 100 }];
    const withCol = mapObjective(model, records([...base, { TIME: 24, EVID: 0, DV: -99, BLQ: 1, LLOQ: 0.2 }]));
    const withDv = mapObjective(model, records([...base, { TIME: 24, EVID: 0, DV: 0.2, BLQ: 1 }]));
    const f = (100 / 30) * Math.exp((-4 / 30) * 24);
    const want = -2 * logNormalCdf((0.2 - f) / 0.5);
    expect(withCol.ofv([0])).toBeCloseTo(want, 12);
    expect(withDv.ofv([0])).toBeCloseTo(want, 12);
    expect(withCol.blq[0]).toBe(1);
    // ignored when asked: then it is an ordinary observation at DV
    const plain = mapObjective(model, records([...base, { TIME: 24, EVID: 0, DV: 0.2, BLQ: 1 }]), { blq: false });
    expect(plain.ofv([0])).toBeCloseTo((0.2 - f) ** 2 / 0.25 + Math.log(0.25), 12);
  });

  it('exponential error: log-scale DV, or concentration DV with logDv: false', () => {
    const model = defineModel({
      dosewise: 2,
      name: 'log',
      structure: '1cmt-iv',
      parameters: { CL: '4*exp(ETA1)', V: 30 },
      omega: { etas: ['ETA1'], diagonal: [0.2] },
      residual: { model: 'exponential', exponential: 0.2 },
    });
    const f = (100 / 30) * Math.exp((-4 / 30) * 6);
    const a = mapObjective(model, records([{ TIME: 0, EVID: 1, AMT: 100 }, { TIME: 6, EVID: 0, DV: Math.log(1.5) }]));
    const b = mapObjective(model, records([{ TIME: 0, EVID: 1, AMT: 100 }, { TIME: 6, EVID: 0, DV: 1.5 }]), { logDv: false });
    const want = (Math.log(1.5) - Math.log(f)) ** 2 / 0.04 + Math.log(0.04);
    expect(a.ofv([0])).toBeCloseTo(want, 12);
    expect(b.ofv([0])).toBeCloseTo(want, 12);
  });

  it('refuses several IDs', () => {
    const model = defineModel(oneCmt);
    const two = [...twoOccasions(), recordFromItems({ ID: 2, TIME: 0, EVID: 0, DV: 1, OCC: 1 }, 7)];
    expect(() => mapObjective(model, two)).toThrow(DosewiseError);
  });

  it('an observation in another compartment reads A(n)/S<n>, S = 1 without the parameter (NONMEM)', () => {
    const depotObs = records([
      { TIME: 0, EVID: 1, AMT: 1000, CMT: 1, OCC: 1 },
      { TIME: 2, EVID: 0, DV: 9.1, CMT: 1, OCC: 1 },
      { TIME: 3, EVID: 0, DV: 6.4, CMT: 2, OCC: 1 },
    ]);
    const x = [0.3, -0.1, 0.15];
    const a1 = 1000 * Math.exp(-2); // KA = 1 (ETA3 fixed at 0)
    const det = 0.2 * 0.1 - 0.05 * 0.05;
    const prior = (0.1 * 0.3 * 0.3 - 2 * 0.05 * 0.3 * -0.1 + 0.2 * 0.01) / det + 0.15 ** 2 / 0.04;
    const effects = (): Record<string, number> => ({ ETA1: 0.3, ETA2: -0.1, ETA3: 0, KCL: 0.15 });
    // no S1: the amount itself
    const plain = defineModel(oneCmt);
    const o0 = mapObjective(plain, depotObs);
    expect(o0.predict(x).ipred[1]).toBeCloseTo(a1, 9);
    expect(o0.ofv(x)).toBeCloseTo(referenceOfv(plain, depotObs, effects, prior), 9);
    // a constant S1 (one shared event table) and an S1 depending on η (a table per point)
    for (const [S1, s] of [['4', 4], ['2*exp(ETA2)', 2 * Math.exp(-0.1)]] as const) {
      const model = defineModel({ ...oneCmt, parameters: { ...oneCmt.parameters, S1 } });
      const o = mapObjective(model, depotObs);
      const p = o.predict(x);
      expect(p.ipred[1]).toBeCloseTo(a1 / s, 9);
      expect(p.ipred[2]).toBeCloseTo(o0.predict(x).ipred[2] as number, 12);
      expect(o.ofv(x)).toBeCloseTo(referenceOfv(model, depotObs, effects, prior), 9);
      const batch = new Float64Array(2);
      o.ofvBatch(Float64Array.from([...x, 0, 0, 0]), 2, batch);
      expect(batch[0]).toBeCloseTo(o.ofv(x), 12);
      expect(batch[1]).toBeCloseTo(o.ofv([0, 0, 0]), 12);
    }
  });
});

describe('estimate', () => {
  it('a patient without observations keeps η = 0 and the prior covariance', () => {
    const model = defineModel(oneCmt);
    const fit = estimate(model, records([{ TIME: 0, EVID: 1, AMT: 1000, CMT: 1, OCC: 1 }, { TIME: 2, EVID: 2, OCC: 1 }]));
    expect(fit.eta).toEqual([0, 0, 0]);
    expect(fit.kappa).toEqual([[0]]);
    expect(fit.converged).toBe(true);
    const C = fit.covariance as number[][];
    expect(C[0]![0]).toBeCloseTo(0.2, 5);
    expect(C[0]![1]).toBeCloseTo(0.05, 5);
    expect(C[1]![1]).toBeCloseTo(0.1, 5);
    expect([...fit.ipred]).toEqual([...fit.pred]);
  });

  it('returns pred at η = 0, ipred and iwres at the estimate', () => {
    const model = defineModel(oneCmt);
    const recs = twoOccasions();
    const fit = estimate(model, recs);
    const pop = simulate(model, recs.map((r) => recordFromItems({ ...r.items, ETA1: 0, ETA2: 0, ETA3: 0, KCL: 0 }, r.row))).ipred;
    [...fit.pred].forEach((p, i) => expect(p).toBeCloseTo(pop[i] as number, 12));
    recs.forEach((r, i) => {
      if (r.EVID === 0) {
        const f = fit.ipred[i] as number;
        const sd = Math.sqrt(0.25 + (0.15 * f) ** 2);
        expect(fit.iwres[i]).toBeCloseTo((r.DV - f) / sd, 10);
      } else expect(Number.isNaN(fit.iwres[i])).toBe(true);
    });
    expect(Object.keys(fit.se as object).sort()).toEqual(['CL', 'KA', 'V']);
    expect(fit.se?.KA).toBe(0); // KA's η is fixed
  });
});
