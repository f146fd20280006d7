// Unit tests of the AssemblyScript ODE kernels (assembly/ode/**) and model right-hand sides
// (assembly/models/**) through the stand-alone test entry assembly/testing.ts.
// Every expectation is checked against an independent reference: closed forms, finite
// differences of rhs, conservation laws, or the SciPy fixtures in test/oracle/.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { descriptor as claret } from '../../src/model/builtins/claret.js';
import { Kind, MAX_STATES, Method, ObsMode, P, PAR_STRIDE, PClaret, PEffect, PMm, PTmdd, PTmddQss, Status } from '../../src/abi.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// DOSEWISE_TEST_WASM points the suite at another build (e.g. a --debug one with assertions)
const WASM = process.env.DOSEWISE_TEST_WASM ?? join(ROOT, 'build/testing.wasm');
/** The integrators under test (Method.Analytic is the closed form, not an odeSegment method). */
const ODE_METHODS = { Dopri5: Method.Dopri5, Rosenbrock: Method.Rosenbrock, Dop853: Method.Dop853 } as const;


interface Exports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  reset(): void;
  /** Forgets that the current subject showed itself stiff or stability-bound (the driver does it per subject). */
  resetStiffness(): void;
  /** 0: the production rule (Rodas5P for the built-in autonomous kinds at rtol <= 1e-8, else RODAS4), 4: RODAS4, 5: Rodas5P. */
  setStiffChoice(c: number): void;
  /** Taylor method: p > 0 fixes its order (0 the rule from rtol); `whole` takes the whole segment as one step. */
  setTaylorOrder(p: number, whole: boolean): void;
  odeSegment(
    method: number, kind: number, ncmt: number, depot: number, y: number, t0: number, t1: number,
    p: number, rate: number, obsT: number, nObs: number, obsY: number, rtol: number, atol: number,
    hState: number,
  ): number;
  odeStat(which: number): number;
  odeFixed(method: number, kind: number, ncmt: number, depot: number, y: number, t0: number, t1: number, nSteps: number, p: number, rate: number): number;
  nStates(kind: number, ncmt: number, depot: number): number;
  rhs(kind: number, ncmt: number, depot: number, t: number, y: number, p: number, rate: number, dy: number): void;
  jac(kind: number, ncmt: number, depot: number, t: number, y: number, p: number, J: number): void;
  initState(kind: number, ncmt: number, depot: number, p: number, y: number): void;
  observe(kind: number, ncmt: number, depot: number, y: number, p: number): number;
}

let w: Exports;

/** Latest modification time of the sources build/testing.wasm is compiled from. */
function newestSource(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = 0;
  for (const e of readdirSync(path)) t = Math.max(t, newestSource(join(path, e)));
  return t;
}
const SOURCES = ['assembly/ode', 'assembly/models', 'assembly/testing.ts', 'assembly/abi.ts', 'assembly/abi.generated.ts'];

beforeAll(async () => {
  // build when missing or older than the kernel sources, so a stale binary is never tested
  const stale =
    !process.env.DOSEWISE_TEST_WASM &&
    (!existsSync(WASM) || statSync(WASM).mtimeMs < Math.max(...SOURCES.map((f) => newestSource(join(ROOT, f)))));
  if (stale) {
    execFileSync(
      join(ROOT, 'node_modules/.bin/asc'),
      ['assembly/testing.ts', '-o', 'build/testing.wasm', '--runtime', 'stub', '-O3', '--noAssert'],
      { cwd: ROOT, stdio: 'inherit' },
    );
  }
  const { instance } = await WebAssembly.instantiate(readFileSync(WASM), {
    env: {
      abort() {
        throw new Error('abort');
      },
    },
  });
  w = instance.exports as unknown as Exports;
}, 120_000);

// ---------------------------------------------------------------------------------------
// host-side helpers
// ---------------------------------------------------------------------------------------

const f64 = () => new Float64Array(w.memory.buffer);
/** Checked element access (the project compiles with noUncheckedIndexedAccess). */
function at<T>(a: ArrayLike<T>, i: number): T {
  const v = a[i];
  if (v === undefined) throw new RangeError(`index ${i} out of range (length ${a.length})`);
  return v;
}
function put(ptr: number, vals: ArrayLike<number>): void {
  f64().set(vals, ptr >> 3);
}
function get(ptr: number, n: number): number[] {
  return Array.from(f64().subarray(ptr >> 3, (ptr >> 3) + n));
}
function buf(vals: ArrayLike<number> | number): number {
  const n = typeof vals === 'number' ? vals : vals.length;
  const ptr = w.alloc(Math.max(n, 1) * 8);
  if (typeof vals !== 'number') put(ptr, vals);
  else f64().fill(0, ptr >> 3, (ptr >> 3) + n);
  return ptr;
}
function params(entries: Record<number, number>): number[] {
  const p = new Array<number>(PAR_STRIDE).fill(0);
  p[P.scale] = 1;
  for (const [k, v] of Object.entries(entries)) p[Number(k)] = v;
  return p;
}

interface Run {
  status: number;
  y: number[]; // final state
  obs: number[][]; // state per observation time
  h: number; // warm-start proposal written back
  accepted: number;
  rejected: number;
  fev: number;
  jac: number;
}

interface RunOpts {
  method: number;
  kind: number;
  ncmt: number;
  depot: number;
  y0: number[];
  t0: number;
  t1: number;
  p: number[];
  rate?: number[];
  obsT?: number[];
  rtol: number;
  atol: number;
  h0?: number;
}

function run(o: RunOpts): Run {
  w.reset();
  const n = w.nStates(o.kind, o.ncmt, o.depot);
  const obsT = o.obsT ?? [];
  const y = buf(o.y0);
  const p = buf(o.p);
  const rate = o.rate ? buf(o.rate) : 0;
  const ot = buf(obsT);
  const oy = buf(Math.max(1, obsT.length * n));
  const hs = buf([o.h0 ?? 0]);
  const status = w.odeSegment(
    o.method, o.kind, o.ncmt, o.depot, y, o.t0, o.t1, p, rate, ot, obsT.length, oy, o.rtol, o.atol, hs,
  );
  const flat = get(oy, obsT.length * n);
  return {
    status,
    y: get(y, n),
    obs: obsT.map((_, k) => flat.slice(k * n, (k + 1) * n)),
    h: at(get(hs, 1), 0),
    accepted: w.odeStat(0),
    rejected: w.odeStat(1),
    fev: w.odeStat(2),
    jac: w.odeStat(3),
  };
}

const relErr = (a: number, b: number, floor = 0) => Math.abs(a - b) / Math.max(Math.abs(b), floor);
const grid = (a: number, b: number, step: number) => {
  const out: number[] = [];
  for (let t = a; t <= b + 1e-12; t += step) out.push(Math.round(t * 1e9) / 1e9);
  return out;
};

// ---------------------------------------------------------------------------------------
// closed-form references
// ---------------------------------------------------------------------------------------

/**
 * Two-compartment IV model with constant infusion u into the central compartment:
 * y(t) = yss + e^{Kt}(y0 - yss), yss = -K^{-1}[u, 0], with e^{Kt} from the two real
 * eigenvalues (Sylvester's formula), no matrix exponential routine involved.
 */
function twoCmtInfusion(k10: number, k12: number, k21: number, u: number, y0: readonly [number, number], t: number): [number, number] {
  // K = [[k11, k21], [k12, k22]]
  const k11 = -(k10 + k12);
  const k22 = -k21;
  const tr = k11 + k22;
  const det = k11 * k22 - k21 * k12;
  const disc = Math.sqrt(tr * tr - 4 * det);
  const a = 0.5 * (tr + disc); // the two negative eigenvalues
  const b = 0.5 * (tr - disc);
  // yss: K yss = -[u, 0] -> row 2 gives yp = k12/k21 yc, the sum of rows -k10 yc = -u
  const yc = u / k10;
  const yp = (k12 / k21) * yc;
  const d0 = y0[0] - yc;
  const d1 = y0[1] - yp;
  const ea = Math.exp(a * t);
  const eb = Math.exp(b * t);
  // e^{Kt} = [(K - bI) e^{at} - (K - aI) e^{bt}] / (a - b)
  const e = (kij: number, diag: boolean) => ((kij - (diag ? b : 0)) * ea - (kij - (diag ? a : 0)) * eb) / (a - b);
  return [yc + e(k11, true) * d0 + e(k21, false) * d1, yp + e(k12, false) * d0 + e(k22, true) * d1];
}

