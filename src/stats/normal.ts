// The standard normal distribution function Φ (and log Φ) and its inverse Φ⁻¹, accurate to double precision,
// including far into both tails. Both are pure and allocation-free.
//
// Φ: W. J. Cody's rational Chebyshev approximations of the error function (Cody, Math. Comp.
// 1969;23:631–637; ALGORITHM 715, ACM TOMS 1993;19:22–32), as used by R's pnorm: three intervals of
// |x|, with the Gaussian factor exp(−x²/2) split as exp(−xs²/2)·exp(−(x−xs)(x+xs)/2) (xs = x
// truncated to 1/16) so no precision is lost to cancellation. The tail Φ(−|x|) is computed directly,
// never as 1 − Φ(|x|), so values down to ~1e-308 keep full relative precision.
//
// Φ⁻¹: M. J. Wichura, Algorithm AS 241 (PPND16), Applied Statistics 1988;37:477–484: rational
// approximations in three regions, relative accuracy about 1e-16.
//
// The coefficients are written as the shortest decimals of the doubles nearest the published
// 20-digit values (the same numbers at run time).

const SQRT_32 = 5.656854249492381;
const ONE_OVER_SQRT_2PI = 0.3989422804014327;

const A = [2.2352520354606837, 161.02823106855587, 1067.6894854603709, 18154.98125334356, 0.06568233791820745] as const;
const B = [47.202581904688245, 976.0985517377767, 10260.932208618979, 45507.78933502673] as const;
const C = [
  0.39894151208813466, 8.883149794388377, 93.50665613217785, 597.2702763948002, 2494.5375852903726,
  6848.190450536283, 11602.65143764735, 9842.714838383978, 1.0765576773720192e-08,
] as const;
const D = [
  22.266688044328117, 235.387901782625, 1519.3775994075547, 6485.558298266761, 18615.571640885097,
  34900.95272114598, 38912.00328609327, 19685.429676859992,
] as const;
const P = [
  0.215898534057957, 0.12740116116024736, 0.022235277870649807, 0.0014216191932278934, 2.9112874951168793e-05,
  0.023073441764940174,
] as const;
const Q = [1.284260096144911, 0.4682382124808651, 0.06598813786892856, 0.0037823963320275824, 7.297515550839662e-05] as const;

/** exp(−y²/2) without cancellation error: y is split at a multiple of 1/16. */
function gauss(y: number): number {
  const ys = Math.trunc(y * 16) / 16;
  const del = (y - ys) * (y + ys);
  return Math.exp(-ys * ys * 0.5) * Math.exp(-del * 0.5);
}

/** R(y) with Φ(−y) = exp(−y²/2)·R(y), for y ≥ 0.66291 (Cody's two tail intervals). */
function tailRatio(y: number): number {
  if (y <= SQRT_32) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + (C[i] as number)) * y;
      den = (den + (D[i] as number)) * y;
    }
    return (num + C[7]) / (den + D[7]);
  }
  const xsq = 1 / (y * y);
  let num = P[5] * xsq;
  let den = xsq;
  for (let i = 0; i < 4; i++) {
    num = (num + (P[i] as number)) * xsq;
    den = (den + (Q[i] as number)) * xsq;
  }
  const r = (xsq * (num + P[4])) / (den + Q[4]);
  return (ONE_OVER_SQRT_2PI - r) / y;
}

/** Φ(−y) for y ≥ 0.66291 (the upper-tail probability of y), to full relative precision. */
function upperTail(y: number): number {
  if (y > 38.5) return 0; // below the smallest double (Φ(−38.5) ≈ 2e-324)
  return gauss(y) * tailRatio(y);
}

/** Φ(x) for |x| ≤ 0.66291, as 0.5 + x·R(x²). */
function central(x: number): number {
  const xsq = x * x;
  let num = A[4] * xsq;
  let den = xsq;
  for (let i = 0; i < 3; i++) {
    num = (num + (A[i] as number)) * xsq;
    den = (den + (B[i] as number)) * xsq;
  }
  return (x * (num + A[3])) / (den + B[3]);
}

/**
 * Standard normal distribution function Φ(x) = P(Z ≤ x).
 *
 * @example
 * normalCdf(-1.959963984540054); // ≈ 0.025
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= 0.66291) return 0.5 + central(x);
  const tail = upperTail(y);
  return x > 0 ? 1 - tail : tail;
}

/**
 * Upper-tail probability Q(x) = P(Z > x) = Φ(−x), accurate where 1 − Φ(x) would cancel.
 *
 * @example
 * normalSf(10); // ≈ 7.6198530241605e-24
 */
export function normalSf(x: number): number {
  return normalCdf(-x);
}

