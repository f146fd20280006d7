// Reference propagator for linear mammillary models in double-double arithmetic (≈ 32 digits),
// independent of the engine: Φ(t) = exp(K·t) and Γ(t) = ∫₀ᵗ exp(K·s) ds by scaling and squaring a
// Taylor series of the Van Loan block matrix [[K·t, I·t], [0, 0]]. Squaring s times multiplies
// rounding errors by ~2^s ≈ ‖K·t‖, so for ‖K·t‖ ≤ 1e15 the result keeps ≥ 15 digits, checked
// against mpmath in analytic-stability.test.ts. Steady states solve (I − Φ(τ))·x = c in double-double.

/** A double-double number hi + lo, |lo| ≤ ulp(hi)/2. */
export type DD = readonly [number, number];

const SPLIT = 134217729; // 2^27 + 1

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

function twoProd(a: number, b: number): DD {
  const p = a * b;
  const ca = SPLIT * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLIT * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

export function add(a: DD, b: DD): DD {
  const s = twoSum(a[0], b[0]);
  const t = twoSum(a[1], b[1]);
  let hi = s[0];
  let lo = s[1] + t[0];
  const u = twoSum(hi, lo);
  hi = u[0];
  lo = u[1] + t[1];
  return twoSum(hi, lo);
}

export const neg = (a: DD): DD => [-a[0], -a[1]];
export const sub = (a: DD, b: DD): DD => add(a, neg(b));

export function mul(a: DD, b: DD): DD {
  const p = twoProd(a[0], b[0]);
  return twoSum(p[0], p[1] + a[0] * b[1] + a[1] * b[0]);
}

export function div(a: DD, b: DD): DD {
  const q1 = a[0] / b[0];
  const r = sub(a, mul(b, [q1, 0]));
  const q2 = r[0] / b[0];
  const r2 = sub(r, mul(b, [q2, 0]));
  const q3 = r2[0] / b[0];
  return add(twoSum(q1, q2), [q3, 0]);
}

export const dd = (x: number): DD => [x, 0];
const ZERO: DD = [0, 0];
const ONE: DD = [1, 0];

export type Mat = DD[][];

export const eye = (n: number): Mat => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? ONE : ZERO)));

export function matmul(a: Mat, b: Mat): Mat {
  const n = a.length;
  const c: Mat = [];
  for (let i = 0; i < n; i++) {
    const row: DD[] = [];
    for (let j = 0; j < n; j++) {
      let s = ZERO;
      for (let k = 0; k < n; k++) {
        const x = a[i]![k]!;
        const y = b[k]![j]!;
        if (x[0] !== 0 && y[0] !== 0) s = add(s, mul(x, y));
      }
      row.push(s);
    }
    c.push(row);
  }
  return c;
}

export function matvec(a: Mat, x: readonly DD[]): DD[] {
  return a.map((row) => row.reduce((s, v, k) => add(s, mul(v, x[k]!)), ZERO));
}

const INV: DD[] = Array.from({ length: 19 }, (_, k) => (k === 0 ? dd(1) : div(dd(1), dd(k))));

/** exp(A) by scaling to ‖A‖∞ ≤ 1/2, 18 Taylor terms (truncation < 2e-23 relative), and squaring. */
export function expm(a: Mat): Mat {
  const n = a.length;
  let norm = 0;
  for (const row of a) norm = Math.max(norm, row.reduce((s, v) => s + Math.abs(v[0]), 0));
  const s = norm > 0.5 ? Math.ceil(Math.log2(norm / 0.5)) : 0;
  const f: DD = [2 ** -s, 0];
  const as = a.map((row) => row.map((v) => mul(v, f)));
  let term = eye(n);
  let sum = eye(n);
  for (let k = 1; k <= 18; k++) {
    const inv = INV[k]!;
    term = matmul(term, as).map((row) => row.map((v) => mul(v, inv)));
    sum = sum.map((row, i) => row.map((v, j) => add(v, term[i]![j]!)));
  }
  for (let k = 0; k < s; k++) sum = matmul(sum, sum);
  return sum;
}

/** Φ(t) and Γ(t) of rate matrix K. */
export function phiGamma(K: Mat, t: number): { phi: Mat; gam: Mat } {
  const n = K.length;
  if (t === 0) return { phi: eye(n), gam: Array.from({ length: n }, () => new Array<DD>(n).fill(ZERO)) };
  const tt = dd(t);
  const big: Mat = Array.from({ length: 2 * n }, () => new Array<DD>(2 * n).fill(ZERO));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) big[i]![j] = mul(K[i]![j]!, tt);
    big[i]![n + i] = tt;
  }
  const e = expm(big);
  return { phi: e.slice(0, n).map((r) => r.slice(0, n)), gam: e.slice(0, n).map((r) => r.slice(n)) };
}

/** Φ(t) alone (cheaper: n×n). */
export function phiOnly(K: Mat, t: number): Mat {
  return t === 0 ? eye(K.length) : expm(K.map((row) => row.map((v) => mul(v, dd(t)))));
}

/** Solves A·x = b by Gaussian elimination with partial pivoting. */
export function solve(A: Mat, b: readonly DD[]): DD[] {
  const n = A.length;
  const a = A.map((r) => [...r]);
  const x = [...b];
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i]![k]![0]) > Math.abs(a[p]![k]![0])) p = i;
    [a[k], a[p]] = [a[p]!, a[k]!];
    [x[k], x[p]] = [x[p]!, x[k]!];
    for (let i = k + 1; i < n; i++) {
      const f = div(a[i]![k]!, a[k]![k]!);
      for (let j = k; j < n; j++) a[i]![j] = sub(a[i]![j]!, mul(f, a[k]![j]!));
      x[i] = sub(x[i]!, mul(f, x[k]!));
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let j = i + 1; j < n; j++) s = sub(s, mul(a[i]![j]!, x[j]!));
    x[i] = div(s, a[i]![i]!);
  }
  return x;
}

export const toNumber = (a: DD): number => a[0] + a[1];
