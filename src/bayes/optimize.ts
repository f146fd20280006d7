// Unconstrained minimisation for MAP estimation: BFGS with a strong-Wolfe line search (Nocedal &
// Wright, Numerical Optimization, 2nd ed., Algorithms 3.5/3.6 and 6.1), gradients by central finite
// differences, and a restart guard. Deterministic: the same inputs give the same iterates.
//
// The objective is given as a *batch* function (many points per call) so that a whole
// finite-difference stencil costs one call into the engine.

import { choleskySpd, inverseSpd, lowerInverse, symmetricEigen } from './linalg.js';

/** Evaluates f at `count` points; point k is xs[k·n .. (k+1)·n). Non-finite values mean "invalid here". */
export type BatchFunction = (xs: Float64Array, count: number, out: Float64Array) => void;

/** f and its gradient at x (gradient written into g). */
export type ValueAndGradient = (x: Float64Array, g: Float64Array) => number;

export interface BfgsOptions {
  /** Converged when max |gᵢ| ≤ gtol (default 1e-6). */
  readonly gtol?: number;
  /** Also converged when a step changes f by less than ftol·(1 + |f|) and x by less than xtol (defaults 1e-12, 1e-8). */
  readonly ftol?: number;
  readonly xtol?: number;
  /** Iteration cap (default 200). */
  readonly maxIterations?: number;
  /** Initial inverse Hessian, n×n row-major (default: identity scaled after the first step). */
  readonly inverseHessian?: Float64Array;
  /** Largest trial step, max |Δxᵢ| (default 5). */
  readonly maxStep?: number;
  /**
   * When the line search cannot improve f (gradient noise) the run still counts as converged if
   * max |gᵢ| ≤ this (default 1e-3).
   */
  readonly gtolNoisy?: number;
}

export interface OptimizeResult {
  readonly x: Float64Array;
  readonly f: number;
  readonly g: Float64Array;
  readonly iterations: number;
  /** Objective evaluations (points, not calls). */
  readonly evaluations: number;
  readonly converged: boolean;
  readonly message: string;
  /** The BFGS inverse-Hessian approximation at the end. */
  readonly inverseHessian: Float64Array;
}

const maxAbs = (a: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
};

/**
 * f and its central-difference gradient in one batch of 2n + 1 points. Step i is
 * steps[i]·max(1, |xᵢ|). `counter` (if given) accumulates the number of points evaluated.
 */
export function centralDifferences(batch: BatchFunction, n: number, steps: ArrayLike<number>, counter?: { points: number }): ValueAndGradient {
  const pts = new Float64Array((2 * n + 1) * n);
  const out = new Float64Array(2 * n + 1);
  const h = new Float64Array(n);
  return (x, g) => {
    for (let k = 0; k < 2 * n + 1; k++) pts.set(x, k * n);
    for (let i = 0; i < n; i++) {
      const xi = x[i] as number;
      const hi = (steps[i] as number) * Math.max(1, Math.abs(xi));
      // exact representable steps
      const up = xi + hi;
      const dn = xi - hi;
      pts[(1 + 2 * i) * n + i] = up;
      pts[(2 + 2 * i) * n + i] = dn;
      h[i] = up - dn;
    }
    batch(pts, 2 * n + 1, out);
    if (counter) counter.points += 2 * n + 1;
    const f = out[0] as number;
    for (let i = 0; i < n; i++) {
      const fu = out[1 + 2 * i] as number;
      const fd = out[2 + 2 * i] as number;
      if (Number.isFinite(fu) && Number.isFinite(fd)) g[i] = (fu - fd) / (h[i] as number);
      // one side invalid (a parameter bound): one-sided difference
      else if (Number.isFinite(fu)) g[i] = (2 * (fu - f)) / (h[i] as number);
      else if (Number.isFinite(fd)) g[i] = (2 * (f - fd)) / (h[i] as number);
      else g[i] = NaN;
    }
    return f;
  };
}

