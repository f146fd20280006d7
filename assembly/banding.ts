// The exact dose-banding optimizer's work on the subjects (src/design/banding/banding.ts keeps the
// options, messages and results): each subject's dose index range, the sort by banding value, the
// candidate cuts and the groups they separate, every dose given to everybody, the dynamic programme
// over (band, group) and the bands' outcomes. In JavaScript these took ~0.4 s per 10⁶ subjects
// warm and ~0.6 s on the first call of a process (the optimizer runs once per study, on the main
// thread, after the pool). Same algorithms, order of operations and ties as the JavaScript had, but
// for the dose of a band among doses with as many of its subjects in the window (bandDose).
//
// Memory is most of a first call's time: a page the process touches for the first time costs a
// fault (~10 µs on the virtual machines measured, see "Fresh pages" in the README), ~26,000 of
// them for the 104 bytes per subject this took at first. So the subjects arrive in blocks through
// a small staging area (bandPack), the sort works on 64-bit keys in place, each subject's dose
// range stays packed in 32 bits, the group starts and cuts reuse the sort's buffers, and the
// programme keeps only the start group of each (band, end group), recomputing the dose when it
// walks back: 24 + 4·K bytes per subject (K bands), besides the staging.
//
// Each loop over the subjects or groups runs in blocks, a call each (BLOCK): V8 first runs a
// WebAssembly function as baseline (Liftoff) code and swaps in optimized code for later calls, never
// inside a running one.
import { BandStatus, BandCuts, BandOrder, BAND_HEAD, BAND_FIELDS } from "./abi";

/** Subjects or groups per call of a block function (see the head of the file). */
const BLOCK: i32 = 4096;
const NEG: i32 = -0x40000000;
const COUNT_BYTES: usize = 65536 << 2;

// @ts-ignore: decorator
@inline function align16(p: usize): usize {
  return (p + 15) & ~(<usize>15);
}

// ---- the work memory of N subjects, K bands, D doses (one layout, read by every function below) ----
// x (8N: banding values, then sorted), packed (4N: dose index ranges, then sorted), key2 + pl2 (12N:
// the sort's other half, then group starts and cuts), count (the sort's digits), the dose values
// (8D, bandPack's copy: bandDose breaks ties by them), prev/cur (the
// programme's rows), argI (K(N + 1)), and a few arrays of D or K values.
// @ts-ignore: decorator
@inline function packedOf(work: usize, N: i32): usize {
  return work + (<usize>N << 3);
}
// @ts-ignore: decorator
@inline function key2Of(work: usize, N: i32): usize {
  return align16(packedOf(work, N) + (<usize>N << 2));
}
// @ts-ignore: decorator
@inline function countOf(work: usize, N: i32): usize {
  return align16(key2Of(work, N) + 12 * <usize>N + 32);
}
// @ts-ignore: decorator
@inline function dosesOf(work: usize, N: i32): usize {
  return countOf(work, N) + COUNT_BYTES;
}
// @ts-ignore: decorator
@inline function rowsOf(work: usize, N: i32, D: i32): usize {
  return align16(dosesOf(work, N) + (<usize>D << 3));
}
// @ts-ignore: decorator
@inline function argIOf(work: usize, N: i32, D: i32): usize {
  return align16(rowsOf(work, N, D) + (<usize>(N + 1) << 3));
}
// @ts-ignore: decorator
@inline function smallOf(work: usize, N: i32, K: i32, D: i32): usize {
  return align16(argIOf(work, N, D) + <usize>K * (<usize>(N + 1) << 2));
}

/**
 * Bytes of work memory for N subjects, K bands and D doses (24 + 4K per subject, see the head; the
 * ordered programme's rows, 3·K·D i32, and its checkpoints, at most 64 MiB, besides).
 */
export function bandWorkBytes(N: i32, K: i32, D: i32): f64 {
  const rows = 40.0 * <f64>(D + 1) + 12.0 * <f64>K + 12.0 * <f64>K * <f64>D + 16.0 * <f64>(D + 1) + 320.0;
  return <f64>(smallOf(0, N, K, D)) + rows + <f64>ckSlots(N, K, D) * <f64>slotBytes(K, D) + 64.0;
}

/**
 * Adds m subjects (banding value, lowest and highest dose within the target) to the n packed in
 * `work` so far: those with a finite banding value and dose interval bounds that are not NaN, the
 * value (−0 as +0) and the dose index range [first dose ≥ lo, last dose ≤ hi] packed as
 * r0 | (r1 + 1) << 16 (D ≤ 65,535 sorted doses). Returns the new n.
 */
export function bandPack(m: i32, by: usize, doseLo: usize, doseHi: usize, D: i32, doses: usize, N: i32, work: usize, n: i32): i32 {
  const packed = packedOf(work, N);
  // bandDose breaks ties between doses by their values
  memory.copy(dosesOf(work, N), doses, <usize>D << 3);
  for (let k0 = 0; k0 < m; k0 += BLOCK) n = packRanges(by, doseLo, doseHi, D, doses, work, packed, n, k0, min(m, k0 + BLOCK));
  return n;
}

/**
 * Sorts n doubles ascending (stably) together with a 32-bit payload each, in place: LSD radix sort
 * of 16-bit digits on the IEEE-754 bits mapped to order-preserving unsigned integers. work: 12n +
 * 262,176 bytes, 16-byte aligned.
 */
