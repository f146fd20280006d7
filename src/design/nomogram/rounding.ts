// Practical doses: a computed dose rounded to what can be given — a multiple of an increment
// (e.g. 250 mg) or a sum of available strengths (e.g. vials of 500 and 1000 mg, at most N units),
// within [min, max].
//
// Rule (one rule for every caller): among the achievable doses in [min, max], take the one nearest
// to the computed dose; on a tie (equal distance, within 1e-9 relative) take the larger one
// ("nearest, ties up"). `direction: 'down'` / `'up'` instead take the largest achievable dose ≤ the
// computed one / the smallest ≥ it, falling back to the nearest achievable one when none lies on
// that side. A computed dose outside [min, max] therefore ends at the nearest bound's achievable
// dose. `clamped` flags a dose given that is the end of the range rather than the rule's rounding
// ('min': the smallest achievable dose in [min, max], 'max': the largest), and `clampedBy` says
// why: the computed dose itself lies outside the allowed range ('computed'; without a bound, the
// range of achievable doses), or it lies inside but its rounding does not ('rounded': 371 with
// multiples of 250 from 300 rounds to 250 and is raised to 500; flagged as a computed dose below
// 300 before, though 371 is not). A computed dose of 450 there rounds to 500 as any other: no flag.

import { Errors } from '../../errors.js';
import { optionKeys, refuseUnknownKeys } from '../../option-keys.js';

export type RoundingDirection = 'nearest' | 'down' | 'up';

interface Bounds {
  /** Smallest dose allowed (default: the smallest achievable dose > 0). */
  readonly min?: number;
  /** Largest dose allowed (default: no limit for increments; the largest combination for strengths). */
  readonly max?: number;
  /** Default 'nearest' (ties up). */
  readonly direction?: RoundingDirection;
}

/** No rounding: the dose as computed, only clamped to [min, max]. */
export interface ExactRule extends Bounds {
  readonly kind: 'exact';
}

/** Multiples of `step` (e.g. 250 → 250, 500, 750, ...); multiples > 0 only. */
export interface IncrementRule extends Bounds {
  readonly kind: 'increment';
  readonly step: number;
}

/** Sums of available strengths, at most `maxUnits` units in all (default 4), at least one unit. */
export interface StrengthsRule extends Bounds {
  readonly kind: 'strengths';
  readonly strengths: readonly number[];
  readonly maxUnits?: number;
}

export type RoundingRule = ExactRule | IncrementRule | StrengthsRule;

const RULE_KEYS = {
  exact: optionKeys<ExactRule>({ kind: true, min: true, max: true, direction: true }),
  increment: optionKeys<IncrementRule>({ kind: true, step: true, min: true, max: true, direction: true }),
  strengths: optionKeys<StrengthsRule>({ kind: true, strengths: true, maxUnits: true, min: true, max: true, direction: true }),
} as const satisfies Record<RoundingRule['kind'], readonly string[]>;
const KINDS = Object.keys(RULE_KEYS) as RoundingRule['kind'][];
const DIRECTIONS: readonly RoundingDirection[] = ['nearest', 'down', 'up'];

/**
 * Refuses a rounding rule that is not one, naming its field (`rounding.kind`): an unknown kind
 * ('increments') failed later with "rule.strengths is not iterable", a key of another kind or a
 * misspelt one was ignored. `path` is the rule's name in the caller's options.
 */