/**
 * f and its forward-difference gradient in one batch of n + 1 points (step i is
 * steps[i]·max(1, |xᵢ|)): half the points of central differences, with an O(step) error instead
 * of O(step²); a point beyond a bound falls back to the backward difference.
 */
export function forwardDifferences(batch: BatchFunction, n: number, steps: ArrayLike<number>, counter?: { points: number }): ValueAndGradient {
  const pts = new Float64Array((n + 1) * n);
  const out = new Float64Array(n + 1);
  const h = new Float64Array(n);
  const back = new Float64Array(n);
  const one = new Float64Array(1);
  return (x, g) => {
    for (let k = 0; k < n + 1; k++) pts.set(x, k * n);
    for (let i = 0; i < n; i++) {
      const xi = x[i] as number;
      const up = xi + (steps[i] as number) * Math.max(1, Math.abs(xi));
      pts[(1 + i) * n + i] = up;
      h[i] = up - xi;
    }
    batch(pts, n + 1, out);
    if (counter) counter.points += n + 1;
    const f = out[0] as number;
    for (let i = 0; i < n; i++) {
      const fu = out[1 + i] as number;
      if (Number.isFinite(fu) || !Number.isFinite(f)) {
        g[i] = (fu - f) / (h[i] as number);
        continue;
      }
      back.set(x);
      back[i] = (x[i] as number) - (h[i] as number);
      batch(back, 1, one);
      if (counter) counter.points++;
      g[i] = Number.isFinite(one[0]) ? (f - (one[0] as number)) / (h[i] as number) : NaN;
    }
    return f;
  };
}

interface Trial {
  a: number;
  f: number;
  d: number;
  g: Float64Array;
}

/** Minimiser of the cubic through (a, fa, da), (b, fb, db), or NaN. */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}

/**
 * Strong-Wolfe line search along p from x (f0, directional derivative d0 < 0).
 * Returns the accepted trial, or the best decreasing trial if the conditions cannot be met, or undefined.
 */
function lineSearch(fg: ValueAndGradient, x: Float64Array, p: Float64Array, f0: number, d0: number, a1: number, aMax: number): Trial | undefined {
  const n = x.length;
  const c1 = 1e-4;
  const c2 = 0.9;
  const xt = new Float64Array(n);
  const eval_ = (a: number): Trial => {
    for (let i = 0; i < n; i++) xt[i] = (x[i] as number) + a * (p[i] as number);
    const g = new Float64Array(n);
    const f = fg(xt, g);
    let d = 0;
    for (let i = 0; i < n; i++) d += (g[i] as number) * (p[i] as number);
    return { a, f, d: Number.isFinite(d) ? d : NaN, g };
  };
  const sufficient = (t: Trial): boolean => Number.isFinite(t.f) && t.f <= f0 + c1 * t.a * d0;
  let best: Trial | undefined;
  const note = (t: Trial): void => {
    if (Number.isFinite(t.f) && t.f < f0 && (!best || t.f < best.f)) best = t;
  };

  const zoom = (lo: Trial, hi: Trial): Trial | undefined => {
    for (let j = 0; j < 40; j++) {
      const lo_ = Math.min(lo.a, hi.a);
      const hi_ = Math.max(lo.a, hi.a);
      const width = hi_ - lo_;
      if (width <= 1e-14 * Math.max(1, hi_)) break;
      let a: number;
      if (!Number.isFinite(hi.f) || !Number.isFinite(hi.d)) a = lo.a + 0.25 * (hi.a - lo.a);
      else {
        a = cubicMin(lo.a, lo.f, lo.d, hi.a, hi.f, hi.d);
        if (!(a > lo_ + 0.1 * width && a < hi_ - 0.1 * width)) a = 0.5 * (lo.a + hi.a);
      }
      const t = eval_(a);
      note(t);
      if (!sufficient(t) || t.f >= lo.f) hi = t;
      else {
        if (Math.abs(t.d) <= -c2 * d0) return t;
        if (t.d * (hi.a - lo.a) >= 0) hi = lo;
        lo = t;
      }
    }
    return best;
  };

  let prev: Trial = { a: 0, f: f0, d: d0, g: new Float64Array(0) };
  let a = Math.min(a1, aMax);
  for (let i = 0; i < 30; i++) {
    const t = eval_(a);
    note(t);
    if (!sufficient(t) || (i > 0 && t.f >= prev.f)) return zoom(prev, t);
    if (Math.abs(t.d) <= -c2 * d0) return t;
    if (t.d >= 0) return zoom(t, prev);
    if (a >= aMax) return t;
    prev = t;
    a = Math.min(2 * a, aMax);
  }
  return best;
}

