// The exact dose-banding optimizer's work on the subjects (src/design/banding/banding.ts keeps the
// options, messages and results): each subject's dose index range, the sort by banding value, the
// candidate cuts and the groups they separate, every dose given to everybody, the dynamic programme
// over (band, group) and the bands' outcomes. In JavaScript these took ~0.4 s per 10⁶ subjects
// warm and ~0.6 s on the first call of a process (the optimizer runs once per study, on the main
// thread, after the pool). Same algorithms, order of operations and ties as the JavaScript had.
import { BandStatus, BandCuts, BAND_HEAD, BAND_FIELDS } from "./abi";
//
// Each loop over the subjects or groups runs in blocks, a call each (BLOCK): V8 first runs a
// WebAssembly function as baseline (Liftoff) code and swaps in optimized code for later calls, never
// inside a running one, so a single call over 10⁶ subjects would run unoptimized throughout
// (~2× slower: the optimizer runs once per process).

/**
 * Sorts n doubles ascending (stably) together with a 32-bit payload each: LSD radix sort on the
 * IEEE-754 bits mapped to order-preserving unsigned integers, four passes of 16 bits.
 * values (n f64) and payload (n u32) are sorted in place; work holds 4n u32 + 65,536 i32.
 */
export function bandSort(n: i32, values: usize, payload: usize, work: usize): void {
  if (n <= 0) return;
  const nb = <usize>n << 2;
  let hi = work, lo = work + nb, hi2 = work + 2 * nb, lo2 = work + 3 * nb;
  let pl = payload, pl2 = work + 4 * nb;
  const count = work + 5 * nb;
  for (let k0 = 0; k0 < n; k0 += BLOCK) sortKeys(values, hi, lo, k0, min(n, k0 + BLOCK));
  for (let pass = 0; pass < 4; pass++) {
    const src = pass < 2 ? lo : hi;
    const shift = <u32>((pass & 1) * 16);
    memory.fill(count, 0, 65536 << 2);
    for (let k0 = 0; k0 < n; k0 += BLOCK) digitCounts(src, shift, count, k0, min(n, k0 + BLOCK));
    // every key has this digit: the pass would not move anything
    if (load<i32>(count + (<usize>((load<u32>(src) >> shift) & 0xffff) << 2)) == n) continue;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count + (<usize>d << 2);
      const v = load<i32>(c);
      store<i32>(c, sum);
      sum += v;
    }
    for (let k0 = 0; k0 < n; k0 += BLOCK) scatter(src, shift, count, hi, lo, pl, hi2, lo2, pl2, k0, min(n, k0 + BLOCK));
    let t = hi; hi = hi2; hi2 = t;
    t = lo; lo = lo2; lo2 = t;
    t = pl; pl = pl2; pl2 = t;
  }
  for (let k0 = 0; k0 < n; k0 += BLOCK) sortedValues(values, hi, lo, k0, min(n, k0 + BLOCK));
  if (pl != payload) memory.copy(payload, pl, nb);
}

/** Subjects or groups per call of a block function (see the head of the file). */
const BLOCK: i32 = 4096;

/** Keys k0..k1−1: the bits of each double as two unsigned words in the order of the doubles. */
function sortKeys(values: usize, hi: usize, lo: usize, k0: i32, k1: i32): void {
  for (let k = k0; k < k1; k++) {
    const bits = load<u64>(values + (<usize>k << 3));
    let h = <u32>(bits >> 32);
    let l = <u32>bits;
    if (h >> 31) {
      h = ~h; // negative: reverse the order
      l = ~l;
    } else h = h | 0x80000000; // positive: above every negative
    store<u32>(hi + (<usize>k << 2), h);
    store<u32>(lo + (<usize>k << 2), l);
  }
}

function digitCounts(src: usize, shift: u32, count: usize, k0: i32, k1: i32): void {
  for (let k = k0; k < k1; k++) {
    const d = (load<u32>(src + (<usize>k << 2)) >> shift) & 0xffff;
    const c = count + (<usize>d << 2);
    store<i32>(c, load<i32>(c) + 1);
  }
}