export function bandSort(n: i32, values: usize, payload: usize, work: usize): void {
  radixSort(n, values, payload, work, align16(work + (<usize>n << 3) + (<usize>n << 2) + 16));
}

function radixSort(n: i32, values: usize, payload: usize, other: usize, count: usize): void {
  if (n <= 0) return;
  let key = values, pl = payload;
  let key2 = other, pl2 = other + (<usize>n << 3);
  for (let k0 = 0; k0 < n; k0 += BLOCK) toKeys(values, k0, min(n, k0 + BLOCK));
  for (let pass = 0; pass < 4; pass++) {
    const shift = <u64>(pass * 16);
    memory.fill(count, 0, COUNT_BYTES);
    for (let k0 = 0; k0 < n; k0 += BLOCK) digitCounts(key, shift, count, k0, min(n, k0 + BLOCK));
    // every key has this digit: the pass would not move anything
    if (load<i32>(count + (<usize>((load<u64>(key) >> shift) & 0xffff) << 2)) == n) continue;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count + (<usize>d << 2);
      const v = load<i32>(c);
      store<i32>(c, sum);
      sum += v;
    }
    for (let k0 = 0; k0 < n; k0 += BLOCK) scatter(key, pl, shift, count, key2, pl2, k0, min(n, k0 + BLOCK));
    let t = key; key = key2; key2 = t;
    t = pl; pl = pl2; pl2 = t;
  }
  if (key != values) {
    memory.copy(values, key, <usize>n << 3);
    memory.copy(payload, pl, <usize>n << 2);
  }
  for (let k0 = 0; k0 < n; k0 += BLOCK) fromKeys(values, k0, min(n, k0 + BLOCK));
}

/** The doubles k0..k1−1 as unsigned keys in their order, in place. */
function toKeys(values: usize, k0: i32, k1: i32): void {
  for (let k = k0; k < k1; k++) {
    const p = values + (<usize>k << 3);
    const bits = load<u64>(p);
    // negative: reverse the order; positive: above every negative
    store<u64>(p, bits >> 63 ? ~bits : bits | 0x8000000000000000);
  }
}

/** toKeys() undone. */
function fromKeys(values: usize, k0: i32, k1: i32): void {
  for (let k = k0; k < k1; k++) {
    const p = values + (<usize>k << 3);
    const key = load<u64>(p);
    store<u64>(p, key >> 63 ? key & 0x7fffffffffffffff : ~key);
  }
}

function digitCounts(key: usize, shift: u64, count: usize, k0: i32, k1: i32): void {
  for (let k = k0; k < k1; k++) {
    const d = <usize>((load<u64>(key + (<usize>k << 3)) >> shift) & 0xffff);
    const c = count + (d << 2);
    store<i32>(c, load<i32>(c) + 1);
  }
}

function scatter(key: usize, pl: usize, shift: u64, count: usize, key2: usize, pl2: usize, k0: i32, k1: i32): void {
  for (let k = k0; k < k1; k++) {
    const v = load<u64>(key + (<usize>k << 3));
    const c = count + (<usize>((v >> shift) & 0xffff) << 2);
    const pos = <usize>load<i32>(c);
    store<i32>(c, <i32>pos + 1);
    store<u64>(key2 + (pos << 3), v);
    store<u32>(pl2 + (pos << 2), load<u32>(pl + (<usize>k << 2)));
  }
}

// @ts-ignore: decorator
@inline function lowDose(p: u32): i32 {
  return <i32>(p & 0xffff);
}
// @ts-ignore: decorator
@inline function highDose(p: u32): i32 {
  return <i32>(p >> 16) - 1;
}

/**
 * P_d += the subjects s0..e0−1 whose dose index range holds d (the running count of the programme),
 * directly for a few subjects, else through a difference array.
 */
// @ts-ignore: decorator
@inline
function addGroup(D: i32, P: usize, diff: usize, packed: usize, s0: i32, e0: i32): void {
  if (4 * (e0 - s0) <= D) {
    for (let k = s0; k < e0; k++) {
      const p = load<u32>(packed + (<usize>k << 2));
      const b = highDose(p);
      for (let d = lowDose(p); d <= b; d++) {
        const q = P + (<usize>d << 2);
        store<i32>(q, load<i32>(q) + 1);
      }
    }
    return;
  }
  memory.fill(diff, 0, <usize>(D + 1) << 2);
  rangeDiffs(packed, diff, s0, e0);
  let acc = 0;
  for (let d = 0; d < D; d++) {
    acc += load<i32>(diff + (<usize>d << 2));
    const q = P + (<usize>d << 2);
    store<i32>(q, load<i32>(q) + acc);
  }
}

/** diff[r0] += 1, diff[r1 + 1] −= 1 for the subjects k0..k1−1 with a non-empty dose range. */
// @ts-ignore: decorator
@inline
function rangeDiffs(packed: usize, diff: usize, k0: i32, k1: i32): void {
  for (let k = k0; k < k1; k++) {
    const p = load<u32>(packed + (<usize>k << 2));
    const a = lowDose(p), b = highDose(p);
    if (a <= b) {
      const pa = diff + (<usize>a << 2);
      store<i32>(pa, load<i32>(pa) + 1);
      const pb = diff + (<usize>(b + 1) << 2);
      store<i32>(pb, load<i32>(pb) - 1);
    }
  }
}

