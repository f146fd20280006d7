// Numerical stability of the analytic linear solution over the whole valid parameter range:
// CL 1e-6..1e6, volumes 1e-2..1e4, Q over twelve decades, KA ≈ CL/V, infusions of 1e-9..1e5 h,
// SS = 1 with lag, ADDL = 10000. The engine's amounts must equal an independent reference (a
// double-double matrix exponential, test/property/dd-expm.ts) within TOL_PEAK of the case's peak
// amount and never be negative beyond that. The reference itself is checked against mpmath
// (test/oracle/generate_analytic.py → analytic-fixtures.json, 50 digits).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel, type Model } from '../../src/model/model.js';
import { simulate } from '../../src/engine/simulate.js';
import { regimen, type DoseSpec } from '../../src/regimen/builder.js';
import { add, dd, div, eye, matvec, phiGamma, phiOnly, solve, sub, toNumber, type DD, type Mat } from './dd-expm.js';

interface Scenario {
  readonly type: 'bolus' | 'infusion' | 'ss-bolus' | 'ss-infusion' | 'addl';
  readonly cmt: number;
  readonly amt: number;
  readonly rate?: number;
  readonly dur?: number;
  readonly ii?: number;
  readonly lag?: number;
  readonly addl?: number;
}

interface Case {
  readonly ncmt: 1 | 2 | 3;
  readonly depot: boolean;
  readonly CL: number;
  readonly V: number;
  readonly Q: number;
  readonly V2: number;
  readonly Q3: number;
  readonly V3: number;
  readonly KA: number;
  readonly scenario: Scenario;
  readonly times: readonly number[];
  /** two disposition rates within 0.1 %: the engine takes its matrix-exponential path */
  readonly nearEqual?: boolean;
}

/**
 * Tolerance relative to the case's peak amount, a small factor above the worst error measured: 2.0e-12
 * (1.9e-11 before three-compartment systems with an ill-conditioned δ took the exponential: a weakly
 * coupled peripheral 1 % from k10, SS infusion; see analytic-conditioning.test.ts).
 */
const TOL_PEAK = 5e-12;
/**
 * The same on the matrix-exponential path (two disposition rates within 0.1 %): its rounding grows
 * with ‖K·dt‖ (squarings) and, at steady state, with 1/(μ_min·τ); worst measured 4.1e-9 (‖K·dt‖ ≈ 1e7).
 */
const TOL_PEAK_NEAR_EQUAL = 1e-8;

function rateMatrix(c: Case): Mat {
  const n = c.ncmt + (c.depot ? 1 : 0);
  const o = c.depot ? 1 : 0;
  const K: Mat = Array.from({ length: n }, () => new Array<DD>(n).fill(dd(0)));
  const V = dd(c.V);
  const k10 = div(dd(c.CL), V);
  const k12 = c.ncmt >= 2 ? div(dd(c.Q), V) : dd(0);
  const k21 = c.ncmt >= 2 ? div(dd(c.Q), dd(c.V2)) : dd(0);
  const k13 = c.ncmt >= 3 ? div(dd(c.Q3), V) : dd(0);
  const k31 = c.ncmt >= 3 ? div(dd(c.Q3), dd(c.V3)) : dd(0);
  if (c.depot) {
    K[0]![0] = dd(-c.KA);
    K[o]![0] = dd(c.KA);
  }
  K[o]![o] = sub(dd(0), add(add(k10, k12), k13));
  if (c.ncmt >= 2) {
    K[o]![o + 1] = k21;
    K[o + 1]![o] = k12;
    K[o + 1]![o + 1] = sub(dd(0), k21);
  }
  if (c.ncmt >= 3) {
    K[o]![o + 2] = k31;
    K[o + 2]![o] = k13;
    K[o + 2]![o + 2] = sub(dd(0), k31);
  }
  return K;
}

const unit = (n: number, i: number, v: number): DD[] => Array.from({ length: n }, (_, k) => dd(k === i ? v : 0));
const vadd = (a: readonly DD[], b: readonly DD[]): DD[] => a.map((v, i) => add(v, b[i]!));
const iMinus = (m: Mat): Mat => eye(m.length).map((row, i) => row.map((v, j) => sub(v, m[i]![j]!)));

