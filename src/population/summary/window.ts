// Exact counts of values below / within / above a closed window [lo, hi] (e.g. a therapeutic
// range). Counts are integers, so merging is exact and order-independent; fractions are derived.
// Non-finite values (NaN, ±Infinity) are not counted here (moments.ts counts them as `nonFinite`).

import { DosewiseError } from '../../errors.js';

export interface Window {
  /** Lower bound, inclusive; may be −Infinity. */
  readonly lo: number;
  /** Upper bound, inclusive; may be +Infinity. */
  readonly hi: number;
}

export interface WindowCounts extends Window {
  /** x < lo */
  readonly below: number;
  /** lo ≤ x ≤ hi */
  readonly within: number;
  /** x > hi */
  readonly above: number;
}

export interface WindowFractions {
  readonly fracBelow: number;
  readonly fracIn: number;
  readonly fracAbove: number;
}

function bad(path: string, value: unknown, why: string): DosewiseError {
  return new DosewiseError('E_PARAMETER', `${path}: ${why}`, { path, value });
}

/** Validates a window: lo ≤ hi, neither NaN (infinite bounds allowed). */
export function checkWindow(w: Window, path = 'window'): Window {
  const { lo, hi } = w;
  if (typeof lo !== 'number' || Number.isNaN(lo) || lo === Infinity) throw bad(`${path}.lo`, lo, 'expected a number < +Infinity');
  if (typeof hi !== 'number' || Number.isNaN(hi) || hi === -Infinity) throw bad(`${path}.hi`, hi, 'expected a number > −Infinity');
  if (!(lo <= hi)) throw bad(path, w, 'lo must be ≤ hi');
  return { lo, hi };
}

export function emptyWindowCounts(w: Window): WindowCounts {
  const { lo, hi } = checkWindow(w);
  return { lo, hi, below: 0, within: 0, above: 0 };
}

/** Counts of `values` (plus those already in `start`, default empty) relative to the window. */
export function windowCounts(values: ArrayLike<number>, w: Window, start?: WindowCounts): WindowCounts {
  const base = start ?? emptyWindowCounts(w);
  if (start !== undefined && !sameWindow(start, w)) throw bad('window', w, 'does not match the counts being updated');
  const { lo, hi } = base;
  let { below, within, above } = base;
  const len = values.length;
  for (let i = 0; i < len; i++) {
    const x = values[i] as number;
    if (x - x !== 0) continue; // NaN / ±Infinity
    if (x < lo) below++;
    else if (x > hi) above++;
    else within++;
  }
  return { lo, hi, below, within, above };
}

/** Bitwise-equal bounds (so −0 and +0 differ only if you made them differ). */
export function sameWindow(a: Window, b: Window): boolean {
  return Object.is(a.lo, b.lo) && Object.is(a.hi, b.hi);
}

/** Sum of counts; both must use the same window. */
export function mergeWindowCounts(a: WindowCounts, b: WindowCounts): WindowCounts {
  if (!sameWindow(a, b)) {
    throw bad('window', { a: [a.lo, a.hi], b: [b.lo, b.hi] }, 'cannot merge counts of different windows');
  }
  return { lo: a.lo, hi: a.hi, below: a.below + b.below, within: a.within + b.within, above: a.above + b.above };
}

/** Fractions of the counted (finite) values; NaN when nothing was counted. */
export function windowFractions(c: WindowCounts): WindowFractions {
  const n = c.below + c.within + c.above;
  if (n === 0) return { fracBelow: NaN, fracIn: NaN, fracAbove: NaN };
  return { fracBelow: c.below / n, fracIn: c.within / n, fracAbove: c.above / n };
}

/** JSON form: an infinite bound is written as null. */
export interface WindowCountsJSON {
  lo: number | null;
  hi: number | null;
  below: number;
  within: number;
  above: number;
}

export function windowCountsToJSON(c: WindowCounts): WindowCountsJSON {
  return {
    lo: c.lo === -Infinity ? null : c.lo,
    hi: c.hi === Infinity ? null : c.hi,
    below: c.below,
    within: c.within,
    above: c.above,
  };
}

function count(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw bad(path, v, 'expected a non-negative integer');
  return v;
}

export function windowCountsFromJSON(j: unknown, path = 'window'): WindowCounts {
  if (typeof j !== 'object' || j === null) throw bad(path, j, 'expected an object');
  const o = j as Record<string, unknown>;
  const lo = o.lo === null ? -Infinity : o.lo;
  const hi = o.hi === null ? Infinity : o.hi;
  if (typeof lo !== 'number' || typeof hi !== 'number') throw bad(path, j, 'lo and hi must be numbers or null');
  const w = checkWindow({ lo, hi }, path);
  return {
    lo: w.lo,
    hi: w.hi,
    below: count(o.below, `${path}.below`),
    within: count(o.within, `${path}.within`),
    above: count(o.above, `${path}.above`),
  };
}