function rangeDiffsBlock(packed: usize, diff: usize, k0: i32, k1: i32): void {
  rangeDiffs(packed, diff, k0, k1);
}

/**
 * The dose of a band over subjects s..e−1 that puts the most of them within the target (the count
 * the programme found for the band: any of equals gives the same total). Among equals, the dose
 * nearest the window of the band's median subject (by exposure, which orders the subjects as their
 * dose ranges do): its centre when the doses reach both of its sides, else the side it misses, as
 * pta breaks ties by the distance to the window; then the smallest. The smallest of equals gave
 * the highest-CrCL band (one subject, below the window at every dose) 250 mg, the lowest dose of
 * 250–2000. diff: D + 1 i32; hist: 2(D + 1) i32; doses: the D sorted values.
 */
function bandDose(D: i32, packed: usize, diff: usize, hist: usize, doses: usize, s: i32, e: i32, dLo: i32, dHi: i32): i32 {
  memory.fill(diff, 0, <usize>(D + 1) << 2);
  for (let k0 = s; k0 < e; k0 += BLOCK) rangeDiffsBlock(packed, diff, k0, min(e, k0 + BLOCK));
  let acc = 0, best = -1, bd = dLo, ties = 0;
  for (let d = 0; d < D; d++) {
    const q = diff + (<usize>d << 2);
    acc += load<i32>(q);
    // outside the doses the neighbouring bands' order leaves this band: never chosen
    store<i32>(q, d < dLo || d > dHi ? -1 : acc);
    if (d < dLo || d > dHi) continue;
    if (acc > best) {
      best = acc;
      bd = d;
      ties = 1;
    } else if (acc == best) ties++;
  }
  if (ties < 2 || e <= s) return bd;
  // the median subject's dose range [r0, r1] (each end is monotone in the exposure per unit dose)
  memory.fill(hist, 0, <usize>(D + 1) << 3);
  for (let k0 = s; k0 < e; k0 += BLOCK) rangeHist(packed, hist, D, k0, min(e, k0 + BLOCK));
  const rank = (e - s - 1) >> 1;
  const r0 = medianOf(hist, D, rank);
  const r1 = medianOf(hist + (<usize>(D + 1) << 2), D, rank) - 1;
  const twoSided = r0 > 0 && r1 < D - 1 && r0 <= r1;
  const centre = twoSided ? 0.5 * (load<f64>(doses + (<usize>r0 << 3)) + load<f64>(doses + (<usize>r1 << 3))) : 0.0;
  let bestDist = Infinity;
  for (let d = dLo; d <= dHi; d++) {
    if (load<i32>(diff + (<usize>d << 2)) != best) continue;
    // one-sided (no dose reaches the other side): 0 inside, else the doses short of the side missed
    const dist = twoSided ? Math.abs(load<f64>(doses + (<usize>d << 3)) - centre) : <f64>max(0, max(r0 - d, d - r1));
    if (dist < bestDist) {
      bestDist = dist;
      bd = d;
    }
  }
  return bd;
}

/** hist[r0] += 1 and hist[D + 1 + r1 + 1] += 1 for the subjects k0..k1−1. */
function rangeHist(packed: usize, hist: usize, D: i32, k0: i32, k1: i32): void {
  const h1 = hist + (<usize>(D + 1) << 2);
  for (let k = k0; k < k1; k++) {
    const p = load<u32>(packed + (<usize>k << 2));
    const a = hist + (<usize>lowDose(p) << 2);
    store<i32>(a, load<i32>(a) + 1);
    const b = h1 + (<usize>(highDose(p) + 1) << 2);
    store<i32>(b, load<i32>(b) + 1);
  }
}

/** The value at 0-based rank `rank` of a histogram over 0..D. */
function medianOf(hist: usize, D: i32, rank: i32): i32 {
  let c = 0;
  for (let v = 0; v <= D; v++) {
    c += load<i32>(hist + (<usize>v << 2));
    if (c > rank) return v;
  }
  return D;
}

/**
 * The dynamic programme of banding.ts over K bands, G groups (start: G + 1 subject indices) and
 * D doses:
 *   B_k(j) = max_d [ P_d(j) + max_{i<j} (B_{k−1}(i) − P_d(i)) ],
 * ties to the earliest cut and the smallest dose. Returns B_K(G), the subjects in the window, and
 * writes the optimal bands to `bands` (K × 3 i32, lowest first: start group, end group (exclusive),
 * dose index). Per (band, end group) it keeps the start group alone (argI): walking back, a band's
 * dose is one that puts the most of its subjects within the target, as many as the programme's
 * dose did (a dose with more in i..j − 1 would have scored higher), chosen among equals by
 * bandDose's tie-break: the bands and the total are the programme's, only a tied dose may differ.
 */
