// Time bins of a VPC. Given edges, a number of equal-count bins, or (default) the natural clusters
// of the sampling times. Clinical designs sample around nominal times with some scatter, and after
// later doses the times that differ (97 h and 102 h: 1 h and 6 h after the third dose) are close on
// the TIME axis: a jump relative to TIME (10 % later) pooled them. So the automatic bins are found
// in three steps, none of them on the absolute time scale:
//  1. a gap between distinct times separates two clusters when the w observations nearest it on
//     either side (5, or 8 of 14,000: not a share of them, which reached into the sparse tails of
//     the clusters of large studies) span less than a third of the gap (ties at 97 h and 102 h span
//     0; on a grid of times, 0.01 h or clock minutes, a gap of up to three steps does not, nor one
//     equal to a gap beside it within a unit of the last written decimal); or when it is wider than
//     the interquartile range of the cluster on either side, each of 20 or more (one sample
//     straying towards the gap widened the span of the few nearest);
//  2. each stretch between such gaps gets as many equal-count bins as its subjects have distinct
//     sampling times in it (the count a tenth of its subjects reach: the median missed one where
//     samples are missing, a duplicated sample is not another; 49 h and 52 h overlapping after the
//     fifth dose: two) when it is set
//     apart from its neighbours by more than its interquartile range or its subjects' first,
//     second… samples form clusters apart; otherwise (continuous or random sampling) at least its
//     share of 8 bins; each cut moves to the widest gap within 15 % of a bin's count of its
//     equal-count place, so it falls between sampling times rather than inside one; bins that may
//     still split or mix sampling times are said (W_BIN_SPLIT);
//  3. a bin with fewer than 2 % of the observations (or 5) is merged into the neighbour across the
//     smaller gap.

import { decimalList } from '../comma-list.js';
import { Errors } from '../errors.js';

/** Edges (ascending), a number of equal-count bins, or 'auto'. */
export type BinSpec = readonly number[] | number | 'auto';

/** A gap separates two clusters when the times nearest it on either side span less than 1/ISOLATION of it… */
const ISOLATION = 3;
/** …and it is wider than this many units of the last written decimal (values missing on a grid of 0.01 h). */
const GRID_STEPS = 3;
/** A gap wider than this many interquartile ranges of the clusters on both sides separates them… */
const SPREAD_GAP = 1;
/** …each of at least this many observations (uniform random times of 5 to 20 per side: 1.5–3 % of studies cut). */
const SPREAD_COUNT = 20;
/** Equal-count bins of data whose times form no clusters (a stretch gets its share of them). */
const FALLBACK_BINS = 8;
/** An automatic bin holds at least this share of the observations, and at least MIN_COUNT. */
const MIN_SHARE = 0.02;
const MIN_COUNT = 5;
/** A stretch's sampling times: the most distinct times this share of its subjects have there (the rest may miss some). */
const FULL_SHARE = 0.1;
/** An automatic equal-count cut moves to the widest gap within this share of a bin's count of its place. */
const SLACK = 0.15;

export interface Bins {
  /** Bin b is [edges[b], edges[b+1]), the last one closed. */
  readonly edges: readonly number[];
  /** Bin of each time (−1 outside every bin). */
  readonly of: Int32Array;
  /** W_BIN_SPLIT: automatic bins that may split a sampling time. */
  readonly warnings: readonly string[];
}

/** Parses --bins: "auto", a count ("8"), or comma-separated ascending edges ("0,1,2,4,8,24"). */
export function parseBins(text: string): BinSpec {
  const t = text.trim().toLowerCase();
  if (t === 'auto') return 'auto';
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n < 1 || n > 100) throw Errors.option('bins', `bins ${text}: expected a number of bins from 1 to 100`, text);
    return n;
  }
  // decimals only: Number() read an empty entry as an edge at 0 and '0x18' as 24
  const edges = decimalList(t);
  if (edges.length < 2 || edges.some((x, i) => !Number.isFinite(x) || (i > 0 && x <= (edges[i - 1] as number))))
    throw Errors.option('bins', `bins ${text}: expected auto, a number of bins, or at least two strictly ascending edges (e.g. 0,1,2,4,8,24)`, text);
  return edges;
}