/** Reference amounts at the case's times (same scenario semantics as test/oracle/generate_analytic.py). */
function reference(c: Case): number[][] {
  const K = rateMatrix(c);
  const n = K.length;
  const s = c.scenario;
  const e = unit(n, s.cmt - 1, s.type === 'infusion' || s.type === 'ss-infusion' ? s.rate! : s.amt);
  const at = (t: number, x: readonly DD[]): DD[] => matvec(phiOnly(K, t), x);
  if (s.type === 'bolus') return c.times.map((t) => at(t, e).map(toNumber));
  if (s.type === 'infusion') {
    const D = s.dur!;
    const end = matvec(phiGamma(K, D).gam, e);
    return c.times.map((t) => (t <= D ? matvec(phiGamma(K, t).gam, e) : at(t - D, end)).map(toNumber));
  }
  const tau = s.ii!;
  const lhs = iMinus(phiOnly(K, tau));
  if (s.type === 'ss-bolus') {
    const L = s.lag!;
    const P = solve(lhs, e);
    return c.times.map((t) => at(t < L ? t - L + tau : t - L, P).map(toNumber));
  }
  if (s.type === 'ss-infusion') {
    const D = s.dur!;
    const inD = phiGamma(K, D);
    const x0 = solve(lhs, at(tau - D, matvec(inD.gam, e)));
    const end = vadd(matvec(inD.phi, x0), matvec(inD.gam, e));
    return c.times.map((t) => {
      if (t > D) return at(t - D, end).map(toNumber);
      const pg = phiGamma(K, t);
      return vadd(matvec(pg.phi, x0), matvec(pg.gam, e)).map(toNumber);
    });
  }
  return c.times.map((t) => {
    const m = Math.floor(t / tau);
    return at(t - m * tau, solve(lhs, matvec(iMinus(phiOnly(K, (m + 1) * tau)), e))).map(toNumber);
  });
}

function modelOf(c: Case): Model {
  const parameters: Record<string, number> = { CL: c.CL, V: c.V };
  if (c.ncmt >= 2) Object.assign(parameters, { Q: c.Q, V2: c.V2 });
  if (c.ncmt >= 3) Object.assign(parameters, { Q3: c.Q3, V3: c.V3 });
  if (c.depot) parameters.KA = c.KA;
  const lag = c.scenario.lag ?? 0;
  const compartments: Record<string, { lag: number }> = {};
  if (lag > 0) compartments[String(c.scenario.cmt)] = { lag };
  return defineModel({
    dosewise: 1,
    name: 'stability',
    structure: { kind: 'linear', compartments: c.ncmt, depot: c.depot },
    parameters,
    compartments,
    solver: { method: 'analytic' },
  });
}

/** Engine amounts at the case's times (rows of nStates). */
function engine(c: Case): number[][] {
  const s = c.scenario;
  let dose: DoseSpec = { time: 0, amt: s.amt, cmt: s.cmt };
  if (s.dur !== undefined) dose = { ...dose, rate: s.rate };
  if (s.type === 'ss-bolus' || s.type === 'ss-infusion') dose = { ...dose, ss: 1, ii: s.ii };
  if (s.type === 'addl') dose = { ...dose, addl: s.addl, ii: s.ii };
  const recs = regimen().dose(dose).observe({ times: c.times }).records();
  const sim = simulate(modelOf(c), recs, { method: 'analytic' });
  const n = c.ncmt + (c.depot ? 1 : 0);
  const rows: number[][] = [];
  recs.forEach((r, k) => {
    if (r.EVID === 0) rows.push(Array.from(sim.amounts!.subarray(k * n, (k + 1) * n)));
  });
  return rows;
}

/** Largest |engine − reference| over the case, relative to its peak amount; and the most negative amount (same scale). */
function compare(got: readonly (readonly number[])[], want: readonly (readonly number[])[]): { err: number; neg: number } {
  // everything may underflow to 0 (elimination in nanoseconds): then the engine must give 0 too
  let peak = Number.MIN_VALUE;
  for (const row of want) for (const v of row) peak = Math.max(peak, Math.abs(v));
  let err = 0;
  let neg = 0;
  got.forEach((row, k) =>
    row.forEach((v, i) => {
      err = Math.max(err, Math.abs(v - want[k]![i]!) / peak);
      neg = Math.max(neg, -v / peak);
    }),
  );
  return { err, neg };
}