function bandBest(G: i32, K: i32, D: i32, start: usize, packed: usize, argI: usize, rows: usize, small: usize, bands: usize, doses: usize): i32 {
  const row = <usize>(G + 1) << 2;
  let prev = rows, cur = rows + row;
  const P = small;
  const M = P + (<usize>D << 2);
  const Mi = M + (<usize>D << 2);
  const diff = Mi + (<usize>D << 2);
  memory.fill(Mi, 0, <usize>D << 2);
  for (let j = 0; j <= G; j++) store<i32>(prev + (<usize>j << 2), NEG);
  store<i32>(prev, 0); // B_0: zero bands cover zero groups
  for (let k = 1; k <= K; k++) {
    memory.fill(P, 0, <usize>D << 2);
    for (let d = 0; d < D; d++) store<i32>(M + (<usize>d << 2), NEG);
    for (let j = 0; j <= G; j++) store<i32>(cur + (<usize>j << 2), NEG);
    const rowI = argI + <usize>(k - 1) * row;
    memory.fill(rowI, 0, row);
    for (let j0 = 1; j0 <= G; j0 += BLOCK) programmeGroups(D, prev, cur, P, M, Mi, diff, start, packed, rowI, j0, min(G + 1, j0 + BLOCK));
    const t = prev;
    prev = cur;
    cur = t;
  }
  let j = G;
  for (let k = K; k >= 1; k--) {
    const i = load<i32>(argI + <usize>(k - 1) * row + (<usize>j << 2));
    const out = bands + <usize>(k - 1) * 12;
    store<i32>(out, i);
    store<i32>(out, j, 4);
    // P, M and Mi are free once the programme has run: the tie-break's histogram
    store<i32>(out, bandDose(D, packed, diff, P, doses, load<i32>(start + (<usize>i << 2)), load<i32>(start + (<usize>j << 2)), 0, D - 1), 8);
    j = i;
  }
  return load<i32>(prev + (<usize>G << 2));
}

/** The programme's steps for end groups j0..j1−1 of one band (argI: that band's row). */
function programmeGroups(
  D: i32, prev: usize, cur: usize, P: usize, M: usize, Mi: usize, diff: usize, start: usize, packed: usize,
  argI: usize, j0: i32, j1: i32,
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
    addGroup(D, P, diff, packed, load<i32>(start + (<usize>(j - 1) << 2)), load<i32>(start + (<usize>j << 2)));
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
      store<i32>(argI + at, load<i32>(Mi + (<usize>bd << 2)));
    }
  }
}

// ---- the programme with the band doses in order along the banding variable ----
// The exact optimum over any doses may alternate on sampling noise: 750 mg below CrCL 112.5, 1500
// up to 117.0, 750 again up to 118.0 (471 of 100,000 subjects, a gain of a few subjects), a table
// no ward would use. With the doses rising (or falling) from band to band, the value of k bands
// over groups < j whose last dose is d is
//   B_k(j, d) = P_d(j) + max_{i<j} (A_{k−1}(i, d) − P_d(i)),   A_{k−1}(i, d) = max_{d' ≤ d} B_{k−1}(i, d')
// (d' ≥ d falling), one sweep over j for all k at once, O(G·K·D) time, O(K·D) memory. Walking
// back needs B_{k−1} at the start group of band k: the sweep's state (P and the rows, 4·D + 12·K·D
// bytes) is kept at C evenly spaced groups (ckSlots: about √N of them, at most 64 MiB), and each
// band's walk back restarts from the last one before its start, for at most G/C groups. Running
// the sweep again from the first group for each band cost O(G·K²·D): 303 s for 20 bands of 200
// doses on 10⁶ subjects. A table per (band, group, dose) would take 4·K·D bytes per subject. Ties
// as bandBest's: the earliest cut; the dose re-picked by bandDose's rule within the doses its
// neighbours leave.

// the ordered programme's arrays in dpSmall: P (D), diff (D + 1), then R, Ri, Bv (K·D each), then
// the checkpoints (ckSlots of them, each P and the rows)
// @ts-ignore: decorator
@inline function ordRowsOf(s: usize, D: i32): usize {
  return align16(s + (<usize>(2 * D + 1) << 2));
}
// @ts-ignore: decorator
@inline function ckOf(s: usize, K: i32, D: i32): usize {
  return align16(ordRowsOf(s, D) + <usize>12 * <usize>K * <usize>D);
}
// @ts-ignore: decorator
@inline function slotBytes(K: i32, D: i32): usize {
  return (<usize>D << 2) + <usize>12 * <usize>K * <usize>D;
}

/** Checkpoints of the ordered programme for N subjects, K bands and D doses (see the head of this part). */
function ckSlots(N: i32, K: i32, D: i32): i32 {
  const fit = <i32>Math.floor(<f64>(64 << 20) / <f64>slotBytes(K, D));
  return max(2, min(<i32>Math.ceil(Math.sqrt(<f64>N)) + 2, fit));
}

/** The state at group 0: one band starts there with nothing before it; more bands have no start yet. */
function orderedInit(K: i32, D: i32, s: usize): void {
  const R = ordRowsOf(s, D);
  const KD = <usize>(K * D) << 2;
  const Ri = R + KD, Bv = Ri + KD;
  memory.fill(s, 0, <usize>D << 2);
  for (let q: usize = 0; q < KD; q += 4) {
    store<i32>(R + q, q < (<usize>D << 2) ? 0 : NEG);
    store<i32>(Ri + q, 0);
    store<i32>(Bv + q, NEG);
  }
}