function scatter(src: usize, shift: u32, count: usize, hi: usize, lo: usize, pl: usize, hi2: usize, lo2: usize, pl2: usize, k0: i32, k1: i32): void {
  for (let k = k0; k < k1; k++) {
    const o = <usize>k << 2;
    const d = (load<u32>(src + o) >> shift) & 0xffff;
    const c = count + (<usize>d << 2);
    const pos = <usize>load<i32>(c) << 2;
    store<i32>(c, load<i32>(c) + 1);
    store<u32>(hi2 + pos, load<u32>(hi + o));
    store<u32>(lo2 + pos, load<u32>(lo + o));
    store<u32>(pl2 + pos, load<u32>(pl + o));
  }
}

/** sortKeys() undone for k0..k1−1. */
function sortedValues(values: usize, hi: usize, lo: usize, k0: i32, k1: i32): void {
  for (let k = k0; k < k1; k++) {
    const o = <usize>k << 2;
    const h = load<u32>(hi + o);
    const l = load<u32>(lo + o);
    const bits = h >> 31 ? (<u64>(h & 0x7fffffff) << 32) | <u64>l : (<u64>(~h) << 32) | <u64>(~l);
    store<u64>(values + (<usize>k << 3), bits);
  }
}

const NEG: i32 = -0x40000000;

/**
 * P_d += the subjects of group g whose dose index range [r0, r1] holds d (the running count of the
 * programme), directly for a few subjects, else through a difference array.
 */
// @ts-ignore: decorator
@inline
function addGroup(D: i32, P: usize, diff: usize, r0: usize, r1: usize, s0: i32, e0: i32): void {
  if (4 * (e0 - s0) <= D) {
    for (let k = s0; k < e0; k++) {
      const b = load<i32>(r1 + (<usize>k << 2));
      for (let d = load<i32>(r0 + (<usize>k << 2)); d <= b; d++) {
        const p = P + (<usize>d << 2);
        store<i32>(p, load<i32>(p) + 1);
      }
    }
    return;
  }
  memory.fill(diff, 0, <usize>(D + 1) << 2);
  for (let k = s0; k < e0; k++) {
    const a = load<i32>(r0 + (<usize>k << 2));
    const b = load<i32>(r1 + (<usize>k << 2));
    if (a <= b) {
      const pa = diff + (<usize>a << 2);
      store<i32>(pa, load<i32>(pa) + 1);
      const pb = diff + (<usize>(b + 1) << 2);
      store<i32>(pb, load<i32>(pb) - 1);
    }
  }
  let acc = 0;
  for (let d = 0; d < D; d++) {
    acc += load<i32>(diff + (<usize>d << 2));
    const p = P + (<usize>d << 2);
    store<i32>(p, load<i32>(p) + acc);
  }
}

/**
 * The dynamic programme of banding.ts over K bands, G groups (start: G + 1 subject indices) and
 * D doses (subject k holds dose indices r0[k]..r1[k]):
 *   B_k(j) = max_d [ P_d(j) + max_{i<j} (B_{k−1}(i) − P_d(i)) ],
 * ties to the earliest cut and the smallest dose. Returns B_K(G), the subjects in the window
 * (negative when K bands do not fit), and writes the optimal bands to `bands` (K × 3 i32, lowest
 * first: start group, end group (exclusive), dose index). argD and argI (K × (G + 1) i32 each) keep
 * the dose and start group of band k ending at group j for that backtrack; work: 2(G + 1) + 4D + 1 i32.
 */