export function checkRounding(rule: unknown, path = 'rounding'): void {
  const kind = typeof rule === 'object' && rule !== null ? (rule as { kind?: unknown }).kind : undefined;
  if (!KINDS.includes(kind as RoundingRule['kind']))
    throw Errors.option(`${path}.kind`, `dose rounding: ${path}.kind must be one of ${KINDS.join(', ')} (got ${typeof kind === 'string' ? JSON.stringify(kind) : String(kind)})`, kind);
  const r = rule as RoundingRule;
  refuseUnknownKeys(r, RULE_KEYS[r.kind], `dose rounding (kind ${r.kind})`, `${path}.`);
  if (r.direction !== undefined && !DIRECTIONS.includes(r.direction))
    throw Errors.option(`${path}.direction`, `dose rounding: ${path}.direction must be one of ${DIRECTIONS.join(', ')} (got ${JSON.stringify(r.direction)})`, r.direction);
  checkBounds(r);
  if (r.kind === 'increment' && !(typeof r.step === 'number' && Number.isFinite(r.step) && r.step > 0))
    throw Errors.option(`${path}.step`, `dose rounding: ${path}.step, the increment, must be a number > 0 (got ${String(r.step)})`, r.step);
  if (r.kind === 'strengths') {
    if (!Array.isArray(r.strengths)) throw Errors.option(`${path}.strengths`, `dose rounding: ${path}.strengths must be an array of strengths > 0 (got ${String(r.strengths)})`, r.strengths);
    strengthCombinations(r);
  }
}

export interface RoundedDose {
  /** The dose to give. */
  readonly dose: number;
  /** The dose before rounding. */
  readonly computed: number;
  /** The dose given is the smallest / largest achievable dose in [min, max] instead of the rule's rounding. */
  readonly clamped?: 'min' | 'max';
  /**
   * With `clamped`: 'computed' when the computed dose lies below min / above max, or below / above
   * every achievable dose; 'rounded' when it lies within them but its rounding (`unbounded`) does not.
   */
  readonly clampedBy?: 'computed' | 'rounded';
  /** With clampedBy 'rounded': the rule's rounding of the computed dose, outside [min, max]. */
  readonly unbounded?: number;
  /** Strengths only: units of each strength, largest strength first (fewest units, then larger strengths). */
  readonly units?: readonly { readonly strength: number; readonly count: number }[];
}

const REL = 1e-9;
/** Removes floating-point noise from k·step (7 × 0.1 → 0.7, not 0.7000000000000001). */
const clean = (x: number): number => Number(x.toPrecision(12));
const MAX_COMBINATIONS = 1_000_000;

function checkBounds(rule: RoundingRule): void {
  const { min, max } = rule;
  if (min !== undefined && !(Number.isFinite(min) && min >= 0)) throw Errors.option('min', `dose rounding: min must be a number ≥ 0 (got ${min})`);
  if (max !== undefined && !(max > 0)) throw Errors.option('max', `dose rounding: max must be a number > 0 (got ${max})`);
  if (min !== undefined && max !== undefined && !(min <= max)) throw Errors.option('min', `dose rounding: min ${min} > max ${max}: no dose is allowed`);
}

/** Every achievable dose of a strengths rule within its bounds, ascending, with its fewest-units combination. */
export function strengthCombinations(rule: StrengthsRule): { dose: number; counts: number[] }[] {
  checkBounds(rule);
  const s = [...rule.strengths];
  if (s.length === 0) throw Errors.option('strengths', 'dose rounding: give at least one strength');
  for (const x of s) if (!(Number.isFinite(x) && x > 0)) throw Errors.option('strengths', `dose rounding: strengths must be numbers > 0 (got ${x})`);
  const maxUnits = rule.maxUnits ?? 4;
  if (!(Number.isInteger(maxUnits) && maxUnits >= 1)) throw Errors.option('maxUnits', `dose rounding: maxUnits must be an integer ≥ 1 (got ${maxUnits})`);
  // sort strengths descending so that, among equal unit counts, larger strengths come first
  const order = s.map((x, i) => ({ x, i })).sort((a, b) => b.x - a.x);
  const key = (d: number) => Math.round(d * 1e9) / 1e9;
  const best = new Map<number, { dose: number; counts: number[]; n: number }>();
  let visited = 0;
  const counts = new Array<number>(order.length).fill(0);
  const walk = (j: number, used: number, sum: number): void => {
    if (++visited > MAX_COMBINATIONS) throw Errors.option('maxUnits', `dose rounding: more than ${MAX_COMBINATIONS} strength combinations; lower maxUnits`);
    if (j === order.length) {
      if (used === 0) return;
      const k = key(sum);
      const prev = best.get(k);
      // fewest units; then (by the descending walk order) the first found uses larger strengths
      if (!prev || used < prev.n) {
        const c = new Array<number>(s.length).fill(0);
        order.forEach((o, q) => (c[o.i] = counts[q] as number));
        best.set(k, { dose: clean(sum), counts: c, n: used });
      }
      return;
    }
    const x = (order[j] as { x: number }).x;
    for (let c = maxUnits - used; c >= 0; c--) {
      counts[j] = c;
      walk(j + 1, used + c, sum + c * x);
    }
    counts[j] = 0;
  };
  walk(0, 0, 0);
  const lo = rule.min ?? 0;
  const hi = rule.max ?? Infinity;
  return [...best.values()]
    .filter((b) => b.dose >= lo * (1 - REL) && b.dose <= hi * (1 + REL))
    .sort((a, b) => a.dose - b.dose)
    .map(({ dose, counts: c }) => ({ dose, counts: c }));
}

