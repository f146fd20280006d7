// Counter-based random numbers: variate k of stream `domain` of subject i is a pure function of
// (key, i, domain, k). No generator state exists, so a population is identical for any number of
// workers and any chunk size, and any subject can be regenerated alone.
//
// Method: SplitMix64's output function (Steele, Lea & Flood, OOPSLA 2014; constants from Vigna's
// splitmix64.c) used as a 64-bit mixing hash, applied twice: once to derive the subject's stream key
// from (key, i), once to the counter (domain, k). Uniforms take the top 53 bits, offset by half an
// ulp so 0 and 1 never occur; normals use the inverse CDF (Wichura 1988, AS241 PPND16, relative
// accuracy ~1e-16), one uniform per normal, so slots stay aligned.

// @ts-ignore: decorator
@inline function mix64(x: u64): u64 {
  let z = x;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

const GOLDEN: u64 = 0x9e3779b97f4a7c15;
const TWO_M53: f64 = 1.1102230246251565e-16; // 2^-53

// @ts-ignore: decorator
@inline function streamKey(key: u64, subject: u64): u64 {
  return mix64(key ^ mix64(subject * GOLDEN + 0x632be59bd9b4e019));
}

// @ts-ignore: decorator
@inline function uniformAt(stream: u64, domain: u64, k: u64): f64 {
  const x = mix64(stream ^ mix64((domain << 40) ^ (k * GOLDEN)));
  return (<f64>(x >> 11) + 0.5) * TWO_M53;
}

/** Standard normal quantile Φ⁻¹(p) for p in (0, 1). see: Wichura, Appl Stat 37:477 (1988), AS241 PPND16. */
export function normalQuantile(p: f64): f64 {
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r + 45921.953931549871457) * r +
          13731.693765509461125) * r + 1971.5909503065514427) * r + 133.14166789178437745) * r + 3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r + 21213.794301586595867) * r +
        5394.1960214247511077) * r + 687.1870074920579083) * r + 42.313330701600911252) * r + 1.0)
    );
  }
  let r = q < 0.0 ? p : 1.0 - p;
  r = Math.sqrt(-Math.log(r));
  let v: f64;
  if (r <= 5.0) {
    r -= 1.6;
    v =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r + 1.27045825245236838258) * r +
        3.64784832476320460504) * r + 5.7694972214606914055) * r + 4.6303378461565452959) * r + 1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r + 0.14810397642748007459) * r +
        0.68976733498510000455) * r + 1.6763848301838038494) * r + 2.05319162663775882187) * r + 1.0);
  } else {
    r -= 5.0;
    v =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r + 0.026532189526576123093) * r +
        0.29656057182850489123) * r + 1.7848265399172913358) * r + 5.4637849111641143699) * r + 6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r +
        0.0148753612908506148525) * r + 0.13692988092273580531) * r + 0.59983220655588793769) * r + 1.0);
  }
  return q < 0.0 ? -v : v;
}

/**
 * Fills out[i·k + j] (f64) with variate j (j < k) of stream `domain` for subjects first..first+n-1.
 * normal != 0: standard normals; else uniforms in (0, 1). The key is two u32 halves (JS has no u64).
 */
export function fillRandom(keyLo: u32, keyHi: u32, first: f64, n: i32, domain: i32, k: i32, normal: i32, out: usize): void {
  const key = (<u64>keyHi << 32) | <u64>keyLo;
  const s0 = <u64>first;
  for (let i = 0; i < n; i++) {
    const stream = streamKey(key, s0 + <u64>i);
    const row = out + (<usize>(i * k) << 3);
    for (let j = 0; j < k; j++) {
      const u = uniformAt(stream, <u64>domain, <u64>j);
      store<f64>(row + (<usize>j << 3), normal != 0 ? normalQuantile(u) : u);
    }
  }
}