const CLARET = claret.defaults as Readonly<Record<'BASE' | 'KG' | 'KS0' | 'GAMMA' | 'DOSE', number>>;
function claretExact(t: number) {
  const { BASE, KG, KS0, GAMMA, DOSE } = CLARET;
  return BASE * Math.exp(KG * t - ((KS0 * Math.log(DOSE)) / GAMMA) * (1 - Math.exp(-GAMMA * t)));
}
const claretP = () =>
  params({ [PClaret.BASE]: CLARET.BASE, [PClaret.KG]: CLARET.KG, [PClaret.KS0]: CLARET.KS0, [PClaret.GAMMA]: CLARET.GAMMA, [PClaret.DOSE]: CLARET.DOSE });

// ---------------------------------------------------------------------------------------

describe('model layout', () => {
  it('nStates follows the fixed state order and rejects invalid layouts', () => {
    expect(w.nStates(Kind.Linear, 1, 0)).toBe(1);
    expect(w.nStates(Kind.Linear, 3, 1)).toBe(4);
    expect(w.nStates(Kind.Linear, 4, 0)).toBe(0);
    expect(w.nStates(Kind.Linear, 1, 2)).toBe(0);
    expect(w.nStates(Kind.MichaelisMenten, 1, 1)).toBe(2);
    expect(w.nStates(Kind.MichaelisMenten, 2, 0)).toBe(0);
    expect(w.nStates(Kind.Tmdd, 1, 1)).toBe(4);
    expect(w.nStates(Kind.TmddQss, 1, 0)).toBe(2);
    expect(w.nStates(Kind.Effect, 3, 1)).toBe(5);
    expect(w.nStates(Kind.Effect, 3, 1)).toBeLessThanOrEqual(MAX_STATES);
    expect(w.nStates(Kind.Claret, 1, 0)).toBe(1);
    expect(w.nStates(Kind.Claret, 1, 1)).toBe(0);
    expect(w.nStates(99, 1, 0)).toBe(0);
  });

  it('initState puts receptors at ksyn/kdeg and the tumour at BASE', () => {
    w.reset();
    const y = buf(MAX_STATES);
    w.initState(Kind.Tmdd, 1, 1, buf(params({ [PTmdd.KSYN]: 2, [PTmdd.KDEG]: 0.25 })), y);
    expect(get(y, 4)).toEqual([0, 0, 8, 0]);
    w.initState(Kind.TmddQss, 1, 0, buf(params({ [PTmddQss.KSYN]: 1, [PTmddQss.KDEG]: 0.5 })), y);
    expect(get(y, 2)).toEqual([0, 2]);
    w.initState(Kind.Claret, 1, 0, buf(claretP()), y);
    expect(get(y, 1)).toEqual([70]);
  });

  it('observe implements the three output modes', () => {
    w.reset();
    // mode 0: y[idx]/scale
    const y = buf([5, 40, 3]);
    expect(w.observe(Kind.Linear, 2, 1, y, buf(params({ [P.obsIndex]: 1, [P.scale]: 20 })))).toBe(2);
    expect(Number.isNaN(w.observe(Kind.Linear, 2, 1, y, buf(params({ [P.obsIndex]: 3 }))))).toBe(true);
    // mode 1: sigmoid Emax of Ce (last state)
    const pe = params({ [PEffect.V]: 20, [PEffect.KE0]: 0.7, [PEffect.E0]: 10, [PEffect.EMAX]: 80, [PEffect.EC50]: 2, [PEffect.GAMMA]: 2.5, [P.obsMode]: ObsMode.Effect });
    const ce = 3;
    const ye = buf([100, 50, ce]);
    const ref = 10 + (80 * ce ** 2.5) / (2 ** 2.5 + ce ** 2.5);
    expect(relErr(w.observe(Kind.Effect, 2, 0, ye, buf(pe)), ref)).toBeLessThan(1e-14);
    expect(w.observe(Kind.Effect, 2, 0, buf([0, 0, -1e-20]), buf(pe))).toBe(10);
    // mode 2: QSS free concentration, in both branches of the cancellation-free formula
    const kss = 0.6;
    const V = 3;
    for (const [atot, rtot] of [[30, 1], [0.003, 5], [1e-9, 50]] as const) {
      const ctot = atot / V;
      const x = ctot - rtot - kss;
      // reference in extended form: C is the positive root of C^2 - x C - KSS Ctot = 0
      const cref = (2 * kss * ctot) / (Math.sqrt(x * x + 4 * kss * ctot) - x);
      const got = w.observe(Kind.TmddQss, 1, 0, buf([atot, rtot]), buf(params({ [PTmddQss.V]: V, [PTmddQss.KSS]: kss, [P.obsMode]: ObsMode.Free })));
      expect(relErr(got, cref)).toBeLessThan(1e-12);
      // the result satisfies the binding equilibrium KSS = C (Rtot - (Ctot - C)) / (Ctot - C)
      expect(relErr(got * (rtot - (ctot - got)), kss * (ctot - got), 1e-300)).toBeLessThan(1e-8);
    }
  });
});