function bandBest(G: i32, K: i32, D: i32, start: usize, r0: usize, r1: usize, argD: usize, argI: usize, work: usize, bands: usize): i32 {
  const row = <usize>(G + 1) << 2;
  let prev = work, cur = work + row;
  const P = work + 2 * row;
  const M = P + (<usize>D << 2);
  const Mi = M + (<usize>D << 2);
  const diff = Mi + (<usize>D << 2);
  memory.fill(argD, 0, <usize>K * row);
  memory.fill(argI, 0, <usize>K * row);
  memory.fill(Mi, 0, <usize>D << 2);
  for (let j = 0; j <= G; j++) store<i32>(prev + (<usize>j << 2), NEG);
  store<i32>(prev, 0); // B_0: zero bands cover zero groups
  for (let k = 1; k <= K; k++) {
    memory.fill(P, 0, <usize>D << 2);
    for (let d = 0; d < D; d++) store<i32>(M + (<usize>d << 2), NEG);
    for (let j = 0; j <= G; j++) store<i32>(cur + (<usize>j << 2), NEG);
    const base = <usize>(k - 1) * row;
    for (let j0 = 1; j0 <= G; j0 += BLOCK) programmeGroups(D, prev, cur, P, M, Mi, diff, start, r0, r1, argD + base, argI + base, j0, min(G + 1, j0 + BLOCK));
    const t = prev;
    prev = cur;
    cur = t;
  }
  let j = G;
  for (let k = K; k >= 1; k--) {
    const at = <usize>(k - 1) * row + (<usize>j << 2);
    const i = load<i32>(argI + at);
    const out = bands + <usize>(k - 1) * 12;
    store<i32>(out, i);
    store<i32>(out, j, 4);
    store<i32>(out, load<i32>(argD + at), 8);
    j = i;
  }
  return load<i32>(prev + (<usize>G << 2));
}

/** The programme's steps for end groups j0..j1−1 of one band (argD, argI: that band's row). */
function programmeGroups(
  D: i32, prev: usize, cur: usize, P: usize, M: usize, Mi: usize, diff: usize, start: usize, r0: usize, r1: usize,
  argD: usize, argI: usize, j0: i32, j1: i32,
): void {
  for (let j = j0; j < j1; j++) {
    // admit i = j − 1 as the start of band k (B_{k−1}(j − 1) ≥ 0 when k − 1 bands fit in j − 1 groups)
    const bi = load<i32>(prev + (<usize>(j - 1) << 2));
    if (bi >= 0) {
      for (let d = 0; d < D; d++) {
        const o = <usize>d << 2;
        const v = bi - load<i32>(P + o);
        if (v > load<i32>(M + o)) {
          store<i32>(M + o, v);
          store<i32>(Mi + o, j - 1);
        }
      }
    }
    addGroup(D, P, diff, r0, r1, load<i32>(start + (<usize>(j - 1) << 2)), load<i32>(start + (<usize>j << 2)));
    let best = -1;
    let bd = 0;
    for (let d = 0; d < D; d++) {
      const o = <usize>d << 2;
      const v = load<i32>(P + o) + load<i32>(M + o); // negative while M[d] is NEG
      if (v > best) {
        best = v;
        bd = d;
      }
    }
    if (best >= 0) {
      const at = <usize>j << 2;
      store<i32>(cur + at, best);
      store<i32>(argD + at, bd);
      store<i32>(argI + at, load<i32>(Mi + (<usize>bd << 2)));
    }
  }
}

/**
 * Bytes of work memory bandOptimize() needs for N subjects, K bands and D doses: 48 + 8K per
 * subject (the sort's buffers hold the thresholds, cuts and group starts once it is done).
 */
export function bandWorkBytes(N: i32, K: i32, D: i32): f64 {
  return (48.0 + 8.0 * <f64>K) * <f64>N + 20.0 * <f64>K + 32.0 * <f64>D + 262144.0 + 1024.0;
}

/**
 * The whole optimizer on N subjects (banding value, lowest and highest dose within the target;
 * doses: D sorted distinct positive values, D ≤ 65,535) for K bands, candidate cuts by `cuts`
 * (BandCuts.Quantile: at most `param` of them when there are more distinct values; BandCuts.Step: at
 * multiples of `param`). Writes to `out` (f64): [n valid, G groups, distinct values, cut mode used,
 * subjects in the window, B bands, best single dose index], then per dose its subjects within and
 * below, then per band (after merging neighbours with the same dose) from (NaN: none), to (NaN:
 * none), min, max, dose index, subjects, within, below. Returns a BandStatus.
 */