/** BFGS from x0. */
export function bfgs(fg: ValueAndGradient, x0: ArrayLike<number>, options: BfgsOptions = {}): OptimizeResult {
  const n = x0.length;
  const gtol = options.gtol ?? 1e-6;
  const gtolNoisy = options.gtolNoisy ?? 1e-3;
  const ftol = options.ftol ?? 1e-12;
  const xtol = options.xtol ?? 1e-8;
  const maxIterations = options.maxIterations ?? 200;
  const maxStep = options.maxStep ?? 5;
  const H0 = new Float64Array(n * n);
  const given = options.inverseHessian !== undefined;
  if (options.inverseHessian) H0.set(options.inverseHessian);
  else for (let i = 0; i < n; i++) H0[i * n + i] = 1;
  const H = Float64Array.from(H0);
  let x: Float64Array = Float64Array.from(x0);
  let g: Float64Array = new Float64Array(n);
  let evaluations = 0;
  const counted: ValueAndGradient = (xx, gg) => {
    evaluations++;
    return fg(xx, gg);
  };
  let f = counted(x, g);
  const done = (iterations: number, converged: boolean, message: string): OptimizeResult => ({
    x,
    f,
    g,
    iterations,
    evaluations,
    converged,
    message,
    inverseHessian: H,
  });
  if (n === 0) return done(0, true, 'nothing to estimate');
  if (!Number.isFinite(f)) return done(0, false, 'objective is not finite at the start point');
  const p = new Float64Array(n);
  const Hy = new Float64Array(n);
  // the step and gradient change, made once (an iteration leaves no arrays behind); x alternates
  // between two buffers, so the one returned is never written again
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  let spare: Float64Array = new Float64Array(n);
  let d0 = 0;
  const direction = (): void => {
    d0 = 0;
    for (let i = 0; i < n; i++) {
      let si = 0;
      for (let j = 0; j < n; j++) si -= (H[i * n + j] as number) * (g[j] as number);
      p[i] = si;
      d0 += si * (g[i] as number);
    }
  };
  let fresh = true; // H is H0 (no update since the last reset)
  // every exit of the loop returns through one call of done() below: an exit's own call, never run
  // before TurboFan compiled bfgs (a failed line search), deoptimized it the first time it ran
  let exitK = maxIterations;
  let exitConverged = false;
  let exitMessage = '';
  for (let k = 0; k < maxIterations; k++) {
    const gmax = maxAbs(g);
    if (!Number.isFinite(gmax)) {
      exitK = k;
      exitConverged = false;
      exitMessage = 'gradient is not finite';
      break;
    }
    if (gmax <= gtol) {
      exitK = k;
      exitConverged = true;
      exitMessage = 'gradient below tolerance';
      break;
    }
    // compared on every iteration, not only in the rare exits below: a compare TurboFan had never
    // seen run deoptimized bfgs ("insufficient type feedback") the first time a line search failed
    const noisy = gmax <= gtolNoisy;
    direction();
    if (!(d0 < 0)) {
      H.set(H0);
      fresh = true;
      direction();
      if (!(d0 < 0)) {
        exitK = k;
        exitConverged = noisy;
        exitMessage = 'no descent direction';
        break;
      }
    }
    const pmax = maxAbs(p);
    let t = lineSearch(counted, x, p, f, d0, 1, pmax > 0 ? maxStep / pmax : 1);
    if (!t && !fresh) {
      // a stale curvature model: restart from H0 once
      H.set(H0);
      fresh = true;
      direction();
      if (d0 < 0) {
        const pm = maxAbs(p);
        t = lineSearch(counted, x, p, f, d0, 1, pm > 0 ? maxStep / pm : 1);
      }
    }
    if (!t) {
      exitK = k;
      exitConverged = noisy;
      exitMessage = noisy ? 'line search cannot improve (gradient at noise level)' : 'line search failed';
      break;
    }
    const xn = spare;
    for (let i = 0; i < n; i++) {
      s[i] = t.a * (p[i] as number);
      xn[i] = (x[i] as number) + (s[i] as number);
      y[i] = (t.g[i] as number) - (g[i] as number);
    }
    const df = f - t.f;
    spare = x;
    x = xn;
    f = t.f;
    g = t.g;
    if (df <= ftol * (1 + Math.abs(f)) && maxAbs(s) <= xtol) {
      exitK = k + 1;
      exitConverged = maxAbs(g) <= gtolNoisy;
      exitMessage = 'no further progress';
      break;
    }
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      sy += (s[i] as number) * (y[i] as number);
      yy += (y[i] as number) * (y[i] as number);
    }
    if (sy > 1e-12 * Math.sqrt(yy) * maxAbs(s) && Number.isFinite(sy)) {
      if (fresh && !given) {
        // Shanno–Phua scaling of the identity before the first update
        const sc = sy / yy;
        H.fill(0);
        for (let i = 0; i < n; i++) H[i * n + i] = sc;
      }
      const rho = 1 / sy;
      // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
      let yHy = 0;
      for (let i = 0; i < n; i++) {
        let r = 0;
        for (let j = 0; j < n; j++) r += (H[i * n + j] as number) * (y[j] as number);
        Hy[i] = r;
        yHy += (y[i] as number) * r;
      }
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++)
          H[i * n + j] =
            (H[i * n + j] as number) -
            rho * ((Hy[i] as number) * (s[j] as number) + (s[i] as number) * (Hy[j] as number)) +
            (rho * rho * yHy + rho) * (s[i] as number) * (s[j] as number);
      fresh = false;
    }
  }
  if (exitMessage !== '') return done(exitK, exitConverged, exitMessage);
  return done(maxIterations, maxAbs(g) <= gtolNoisy, 'iteration limit');
}