describe('analytic Jacobians', () => {
  // every kind and layout, at a generic (non-equilibrium) state
  const cases: { name: string; kind: number; ncmt: number; depot: number; p: number[]; y: number[]; t?: number }[] = [];
  const lin = { [P.k10]: 0.21, [P.k12]: 0.5, [P.k21]: 0.17, [P.k13]: 0.08, [P.k31]: 0.031, [P.ka]: 1.3 };
  for (const ncmt of [1, 2, 3]) {
    for (const depot of [0, 1]) {
      cases.push({ name: `linear ${ncmt}cmt depot=${depot}`, kind: Kind.Linear, ncmt, depot, p: params(lin), y: [40, 25, 12, 7].slice(0, ncmt + depot) });
      cases.push({
        name: `effect ${ncmt}cmt depot=${depot}`, kind: Kind.Effect, ncmt, depot,
        p: params({ ...lin, [PEffect.V]: 12, [PEffect.KE0]: 0.7, [PEffect.E0]: 1, [PEffect.EMAX]: 5, [PEffect.EC50]: 2, [PEffect.GAMMA]: 1.5 }), y: [40, 25, 12, 7, 1.7].slice(0, ncmt + depot + 1),
      });
    }
  }
  for (const depot of [0, 1]) {
    const yd = depot ? [30] : [];
    cases.push({ name: `mm depot=${depot}`, kind: Kind.MichaelisMenten, ncmt: 1, depot, p: params({ [P.k10]: 0.02, [P.ka]: 0.9, [PMm.V]: 50, [PMm.VMAX]: 40, [PMm.KM]: 2 }), y: [...yd, 120] });
    cases.push({
      name: `tmdd depot=${depot}`, kind: Kind.Tmdd, ncmt: 1, depot,
      p: params({ [P.k10]: 0.1, [P.ka]: 0.5, [PTmdd.V]: 3, [PTmdd.KON]: 0.5, [PTmdd.KOFF]: 0.05, [PTmdd.KINT]: 0.2, [PTmdd.KSYN]: 1, [PTmdd.KDEG]: 0.25 }), y: [...yd, 20, 2.5, 1.3],
    });
    // QSS in both branches of the free-concentration formula (drug excess / receptor excess)
    for (const [atot, rtot] of [[30, 1.5], [0.9, 4]] as const) {
      cases.push({
        name: `tmdd-qss depot=${depot} Atot=${atot}`, kind: Kind.TmddQss, ncmt: 1, depot,
        p: params({ [P.k10]: 0.1, [P.ka]: 0.5, [PTmddQss.V]: 3, [PTmddQss.KSS]: 0.6, [PTmddQss.KINT]: 0.2, [PTmddQss.KSYN]: 1, [PTmddQss.KDEG]: 0.25 }), y: [...yd, atot, rtot],
      });
    }
  }
  cases.push({ name: 'claret', kind: Kind.Claret, ncmt: 1, depot: 0, p: claretP(), y: [55], t: 0.7 });

  it.each(cases)('$name matches central differences of rhs', ({ kind, ncmt, depot, p, y, t }) => {
    w.reset();
    const n = w.nStates(kind, ncmt, depot);
    expect(n).toBe(y.length);
    const pp = buf(p);
    const yp = buf(y);
    const J = buf(n * n);
    const tt = t ?? 0;
    w.jac(kind, ncmt, depot, tt, yp, pp, J);
    const Ja = get(J, n * n);
    const fp = buf(n);
    const fm = buf(n);
    const rate = buf(new Array(n).fill(0.37)); // inputs must not enter the Jacobian
    let scale = 0;
    for (const v of Ja) scale = Math.max(scale, Math.abs(v));
    for (let j = 0; j < n; j++) {
      const yj = at(y, j);
      const hj = 1e-5 * Math.max(1, Math.abs(yj));
      const yy = y.slice();
      yy[j] = yj + hj;
      put(yp, yy);
      w.rhs(kind, ncmt, depot, tt, yp, pp, rate, fp);
      yy[j] = yj - hj;
      put(yp, yy);
      w.rhs(kind, ncmt, depot, tt, yp, pp, rate, fm);
      const a = get(fp, n);
      const b = get(fm, n);
      for (let i = 0; i < n; i++) {
        const fd = (at(a, i) - at(b, i)) / (2 * hj);
        const an = at(Ja, i * n + j);
        // relative to the entry, with a floor of 1e-9 of the largest entry for exact zeros
        expect(Math.abs(fd - an) / Math.max(Math.abs(an), 1e-9 * scale, 1e-300)).toBeLessThan(1e-6);
      }
    }
  });
});

describe('2-compartment infusion vs closed form', () => {
  const k10 = 0.3, k12 = 0.5, k21 = 0.2, u = 25;
  const y0: [number, number] = [100, 0];
  const obsT = grid(0, 24, 0.37).concat([24]);
  for (const [name, method] of Object.entries(ODE_METHODS)) {
    it(`${name} at rtol 1e-10 / atol 1e-12: relative error < 2e-10 at the end and at dense obs`, () => {
      const r = run({
        method, kind: Kind.Linear, ncmt: 2, depot: 0, y0: [...y0], t0: 0, t1: 24,
        p: params({ [P.k10]: k10, [P.k12]: k12, [P.k21]: k21 }), rate: [u, 0], obsT, rtol: 1e-10, atol: 1e-12,
      });
      expect(r.status).toBe(Status.Ok);
      const end = twoCmtInfusion(k10, k12, k21, u, y0, 24);
      let worst = 0;
      for (let i = 0; i < 2; i++) worst = Math.max(worst, relErr(at(r.y, i), end[i] as number));
      obsT.forEach((t, k) => {
        const ref = twoCmtInfusion(k10, k12, k21, u, y0, t);
        // peripheral starts at exactly 0: relative to the compartment's own scale there
        for (let i = 0; i < 2; i++) worst = Math.max(worst, relErr(at(at(r.obs, k), i), ref[i] as number, 1e-3));
      });
      console.info(`${name}: 2-cmt infusion max rel error ${worst.toExponential(2)}, ${r.accepted} steps`);
      expect(worst).toBeLessThan(2e-10); // measured 1.8e-11 (dopri5), 3.8e-11 (rosenbrock), 9.7e-11 (dop853: 33 steps)
      expect(r.obs[obsT.length - 1]).toEqual(r.y); // obs at t1 is the final state itself
      expect(r.h).toBeGreaterThan(0);
    });
  }
});

describe('Dopri5 accuracy', () => {
  it('global error decreases with rtol at the rate of tolerance proportionality', () => {
    const p = params({ [P.k10]: 0.2, [P.k12]: 0.6, [P.k21]: 0.15, [P.ka]: 1.4 });
    const t1 = 24;
    // oral 2-cmt: depot -> central; reference via the same closed form is not available with a
    // depot, so use Rosenbrock at the tightest tolerance as a cross-method reference and
    // verify it against Dopri5 at the same tolerance first
    const ref = run({ method: Method.Rosenbrock, kind: Kind.Linear, ncmt: 2, depot: 1, y0: [100, 0, 0], t0: 0, t1, p, rtol: 1e-13, atol: 1e-15 });
    const tight = run({ method: Method.Dopri5, kind: Kind.Linear, ncmt: 2, depot: 1, y0: [100, 0, 0], t0: 0, t1, p, rtol: 1e-13, atol: 1e-15 });
    expect(relErr(at(tight.y, 1), at(ref.y, 1))).toBeLessThan(1e-10);
    const errs: number[] = [];
    const steps: number[] = [];
    const tols = [1e-3, 1e-5, 1e-7, 1e-9, 1e-11];
    for (const rtol of tols) {
      const r = run({ method: Method.Dopri5, kind: Kind.Linear, ncmt: 2, depot: 1, y0: [100, 0, 0], t0: 0, t1, p, rtol, atol: rtol * 1e-3 });
      expect(r.status).toBe(Status.Ok);
      errs.push(Math.max(relErr(at(r.y, 1), at(ref.y, 1)), relErr(at(r.y, 2), at(ref.y, 2))));
      steps.push(r.accepted);
    }
    // the order itself is tested at fixed step below; here: error falls with rtol and stays near it
    const last = tols.length - 1;
    const tolRatio = at(tols, 0) / at(tols, last);
    const slope = Math.log(at(errs, 0) / at(errs, last)) / Math.log(tolRatio);
    console.info(`Dopri5 sweep: errors ${errs.map((e) => e.toExponential(1)).join(' ')}; steps ${steps.join(' ')}; error slope vs tol ${slope.toFixed(2)}`);
    for (let i = 1; i < errs.length; i++) expect(at(errs, i)).toBeLessThan(at(errs, i - 1));
    for (let i = 1; i < steps.length; i++) expect(at(steps, i)).toBeGreaterThan(at(steps, i - 1));
    errs.forEach((e, i) => expect(e).toBeLessThan(50 * at(tols, i)));
    expect(slope).toBeGreaterThan(0.5);
  });
});