export function bandOptimize(N: i32, by: usize, doseLo: usize, doseHi: usize, D: i32, doses: usize, K: i32, cuts: i32, param: f64, work: usize, out: usize): i32 {
  const N4 = <usize>N << 2, N8 = <usize>N << 3;
  const x = work;
  const packed = x + N8;
  const sortWork = packed + N4; // 20N + 256 KiB: the sort's, then thresholds, cuts and group starts
  const r0 = sortWork + 5 * N4 + 262144;
  const r1 = r0 + N4;
  const argD = r1 + N4;
  const cells = <usize>K * <usize>(N + 1) << 2;
  const argI = argD + cells;
  const rest = (argI + cells + 15) & ~(<usize>15);
  let n = 0;
  for (let k0 = 0; k0 < N; k0 += BLOCK) n = packRanges(by, doseLo, doseHi, D, doses, x, packed, n, k0, min(N, k0 + BLOCK));
  store<f64>(out, <f64>n);
  if (n == 0) return BandStatus.NoSubject;
  bandSort(n, x, packed, sortWork);
  for (let k0 = 0; k0 < n; k0 += BLOCK) unpackRanges(packed, r0, r1, k0, min(n, k0 + BLOCK));

  // every dose given to everybody: difference arrays over dose indices
  const inDiff = rest, belowDiff = inDiff + (<usize>(D + 1) << 3);
  memory.fill(inDiff, 0, <usize>(D + 1) << 4);
  for (let k0 = 0; k0 < n; k0 += BLOCK) doseDiffs(r0, r1, inDiff, belowDiff, k0, min(n, k0 + BLOCK));
  const perDose = out + (<usize>BAND_HEAD << 3);
  let accIn: f64 = 0, accBelow: f64 = 0, bestIn: f64 = 0;
  let fixed = 0;
  for (let d = 0; d < D; d++) {
    accIn += load<f64>(inDiff + (<usize>d << 3));
    accBelow += load<f64>(belowDiff + (<usize>d << 3));
    store<f64>(perDose + (<usize>d << 4), accIn);
    store<f64>(perDose + (<usize>d << 4), accBelow, 8);
    if (accIn > bestIn) {
      bestIn = accIn;
      fixed = d;
    }
  }
  store<f64>(out, <f64>fixed, 48);

  // candidate thresholds t (subject x is in group #{t ≤ x}) and the cut reported for each
  const t = sortWork, c = t + N8, start = c + N8;
  let distinct = 0;
  for (let k0 = 0; k0 < n; k0 += BLOCK) distinct += distinctIn(x, k0, min(n, k0 + BLOCK));
  let mode = cuts;
  if (mode == BandCuts.Quantile && !(<f64>(distinct - 1) > param)) mode = BandCuts.Distinct;
  let m = 0;
  if (mode == BandCuts.Step) {
    const lo = load<f64>(x), hi = load<f64>(x + (<usize>(n - 1) << 3));
    let lastI = 0;
    for (let k = Math.floor(lo / param) + 1; k * param <= hi; k++) {
      const v = k * param;
      const i = lowerBound(x, n, v); // first subject at or above the grid value
      if (i <= lastI || i >= n) continue; // no subject between this cut and the previous one
      store<f64>(t + (<usize>m << 3), v);
      store<f64>(c + (<usize>m << 3), v);
      m++;
      lastI = i;
    }
  } else if (mode == BandCuts.Quantile) {
    const C = <i32>param;
    for (let q = 1; q <= C; q++) {
      let i = <i32>Math.round((<f64>q * <f64>n) / <f64>(C + 1));
      if (i >= n) continue;
      // the start of the run of equal values
      i = lowerBound(x, n, load<f64>(x + (<usize>i << 3)));
      m = pushCut(x, t, c, m, i);
    }
  } else {
    for (let k0 = 1; k0 < n; k0 += BLOCK) m = distinctCuts(x, t, c, m, k0, min(n, k0 + BLOCK));
  }
  const G = m + 1;
  store<f64>(out, <f64>G, 8);
  store<f64>(out, <f64>distinct, 16);
  store<f64>(out, <f64>mode, 24);
  if (K > G) return BandStatus.TooFewGroups;
  if (bestIn == 0) return BandStatus.Infeasible;
  store<i32>(start, 0);
  let g = 0;
  for (let k0 = 0; k0 < n; k0 += BLOCK) g = groupStarts(x, t, G, start, g, k0, min(n, k0 + BLOCK));
  store<i32>(start + (<usize>G << 2), n);

  const raw = belowDiff + (<usize>(D + 1) << 3);
  const dpWork = raw + (<usize>K * 12 + 15) & ~(<usize>15);
  const inWindow = bandBest(G, K, D, start, r0, r1, argD, argI, dpWork, raw);
  store<f64>(out, <f64>inWindow, 32);

  // neighbouring bands with the same dose become one, then each band's outcome
  let B = 0;
  for (let b = 0; b < K; b++) {
    const at = raw + <usize>b * 12;
    const g0 = load<i32>(at), g1 = load<i32>(at, 4), d = load<i32>(at, 8);
    if (B > 0 && load<i32>(raw + <usize>(B - 1) * 12, 8) == d) {
      store<i32>(raw + <usize>(B - 1) * 12, g1, 4);
    } else {
      const to = raw + <usize>B * 12;
      store<i32>(to, g0);
      store<i32>(to, g1, 4);
      store<i32>(to, d, 8);
      B++;
    }
  }
  store<f64>(out, <f64>B, 40);
  const bands = perDose + (<usize>D << 4);
  for (let b = 0; b < B; b++) {
    const at = raw + <usize>b * 12;
    const g0 = load<i32>(at), g1 = load<i32>(at, 4), d = load<i32>(at, 8);
    const o = bands + <usize>b * (BAND_FIELDS << 3);
    store<f64>(o, g0 == 0 ? NaN : load<f64>(c + (<usize>(g0 - 1) << 3)));
    store<f64>(o, g1 == G ? NaN : load<f64>(c + (<usize>(g1 - 1) << 3)), 8);
    store<f64>(o, Infinity, 16);
    store<f64>(o, -Infinity, 24);
    store<f64>(o, <f64>d, 32);
    store<f64>(o, 0, 40);
    store<f64>(o, 0, 48);
    store<f64>(o, 0, 56);
    const end = load<i32>(start + (<usize>g1 << 2));
    for (let k0 = load<i32>(start + (<usize>g0 << 2)); k0 < end; k0 += BLOCK) bandTally(x, r0, r1, d, o, k0, min(end, k0 + BLOCK));
  }
  return BandStatus.Ok;
}