/** The rule parseBins applies to text, for a spec given as a value (the API's `bins`). */
function checkBinSpec(spec: BinSpec): void {
  if (spec === 'auto') return;
  if (typeof spec === 'number') {
    if (!(Number.isInteger(spec) && spec >= 1 && spec <= 100)) throw Errors.option('bins', 'bins: expected a number of bins from 1 to 100', spec);
    return;
  }
  if (!Array.isArray(spec) || spec.length < 2 || spec.some((x, i) => typeof x !== 'number' || !Number.isFinite(x) || (i > 0 && x <= (spec[i - 1] as number))))
    throw Errors.option('bins', "bins: expected 'auto', a number of bins from 1 to 100, or at least two strictly ascending edges", spec);
}

/** The distinct sorted times and, for each index j, below[j]: how many times are smaller than d[j] (below[m] = n). */
interface Distinct {
  readonly d: readonly number[];
  readonly below: readonly number[];
}

function distinctOf(sorted: Float64Array): Distinct {
  const d: number[] = [];
  const below: number[] = [];
  sorted.forEach((t, i) => {
    if (i === 0 || t !== sorted[i - 1]) {
      d.push(t);
      below.push(i);
    }
  });
  below.push(sorted.length);
  return { d, below };
}

/** Gap after distinct time j (a cut at j lies between d[j] and d[j+1]). */
const gapAt = (t: Distinct, j: number): number => (t.d[j + 1] as number) - (t.d[j] as number);

/**
 * Cuts (indices j: between d[j] and d[j+1]) for k bins of about equal counts of the distinct times
 * a..b, each the cut whose count below is nearest i·n/k. A cut at a quantile that fell on tied times
 * (nominal times: 34, 33 and 33 levels at 1, 4 and 8 h) put the ties above it and dropped a cut equal
 * to the first time: 3 bins gave 2, with 4 h and 8 h pooled. With slack > 0 the cut moves to the
 * widest gap among those within slack·n/k of that count (automatic bins: between sampling times).
 */
function equalCountCuts(t: Distinct, a: number, b: number, k: number, slack = 0): number[] {
  const base = t.below[a] as number;
  const n = (t.below[b + 1] as number) - base;
  const off = (j: number, target: number): number => Math.abs((t.below[j + 1] as number) - base - target);
  const cuts: number[] = [];
  let from = a;
  for (let i = 1; i < k; i++) {
    const target = (i * n) / k;
    let best = -1;
    for (let j = from; j < b; j++) if (best < 0 || off(j, target) < off(best, target)) best = j;
    if (best < 0) break;
    if (slack > 0) for (let j = from; j < b; j++) if (off(j, target) <= (slack * n) / k && gapAt(t, j) > gapAt(t, best)) best = j;
    cuts.push(best);
    from = best + 1;
  }
  return cuts;
}

/**
 * The unit of the last decimal written in any time (0.01 for times to 0.01 h, 1e-4 for clock
 * minutes stored as hours to 4 decimals; about 1e-16 for computed times): rounding moves a gap
 * between distinct times by up to one unit.
 */
function resolution(t: Distinct): number {
  let decimals = 0;
  for (const x of t.d) {
    const text = String(Math.abs(x));
    const e = text.indexOf('e-');
    const dot = text.indexOf('.');
    const written = e >= 0 ? Number(text.slice(e + 2)) + (dot >= 0 ? e - dot - 1 : 0) : dot >= 0 ? text.length - dot - 1 : 0;
    decimals = Math.max(decimals, written);
  }
  return 10 ** -decimals;
}

/**
 * Whether gap j equals a gap beside it within one unit of the last written decimal: times on a
 * grid (clock minutes, 0.01 h), whose tied values have no spread and split one sampling time into
 * bins of 0.49 h, 0.50 h, 0.51 h. Exact equality missed minutes stored to 4 decimals (gaps 0.0166
 * and 0.0167: 17 bins for 11 sampling times). Evenly spaced nominal times without scatter (1, 49,
 * 97 h) are on a grid too: step 2 cuts between them.
 */
function onGrid(t: Distinct, j: number, unit: number): boolean {
  const g = gapAt(t, j);
  const same = (k: number): boolean => k >= 0 && k < t.d.length - 1 && Math.abs(gapAt(t, k) - g) <= unit + 1e-9 * Math.max(Math.abs(t.d[k + 1] as number), 1);
  return same(j - 1) || same(j + 1);
}