/**
 * log Φ(x) for any x (−∞ at −∞, 0 at +∞), in the log domain in the lower tail, where Φ itself
 * underflows (the M3 likelihood of a sample below the limit of quantification needs it).
 *
 * @example
 * logNormalCdf(-40); // ≈ -804.6084420137538
 */
export function logNormalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === -Infinity) return -Infinity;
  if (x === Infinity) return 0;
  if (Math.abs(x) <= 0.66291) return Math.log(0.5 + central(x));
  if (x < 0) return -0.5 * x * x + Math.log(tailRatio(-x));
  return Math.log1p(-upperTail(x));
}

/** Density of the standard normal. */
export function normalPdf(x: number): number {
  return ONE_OVER_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/**
 * Standard normal quantile Φ⁻¹(p) (Wichura AS 241). Returns −∞ for p = 0, +∞ for p = 1 and NaN
 * outside [0, 1].
 *
 * @example
 * normalQuantile(0.975); // ≈ 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2509.0809287301227 * r + 33430.57558358813) * r + 67265.7709270087) * r + 45921.95393154987) * r +
          13731.69376550946) *
          r +
          1971.5909503065513) *
          r +
          133.14166789178438) *
          r +
          3.3871328727963665)) /
      (((((((5226.495278852854 * r + 28729.085735721943) * r + 39307.89580009271) * r + 21213.794301586597) * r +
        5394.196021424751) *
        r +
        687.1870074920579) *
        r +
        42.31333070160091) *
        r +
        1)
    );
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x =
      (((((((0.0007745450142783414 * r + 0.022723844989269184) * r + 0.2417807251774506) * r + 1.2704582524523684) * r +
        3.6478483247632045) *
        r +
        5.769497221460691) *
        r +
        4.630337846156546) *
        r +
        1.4234371107496835) /
      (((((((1.0507500716444169e-09 * r + 0.0005475938084995345) * r + 0.015198666563616457) * r + 0.14810397642748008) * r +
        0.6897673349851) *
        r +
        1.6763848301838038) *
        r +
        2.053191626637759) *
        r +
        1);
  } else {
    r -= 5;
    x =
      (((((((2.0103343992922881e-07 * r + 2.7115555687434876e-05) * r + 0.0012426609473880784) * r + 0.026532189526576124) * r +
        0.29656057182850487) *
        r +
        1.7848265399172913) *
        r +
        5.463784911164114) *
        r +
        6.657904643501103) /
      (((((((2.0442631033899397e-15 * r + 1.421511758316446e-07) * r + 1.8463183175100548e-05) * r + 0.0007868691311456133) * r +
        0.014875361290850615) *
        r +
        0.1369298809227358) *
        r +
        0.599832206555888) *
        r +
        1);
  }
  return q < 0 ? -x : x;
}

/**
 * A standard-normal value truncated to [alpha, beta] (standard units, either may be infinite),
 * sampled by the inverse distribution function from one number in (0, 1). To keep precision in
 * the tails the computation runs on the side of zero where the interval lies: an interval entirely
 * above zero is reflected, so its probabilities are small numbers rather than ones close to 1.
 */
export interface TruncatedStandardNormal {
  readonly alpha: number;
  readonly beta: number;
  /** True when the interval lies above zero and the work is done on the reflected interval. */
  readonly reflected: boolean;
  /** Φ of the lower end of the (possibly reflected) interval. */
  readonly pLow: number;
  /** Probability mass of the interval, > 0. */
  readonly mass: number;
}

/** Prepares truncation to [alpha, beta]; mass 0 (e.g. both bounds beyond 38 sd) is for the caller to refuse. */
export function truncatedStandardNormal(alpha: number, beta: number): TruncatedStandardNormal {
  const reflected = alpha > 0;
  const lo = reflected ? -beta : alpha;
  const hi = reflected ? -alpha : beta;
  const pLow = normalCdf(lo);
  const mass = normalCdf(hi) - pLow;
  return { alpha, beta, reflected, pLow, mass };
}

/**
 * Maps a standard normal `z` to the truncated standard normal by the probability-integral
 * transform t = Φ(z) (an exact U(0,1) when z is N(0,1)), x = Φ⁻¹(Φ(α) + t·(Φ(β) − Φ(α))).
 * Monotone increasing in z, so correlation on the normal scale carries through as a Gaussian copula.
 */
export function truncateStandardNormal(tr: TruncatedStandardNormal, z: number): number {
  const t = tr.reflected ? normalCdf(-z) : normalCdf(z);
  const x0 = normalQuantile(tr.pLow + t * tr.mass);
  const x = tr.reflected ? -x0 : x0;
  return x < tr.alpha ? tr.alpha : x > tr.beta ? tr.beta : x;
}