describe('convergence order at fixed step (odeFixed: one accepted step per segment)', () => {
  /** Least-squares slope of log(error) against log(h). */
  function fittedOrder(hs: readonly number[], errs: readonly number[]): number {
    const x = hs.map(Math.log);
    const y = errs.map(Math.log);
    const mx = x.reduce((a, b) => a + b, 0) / x.length;
    const my = y.reduce((a, b) => a + b, 0) / y.length;
    let sxy = 0;
    let sxx = 0;
    x.forEach((xi, i) => {
      sxy += (xi - mx) * (at(y, i) - my);
      sxx += (xi - mx) ** 2;
    });
    return sxy / sxx;
  }
  function fixedStep(method: number, kind: number, ncmt: number, y0: number[], t1: number, nSteps: number, p: number[], rate?: number[]): number[] {
    w.reset();
    const y = buf(y0);
    const status = w.odeFixed(method, kind, ncmt, 0, y, 0, t1, nSteps, buf(p), rate ? buf(rate) : 0);
    expect(status).toBe(Status.Ok);
    return get(y, y0.length);
  }
  /** Largest relative error of the end state over steps h = t1/N, N doubling. */
  function sweep(label: string, ns: readonly number[], t1: number, errorAt: (n: number) => number): number {
    const errs = ns.map(errorAt);
    const order = fittedOrder(ns.map((n) => t1 / n), errs);
    console.info(`${label}: N ${ns.join(' ')}; errors ${errs.map((e) => e.toExponential(2)).join(' ')}; fitted order ${order.toFixed(3)}`);
    // every error is well above rounding, so the fit measures truncation error only
    errs.forEach((e) => expect(e).toBeGreaterThan(5e-15));
    return order;
  }
  // halving from these step counts keeps h in the asymptotic range and the error above rounding
  const N_NONSTIFF = [32, 64, 128, 256, 512];
  const N_DOP853 = [6, 8, 12, 16, 24];
  const twoCmt = (k10: number, k12: number, k21: number, u: number) => (method: number) => (n: number) => {
    const y = fixedStep(method, Kind.Linear, 2, [100, 0], 8, n, params({ [P.k10]: k10, [P.k12]: k12, [P.k21]: k21 }), [u, 0]);
    const ref = twoCmtInfusion(k10, k12, k21, u, [100, 0], 8);
    return Math.max(relErr(at(y, 0), ref[0]), relErr(at(y, 1), ref[1]));
  };
  const nonStiff = twoCmt(0.3, 0.5, 0.2, 0); // bolus; eigenvalues -0.86, -0.07
  const mildlyStiff = twoCmt(10, 5, 0.5, 25); // infusion; eigenvalues -15.2, -0.33: h·|λ| from 7.6 down to 0.5

  it('Dormand-Prince: order 5 ± 0.25 on a 2-compartment bolus (closed form)', () => {
    // measured 5.06
    const order = sweep('dopri5 2-cmt bolus', N_NONSTIFF, 8, nonStiff(Method.Dopri5));
    expect(Math.abs(order - 5)).toBeLessThan(0.25);
  });

  it('Dormand-Prince: order 5 ± 0.25 on the non-autonomous Claret model (closed form)', () => {
    // measured 4.97
    const t1 = 10;
    const order = sweep('dopri5 Claret', N_NONSTIFF, t1, (n) => {
      const { BASE, KG, KS0, GAMMA, DOSE } = CLARET;
      const exact = BASE * Math.exp(KG * t1 - ((KS0 * Math.log(DOSE)) / GAMMA) * (1 - Math.exp(-GAMMA * t1)));
      return relErr(at(fixedStep(Method.Dopri5, Kind.Claret, 1, [BASE], t1, n, claretP()), 0), exact);
    });
    expect(Math.abs(order - 5)).toBeLessThan(0.25);
  });

  it('RODAS4: order 4 ± 0.25 on the non-stiff 2-compartment bolus', () => {
    // measured 4.01 (odeFixed's loose tolerance selects RODAS4)
    const order = sweep('rodas4 2-cmt bolus', N_NONSTIFF, 8, nonStiff(Method.Rosenbrock));
    expect(Math.abs(order - 4)).toBeLessThan(0.25);
  });

  it('RODAS4: order 4 ± 0.25 on a mildly stiff 2-compartment infusion', () => {
    // measured 4.01; Dormand-Prince is unstable at the larger of these steps (error 1e38 at N = 32)
    const order = sweep('rodas4 mildly stiff 2-cmt', [16, 32, 64, 128, 256], 8, mildlyStiff(Method.Rosenbrock));
    expect(Math.abs(order - 4)).toBeLessThan(0.25);
  });

  // Rodas5P (the stiff method at rtol <= 1e-8 for the built-in autonomous kinds), chosen outright: order 5. Its error
  // reaches rounding by h = 8/128, so the sweep starts coarser; on the mildly stiff infusion the larger
  // steps are not yet asymptotic (8.6 over N 8-32), so that sweep starts at N 16 and asks at least 5
  const withRodas5p = <T,>(f: () => T): T => {
    w.setStiffChoice(5);
    try {
      return f();
    } finally {
      w.setStiffChoice(0);
    }
  };
  it('Rodas5P: order 5 ± 0.3 on the non-stiff 2-compartment bolus', () => {
    // measured 5.27
    const order = withRodas5p(() => sweep('rodas5p 2-cmt bolus', [8, 12, 16, 24, 32], 8, nonStiff(Method.Rosenbrock)));
    expect(Math.abs(order - 5)).toBeLessThan(0.3);
  });

  it('Rodas5P: at least order 5 on a mildly stiff 2-compartment infusion', () => {
    // measured 5.88 over N 16-32 (errors 9.9e-12 to 1.7e-13: not yet asymptotic, and below 5e-15 beyond)
    const order = withRodas5p(() => sweep('rodas5p mildly stiff 2-cmt', [16, 20, 24, 28, 32], 8, mildlyStiff(Method.Rosenbrock)));
    expect(order).toBeGreaterThan(4.75);
  });

  it('DOP853: order 8 ± 0.3 on a 2-compartment bolus (closed form)', () => {
    // larger steps than the order-5 sweeps: at h = 8/64 the order-8 error is already near rounding
    const order = sweep('dop853 2-cmt bolus', N_DOP853, 8, nonStiff(Method.Dop853));
    expect(Math.abs(order - 8)).toBeLessThan(0.3);
  });

  it('DOP853: order 8 ± 0.3 on the non-autonomous Claret model (closed form)', () => {
    const t1 = 10;
    const order = sweep('dop853 Claret', N_DOP853, t1, (n) => {
      const { BASE, KG, KS0, GAMMA, DOSE } = CLARET;
      const exact = BASE * Math.exp(KG * t1 - ((KS0 * Math.log(DOSE)) / GAMMA) * (1 - Math.exp(-GAMMA * t1)));
      return relErr(at(fixedStep(Method.Dop853, Kind.Claret, 1, [BASE], t1, n, claretP()), 0), exact);
    });
    expect(Math.abs(order - 8)).toBeLessThan(0.3);
  });

  it('odeFixed refuses a step count below 1', () => {
    w.reset();
    expect(w.odeFixed(Method.Dopri5, Kind.Linear, 1, 0, buf([1]), 0, 1, 0, buf(params({ [P.k10]: 1 })), 0)).toBe(-1);
  });
});