/** Copies the state (P and the rows) to checkpoint c, or back from it. */
function checkpoint(K: i32, D: i32, s: usize, c: i32, save: bool): void {
  const slot = ckOf(s, K, D) + <usize>c * slotBytes(K, D);
  const p = <usize>D << 2;
  const rows = <usize>12 * <usize>K * <usize>D;
  if (save) {
    memory.copy(slot, s, p);
    memory.copy(slot + p, ordRowsOf(s, D), rows);
  } else {
    memory.copy(s, slot, p);
    memory.copy(ordRowsOf(s, D), slot + p, rows);
  }
}

/**
 * The sweep for L of the K bands over end groups j0 + 1..jEnd, from the state at j0 the rows hold:
 * leaves P = P(jEnd), and per band k (row k − 1) R_k (the running maximum over start groups), Ri_k
 * (its earliest start group) and Bv_k = B_k(jEnd, ·). With `spacing` > 0, the state at every
 * multiple of it is kept as checkpoint j / spacing.
 */
function orderedSweep(L: i32, K: i32, D: i32, rising: bool, start: usize, packed: usize, s: usize, j0: i32, jEnd: i32, spacing: i32): void {
  for (let a = j0 + 1; a <= jEnd; a += BLOCK) orderedGroups(L, K, D, rising, start, packed, s, a, min(jEnd + 1, a + BLOCK), spacing);
}

/** One dose of the admission step: the running maximum a over B_{k−1}(i, ·) so far, R and Ri updated. */
// @ts-ignore: decorator
@inline function admitDose(a: i32, d: i32, prev: usize, P: usize, R: usize, Ri: usize, i: i32): i32 {
  const o = <usize>d << 2;
  const b = load<i32>(prev + o);
  if (b > a) a = b;
  if (a >= 0) {
    const v = a - load<i32>(P + o);
    if (v > load<i32>(R + o)) {
      store<i32>(R + o, v);
      store<i32>(Ri + o, i);
    }
  }
  return a;
}

/** orderedSweep's steps for end groups j0..j1−1. */
function orderedGroups(L: i32, K: i32, D: i32, rising: bool, start: usize, packed: usize, s: usize, j0: i32, j1: i32, spacing: i32): void {
  const P = s, diff = s + (<usize>D << 2);
  const R = ordRowsOf(s, D);
  const KD = <usize>(K * D) << 2;
  const Ri = R + KD, Bv = Ri + KD;
  for (let j = j0; j < j1; j++) {
    // admit i = j − 1 as the start of band k ≥ 2: A_{k−1}(j − 1, d), a running maximum over the
    // doses (k − 1 bands need k − 1 groups: none before that)
    const admit = min(L, j);
    for (let k = 1; k < admit; k++) {
      const prev = Bv + <usize>((k - 1) * D) * 4;
      const row = <usize>(k * D) * 4;
      let a = NEG;
      if (rising) {
        for (let d = 0; d < D; d++) a = admitDose(a, d, prev, P, R + row, Ri + row, j - 1);
      } else {
        for (let d = D - 1; d >= 0; d--) a = admitDose(a, d, prev, P, R + row, Ri + row, j - 1);
      }
    }
    addGroup(D, P, diff, packed, load<i32>(start + (<usize>(j - 1) << 2)), load<i32>(start + (<usize>j << 2)));
    // k bands need k groups: rows beyond j stay NEG
    const rows = min(L, j);
    for (let k = 0; k < rows; k++) {
      const row = <usize>(k * D) << 2;
      for (let d = 0; d < D; d++) {
        const o = <usize>d << 2;
        const r = load<i32>(R + row + o);
        // negative while R is NEG: no k + 1 bands end here
        store<i32>(Bv + row + o, r < NEG / 2 ? NEG : r + load<i32>(P + o));
      }
    }
    if (spacing > 0 && j % spacing == 0) checkpoint(K, D, s, j / spacing, true);
  }
}

/**
 * The subjects in the window of the best K bands with the doses in one order (no bands written);
 * the checkpoints of this sweep are kept (`spacing`).
 */
function orderedBest(G: i32, K: i32, D: i32, rising: bool, start: usize, packed: usize, s: usize, spacing: i32): i32 {
  orderedInit(K, D, s);
  checkpoint(K, D, s, 0, true);
  orderedSweep(K, K, D, rising, start, packed, s, 0, G, spacing);
  const Bv = ordRowsOf(s, D) + (<usize>(2 * K * D) << 2) + (<usize>((K - 1) * D) << 2);
  let best = -1;
  for (let d = 0; d < D; d++) best = max(best, load<i32>(Bv + (<usize>d << 2)));
  return best;
}

/**
 * The best K bands with the doses rising (or falling) along the banding variable: writes them to
 * `bands` as bandBest does and returns the subjects in the window. `live`: the rows and the
 * checkpoints hold orderedBest's sweep in this direction.
 */