/** Picks from ascending candidates by the rule: nearest (ties up), or down/up; `acc`: the relative accuracy of x. */
function pick(candidates: readonly number[], x: number, direction: RoundingDirection, acc = REL): number {
  const tol = Math.max(REL, acc) * Math.max(1, Math.abs(x));
  if (direction === 'down') {
    for (let i = candidates.length - 1; i >= 0; i--) if ((candidates[i] as number) <= x + tol) return i;
    return 0;
  }
  if (direction === 'up') {
    for (let i = 0; i < candidates.length; i++) if ((candidates[i] as number) >= x - tol) return i;
    return candidates.length - 1;
  }
  let bi = 0;
  let bd = Infinity;
  candidates.forEach((c, i) => {
    const d = Math.abs(c - x);
    // ascending order: a later candidate at the same distance is larger → ties up
    if (d < bd - tol || Math.abs(d - bd) <= tol) {
      bi = i;
      bd = d;
    }
  });
  return bi;
}

/**
 * Rounds a computed dose to a practical one (see the rule at the top of this file). `accuracy` is
 * the relative accuracy of the computed dose (default 1e-9): a dose within it of a bound, a
 * practical dose or a tie is taken as there. A nomogram's dose from a sampled AUC (1000.00038 for
 * an exact 1000, 3.8e-7 relative) was flagged "above the largest allowed dose 1000".
 *
 * @example roundDose(1130, { kind: 'increment', step: 250 }).dose === 1250
 * @example roundDose(1130, { kind: 'strengths', strengths: [500, 1000], maxUnits: 3 }).dose === 1000
 */