describe('Taylor series (Method.Taylor, Michaelis–Menten built-ins)', () => {
  // mm-iv without linear elimination has a closed form in Lambert's W:
  // C(t) = KM·W((C0/KM)·e^((C0 − (VMAX/V)·t)/KM)), from KM·ln C + C = KM·ln C0 + C0 − (VMAX/V)·t
  const V = 20, VMAX = 21.4, KM = 1.5;
  const mmP = (k10 = 0, ka = 0) => params({ [PMm.V]: V, [PMm.VMAX]: VMAX, [PMm.KM]: KM, [P.k10]: k10, [P.ka]: ka });
  function lambertW(x: number): number {
    let u = Math.log1p(x);
    for (let i = 0; i < 50; i++) {
      const e = Math.exp(u);
      const f = u * e - x;
      const d = e * (u + 1) - (f * (u + 2)) / (2 * u + 2); // Halley
      const next = u - f / d;
      if (Math.abs(next - u) <= 1e-16 * Math.abs(next)) return next;
      u = next;
    }
    return u;
  }
  const exactA = (a0: number, t: number) => V * KM * lambertW((a0 / V / KM) * Math.exp((a0 / V - (VMAX / V) * t) / KM));

  function fixedOrderError(order: number, n: number): number {
    w.setTaylorOrder(order, true);
    try {
      w.reset();
      const y = buf([100]);
      expect(w.odeFixed(Method.Taylor, Kind.MichaelisMenten, 1, 0, y, 0, 8, n, buf(mmP()), 0)).toBe(Status.Ok);
      return relErr(at(get(y, 1), 0), exactA(100, 8));
    } finally {
      w.setTaylorOrder(0, false);
    }
  }
  const fitted = (order: number, ns: readonly number[]): number => {
    const errs = ns.map((n) => fixedOrderError(order, n));
    const x = ns.map((n) => Math.log(8 / n));
    const y = errs.map(Math.log);
    const mx = x.reduce((a, b) => a + b, 0) / x.length;
    const my = y.reduce((a, b) => a + b, 0) / y.length;
    let sxy = 0;
    let sxx = 0;
    x.forEach((xi, i) => {
      sxy += (xi - mx) * (at(y, i) - my);
      sxx += (xi - mx) ** 2;
    });
    console.info(`taylor order ${order}: N ${ns.join(' ')}; errors ${errs.map((e) => e.toExponential(2)).join(' ')}; fitted order ${(sxy / sxx).toFixed(3)}`);
    errs.forEach((e) => expect(e).toBeGreaterThan(5e-15));
    return sxy / sxx;
  };

  it('the closed form is right: it solves dA/dt = −VMAX·A/(KM·V + A)', () => {
    for (const t of [0.5, 3, 7]) {
      const d = 1e-4;
      const slope = (exactA(100, t + d) - exactA(100, t - d)) / (2 * d);
      const a = exactA(100, t);
      expect(relErr(slope, (-VMAX * a) / (KM * V + a))).toBeLessThan(1e-7);
    }
    expect(relErr(exactA(100, 0), 100)).toBeLessThan(1e-15);
  });

  for (const [order, ns] of [[2, [64, 128, 256, 512, 1024]], [4, [16, 32, 64, 128, 256]], [6, [32, 48, 64, 96, 128]]] as const)
    it(`fixed order ${order}: global error of order ${order} ± 0.3 at fixed step (closed form)`, () => {
      expect(Math.abs(fitted(order, ns) - order)).toBeLessThan(0.3);
    });

  it('adaptive: error near rtol against the closed form, observations from the step polynomial, no step rejected', () => {
    const obsT = grid(0, 8, 0.25);
    for (const rtol of [1e-6, 1e-8, 1e-10]) {
      const r = run({ method: Method.Taylor, kind: Kind.MichaelisMenten, ncmt: 1, depot: 0, y0: [100], t0: 0, t1: 8, p: mmP(), obsT, rtol, atol: rtol * 1e-2 });
      expect(r.status).toBe(Status.Ok);
      expect(r.rejected).toBe(0);
      let worst = relErr(at(r.y, 0), exactA(100, 8));
      obsT.forEach((t, k) => (worst = Math.max(worst, relErr(at(at(r.obs, k), 0), exactA(100, t)))));
      console.info(`taylor mm-iv rtol ${rtol}: ${r.accepted} steps, max rel. error ${worst.toExponential(2)}`);
      expect(worst).toBeLessThan(10 * rtol);
    }
  });

  it('the depot is exact (closed form) with a zero-order input into it, and the central amount matches DOP853 at rtol 1e-12', () => {
    const base = { kind: Kind.MichaelisMenten, ncmt: 1, depot: 1, y0: [300, 20], t0: 0, t1: 12, p: mmP(0.1, 1.3), rate: [40, 5], obsT: grid(0, 12, 0.5) };
    const tay = run({ ...base, method: Method.Taylor, rtol: 1e-10, atol: 1e-12 });
    const ref = run({ ...base, method: Method.Dop853, rtol: 1e-13, atol: 1e-15 });
    expect(tay.status).toBe(Status.Ok);
    const ka = 1.3, rd = 40;
    base.obsT.forEach((t, k) => {
      const ad = rd / ka + (300 - rd / ka) * Math.exp(-ka * t);
      expect(relErr(at(at(tay.obs, k), 0), ad)).toBeLessThan(1e-14);
      expect(relErr(at(at(tay.obs, k), 1), at(at(ref.obs, k), 1))).toBeLessThan(1e-9);
    });
  });

  it('refused for any other kind (BadModel)', () => {
    const r = run({ method: Method.Taylor, kind: Kind.Linear, ncmt: 1, depot: 0, y0: [100], t0: 0, t1: 1, p: params({ [P.k10]: 0.1 }), rtol: 1e-8, atol: 1e-10 });
    expect(r.status).toBe(Status.BadModel);
  });
});

describe('DOP853 dense output', () => {
  // one accepted step of length H (warm start = the span, tolerances that accept anything) with
  // observations inside it: the 7th-order continuous extension has a local error O(H^8)
  const k10 = 0.3, k12 = 0.5, k21 = 0.2;
  const p = params({ [P.k10]: k10, [P.k12]: k12, [P.k21]: k21 });
  const denseError = (span: number): number => {
    const obsT = [0.13, 0.37, 0.5, 0.71, 0.94].map((f) => f * span);
    const r = run({ method: Method.Dop853, kind: Kind.Linear, ncmt: 2, depot: 0, y0: [100, 0], t0: 0, t1: span, p, obsT, rtol: 1, atol: 1e300, h0: span });
    expect(r.status).toBe(Status.Ok);
    expect(r.accepted).toBe(1);
    let worst = 0;
    obsT.forEach((t, k) => {
      const ref = twoCmtInfusion(k10, k12, k21, 0, [100, 0], t);
      for (let i = 0; i < 2; i++) worst = Math.max(worst, relErr(at(at(r.obs, k), i), ref[i] as number, 1));
    });
    return worst;
  };

  it('interior values converge at order 8 ± 0.4 in the step length', () => {
    const spans = [4, 3, 2, 1.5, 1];
    const errs = spans.map(denseError);
    const x = spans.map(Math.log);
    const y = errs.map(Math.log);
    const mx = x.reduce((a, b) => a + b, 0) / x.length;
    const my = y.reduce((a, b) => a + b, 0) / y.length;
    let sxy = 0;
    let sxx = 0;
    x.forEach((xi, i) => {
      sxy += (xi - mx) * (at(y, i) - my);
      sxx += (xi - mx) ** 2;
    });
    const order = sxy / sxx;
    console.info(`dop853 dense output: spans ${spans.join(' ')}; errors ${errs.map((e) => e.toExponential(2)).join(' ')}; fitted order ${order.toFixed(3)}`);
    errs.forEach((e) => expect(e).toBeGreaterThan(5e-15));
    expect(Math.abs(order - 8)).toBeLessThan(0.4);
  });

  it('observations do not change the steps, and cost four evaluations per step that holds one (three for the continuous extension, one for its defect)', () => {
    const base: RunOpts = { method: Method.Dop853, kind: Kind.Linear, ncmt: 1, depot: 1, y0: [100, 0], t0: 0, t1: 12, p: params({ [P.k10]: 0.1, [P.ka]: 1 }), rtol: 1e-8, atol: 1e-10 };
    const plain = run(base);
    const obsT = grid(0, 12, 0.1);
    const dense = run({ ...base, obsT });
    expect(dense.accepted).toBe(plain.accepted);
    expect(dense.y).toEqual(plain.y);
    expect(dense.fev).toBeGreaterThan(plain.fev);
    expect(dense.fev).toBeLessThanOrEqual(plain.fev + 4 * plain.accepted);
    const ka = 1, k = 0.1;
    obsT.forEach((t, i) => {
      const ac = (100 * ka / (ka - k)) * (Math.exp(-k * t) - Math.exp(-ka * t));
      expect(Math.abs(at(at(dense.obs, i), 1) - ac)).toBeLessThan(1e-6);
    });
  });
});

