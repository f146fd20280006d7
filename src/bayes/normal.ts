// log Φ(x), the log of the standard normal distribution function, accurate to double precision over
// the whole real line (the M3 likelihood of a sample below the limit of quantification needs it far
// into the lower tail, where Φ itself underflows).
//
// W. J. Cody's rational Chebyshev approximations (Math. Comp. 1969;23:631–637; ACM TOMS Algorithm 715),
// the same as R's pnorm, evaluated in the log domain for the lower tail: Φ(−y) = exp(−y²/2)·R(y), so
// log Φ(−y) = −y²/2 + log R(y) never underflows.

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

/** log Φ(−y) for y ≥ 0.66291. */
function logUpperTail(y: number): number {
  if (y <= SQRT_32) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + (C[i] as number)) * y;
      den = (den + (D[i] as number)) * y;
    }
    return -0.5 * y * y + Math.log((num + C[7]) / (den + D[7]));
  }
  const xsq = 1 / (y * y);
  let num = P[5] * xsq;
  let den = xsq;
  for (let i = 0; i < 4; i++) {
    num = (num + (P[i] as number)) * xsq;
    den = (den + (Q[i] as number)) * xsq;
  }
  const r = (xsq * (num + P[4])) / (den + Q[4]);
  return -0.5 * y * y + Math.log((ONE_OVER_SQRT_2PI - r) / y);
}

/** Φ(x) − 1/2 for |x| ≤ 0.66291. */
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
 * log Φ(x) for any x (−∞ at −∞, 0 at +∞).
 *
 * @example
 * logNormalCdf(-40); // ≈ -804.6084420137538 (Φ(−40) itself underflows)
 */
export function logNormalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === -Infinity) return -Infinity;
  if (x === Infinity) return 0;
  if (Math.abs(x) <= 0.66291) return Math.log(0.5 + central(x));
  if (x < 0) return logUpperTail(-x);
  return Math.log1p(-Math.exp(logUpperTail(x)));
}