// ---------------------------------------------------------------------------------------------
// random extreme cases (seeded)
// ---------------------------------------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomCase(rnd: () => number, k: number): Case {
  const logU = (lo: number, hi: number): number => 10 ** (lo + (hi - lo) * rnd());
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const ncmt = pick([1, 2, 3] as const);
  const depot = rnd() < 0.5;
  const CL = logU(-6, 6), V = logU(-2, 4);
  const base = { ncmt, depot, CL, V, Q: logU(-6, 6), V2: logU(-2, 4), Q3: logU(-6, 6), V3: logU(-2, 4) };
  let nearEqual = false;
  if (ncmt >= 2 && rnd() < 0.2) {
    // a weakly coupled peripheral whose own rate Q/V2 matches CL/V: two disposition rates nearly equal
    base.Q = (CL / V) * base.V2 * pick([1e-3, 1e-6, 1e-9]);
    const gap = pick([0, 1e-8, 1e-4, 1e-2]);
    base.V2 = base.Q / ((CL / V) * (1 + gap));
    nearEqual = gap < 1e-3;
  }
  const KA = rnd() < 0.5 ? (CL / V) * (1 + pick([0, 1e-9, -1e-6, 1e-3])) : logU(-4, 3);
  const ns = ncmt + (depot ? 1 : 0);
  const cmt = depot && rnd() < 0.7 ? 1 : 1 + Math.floor(rnd() * ns);
  const type = (['bolus', 'infusion', 'ss-bolus', 'ss-infusion', 'addl'] as const)[k % 5]!;
  let scenario: Scenario;
  let times: number[];
  if (type === 'bolus') {
    scenario = { type, cmt, amt: 100 };
    times = [0.25, 4, 24, 1000];
  } else if (type === 'infusion') {
    const dur = logU(-9, 5);
    scenario = { type, cmt, amt: 100, rate: 100 / dur, dur };
    times = [...new Set([dur * 0.5, dur, dur * 1.5 + 0.5, dur + 24])].sort((a, b) => a - b);
  } else if (type === 'ss-bolus') {
    const ii = pick([6, 12, 24]);
    const lag = pick([0, 0.5, 2]);
    scenario = { type, cmt, amt: 100, ii, lag };
    times = [0.25, lag + 0.25, ii * 0.5, ii - 0.25];
  } else if (type === 'ss-infusion') {
    const ii = pick([8, 12, 24]);
    const dur = pick([0.5, 1, 2]);
    scenario = { type, cmt, amt: 100, rate: 100 / dur, dur, ii };
    times = [dur * 0.5, dur, ii * 0.5, ii - 0.25];
  } else {
    const ii = pick([12, 24]);
    scenario = { type, cmt, amt: 100, ii, addl: 10000 };
    times = [1, ii * 500 + 3, ii * 10000 + 6];
  }
  return { ...base, KA, scenario, times, nearEqual };
}

interface Fixture extends Case {
  readonly amounts: number[][];
}
const FIX = JSON.parse(readFileSync(new URL('../oracle/analytic-fixtures.json', import.meta.url), 'utf8')) as { cases: Fixture[] };

describe('analytic linear solution at extreme parameters', () => {
  it('the double-double reference matches mpmath (50 digits) on the fixture cases', () => {
    let worst = 0;
    for (const c of FIX.cases) worst = Math.max(worst, compare(reference(c), c.amounts).err);
    expect(worst).toBeLessThan(1e-19); // measured 4.3e-21
  });

  it('the engine matches mpmath on the fixture cases, with no negative amounts', () => {
    let worst = 0;
    let neg = 0;
    for (const c of FIX.cases) {
      const r = compare(engine(c), c.amounts);
      worst = Math.max(worst, r.err);
      neg = Math.max(neg, r.neg);
    }
    expect(worst).toBeLessThan(1e-12); // measured 1.8e-13
    expect(neg).toBe(0);
  });

  it('3-cmt oral with Q ≫ CL and KA ≈ CL/V: positive concentrations equal to mpmath (and Rosenbrock)', () => {
    const c = FIX.cases[0]!;
    const model = modelOf(c);
    const recs = regimen().dose({ time: 0, amt: 100, cmt: 1 }).observe({ times: [4, 8, 24] }).records();
    const want = [0.000265106264436789, 0.000528565495845013, 0.00157030982194599]; // mpmath, C = A2/V
    for (const method of ['analytic', 'rosenbrock'] as const) {
      const got = simulate(model, recs, { method }).ipred.filter((_, k) => recs[k]!.EVID === 0);
      got.forEach((v, k) => expect(Math.abs(v - want[k]!)).toBeLessThan((method === 'analytic' ? 1e-13 : 1e-6) * want[k]!));
    }
  });

  it('seeded fuzz: 300 extreme cases agree with the double-double reference, none negative', () => {
    const rnd = mulberry32(20261202);
    const worst = { spectral: 0, nearEqual: 0 };
    let neg = 0;
    let worstCase: Case | undefined;
    for (let k = 0; k < 300; k++) {
      const c = randomCase(rnd, k);
      const r = compare(engine(c), reference(c));
      const path = c.nearEqual ? 'nearEqual' : 'spectral';
      if (r.err > worst[path]) {
        worst[path] = r.err;
        if (path === 'spectral') worstCase = c;
      }
      neg = Math.max(neg, r.neg);
    }
    expect(worst.spectral, JSON.stringify(worstCase)).toBeLessThan(TOL_PEAK);
    expect(worst.nearEqual).toBeLessThan(TOL_PEAK_NEAR_EQUAL);
    expect(neg).toBe(0);
  });
});