function orderedBands(G: i32, K: i32, D: i32, rising: bool, live: bool, spacing: i32, start: usize, packed: usize, s: usize, bands: usize, doses: usize): i32 {
  if (!live) orderedBest(G, K, D, rising, start, packed, s, spacing);
  let j = G;
  let dNext = rising ? D - 1 : 0;
  let total = -1;
  for (let k = K; k >= 1; k--) {
    // band k's state at group j: from the last checkpoint at or before it (the full sweep's end for band K)
    if (k < K) {
      const c = j / spacing;
      checkpoint(K, D, s, c, false);
      orderedSweep(k, K, D, rising, start, packed, s, c * spacing, j, 0);
    }
    const R = ordRowsOf(s, D);
    const KD = <usize>(K * D) << 2;
    const row = <usize>((k - 1) * D) << 2;
    const Ri = R + KD + row, Bv = R + 2 * KD + row;
    // band k's dose: the best B_k(j, d) among the doses band k + 1's leaves (all of them for the last)
    let best = NEG, bd = 0;
    for (let d = 0; d < D; d++) {
      if (rising ? d > dNext : d < dNext) continue;
      const v = load<i32>(Bv + (<usize>d << 2));
      if (v > best) {
        best = v;
        bd = d;
      }
    }
    if (k == K) total = best;
    const i = load<i32>(Ri + (<usize>bd << 2));
    const out = bands + <usize>(k - 1) * 12;
    store<i32>(out, i);
    store<i32>(out, j, 4);
    store<i32>(out, bd, 8);
    dNext = bd;
    j = i;
  }
  // each band's dose among those with as many of its subjects in the window, within the doses of
  // the band below (as re-picked) and the band above (as the programme has it): a neighbour's dose
  // first, so that bands an equal count does not need are merged (the earliest cut made a band of
  // the one lowest-CrCL subject at 500 mg beside 2000 mg for the rest, the same 99.8 % as 2000 mg
  // for all), else by bandDose's rule
  const diff = s + (<usize>D << 2);
  const hist = ordRowsOf(s, D);
  let below = rising ? 0 : D - 1;
  for (let k = 0; k < K; k++) {
    const out = bands + <usize>k * 12;
    const above = k + 1 < K ? load<i32>(bands + <usize>(k + 1) * 12, 8) : rising ? D - 1 : 0;
    const i = load<i32>(out), e = load<i32>(out, 4);
    let d = bandDose(D, packed, diff, hist, doses, load<i32>(start + (<usize>i << 2)), load<i32>(start + (<usize>e << 2)), rising ? below : above, rising ? above : below);
    // bandDose leaves each dose's count in diff
    const count = load<i32>(diff + (<usize>d << 2));
    if (k > 0 && load<i32>(diff + (<usize>below << 2)) == count) d = below;
    else if (k + 1 < K && load<i32>(diff + (<usize>above << 2)) == count) d = above;
    store<i32>(out, d, 8);
    below = d;
  }
  return total;
}

/**
 * The optimizer on the n subjects bandPack() left in `work` (of N) for K bands, candidate cuts by
 * `cuts` (BandCuts.Quantile: at most `param` of them when there are more distinct values;
 * BandCuts.Step: at multiples of `param`). Writes to `out` (f64): [n valid, G groups, distinct
 * values, cut mode used, subjects in the window, B bands, best single dose index, dose order used
 * (`order`, a BandOrder: Monotone resolves to Rising or Falling)], then per dose its subjects
 * within and below, then per band (after merging neighbours with the same dose) from
 * (NaN: none), to (NaN: none), min, max, dose index, subjects, within, below. Returns a BandStatus.
 */