/**
 * Step 1: the gaps that separate two clusters: more than ISOLATION times as wide as the span of the
 * w observations nearest it on either side (tied times span 0), with at least minCount
 * observations on each side, and wider than GRID_STEPS units of the last written decimal (a value
 * missing on a grid of 0.01 h left a gap of 0.02 beside spans of 0.01: one sampling time became 3
 * bins). The span was of minCount (2 % of the observations): it grew with the study, into the
 * sparse tail of a cluster, until it exceeded the gaps between sampling times (2,000 subjects
 * sampled at 1, 2, 4 h ×exp(N(0, 0.05²)): 1 h split 1504/496, 4 h and 8 h pooled).
 */
function clusterCuts(t: Distinct, sorted: Float64Array, minCount: number): number[] {
  const unit = resolution(t);
  // evenly spread times leave a gap ISOLATION× the span of the w − 1 spacings beside it with chance
  // (1 + ISOLATION)^−(w − 1): about 1 in n, so that random times are not cut (w = 8 for 14,000)
  const w = Math.min(minCount, Math.max(MIN_COUNT, Math.ceil(1 + Math.log(sorted.length) / Math.log(1 + ISOLATION))));
  const cuts: number[] = [];
  for (let j = 0; j < t.d.length - 1; j++) {
    const split = t.below[j + 1] as number;
    if (split < minCount || sorted.length - split < minCount) continue;
    const span = Math.max((t.d[j] as number) - (sorted[split - w] as number), (sorted[split + w - 1] as number) - (t.d[j + 1] as number));
    // + ½ unit: 7.78 − 7.75 is 0.0300000000000002
    if (gapAt(t, j) > Math.max(ISOLATION * span, (GRID_STEPS + 0.5) * unit) && !onGrid(t, j, unit)) cuts.push(j);
  }
  return spreadCuts(t, sorted, cuts, Math.max(minCount, SPREAD_COUNT), unit);
}

/**
 * Step 1, second rule: a gap wider than the interquartile range of the observations on either side
 * of it, each side reaching to the nearest wider gap or cut (its cluster), of at least `least`
 * observations. The few nearest observations missed a clear gap when one sample strayed towards it
 * (200 subjects, 8 h and 12 h × exp(N(0, 0.05²)): 8-h samples to 9.07 h, 12-h ones from 10.422 h,
 * then 10.925 h: the 5 nearest spanned 0.556 h and 3 × 0.556 > 1.352), and the equal-count bins of
 * the stretch then held the tails of both. Repeated until no gap is added: a cut bounds the
 * clusters beside it (the 4-h cluster of 0.5–4 h, whose gaps widen with time).
 */
function spreadCuts(t: Distinct, sorted: Float64Array, found: readonly number[], least: number, unit: number): number[] {
  const m = t.d.length - 1;
  const gaps = Array.from({ length: m }, (_, j) => gapAt(t, j));
  // nearest wider gap on each side (−1 or m: none), by a monotonic stack
  const widerLeft = new Int32Array(m);
  const widerRight = new Int32Array(m);
  const stack: number[] = [];
  for (let j = 0; j < m; j++) {
    while (stack.length > 0 && (gaps[stack[stack.length - 1] as number] as number) <= (gaps[j] as number)) stack.pop();
    widerLeft[j] = stack.length > 0 ? (stack[stack.length - 1] as number) : -1;
    stack.push(j);
  }
  stack.length = 0;
  for (let j = m - 1; j >= 0; j--) {
    while (stack.length > 0 && (gaps[stack[stack.length - 1] as number] as number) <= (gaps[j] as number)) stack.pop();
    widerRight[j] = stack.length > 0 ? (stack[stack.length - 1] as number) : m;
    stack.push(j);
  }
  const cut = new Uint8Array(m);
  for (const j of found) cut[j] = 1;
  const iqr = (from: number, to: number): number => (sorted[from + Math.floor(0.75 * (to - from - 1))] as number) - (sorted[from + Math.floor(0.25 * (to - from - 1))] as number);
  for (let added = true; added; ) {
    added = false;
    for (let j = 0; j < m; j++) {
      const g = gaps[j] as number;
      if (cut[j] || g <= (GRID_STEPS + 0.5) * unit || onGrid(t, j, unit)) continue;
      let left = widerLeft[j] as number;
      let right = widerRight[j] as number;
      const split = t.below[j + 1] as number;
      // a cut only narrows a side: too few without one, too few with it
      if (split - (t.below[left + 1] as number) < least || (t.below[right + 1] as number) - split < least) continue;
      for (let k = j - 1; k > left; k--) if (cut[k]) { left = k; break; }
      for (let k = j + 1; k < right; k++) if (cut[k]) { right = k; break; }
      const from = t.below[left + 1] as number;
      const to = t.below[right + 1] as number;
      if (split - from < least || to - split < least) continue;
      if (g > SPREAD_GAP * Math.max(iqr(from, split), iqr(split, to))) {
        cut[j] = 1;
        added = true;
      }
    }
  }
  return Array.from({ length: m }, (_, j) => j).filter((j) => cut[j]);
}