/** e^{Kt} x by scaling and squaring of a Taylor series (3×3, well inside double precision here). */
function expmTimes(K: number[][], t: number, x: number[]): number[] {
  const n = x.length;
  const norm = Math.max(...K.map((r) => r.reduce((a, v) => a + Math.abs(v), 0))) * t;
  const s = Math.max(0, Math.ceil(Math.log2(norm)) + 4);
  const A = K.map((r) => r.map((v) => (v * t) / 2 ** s));
  const mul = (X: number[][], Y: number[][]) => X.map((r) => Y[0].map((_, j) => r.reduce((a, v, k) => a + v * Y[k][j], 0)));
  let E: number[][] = A.map((r, i) => r.map((_, j) => (i === j ? 1 : 0)));
  let term = E;
  for (let k = 1; k <= 24; k++) {
    term = mul(term, A).map((r) => r.map((v) => v / k));
    E = E.map((r, i) => r.map((v, j) => v + term[i][j]));
  }
  for (let i = 0; i < s; i++) E = mul(E, E);
  return E.map((r) => r.reduce((a, v, j) => a + v * x[j], 0)).slice(0, n);
}

describe('DOP853 continuous extension beyond the stability boundary', () => {
  // A 3-compartment system dosed into a peripheral compartment (V 6.26, CL 30.3, Q 0.239, V2 1.52,
  // Q3 1.57, V3 41.3): the central mode (λ −5.14) sits in quasi-equilibrium while DOP853 steps up to
  // 3.6 h (h·λ ≈ 18). The error test holds the step ends; the 7th-order extension amplified the fast
  // component's error between them: 1.5e-4 relative in the central compartment at rtol 1e-8 (the
  // same with SciPy's DOP853: 2.0e-4 between steps, 4.6e-7 at step ends). Observations in a step
  // whose extension fails the defect test are integrated by Dormand–Prince from the step's start,
  // and on to the step's end, whose state is carried on (test/unit/model-text/pulse-inside-step.test.ts:
  // the step's own end may lie on another trajectory), so such observations change the steps after them.
  const k10 = 4.8487, k12 = 0.038236, k21 = 0.15769, k13 = 0.25095, k31 = 0.038025;
  const K = [
    [-(k10 + k12 + k13), k21, k31],
    [k12, -k21, 0],
    [k13, 0, -k31],
  ];
  const obsT = grid(0.1, 24, 0.1);
  for (const [rtol, bound] of [[1e-8, 1.5e-6], [1e-10, 1.5e-7]] as const) {
    it(`rtol ${rtol}: every observation and the end state within ${bound} of the matrix exponential, as without observations`, () => {
      for (const method of [Method.Dop853, Method.AutoTight]) {
        const base: RunOpts = { method, kind: Kind.Linear, ncmt: 3, depot: 0, y0: [0, 100, 0], t0: 0, t1: 24, p: params({ [P.k10]: k10, [P.k12]: k12, [P.k21]: k21, [P.k13]: k13, [P.k31]: k31 }), rtol, atol: rtol * 1e-2 };
        const plain = run(base);
        const r = run({ ...base, obsT });
        expect(r.status).toBe(Status.Ok);
        const end = expmTimes(K, 24, [0, 100, 0]);
        for (const x of [r, plain]) for (let i = 0; i < 3; i++) expect(relErr(at(x.y, i), end[i] as number)).toBeLessThan(bound);
        let worst = 0;
        obsT.forEach((t, i) => {
          const ref = expmTimes(K, t, [0, 100, 0]);
          worst = Math.max(worst, relErr(at(at(r.obs, i), 0), ref[0]));
        });
        console.info(`3-cmt peripheral dose, method ${method}, rtol ${rtol}: worst central error ${worst.toExponential(2)}, end state ${[0, 1, 2].map((i) => relErr(at(r.y, i), end[i] as number).toExponential(2)).join(' ')} (${[0, 1, 2].map((i) => relErr(at(plain.y, i), end[i] as number).toExponential(2)).join(' ')} without observations), ${r.accepted} steps, ${r.fev} evaluations (${plain.accepted}, ${plain.fev})`);
        expect(worst).toBeLessThan(bound);
      }
    });
  }
});

describe('Claret tumour model vs closed form', () => {
  const obsT = grid(0.005, 0.995, 0.005).concat([0.33, 0.77]).sort((a, b) => a - b);
  for (const [name, method] of Object.entries(ODE_METHODS)) {
    it(`${name}: end state within 3e-11 and interior dense output within 1.5e-9`, () => {
      const r = run({ method, kind: Kind.Claret, ncmt: 1, depot: 0, y0: [CLARET.BASE], t0: 0, t1: 1, p: claretP(), obsT, rtol: 1e-10, atol: 1e-10 });
      expect(r.status).toBe(Status.Ok);
      const endErr = relErr(at(r.y, 0), claretExact(1));
      expect(endErr).toBeLessThan(3e-11); // measured 5.0e-12 (dopri5), 1.9e-12 (rosenbrock)
      let worst = 0;
      obsT.forEach((t, k) => (worst = Math.max(worst, relErr(at(at(r.obs, k), 0), claretExact(t)))));
      console.info(`${name}: Claret rel error end ${endErr.toExponential(2)}, dense max ${worst.toExponential(2)} over ${obsT.length} obs, ${r.accepted} steps`);
      expect(worst).toBeLessThan(1.5e-9); // measured 3.0e-10 (dopri5), 4.1e-11 (rosenbrock)
      // dense output really was used: fewer steps than observation times
      expect(r.accepted).toBeLessThan(obsT.length);
    });
  }

  it('integrates correctly when split into segments at arbitrary times', () => {
    const cuts = [0, 0.13, 0.5, 0.500001, 1];
    const y = [CLARET.BASE];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const r = run({ method: Method.Dopri5, kind: Kind.Claret, ncmt: 1, depot: 0, y0: y, t0: at(cuts, i), t1: at(cuts, i + 1), p: claretP(), rtol: 1e-12, atol: 1e-12 });
      expect(r.status).toBe(Status.Ok);
      y[0] = at(r.y, 0);
    }
    expect(relErr(at(y, 0), claretExact(1))).toBeLessThan(1e-9);
  });
});

describe('conservation', () => {
  for (const [name, method] of Object.entries(ODE_METHODS)) {
    it(`${name}: 3-cmt oral with k10 = 0 conserves the total amount`, () => {
      const p = params({ [P.k10]: 0, [P.k12]: 0.7, [P.k21]: 0.2, [P.k13]: 0.3, [P.k31]: 0.05, [P.ka]: 1.1 });
      const obsT = grid(0.5, 48, 0.5);
      const r = run({ method, kind: Kind.Linear, ncmt: 3, depot: 1, y0: [500, 20, 0, 0], t0: 0, t1: 48, p, obsT, rtol: 1e-8, atol: 1e-10 });
      expect(r.status).toBe(Status.Ok);
      const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
      // each step adds a sum of stage slopes whose components cancel exactly (columns of K
      // sum to 0), so only rounding is left, at every accepted point and every dense output
      expect(relErr(sum(r.y), 520)).toBeLessThan(1e-13);
      for (const o of r.obs) expect(relErr(sum(o), 520)).toBeLessThan(1e-13);
    });
  }
});