export function bandOptimize(N: i32, n: i32, D: i32, K: i32, cuts: i32, param: f64, order: i32, work: usize, out: usize): i32 {
  store<f64>(out, <f64>n);
  if (n == 0) return BandStatus.NoSubject;
  const x = work;
  const packed = packedOf(work, N);
  radixSort(n, x, packed, key2Of(work, N), countOf(work, N));

  // every dose given to everybody: difference arrays over dose indices
  const small = smallOf(work, N, K, D);
  const inDiff = small, belowDiff = inDiff + (<usize>(D + 1) << 2);
  const raw = belowDiff + (<usize>(D + 1) << 2);
  const dpSmall = align16(raw + <usize>K * 12);
  memory.fill(inDiff, 0, <usize>(D + 1) << 3);
  for (let k0 = 0; k0 < n; k0 += BLOCK) {
    rangeDiffsBlock(packed, inDiff, k0, min(n, k0 + BLOCK));
    belowDiffs(packed, belowDiff, k0, min(n, k0 + BLOCK));
  }
  const perDose = out + (<usize>BAND_HEAD << 3);
  let accIn = 0, accBelow = 0, bestIn = 0;
  let fixed = 0;
  for (let d = 0; d < D; d++) {
    accIn += load<i32>(inDiff + (<usize>d << 2));
    accBelow += load<i32>(belowDiff + (<usize>d << 2));
    store<f64>(perDose + (<usize>d << 4), <f64>accIn);
    store<f64>(perDose + (<usize>d << 4), <f64>accBelow, 8);
    if (accIn > bestIn) {
      bestIn = accIn;
      fixed = d;
    }
  }
  // the best single dose is the one-band optimum: the same dose among equals (the programme's
  // arrays are free until it runs)
  if (bestIn > 0) fixed = bandDose(D, packed, dpSmall + (<usize>(3 * D) << 2), dpSmall, dosesOf(work, N), 0, n, 0, D - 1);
  store<f64>(out, <f64>fixed, 48);

  // the candidate cuts, as the start of the group above each (subject x is in group #{cuts ≤ x})
  // and the value reported for it, in the sort's other half
  const start = key2Of(work, N);
  const c = align16(start + (<usize>(N + 1) << 2));
  let distinct = 0;
  for (let k0 = 0; k0 < n; k0 += BLOCK) distinct += distinctIn(x, k0, min(n, k0 + BLOCK));
  let mode = cuts;
  if (mode == BandCuts.Quantile && !(<f64>(distinct - 1) > param)) mode = BandCuts.Distinct;
  store<i32>(start, 0);
  let m = 0;
  if (mode == BandCuts.Step) {
    const lo = load<f64>(x), hi = load<f64>(x + (<usize>(n - 1) << 3));
    // a step written in decimals (0.1) gives the decimal cuts it names: k·0.1 is 0.30000000000000004
    // at k = 3, which put the subjects at 0.3 below a cut printed "< 0.3". The step is read as p/d
    // with d a power of ten; each cut is (k·p)/d, the double nearest the decimal k·step
    let d = 1.0;
    while (d < 1e12 && Math.abs(param * d - Math.round(param * d)) > 1e-9 * param * d) d *= 10.0;
    const p = Math.round(param * d);
    const exact = Math.abs(param * d - p) <= 1e-9 * param * d;
    let lastI = 0;
    for (let k = Math.floor(lo / param) + 1; ; k++) {
      const v = exact ? (k * p) / d : k * param;
      if (!(v <= hi)) break;
      const i = lowerBound(x, n, v); // first subject at or above the grid value
      if (i <= lastI || i >= n) continue; // no subject between this cut and the previous one
      store<i32>(start + (<usize>(m + 1) << 2), i);
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
      m = pushCut(x, start, c, m, i);
    }
  } else {
    for (let k0 = 1; k0 < n; k0 += BLOCK) m = distinctCuts(x, start, c, m, k0, min(n, k0 + BLOCK));
  }
  const G = m + 1;
  store<i32>(start + (<usize>G << 2), n);
  store<f64>(out, <f64>G, 8);
  store<f64>(out, <f64>distinct, 16);
  store<f64>(out, <f64>mode, 24);
  if (K > G) return BandStatus.TooFewGroups;
  if (bestIn == 0) return BandStatus.Infeasible;

  let used = order;
  let inWindow = 0;
  if (order == BandOrder.Any) inWindow = bandBest(G, K, D, start, packed, argIOf(work, N, D), rowsOf(work, N, D), dpSmall, raw, dosesOf(work, N));
  else {
    let live = false;
    // checkpoints 0..⌊G/spacing⌋ fit in the ckSlots(N, K, D) kept
    const spacing = <i32>Math.ceil(<f64>G / <f64>(ckSlots(N, K, D) - 1)) + 1;
    if (order == BandOrder.Monotone) {
      // the better of the two directions, each exact over its own bandings; rising last, so that
      // its sweep, the usual winner's, is still in the rows for the walk back
      const falling = orderedBest(G, K, D, false, start, packed, dpSmall, spacing);
      const rising = orderedBest(G, K, D, true, start, packed, dpSmall, spacing);
      used = falling > rising ? BandOrder.Falling : BandOrder.Rising;
      live = used == BandOrder.Rising;
    }
    inWindow = orderedBands(G, K, D, used == BandOrder.Rising, live, spacing, start, packed, dpSmall, raw, dosesOf(work, N));
  }
  store<f64>(out, <f64>inWindow, 32);
  store<f64>(out, <f64>used, 56);

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
  B = mergeNeighbours(B, D, used, start, packed, raw, dpSmall, dosesOf(work, N));
  store<f64>(out, <f64>B, 40);
  const bands = perDose + (<usize>D << 4);
  for (let b = 0; b < B; b++) {
    const at = raw + <usize>b * 12;
    const g0 = load<i32>(at), g1 = load<i32>(at, 4), d = load<i32>(at, 8);
    const s = load<i32>(start + (<usize>g0 << 2)), e = load<i32>(start + (<usize>g1 << 2));
    const o = bands + <usize>b * (BAND_FIELDS << 3);
    store<f64>(o, g0 == 0 ? NaN : load<f64>(c + (<usize>(g0 - 1) << 3)));
    store<f64>(o, g1 == G ? NaN : load<f64>(c + (<usize>(g1 - 1) << 3)), 8);
    // sorted: the band's smallest and largest banding values are its first and last
    store<f64>(o, load<f64>(x + (<usize>s << 3)), 16);
    store<f64>(o, load<f64>(x + (<usize>(e - 1) << 3)), 24);
    store<f64>(o, <f64>d, 32);
    store<f64>(o, <f64>(e - s), 40);
    store<f64>(o, 0, 48);
    store<f64>(o, 0, 56);
    for (let k0 = s; k0 < e; k0 += BLOCK) bandTally(packed, d, o, k0, min(e, k0 + BLOCK));
  }
  return BandStatus.Ok;
}

/**
 * Merges neighbouring bands (raw: B × (start group, end group, dose index)) where one dose gives
 * their union as many subjects within as the two have apart: among optimal bandings, the one with
 * fewer bands (the walk back's ties left two CrCL subjects below 10 at 500 mg beside 2000 mg for
 * the rest, the same count as 2000 mg for all). With the doses in order, the union's dose stays
 * between its neighbours'. The union's dose is bandDose's. Returns the bands left.
 */