export interface MinimizeOptions extends BfgsOptions {
  /** Relative finite-difference step per coordinate (default 1e-5). */
  readonly steps?: ArrayLike<number>;
  /**
   * Restarts from x0 ± spread·sdᵢ·eᵢ: 'auto' (default) when the first run fails or never moves,
   * 'always', or 'never'. The best objective wins.
   */
  readonly restarts?: 'auto' | 'always' | 'never';
  /** Per-coordinate scale of the restart points (e.g. prior SDs; default 1). */
  readonly sd?: ArrayLike<number>;
  /** Multiple of sd for restart points (default 1.5). */
  readonly spread?: number;
  /**
   * 'auto' mode also restarts when this says the converged point looks wrong (e.g. a residual far
   * outside its error model: a local minimum that fits the data badly).
   */
  readonly suspect?: (x: Float64Array, f: number) => boolean;
  /**
   * Forward differences (n + 1 points per gradient instead of 2n + 1) while max |gᵢ| is above
   * this, then BFGS again from there with central differences and the curvature learnt so far, so
   * that the convergence test (gtol, gtolNoisy) always sees a central-difference gradient. Worth it
   * where a point is expensive (an ODE solve); it must be far above the forward error
   * step·|∂²f/∂xᵢ²|/2. Default: central differences throughout.
   */
  readonly forwardAbove?: number;
  /**
   * f and its central-difference gradient with these options' steps, evaluated by the objective
   * itself (the engine's, map-fast.ts: the stencil in one call), instead of centralDifferences over
   * `batch`: the same values.
   */
  readonly centralGradient?: ValueAndGradient;
  /**
   * A whole BFGS run with central differences of these options' steps, run by the objective itself
   * (the engine's, map-fast.ts), instead of bfgs here: the same iterates. Not with forwardAbove.
   */
  readonly centralBfgs?: (x0: ArrayLike<number>, options: BfgsOptions) => OptimizeResult;
}