describe('stiff TMDD (kon = 1e3)', () => {
  const p = params({ [P.k10]: 0.1, [PTmdd.V]: 3, [PTmdd.KON]: 1e3, [PTmdd.KOFF]: 1, [PTmdd.KINT]: 0.2, [PTmdd.KSYN]: 1, [PTmdd.KDEG]: 0.25 });
  const y0 = [300, 4, 0]; // R at ksyn/kdeg, 300 units of free drug
  const t1 = 2;
  const obsT = grid(0.125, t1, 0.125);
  const opts = { kind: Kind.Tmdd, ncmt: 1, depot: 0, y0, t0: 0, t1, p, obsT };
  const maxDiff = (a: Run, b: Run) => {
    let worst = 0;
    obsT.forEach((_, k) => {
      for (let i = 0; i < 3; i++) worst = Math.max(worst, relErr(at(at(a.obs, k), i), at(at(b.obs, k), i), 1e-3));
    });
    return worst;
  };

  it('Rosenbrock needs few steps and matches Dopri5 at tight tolerance', () => {
    // explicit reference: stability-limited to ~5e4 steps whatever the tolerance
    const dp = run({ ...opts, method: Method.Dopri5, rtol: 1e-12, atol: 1e-14 });
    expect(dp.status).toBe(Status.Ok);
    const loose = run({ ...opts, method: Method.Rosenbrock, rtol: 1e-6, atol: 1e-8 });
    const tight = run({ ...opts, method: Method.Rosenbrock, rtol: 1e-10, atol: 1e-12 });
    expect(loose.status).toBe(Status.Ok);
    expect(tight.status).toBe(Status.Ok);
    const dLoose = maxDiff(loose, dp);
    const dTight = maxDiff(tight, dp);
    console.info(`stiff TMDD: Rosenbrock rtol 1e-6 ${loose.accepted}+${loose.rejected} steps (diff ${dLoose.toExponential(2)}), rtol 1e-10 ${tight.accepted}+${tight.rejected} steps (diff ${dTight.toExponential(2)}); Dopri5 ${dp.accepted}+${dp.rejected} steps`);
    expect(loose.accepted + loose.rejected).toBeLessThan(100);
    expect(loose.jac).toBe(loose.accepted + loose.rejected);
    expect(dp.accepted).toBeGreaterThan(100 * loose.accepted); // the problem really is stiff
    expect(dLoose).toBeLessThan(1e-4);
    expect(dTight).toBeLessThan(1e-7);
  });
});

describe('segment contract', () => {
  const base: RunOpts = {
    method: Method.Dopri5, kind: Kind.Linear, ncmt: 1, depot: 1, y0: [100, 0], t0: 0, t1: 12,
    p: params({ [P.k10]: 0.1, [P.ka]: 1 }), rtol: 1e-6, atol: 1e-9,
  };

  it('t1 == t0 returns Ok immediately and fills obs with the state', () => {
    const r = run({ ...base, t1: 0, obsT: [0] });
    expect(r.status).toBe(Status.Ok);
    expect(r.y).toEqual([100, 0]);
    expect(r.obs[0]).toEqual([100, 0]);
    expect(r.accepted).toBe(0);
  });

  it('rejects invalid layouts, methods and reversed intervals with BadModel', () => {
    expect(run({ ...base, ncmt: 4 }).status).toBe(Status.BadModel);
    expect(run({ ...base, method: Method.Analytic }).status).toBe(Status.BadModel);
    expect(run({ ...base, t0: 5, t1: 4 }).status).toBe(Status.BadModel);
  });

  it('reports NonFinite for a NaN state and MaxSteps when the budget is exhausted', () => {
    expect(run({ ...base, y0: [NaN, 0] }).status).toBe(Status.NonFinite);
    // explicit method on a very stiff linear system over a long horizon
    const r = run({ ...base, ncmt: 2, depot: 0, y0: [1, 0], t1: 1e6, p: params({ [P.k10]: 1e5, [P.k12]: 1e5, [P.k21]: 1e-3 }) });
    expect(r.status).toBe(Status.MaxSteps);
    expect(r.accepted + r.rejected).toBe(100000);
  });

  it('an equilibrium of an autonomous model costs one evaluation', () => {
    const r = run({ ...base, y0: [0, 0], obsT: [1, 2, 12] });
    expect(r.status).toBe(Status.Ok);
    expect(r.fev).toBe(1);
    expect(r.obs).toEqual([[0, 0], [0, 0], [0, 0]]);
  });

  it('warm start: a stored step proposal skips the initial-step probe and is respected', () => {
    const cold = run(base);
    expect(cold.status).toBe(Status.Ok);
    const warm = run({ ...base, h0: cold.h });
    expect(warm.status).toBe(Status.Ok);
    expect(warm.fev).toBe(cold.fev - 1 + 6 * (warm.accepted + warm.rejected - cold.accepted - cold.rejected));
    expect(relErr(at(warm.y, 1), at(cold.y, 1))).toBeLessThan(1e-5);
  });

  it('obs times between steps do not change the step sequence (dense output, not step clipping)', () => {
    const plain = run(base);
    const dense = run({ ...base, obsT: grid(0, 12, 0.1) });
    expect(dense.accepted).toBe(plain.accepted);
    expect(dense.y).toEqual(plain.y);
    // interior dense values agree with the 1-cmt oral closed form to the tolerance level
    const ka = 1, k = 0.1;
    grid(0, 12, 0.1).forEach((t, i) => {
      const ac = (100 * ka / (ka - k)) * (Math.exp(-k * t) - Math.exp(-ka * t));
      expect(Math.abs(at(at(dense.obs, i), 1) - ac)).toBeLessThan(1e-4);
    });
  });
});

// ---------------------------------------------------------------------------------------
// SciPy oracle (test/oracle/ode-fixtures.json): piecewise integration of every nonlinear case
// ---------------------------------------------------------------------------------------

interface Fixture {
  name: string;
  kind: string;
  depot: boolean;
  parameters: Record<string, number>;
  doses: { time: number; cmt: number; amt: number; rate: number }[];
  initial_state: number[];
  times: number[];
  states: number[][];
  observed: number[];
  dose_covariate?: { from_exclusive: number; to_inclusive: number; DOSE: number }[];
}

function fixtureModel(c: Fixture): { kind: number; ncmt: number; p: number[] } {
  const q = (name: string, fallback?: number): number => {
    const v = c.parameters[name] ?? fallback;
    if (v === undefined) throw new Error(`${c.name}: parameter ${name} missing`);
    return v;
  };
  const ka = q('KA', 0);
  switch (c.kind) {
    case 'mm':
      return { kind: Kind.MichaelisMenten, ncmt: 1, p: params({ [P.k10]: q('CL', 0) / q('V'), [P.ka]: ka, [PMm.V]: q('V'), [PMm.VMAX]: q('VMAX'), [PMm.KM]: q('KM'), [P.obsMode]: ObsMode.Free }) };
    case 'tmdd':
      return {
        kind: Kind.Tmdd, ncmt: 1,
        p: params({ [P.k10]: q('KEL'), [P.ka]: ka, [PTmdd.V]: q('V'), [PTmdd.KON]: q('KON'), [PTmdd.KOFF]: q('KOFF'), [PTmdd.KINT]: q('KINT'), [PTmdd.KSYN]: q('KSYN'), [PTmdd.KDEG]: q('KDEG'), [P.obsMode]: ObsMode.Free }),
      };
    case 'tmdd-qss':
      return {
        kind: Kind.TmddQss, ncmt: 1,
        p: params({ [P.k10]: q('KEL'), [P.ka]: ka, [PTmddQss.V]: q('V'), [PTmddQss.KSS]: q('KSS'), [PTmddQss.KINT]: q('KINT'), [PTmddQss.KSYN]: q('KSYN'), [PTmddQss.KDEG]: q('KDEG'), [P.obsMode]: ObsMode.Free }),
      };
    case 'effect':
      return {
        kind: Kind.Effect, ncmt: 2,
        p: params({
          [P.k10]: q('CL') / q('V'), [P.k12]: q('Q') / q('V'), [P.k21]: q('Q') / q('V2'), [P.ka]: ka, [PEffect.V]: q('V'), [PEffect.KE0]: q('KE0'),
          [PEffect.E0]: q('E0'), [PEffect.EMAX]: q('EMAX'), [PEffect.EC50]: q('EC50'), [PEffect.GAMMA]: q('GAMMA'), [P.obsMode]: ObsMode.Effect,
        }),
      };
    case 'linear-3cmt-oral':
      return {
        kind: Kind.Linear, ncmt: 3,
        p: params({
          [P.k10]: q('CL') / q('V'), [P.k12]: q('Q') / q('V'), [P.k21]: q('Q') / q('V2'), [P.k13]: q('Q3') / q('V'), [P.k31]: q('Q3') / q('V3'),
          [P.ka]: ka, [P.obsIndex]: 1, [P.scale]: q('V'),
        }),
      };
    case 'claret':
      return { kind: Kind.Claret, ncmt: 1, p: params({ [PClaret.BASE]: q('BASE'), [PClaret.KG]: q('KG'), [PClaret.KS0]: q('KS0'), [PClaret.GAMMA]: q('GAMMA'), [PClaret.DOSE]: q('DOSE'), [P.obsIndex]: 0 }) };
  }
  throw new Error(`unknown fixture kind ${c.kind}`);
}