/** First index of sorted a[0..n) with a[k] ≥ v. */
function lowerBound(a: usize, n: i32, v: f64): i32 {
  let lo = 0, hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (load<f64>(a + (<usize>mid << 3)) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index of sorted a[0..n) with a[k] > v. */
function upperBound(a: usize, n: i32, v: f64): i32 {
  let lo = 0, hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (load<f64>(a + (<usize>mid << 3)) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Subjects k0..k1−1 with a finite banding value and dose interval bounds that are not NaN: the
 * value (−0 as +0) at x[n], and the dose index range [first dose ≥ lo, last dose ≤ hi] packed as
 * r0 | (r1 + 1) << 16. Returns the new n.
 */
function packRanges(by: usize, doseLo: usize, doseHi: usize, D: i32, doses: usize, x: usize, packed: usize, n: i32, k0: i32, k1: i32): i32 {
  for (let i = k0; i < k1; i++) {
    const xi = load<f64>(by + (<usize>i << 3));
    const a = load<f64>(doseLo + (<usize>i << 3));
    const b = load<f64>(doseHi + (<usize>i << 3));
    if (!isFinite<f64>(xi) || isNaN<f64>(a) || isNaN<f64>(b)) continue;
    store<f64>(x + (<usize>n << 3), xi == 0 ? 0.0 : xi);
    store<u32>(packed + (<usize>n << 2), <u32>lowerBound(doses, D, a) | (<u32>upperBound(doses, D, b) << 16));
    n++;
  }
  return n;
}

function unpackRanges(packed: usize, r0: usize, r1: usize, k0: i32, k1: i32): void {
  for (let k = k0; k < k1; k++) {
    const p = load<u32>(packed + (<usize>k << 2));
    store<i32>(r0 + (<usize>k << 2), <i32>(p & 0xffff));
    store<i32>(r1 + (<usize>k << 2), <i32>(p >> 16) - 1);
  }
}

/**
 * Difference arrays over dose indices: dose d puts subject k within the target for r0 ≤ d ≤ r1,
 * below for d < min(r0, r1 + 1) (a ceiling wins over a floor).
 */
function doseDiffs(r0: usize, r1: usize, inDiff: usize, belowDiff: usize, k0: i32, k1: i32): void {
  for (let k = k0; k < k1; k++) {
    const a = load<i32>(r0 + (<usize>k << 2));
    const b = load<i32>(r1 + (<usize>k << 2));
    if (a <= b) {
      const pa = inDiff + (<usize>a << 3);
      store<f64>(pa, load<f64>(pa) + 1);
      const pb = inDiff + (<usize>(b + 1) << 3);
      store<f64>(pb, load<f64>(pb) - 1);
    }
    store<f64>(belowDiff, load<f64>(belowDiff) + 1);
    const pm = belowDiff + (<usize>min(a, b + 1) << 3);
    store<f64>(pm, load<f64>(pm) - 1);
  }
}

/** Values of sorted x[k0..k1) that differ from the one before (x[0] counts). */
function distinctIn(x: usize, k0: i32, k1: i32): i32 {
  let c = 0;
  for (let i = k0; i < k1; i++) if (i == 0 || load<f64>(x + (<usize>i << 3)) != load<f64>(x + (<usize>(i - 1) << 3))) c++;
  return c;
}

/** A threshold at sorted x[i] when it starts a run of equal values above the last threshold; its cut is the midpoint to the value before. */
// @ts-ignore: decorator
@inline
function pushCut(x: usize, t: usize, c: usize, m: i32, i: i32): i32 {
  const v = load<f64>(x + (<usize>i << 3));
  if (i == 0) return m;
  const before = load<f64>(x + (<usize>(i - 1) << 3));
  if (v == before) return m;
  if (m > 0 && load<f64>(t + (<usize>(m - 1) << 3)) >= v) return m;
  store<f64>(t + (<usize>m << 3), v);
  store<f64>(c + (<usize>m << 3), (before + v) / 2);
  return m + 1;
}

function distinctCuts(x: usize, t: usize, c: usize, m: i32, k0: i32, k1: i32): i32 {
  for (let i = k0; i < k1; i++) if (load<f64>(x + (<usize>i << 3)) != load<f64>(x + (<usize>(i - 1) << 3))) m = pushCut(x, t, c, m, i);
  return m;
}

/** Group starts: subject k opens group g + 1 once x[k] reaches threshold g. Returns the group reached. */
function groupStarts(x: usize, t: usize, G: i32, start: usize, g: i32, k0: i32, k1: i32): i32 {
  for (let k = k0; k < k1; k++) {
    const xk = load<f64>(x + (<usize>k << 3));
    while (g < G - 1 && xk >= load<f64>(t + (<usize>g << 3))) store<i32>(start + (<usize>++g << 2), k);
  }
  return g;
}

/** A band's subjects k0..k1−1 at dose index d: min, max, count, within, below into o (see bandOptimize). */
function bandTally(x: usize, r0: usize, r1: usize, d: i32, o: usize, k0: i32, k1: i32): void {
  let mn = load<f64>(o, 16), mx = load<f64>(o, 24);
  let nn = load<f64>(o, 40), within = load<f64>(o, 48), below = load<f64>(o, 56);
  for (let k = k0; k < k1; k++) {
    nn += 1;
    const lo = load<i32>(r0 + (<usize>k << 2));
    const hi = load<i32>(r1 + (<usize>k << 2));
    if (d >= lo && d <= hi) within += 1;
    else if (d < lo && d <= hi) below += 1;
    const xv = load<f64>(x + (<usize>k << 3));
    if (xv < mn) mn = xv;
    if (xv > mx) mx = xv;
  }
  store<f64>(o, mn, 16);
  store<f64>(o, mx, 24);
  store<f64>(o, nn, 40);
  store<f64>(o, within, 48);
  store<f64>(o, below, 56);
}