export interface MinimizeResult extends OptimizeResult {
  /** Starts tried (1 without restarts). */
  readonly starts: number;
  /** Total objective evaluations (points) over all starts. */
  readonly points: number;
}

/** BFGS with central-difference gradients and the restart guard. */
export function minimize(batch: BatchFunction, x0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const n = x0.length;
  const steps = options.steps ?? new Float64Array(n).fill(1e-5);
  const counter = { points: 0 };
  const own = options.centralGradient;
  const fg: ValueAndGradient = own
    ? (x, g) => {
        counter.points += 2 * n + 1;
        return own(x, g);
      }
    : centralDifferences(batch, n, steps, counter);
  const above = options.forwardAbove;
  const fgForward = above !== undefined && n > 0 ? forwardDifferences(batch, n, steps, counter) : undefined;
  const ownBfgs = options.centralBfgs;
  const run = (start: ArrayLike<number>): OptimizeResult => {
    if (!fgForward && ownBfgs) {
      const r = ownBfgs(start, options);
      counter.points += r.evaluations * (2 * n + 1);
      return r;
    }
    if (!fgForward) return bfgs(fg, start, options);
    const a = bfgs(fgForward, start, { ...options, gtol: above, gtolNoisy: above });
    if (!Number.isFinite(a.f)) return bfgs(fg, start, options);
    const b = bfgs(fg, a.x, { ...options, inverseHessian: a.inverseHessian });
    return { ...b, iterations: a.iterations + b.iterations, evaluations: a.evaluations + b.evaluations };
  };
  let best = run(x0);
  let starts = 1;
  const mode = options.restarts ?? 'auto';
  const stalled = !best.converged || (best.iterations === 0 && maxAbs(best.g) > 0) || (options.suspect?.(Float64Array.from(best.x), best.f) ?? false);
  if (n > 0 && (mode === 'always' || (mode === 'auto' && stalled))) {
    const spread = options.spread ?? 1.5;
    for (let i = 0; i < n; i++)
      for (const sign of [1, -1]) {
        const xs = Float64Array.from(x0);
        xs[i] = (xs[i] as number) + sign * spread * ((options.sd?.[i] as number | undefined) ?? 1);
        const r = run(xs);
        starts++;
        const better = Number.isFinite(r.f) && (!Number.isFinite(best.f) || r.f < best.f - 1e-9 || (r.converged && !best.converged && r.f <= best.f + 1e-6));
        if (better) best = r;
      }
  }
  return { ...best, starts, points: counter.points };
}

/**
 * Hessian of f at x by central second differences (one batch of 1 + 2n² points); step i is
 * steps[i]·max(1, |xᵢ|). Symmetric, row-major n×n.
 */