/**
 * Step 2: the equal-count cuts inside the stretch a..b: as many bins as its subjects have distinct
 * sampling times in it (stretchDesign) when the stretch is set apart from its neighbours by more
 * than its interquartile range (a cluster of the design, or several in a row; its width was asked,
 * and 8 h and 12 h × exp(N(0, 0.05²)), 1.35 h apart, each 1.9–3.2 h wide, became 3 bins each) or
 * its subjects' first, second… samples there form clusters apart, else at least its share of
 * FALLBACK_BINS (continuous sampling); without subjects, its share. Never more bins than minCount
 * observations each can fill. Said (W_BIN_SPLIT): a stretch of one sample per subject cut into
 * several bins (if it is one sampling time, they split it), and clusters apart whose cut leaves
 * samples of one in the other's bin (tails that touch).
 */
function stretchCuts(t: Distinct, sorted: Float64Array, a: number, b: number, minCount: number, designOf: ((from: number, to: number) => StretchDesign) | undefined, warnings: string[]): number[] {
  const n = (t.below[b + 1] as number) - (t.below[a] as number);
  const side = Math.min(a > 0 ? gapAt(t, a - 1) : Infinity, b < t.d.length - 1 ? gapAt(t, b) : Infinity);
  const share = Math.round((FALLBACK_BINS * n) / (t.below[t.d.length] as number));
  const { perSubject, apart, ranks, samples } = designOf ? designOf(t.below[a] as number, t.below[b + 1] as number) : { perSubject: 0, apart: false, ranks: [], samples: new Map<number, Set<number>>() };
  const lo = t.below[a] as number;
  const iqr = (sorted[lo + Math.floor(0.75 * (n - 1))] as number) - (sorted[lo + Math.floor(0.25 * (n - 1))] as number);
  const design = perSubject > 0 && ((side < Infinity && side > iqr) || apart);
  const k = Math.min(design ? perSubject : Math.max(perSubject, share), Math.floor(n / minCount));
  const at = `the ${n} observations at TIME ${t.d[a] as number}–${t.d[b] as number}`;
  // all the data's times, one per subject (sparse sampling): equal counts are all there is
  if (k > 1 && perSubject === 1 && side < Infinity)
    warnings.push(
      `W_BIN_SPLIT: ${at}, one per subject, are no farther from the times beside them (${+side.toPrecision(4)}) than their interquartile range (${+iqr.toPrecision(4)}): ${k} bins of equal counts, which split them if they are one sampling time; give the bins' edges, midway between the nominal times`,
    );
  const cuts = k > 1 ? equalCountCuts(t, a, b, k, SLACK) : [];
  if (design && apart && cuts.length === perSubject - 1) {
    // the r-th samples beyond the r-th cut, or the next ones before it
    const at2 = cuts.map((j) => ((t.d[j] as number) + (t.d[j + 1] as number)) / 2);
    const across = ranks.reduce((sum, xs, r) => sum + xs.filter((x) => (r < at2.length && x > (at2[r] as number)) || (r > 0 && x < (at2[r - 1] as number))).length, 0);
    if (across > 0)
      warnings.push(
        `W_BIN_SPLIT: ${at}, ${perSubject} sampling times per subject, overlap: ${across} sample${across === 1 ? ' lies' : 's lie'} in the bin of the sampling time beside ${across === 1 ? 'its' : 'their'} own (a subject's first, second… sample taken as the first, second… sampling time; edges ${at2.map((x) => +x.toPrecision(6)).join(', ')}); give the bins' edges, midway between the nominal times`,
      );
  } else if (design && perSubject > 1) {
    // overlapping sampling times, or fewer bins than times (minCount): equal counts may pool two;
    // a subject with two samples in one bin shows it (10 h and 12 h at CV 7 %: 7 of 50)
    const pooled = pooledSubjects(t, cuts, samples);
    if (!apart || pooled > 0)
      warnings.push(
        `W_BIN_SPLIT: ${at}, ${perSubject} sampling times per subject, ${apart ? '' : 'overlap (a subject\'s first, second… samples are not clusters apart): '}${k} bin${k === 1 ? '' : 's'} of equal counts, ${pooled} subject${pooled === 1 ? ' has' : 's have'} two or more samples in one bin; give the bins' edges, midway between the nominal times`,
      );
  }
  return cuts;
}