/** Mini event driver: restart at every dose / infusion end / covariate change (right-continuous). */
function solveFixture(c: Fixture, method: number, rtol: number, atolScale: number) {
  const { kind, ncmt, p } = fixtureModel(c);
  const depot = c.depot ? 1 : 0;
  const n = c.initial_state.length;
  expect(w.nStates(kind, ncmt, depot)).toBe(n);
  const tEnd = at(c.times, c.times.length - 1);
  const bp = new Set<number>([0, tEnd]);
  for (const d of c.doses) {
    bp.add(d.time);
    if (d.rate > 0) bp.add(d.time + d.amt / d.rate);
  }
  for (const v of c.dose_covariate ?? []) {
    bp.add(v.from_exclusive);
    bp.add(v.to_inclusive);
  }
  const cuts = [...bp].filter((b) => b >= 0 && b <= tEnd).sort((a, b) => a - b);
  const atol = atolScale * Math.max(1, ...c.doses.map((d) => d.amt), ...c.initial_state);
  let y = c.initial_state.slice();
  const states: number[][] = [];
  const observed: number[] = [];
  const pObs = buf(p);
  const yObs = buf(n);
  const record = (k: number, s: number[], pv: number[]) => {
    states[k] = s;
    put(pObs, pv);
    put(yObs, s);
    observed[k] = w.observe(kind, ncmt, depot, yObs, pObs);
  };
  let h = 0;
  let steps = 0;
  for (let i = 0; i < cuts.length; i++) {
    const t0 = at(cuts, i);
    for (const d of c.doses) if (d.rate === 0 && d.time === t0) y[d.cmt - 1] = at(y, d.cmt - 1) + d.amt;
    const lastCut = i === cuts.length - 1;
    const t1 = lastCut ? t0 : at(cuts, i + 1);
    const idx: number[] = [];
    c.times.forEach((t, k) => {
      if (t >= t0 && (lastCut ? t === t0 : t < t1)) idx.push(k);
    });
    if (lastCut) {
      for (const k of idx) record(k, y.slice(), p);
      break;
    }
    const mid = 0.5 * (t0 + t1);
    const rate = new Array<number>(n).fill(0);
    for (const d of c.doses) {
      if (d.rate > 0 && d.time <= mid && mid < d.time + d.amt / d.rate) rate[d.cmt - 1] = at(rate, d.cmt - 1) + d.rate;
    }
    const pp = p.slice();
    if (c.kind === 'claret') {
      const v = (c.dose_covariate ?? []).find((s) => s.from_exclusive < mid && mid <= s.to_inclusive);
      if (v) pp[10] = v.DOSE;
    }
    const obsT = idx.map((k) => at(c.times, k));
    const r = run({ method, kind, ncmt, depot, y0: y, t0, t1, p: pp, rate, obsT, rtol, atol, h0: h });
    expect(r.status, `${c.name} segment [${t0}, ${t1}]`).toBe(Status.Ok);
    idx.forEach((k, j) => record(k, at(r.obs, j), pp));
    y = r.y;
    h = r.h;
    steps += r.accepted;
  }
  return { states, observed, steps };
}

describe('SciPy oracle fixtures', () => {
  const fixtures = (JSON.parse(readFileSync(join(ROOT, 'test/oracle/ode-fixtures.json'), 'utf8')) as { cases: Fixture[] }).cases;
  // DOP853 is held to the Michaelis–Menten, TMDD-QSS and Claret cases, not to full TMDD: where its
  // steps are limited by stability (free drug bound within minutes, free concentration governed
  // by atol), its 7th-order continuous extension is off by up to 3e-4 of the floor between steps
  // (measured on tmdd-high-R0; SciPy's DOP853 shows the same) although every step end is accurate
  const runs = fixtures.flatMap((c) =>
    Object.entries(ODE_METHODS)
      .filter(([mname]) => !(mname === 'Dop853' && c.kind === 'tmdd'))
      .map(([mname, method]) => ({ label: `${c.name} / ${mname}`, c, method })),
  );
  it.each(runs)('$label', ({ c, method }) => {
    // the fixtures were made at rtol 1e-12 / atol 1e-14 x dose scale; match that
    const { observed, states, steps } = solveFixture(c, method, 1e-12, 1e-14);
    const maxObs = Math.max(...c.observed.map(Math.abs));
    const colMax = c.initial_state.map((_, i) => Math.max(...c.states.map((s) => Math.abs(at(s, i)))));
    let worst = 0;
    let where = '';
    const note = (e: number, what: string) => {
      if (e > worst) {
        worst = e;
        where = what;
      }
    };
    c.times.forEach((t, k) => {
      // relative error floored at 1e-6 of the series' peak: in the far tail the absolute
      // tolerance, not the relative one, governs both solvers
      const o = at(observed, k);
      const oRef = at(c.observed, k);
      note(relErr(o, oRef, 1e-6 * maxObs), `obs t=${t} ${o} vs ${oRef}`);
      const ref = at(c.states, k);
      at(states, k).forEach((v, i) => {
        note(relErr(v, at(ref, i), 1e-6 * at(colMax, i)), `state ${i} t=${t} ${v} vs ${at(ref, i)}`);
      });
    });
    console.info(`oracle ${c.name} method ${method}: max rel error ${worst.toExponential(2)} at ${where} (${steps} steps)`);
    // measured: at most 1.0e-7 (tmdd-stiff, Rosenbrock)
    expect(worst).toBeLessThan(5e-7);
  });
});

describe("'auto' at tight tolerances (AutoTight) against the SciPy oracle", () => {
  const fixtures = (JSON.parse(readFileSync(join(ROOT, 'test/oracle/ode-fixtures.json'), 'utf8')) as { cases: Fixture[] }).cases;
  /** Largest relative error over the observations, floored at 1e-6 of the series' peak (as above). */
  const worstError = (c: Fixture, method: number): { worst: number; observed: number[] } => {
    w.resetStiffness();
    const { observed } = solveFixture(c, method, 1e-8, 1e-10);
    const maxObs = Math.max(...c.observed.map(Math.abs));
    let worst = 0;
    c.times.forEach((_, k) => (worst = Math.max(worst, relErr(at(observed, k), at(c.observed, k), 1e-6 * maxObs))));
    return { worst, observed };
  };
  it.each(fixtures.map((c) => ({ label: c.name, c })))('$label: DOP853 where its steps are held by accuracy, as Auto where held by stability', ({ c }) => {
    const tight = worstError(c, Method.AutoTight);
    const auto = worstError(c, Method.Auto);
    const dop853 = worstError(c, Method.Dop853);
    console.info(`auto at rtol 1e-8, ${c.name}: AutoTight ${tight.worst.toExponential(2)}, Auto ${auto.worst.toExponential(2)}, DOP853 ${dop853.worst.toExponential(2)}`);
    // full TMDD (free drug bound within minutes): DOP853's steps hit its stability bound and the
    // subject is integrated as Auto would; elsewhere DOP853 throughout
    if (c.kind === 'tmdd') expect(tight.observed).toEqual(auto.observed);
    else expect(tight.observed).toEqual(dop853.observed);
    // measured: smaller than Auto's on 6 cases, equal on the 4 full-TMDD ones, at most 8.8× larger
    // on the other 4 (effect-emax-iv, 5.0e-8 against 5.7e-9)
    expect(tight.worst).toBeLessThanOrEqual(10 * auto.worst);
  });
});