export function finiteDifferenceHessian(batch: BatchFunction, x: ArrayLike<number>, steps: ArrayLike<number>): Float64Array {
  const n = x.length;
  const h = Array.from({ length: n }, (_, i) => (steps[i] as number) * Math.max(1, Math.abs(x[i] as number)));
  const m = 1 + 2 * n + 2 * n * (n - 1);
  const pts = new Float64Array(m * n);
  for (let k = 0; k < m; k++) for (let i = 0; i < n; i++) pts[k * n + i] = x[i] as number;
  let k = 1;
  const at = (i: number, di: number, j = -1, dj = 0): number => {
    pts[k * n + i] = (pts[k * n + i] as number) + di;
    if (j >= 0) pts[k * n + j] = (pts[k * n + j] as number) + dj;
    return k++;
  };
  const idx: number[][] = [];
  for (let i = 0; i < n; i++) idx.push([at(i, h[i] as number), at(i, -(h[i] as number))]);
  const off: number[][] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const hi = h[i] as number;
      const hj = h[j] as number;
      off.push([i, j, at(i, hi, j, hj), at(i, hi, j, -hj), at(i, -hi, j, hj), at(i, -hi, j, -hj)]);
    }
  const out = new Float64Array(m);
  batch(pts, m, out);
  const f0 = out[0] as number;
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const [u, d] = idx[i] as [number, number];
    H[i * n + i] = ((out[u] as number) - 2 * f0 + (out[d] as number)) / ((h[i] as number) * (h[i] as number));
  }
  for (const [i, j, pp, pm, mp, mm] of off as [number, number, number, number, number, number][]) {
    const v = ((out[pp] as number) - (out[pm] as number) - (out[mp] as number) + (out[mm] as number)) / (4 * (h[i] as number) * (h[j] as number));
    H[i * n + j] = v;
    H[j * n + i] = v;
  }
  return H;
}


/** A Hessian by second differences in coordinates scaled to the function's own curvature. */
export interface ScaledHessian {
  /** ∂²f/∂x² at x, n×n row-major; non-finite entries when a point of the stencil is invalid. */
  readonly hessian: Float64Array;
  /**
   * Its inverse, formed in the scaled coordinates (L·Hz⁻¹·Lᵀ: no inversion of an ill-conditioned
   * matrix); undefined when the Hessian is not positive definite.
   */
  readonly inverse?: Float64Array;
  /** Points evaluated (1 + 2n² per pass). */
  readonly points: number;
  /** Stencils evaluated (1 or 2), one batch call each. */
  readonly passes: number;
}

/** Entries of a scaled Hessian within [1/5, 5] of the identity's eigenvalues count as whitened. */
const WHITE_LOW = 0.2;
const WHITE_HIGH = 5;

/**
 * The Hessian of f at x by central second differences (the stencil of finiteDifferenceHessian, one
 * batch of 1 + 2n² points) of g(z) = f(x + L·z) at z = 0, with one step `step` in every z, where
 * L·Lᵀ is the first of `scales` (approximate inverse Hessians, n×n) that is positive definite, else
 * the identity. Where g's Hessian Hz is then far from the identity (an eigenvalue outside
 * [1/5, 5]: the scale was poor) a second pass differences again in z' = |Λ|^½·Vᵀ·z (Hz = V·Λ·Vᵀ,
 * |λ| at least 1e-2), where the Hessian is close to the identity also along a direction of
 * negative curvature. H = L⁻ᵀ·Hz·L⁻¹.
 *
 * Fixed steps in x made an ill-conditioned Hessian (eigenvalues 2.5 and 1600) wrong along its flat
 * direction: the truncation error of the stiff direction, O(h²·∂⁴f), is large against the small
 * eigenvalue; whitened, every direction is differenced over the same fraction of its own width.
 */