/** Subjects with two or more distinct times in one bin of the stretch a..b cut at `cuts`: a bin holding two sampling times. */
function pooledSubjects(t: Distinct, cuts: readonly number[], samples: ReadonlyMap<number, ReadonlySet<number>>): number {
  const edges = cuts.map((j) => ((t.d[j] as number) + (t.d[j + 1] as number)) / 2);
  let pooled = 0;
  for (const set of samples.values()) if (new Set([...set].map((x) => edges.filter((e) => x >= e).length)).size < set.size) pooled++;
  return pooled;
}

/** Step 3: cuts removed until every bin holds minCount times, the smallest bin merged across its smaller gap. */
function mergeSmall(t: Distinct, cuts: number[], minCount: number): number[] {
  const c = [...cuts];
  for (;;) {
    const edges = [-1, ...c, t.d.length - 1];
    const counts = c.concat(t.d.length - 1).map((j, i) => (t.below[j + 1] as number) - (t.below[(edges[i] as number) + 1] as number));
    const small = counts.reduce((best, x, i) => (x < minCount && (best < 0 || x < (counts[best] as number)) ? i : best), -1);
    if (small < 0 || c.length === 0) return c;
    // the cut on its left (index small − 1) or right (small), whichever gap is smaller
    const left = small - 1;
    const right = small < c.length ? small : -1;
    const drop = left < 0 ? right : right < 0 ? left : gapAt(t, c[left] as number) <= gapAt(t, c[right] as number) ? left : right;
    c.splice(drop, 1);
  }
}

/** What the subjects' samples in a stretch of times say of its design. */
interface StretchDesign {
  /** samplesPerSubject */
  readonly perSubject: number;
  /** ranksApart */
  readonly apart: boolean;
  /** The r-th samples (ascending) of the subjects with perSubject samples. */
  readonly ranks: readonly (readonly number[])[];
  /** Each subject's distinct times in the stretch. */
  readonly samples: ReadonlyMap<number, ReadonlySet<number>>;
}

/**
 * perSubject: the samples per subject among the sorted times from..to−1: the most distinct times
 * that FULL_SHARE of its subjects have there. The mean (observations / subjects) counted a
 * duplicated sample as another sampling time, and split one in two; the median counted too few
 * where samples are missing (36 h and 48 h, 30 % missing: 24 of 46 subjects with one, 22 with two:
 * one bin of both, unwarned). apart (ranksApart): with 2 or more, whether the subjects
 * that have that many there have their r-th samples (r = 1, 2, …) in clusters apart: the 90th
 * percentile of the r-th below the 10th of the next, and the 10–90 % range of each narrower than
 * the distance between their medians. A design's sampling times are (8 h and 12 h × exp(N(0,
 * 0.05²)): ranges of about 1.0 and 1.5 h, medians 4 h apart), random times are not (the first of 2
 * uniform times in 0–24 h reaches 16.4 h at its 90th percentile, the second 7.6 h at its 10th; a
 * pre-dose sample at 0 and one uniform time: the second's range, 19 h, is wider than 12 h).
 */