function mergeNeighbours(B: i32, D: i32, order: i32, start: usize, packed: usize, raw: usize, s: usize, doses: usize): i32 {
  const hist = s, diff = s + (<usize>(2 * D + 2) << 2);
  let b = 0;
  while (b + 1 < B) {
    const at = raw + <usize>b * 12, next = at + 12;
    const g0 = load<i32>(at), g1 = load<i32>(next), g2 = load<i32>(next, 4);
    const d0 = load<i32>(at, 8), d1 = load<i32>(next, 8);
    const s0 = load<i32>(start + (<usize>g0 << 2)), s1 = load<i32>(start + (<usize>g1 << 2)), s2 = load<i32>(start + (<usize>g2 << 2));
    const apart = withinAt(packed, d0, s0, s1) + withinAt(packed, d1, s1, s2);
    const below = b > 0 ? load<i32>(raw + <usize>(b - 1) * 12, 8) : -1;
    const above = b + 2 < B ? load<i32>(raw + <usize>(b + 2) * 12, 8) : -1;
    let lo = 0, hi = D - 1;
    if (order == BandOrder.Rising) {
      if (below >= 0) lo = below;
      if (above >= 0) hi = above;
    } else if (order == BandOrder.Falling) {
      if (above >= 0) lo = above;
      if (below >= 0) hi = below;
    }
    const d = bandDose(D, packed, diff, hist, doses, s0, s2, lo, hi);
    if (load<i32>(diff + (<usize>d << 2)) < apart) {
      b++;
      continue;
    }
    store<i32>(at, g2, 4);
    store<i32>(at, d, 8);
    memory.copy(next, next + 12, <usize>(B - b - 2) * 12);
    B--;
    // the union may now merge with the band below it
    if (b > 0) b--;
  }
  return B;
}

/** Subjects s..e−1 within the target at dose index d. */
function withinAt(packed: usize, d: i32, s: i32, e: i32): i32 {
  let c = 0;
  for (let k0 = s; k0 < e; k0 += BLOCK) c += withinBlock(packed, d, k0, min(e, k0 + BLOCK));
  return c;
}

function withinBlock(packed: usize, d: i32, k0: i32, k1: i32): i32 {
  let c = 0;
  for (let k = k0; k < k1; k++) {
    const p = load<u32>(packed + (<usize>k << 2));
    if (d >= lowDose(p) && d <= highDose(p)) c++;
  }
  return c;
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

/**
 * The difference array of the subjects below the target per dose: dose d is below for
 * d < min(r0, r1 + 1) (a ceiling wins over a floor); within is rangeDiffs'.
 */
function belowDiffs(packed: usize, belowDiff: usize, k0: i32, k1: i32): void {
  for (let k = k0; k < k1; k++) {
    const p = load<u32>(packed + (<usize>k << 2));
    store<i32>(belowDiff, load<i32>(belowDiff) + 1);
    const pm = belowDiff + (<usize>min(lowDose(p), highDose(p) + 1) << 2);
    store<i32>(pm, load<i32>(pm) - 1);
  }
}

/** Values of sorted x[k0..k1) that differ from the one before (x[0] counts). */
function distinctIn(x: usize, k0: i32, k1: i32): i32 {
  let c = 0;
  for (let i = k0; i < k1; i++) if (i == 0 || load<f64>(x + (<usize>i << 3)) != load<f64>(x + (<usize>(i - 1) << 3))) c++;
  return c;
}

/**
 * A cut at sorted x[i] when it starts a run of equal values above the last cut: group m + 1 starts
 * at i, and the cut reported is the midpoint to the value before.
 */
// @ts-ignore: decorator
@inline
function pushCut(x: usize, start: usize, c: usize, m: i32, i: i32): i32 {
  if (i == 0) return m;
  const v = load<f64>(x + (<usize>i << 3));
  const before = load<f64>(x + (<usize>(i - 1) << 3));
  if (v == before) return m;
  if (m > 0 && load<i32>(start + (<usize>m << 2)) >= i) return m;
  store<i32>(start + (<usize>(m + 1) << 2), i);
  store<f64>(c + (<usize>m << 3), (before + v) / 2);
  return m + 1;
}

function distinctCuts(x: usize, start: usize, c: usize, m: i32, k0: i32, k1: i32): i32 {
  for (let i = k0; i < k1; i++) if (load<f64>(x + (<usize>i << 3)) != load<f64>(x + (<usize>(i - 1) << 3))) m = pushCut(x, start, c, m, i);
  return m;
}

/** A band's subjects k0..k1−1 at dose index d: within and below into o (see bandOptimize). */
function bandTally(packed: usize, d: i32, o: usize, k0: i32, k1: i32): void {
  let within = load<f64>(o, 48), below = load<f64>(o, 56);
  for (let k = k0; k < k1; k++) {
    const p = load<u32>(packed + (<usize>k << 2));
    const lo = lowDose(p), hi = highDose(p);
    if (d >= lo && d <= hi) within += 1;
    else if (d < lo && d <= hi) below += 1;
  }
  store<f64>(o, within, 48);
  store<f64>(o, below, 56);
}