export function scaledHessian(batch: BatchFunction, x: ArrayLike<number>, scales: readonly (ArrayLike<number> | undefined)[], step: number, maxPasses = 2): ScaledHessian {
  const n = x.length;
  // L (columns: the step directions) and L⁻¹
  let L: Float64Array | undefined;
  for (const s of scales) if (s && (L = choleskySpd(s, n))) break;
  let Li: Float64Array;
  if (!L) {
    L = new Float64Array(n * n);
    for (let i = 0; i < n; i++) L[i * n + i] = 1;
    Li = Float64Array.from(L);
  } else Li = lowerInverse(L, n);
  const m = 1 + 2 * n + 2 * n * (n - 1);
  const zs = new Float64Array(m * n);
  let k = 1;
  const at = (i: number, di: number, j = -1, dj = 0): number => {
    zs[k * n + i] = di;
    if (j >= 0) zs[k * n + j] = dj;
    return k++;
  };
  const diag: [number, number][] = [];
  for (let i = 0; i < n; i++) diag.push([at(i, step), at(i, -step)]);
  const off: [number, number, number, number, number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off.push([i, j, at(i, step, j, step), at(i, step, j, -step), at(i, -step, j, step), at(i, -step, j, -step)]);
  const pts = new Float64Array(m * n);
  const out = new Float64Array(m);
  const pass = (Lc: Float64Array): Float64Array => {
    for (let p = 0; p < m; p++)
      for (let i = 0; i < n; i++) {
        let s = x[i] as number;
        for (let j = 0; j < n; j++) s += (Lc[i * n + j] as number) * (zs[p * n + j] as number);
        pts[p * n + i] = s;
      }
    batch(pts, m, out);
    const f0 = out[0] as number;
    const Hz = new Float64Array(n * n);
    diag.forEach(([u, d], i) => (Hz[i * n + i] = ((out[u] as number) - 2 * f0 + (out[d] as number)) / (step * step)));
    for (const [i, j, pp, pm, mp, mm] of off) {
      const v = ((out[pp] as number) - (out[pm] as number) - (out[mp] as number) + (out[mm] as number)) / (4 * step * step);
      Hz[i * n + j] = v;
      Hz[j * n + i] = v;
    }
    return Hz;
  };
  let Hz = pass(L);
  let passes = 1;
  for (; passes < maxPasses; passes++) {
    const e = symmetricEigen(Hz, n);
    if (!e) break;
    let white = true;
    for (const l of e.values) if (!(l >= WHITE_LOW && l <= WHITE_HIGH)) white = false;
    if (white) break;
    // z = M·z' with M = V·|Λ|^-½, so L' = L·M and L'⁻¹ = |Λ|^½·Vᵀ·L⁻¹
    const d = Array.from(e.values, (l) => Math.sqrt(Math.max(Math.abs(l), 1e-2)));
    const L2 = new Float64Array(n * n);
    const Li2 = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < n; c++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += (L[i * n + j] as number) * (e.vectors[j * n + c] as number);
        L2[i * n + c] = s / (d[c] as number);
        let t = 0;
        for (let j = 0; j < n; j++) t += (e.vectors[j * n + i] as number) * (Li[j * n + c] as number);
        Li2[i * n + c] = t * (d[i] as number);
      }
    const H2 = pass(L2);
    // a point of the wider stencil invalid (a bound): the first pass's Hessian stands
    if (H2.some((v) => !Number.isFinite(v))) {
      passes++;
      break;
    }
    L = L2;
    Li = Li2;
    Hz = H2;
  }
  // H = L⁻ᵀ·Hz·L⁻¹
  const T = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += (Hz[i * n + j] as number) * (Li[j * n + c] as number);
      T[i * n + c] = s;
    }
  const H = new Float64Array(n * n);
  for (let r = 0; r < n; r++)
    for (let c = r; c < n; c++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += (Li[i * n + r] as number) * (T[i * n + c] as number);
      H[r * n + c] = s;
      H[c * n + r] = s;
    }
  let inverse: Float64Array | undefined;
  const Hzi = Hz.every((v) => Number.isFinite(v)) ? inverseSpd(Hz, n) : undefined;
  if (Hzi) {
    // L·Hz⁻¹·Lᵀ
    const U = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < n; c++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += (L[i * n + j] as number) * (Hzi[j * n + c] as number);
        U[i * n + c] = s;
      }
    inverse = new Float64Array(n * n);
    for (let r = 0; r < n; r++)
      for (let c = r; c < n; c++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += (U[r * n + j] as number) * (L[c * n + j] as number);
        inverse[r * n + c] = s;
        inverse[c * n + r] = s;
      }
  }
  return { hessian: H, inverse, points: passes * m, passes };
}