function stretchDesign(sorted: Float64Array, subjects: ArrayLike<number>, from: number, to: number): StretchDesign {
  const timesOf = new Map<number, Set<number>>();
  for (let i = from; i < to; i++) {
    const id = subjects[i] as number;
    const set = timesOf.get(id) ?? new Set<number>();
    timesOf.set(id, set.add(sorted[i] as number));
  }
  const counts = [...timesOf.values()].map((set) => set.size).sort((x, y) => x - y);
  const perSubject = counts[Math.floor((1 - FULL_SHARE) * (counts.length - 1))] ?? 0;
  if (perSubject < 2) return { perSubject, apart: false, ranks: [], samples: timesOf };
  // sets fill in ascending time: the r-th element is the r-th sample
  const ranks = Array.from({ length: perSubject }, () => [] as number[]);
  for (const set of timesOf.values()) if (set.size === perSubject) [...set].forEach((x, r) => (ranks[r] as number[]).push(x));
  const q = (r: number, p: number): number => {
    const xs = ranks[r] as number[];
    return xs[p < 0.5 ? Math.ceil(p * (xs.length - 1)) : Math.floor(p * (xs.length - 1))] as number;
  };
  ranks.forEach((xs) => xs.sort((x, y) => x - y));
  // and each a cluster: its 10–90 % range narrower than the distance of its median to the next's
  const apart = (ranks[0] as number[]).length >= MIN_COUNT && ranks.every((_, r) => r === 0 || (q(r - 1, 0.9) < q(r, 0.1) && Math.max(q(r - 1, 0.9) - q(r - 1, 0.1), q(r, 0.9) - q(r, 0.1)) < q(r, 0.5) - q(r - 1, 0.5)));
  return { perSubject, apart, ranks, samples: timesOf };
}

/** The automatic cuts (see the head of this file); `subjects` gives each sorted time's subject. */
function autoCuts(t: Distinct, sorted: Float64Array, subjects: ArrayLike<number> | undefined, warnings: string[]): number[] {
  const minCount = Math.max(MIN_COUNT, Math.ceil(MIN_SHARE * sorted.length));
  const designOf = subjects ? (from: number, to: number): StretchDesign => stretchDesign(sorted, subjects, from, to) : undefined;
  const clusters = clusterCuts(t, sorted, minCount);
  const bounds = [-1, ...clusters, t.d.length - 1];
  const cuts = clusters.flatMap((j, i) => [...stretchCuts(t, sorted, (bounds[i] as number) + 1, j, minCount, designOf, warnings), j]);
  cuts.push(...stretchCuts(t, sorted, (bounds[bounds.length - 2] as number) + 1, t.d.length - 1, minCount, designOf, warnings));
  return mergeSmall(t, cuts, minCount);
}

/**
 * Bins of `times` by `spec`. With 'auto', `subjects` (each time's subject ID, the same length)
 * gives the samples per subject that set the number of bins in a stretch of times; without it,
 * every stretch gets its share of 8 equal-count bins.
 */
export function makeBins(times: ArrayLike<number>, spec: BinSpec, subjects?: ArrayLike<number>): Bins {
  // 0, −3, NaN or 'x' became one bin and 1.5 two, without a word
  checkBinSpec(spec);
  if (subjects !== undefined && subjects.length !== times.length) throw Errors.option('subjects', `subjects: expected one subject per time (${times.length}), got ${subjects.length}`, subjects.length);
  const order = Array.from({ length: times.length }, (_, i) => i).sort((x, y) => (times[x] as number) - (times[y] as number));
  const sorted = Float64Array.from(order, (i) => times[i] as number);
  const n = sorted.length;
  let edges: number[];
  const warnings: string[] = [];
  if (Array.isArray(spec)) edges = [...(spec as number[])];
  else if (n === 0) edges = [0, 1];
  else {
    const lo = sorted[0] as number;
    const hi = sorted[n - 1] as number;
    const t = distinctOf(sorted);
    const cuts = spec === 'auto' ? autoCuts(t, sorted, subjects && Array.from(order, (i) => subjects[i] as number), warnings) : equalCountCuts(t, 0, t.d.length - 1, spec as number);
    edges = [lo, ...cuts.map((j) => ((t.d[j] as number) + (t.d[j + 1] as number)) / 2), hi];
  }
  const of = new Int32Array(times.length).fill(-1);
  const last = edges.length - 2;
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    if (t < (edges[0] as number) || t > (edges[last + 1] as number)) continue;
    let b = 0;
    while (b < last && t >= (edges[b + 1] as number)) b++;
    of[i] = b;
  }
  return { edges, of, warnings };
}