export function roundDose(computed: number, rule: RoundingRule, accuracy = REL): RoundedDose {
  if (!(Number.isFinite(computed) && computed >= 0)) throw Errors.option('dose', `dose rounding: the computed dose must be a finite number ≥ 0 (got ${computed})`);
  if (!(Number.isFinite(accuracy) && accuracy >= 0 && accuracy < 0.01)) throw Errors.option('accuracy', `dose rounding: the relative accuracy of the computed dose must be a number in [0, 0.01) (got ${accuracy})`, accuracy);
  const acc = Math.max(REL, accuracy);
  // any other kind fell through to the strengths rule
  if (!KINDS.includes(rule.kind)) checkRounding(rule);
  checkBounds(rule);
  const direction = rule.direction ?? 'nearest';
  /**
   * The flags of a dose given from [lo, hi] (the achievable doses within the bounds), for a computed
   * dose whose rounding without the bounds is `free`, with the allowed range [least, most].
   */
  const result = (dose: number, free: number, lo: number, hi: number, least: number, most: number, units?: RoundedDose['units']): RoundedDose => {
    const base = units ? { dose, computed, units } : { dose, computed };
    if (computed < least * (1 - acc)) return { ...base, clamped: 'min', clampedBy: 'computed' };
    if (computed > most * (1 + acc)) return { ...base, clamped: 'max', clampedBy: 'computed' };
    if (free < lo * (1 - acc)) return { ...base, clamped: 'min', clampedBy: 'rounded', unbounded: free };
    if (free > hi * (1 + acc)) return { ...base, clamped: 'max', clampedBy: 'rounded', unbounded: free };
    return base;
  };
  if (rule.kind === 'exact') {
    const lo = rule.min ?? 0;
    const hi = rule.max ?? Infinity;
    const dose = Math.min(hi, Math.max(lo, computed));
    return result(dose, computed, lo, hi, lo, hi);
  }
  if (rule.kind === 'increment') {
    const step = rule.step;
    if (!(Number.isFinite(step) && step > 0)) throw Errors.option('increment', `dose rounding: the increment must be a number > 0 (got ${step})`);
    const kMin = Math.max(1, Math.ceil((rule.min ?? 0) / step - REL));
    const kMax = rule.max === undefined ? Infinity : Math.floor(rule.max / step + REL);
    if (kMax < kMin) throw Errors.option('increment', `dose rounding: no multiple of ${step} lies in [${rule.min ?? 0}, ${rule.max}]`);
    const q = computed / step;
    const tq = Math.max(REL, acc * q);
    let k: number;
    if (direction === 'down') k = Math.floor(q + tq);
    else if (direction === 'up') k = Math.ceil(q - tq);
    else {
      const f = Math.floor(q);
      k = q - f >= 0.5 - tq ? f + 1 : f; // ties up
    }
    const kk = Math.min(kMax, Math.max(kMin, k));
    const dose = clean(kk * step);
    // the smallest dose is one step at least (never 0): a computed dose below it is beyond the range itself
    return result(dose, clean(Math.max(1, k) * step), kMin * step, kMax * step, Math.max(rule.min ?? 0, step), rule.max ?? Infinity);
  }
  const combos = strengthCombinations(rule);
  if (combos.length === 0)
    throw Errors.option('strengths', `dose rounding: no combination of strengths ${rule.strengths.join(', ')} (at most ${rule.maxUnits ?? 4} units) lies in [${rule.min ?? 0}, ${rule.max ?? '∞'}]`);
  const i = pick(combos.map((c) => c.dose), computed, direction, acc);
  const c = combos[i] as { dose: number; counts: number[] };
  const lo = (combos[0] as { dose: number }).dose;
  const hi = (combos[combos.length - 1] as { dose: number }).dose;
  const units = rule.strengths
    .map((strength, j) => ({ strength, count: c.counts[j] as number }))
    .filter((u) => u.count > 0)
    .sort((a, b) => b.strength - a.strength);
  const all = strengthCombinations({ ...rule, min: undefined, max: undefined }).map((x) => x.dose);
  const free = all[pick(all, computed, direction, acc)] as number;
  return result(c.dose, free, lo, hi, Math.max(rule.min ?? 0, all[0] as number), Math.min(rule.max ?? Infinity, all[all.length - 1] as number), units);
}

/** Human-readable rule, e.g. "multiples of 250 in [500, 3000], nearest (ties up)". */
export function describeRounding(rule: RoundingRule): string {
  const b = rule.min !== undefined || rule.max !== undefined ? ` in [${rule.min ?? 0}, ${rule.max ?? '∞'}]` : '';
  const d = rule.direction === 'down' ? 'rounded down' : rule.direction === 'up' ? 'rounded up' : 'nearest (ties up)';
  if (rule.kind === 'exact') return `not rounded${b}`;
  if (rule.kind === 'increment') return `multiples of ${rule.step}${b}, ${d}`;
  return `sums of ${rule.strengths.join(' + ')} (≤ ${rule.maxUnits ?? 4} units)${b}, ${d}`;
}

/** "2 × 1000 + 1 × 500" for a strengths result. */
export function formatUnits(units: RoundedDose['units']): string {
  return (units ?? []).map((u) => `${u.count} × ${u.strength}`).join(' + ');
}
