// A population's level-derived metric below zero under a model text. A model text's compartments
// are not held at zero by the solver (one may be a PD quantity), and a population keeps no amounts,
// so simulate's W_NEGATIVE_AMOUNT could not be said: a Michaelis–Menten text (V 42, VMAX 6300, KM 10,
// 60 g IV) at rtol 1e-4 under Dormand–Prince reported auc:0:24 −9319.6 for every subject (exact
// 6897.96) with no warning. Each chunk tallies its metric columns, already computed for its
// summaries; the tallies merge into what one pass over every subject in order gives, so the warning
// is the same whatever the chunk size and the number of workers.
//
// An amount stepped through zero is not always a level below zero: an observation that turns it
// positive (observe = 100·C/(50 + C) read conc@24 102.3, above its ceiling of 100, and cmax:10:24
// 377 for 2.0 at rtol 1e-4, no metric below zero) hides it from the metrics. The chunks also tally
// each compartment's lowest amount on the profile's rows: W_NEGATIVE_STATE.

import type { MetricDef, MetricType } from './metrics.js';
import type { Model } from '../model/model.js';
import { compileExpression, identifiers, type Ast } from '../model/expression.js';
import { NOISE_ATOLS, noiseBound } from '../engine/negative-amounts.js';

/** One metric's tally over some subjects: how many are below 0, the lowest value and its subject, the largest value (≥ 0). */
export interface NegativeTally {
  readonly negative: number;
  /** The lowest value below 0 (0 when none). */
  readonly min: number;
  /** Its subject (0-based in the population; the first such on ties), −1 when none. */
  readonly at: number;
  readonly max: number;
}

/**
 * The observation at the typical subject, in its own units: `signed` where it may be negative by
 * construction (below 0 with every compartment empty, or falling as one fills: a change from
 * baseline, an inhibition), else `floor`, how far it moves with atol in every compartment (the
 * solver's atol is in amounts: a rat's ng/mL over 0.25 L is 4000 × the mg).
 */
export type ObservationFloor = { readonly signed: true } | { readonly signed: false; readonly floor: number };

/** What the tallies are judged against, once per run: the solver's tolerances and the observation's floor (undefined: not evaluated). */
export interface NegativeContext {
  readonly rtol: number;
  readonly atol: number;
  readonly observation?: ObservationFloor;
}

/** A model text's population's tallies (one per metric, from the chunks) with what they are judged against. */
export interface NegativeTallies extends NegativeContext {
  readonly metrics: readonly NegativeTally[];
}

/** A representative subject's inputs: a regimen record's items, and sampled covariates (the population's median subject) over them. */
export interface TypicalInputs {
  readonly items: Readonly<Record<string, number>>;
  readonly covariates?: Readonly<Record<string, number>>;
}

/**
 * The model text's observation evaluated at the typical subject (η 0; covariates at `typical`, else
 * at their defaults) with all compartments at 0 and at `atol`; undefined where it cannot be (a
 * covariate without a default nor a value in `typical`, a value not finite). Once per run, on the main
 * thread. With several outputs the first is the observation, the one the metrics read (a rat's
 * parent in ng/mL beside its metabolite was judged against atol in mg: 4000 times too tight).
 */
export function observationFloor(model: Model, atol: number, typical?: TypicalInputs): ObservationFloor | undefined {
  const user = model.structure.user;
  const ox = user?.observeExpr;
  if (!user || !ox) return undefined;
  let values: Readonly<Record<string, number>>;
  try {
    values = model.evaluate(typical?.items ?? {}, typical?.covariates).values;
  } catch {
    return undefined;
  }
  const names = [...user.states, ...user.inputs, ...ox.locals.map((l) => l.name)];
  const slots = new Map(names.map((n, i) => [n, i]));
  const slot = (n: string): number => slots.get(n) ?? -1;
  if ([...slots.values()].some((i) => i < 0)) return undefined;
  const v = new Float64Array(names.length);
  user.inputs.forEach((n) => (v[slot(n)] = values[n] ?? Number.NaN));
  const locals = ox.locals.map((l) => ({ s: slot(l.name), f: compileExpression(l.expr, slot) }));
  const observe = compileExpression(ox.expr, slot);
  const at = (amount: (j: number) => number): number => {
    user.states.forEach((_, j) => (v[j] = amount(j)));
    for (const l of locals) v[l.s] = l.f(v);
    return observe(v);
  };
  const zero = at(() => 0);
  const full = at(() => atol);
  const each = user.states.map((_, k) => at((j) => (j === k ? atol : 0)));
  if (![zero, full, ...each].every(Number.isFinite)) return undefined;
  if (zero < 0 || each.some((x) => x < zero)) return { signed: true };
  return { signed: false, floor: Math.abs(full - zero) };
}

/** The solver's atol in a level's units: the observation's floor (the amount atol where it could not be evaluated). */
function levelAtol(t: NegativeTallies): number {
  return !t.observation || t.observation.signed ? t.atol : t.observation.floor;
}

// how many atol′ a value may sit below zero before it is said: the engine's solver-noise bound
export { NOISE_ATOLS };

/** An AUC's window in hours, 1 for a level (and for an AUC whose window is not finite). */
function windowOf(m: MetricDef): number {
  const span = m.t1 - m.t0;
  return m.type === 'auc' && Number.isFinite(span) && span > 0 ? span : 1;
}

/** A tolerance as options write it: 1e-8, 2.5e-5 (not 0.0001). */
const tolText = (x: number): string => (+x.toPrecision(6)).toExponential().replace('e+', 'e');

/** Metrics that are levels or their integrals; a time or a fraction of time is never negative. */
const LEVEL_TYPES: ReadonlySet<MetricType> = new Set(['auc', 'cmax', 'cmin', 'cavg', 'value', 'trough']);

/** The tally of `col` (one value per subject, NaN for failed ones), its first subject numbered `first`. */
export function tallyNegatives(col: Float64Array, first: number): NegativeTally {
  let negative = 0;
  let min = 0;
  let at = -1;
  let max = 0;
  for (let s = 0; s < col.length; s++) {
    const x = col[s] as number;
    if (x > max) max = x;
    if (!(x < 0)) continue;
    negative++;
    if (x < min) {
      min = x;
      at = first + s;
    }
  }
  return { negative, min, at, max };
}

/** Two tallies as one (their subjects in any order: ties keep the lower subject). */
export function mergeTally(a: NegativeTally, b: NegativeTally): NegativeTally {
  const bLower = b.at >= 0 && (a.at < 0 || b.min < a.min || (b.min === a.min && b.at < a.at));
  return { negative: a.negative + b.negative, min: bLower ? b.min : a.min, at: bLower ? b.at : a.at, max: Math.max(a.max, b.max) };
}

/** Two chunks' tallies (one per metric) as one; undefined where neither chunk tallied (no model text, or nothing stepped). */
export function mergeTallies(a: readonly NegativeTally[] | undefined, b: readonly NegativeTally[] | undefined): readonly NegativeTally[] | undefined {
  if (!a || !b) return a ?? b;
  return a.map((t, j) => mergeTally(t, b[j] as NegativeTally));
}

/**
 * At or below this rtol amounts are not asked for (W_NEGATIVE_STATE is not checked). The texts whose
 * amounts stepped through zero (ethanol-like 100·C/(50 + C), the rat and 2-g Michaelis–Menten
 * texts, dopri5, dop853, Rosenbrock, η over ±2 SD) did so at rtol 1e-4 and 1e-3 only; at 1e-5 their
 * lowest amount was at most 1.7e-4 of the bound, at 1e-6 1.6e-3, at 1e-8 0.012. Asking for every
 * amount on every row at the default 1e-8 tripled a transit text's memory (144 → 437 MB) and
 * refused a chunk size that had run (6000 subjects × 3361 rows).
 */
export const STATE_CHECK_RTOL = 1e-6;

/**
 * The compartments W_NEGATIVE_STATE tallies (0-based, in order): those the observation (the first
 * output, which the metrics read) is made of, directly or through their d/dt chain, less those that
 * start below zero (init() negative at the typical subject) or run below it by right (their d/dt
 * negative while they are empty: a change from baseline, an effect relaxing to a negative E0).
 * Tallying every compartment warned a turnover written as change from baseline (−64 at the typical
 * subject), a disease-progression score from −5 and an effect from −3 for 200 of 200 subjects at
 * any rtol, though the observation CENTRAL/V reads none of them.
 */
export function tallyableStates(model: Model, atol: number, typical?: TypicalInputs): number[] {
  const user = model.structure.user;
  const ox = user?.observeExpr;
  const ddt = user?.ddt;
  if (!user || !ox || !ddt) return [];
  const localOf = new Map(ox.locals.map((l) => [l.name, l.expr]));
  const statesIn = (a: Ast, into: Set<number>, seen = new Set<string>()): Set<number> => {
    for (const name of identifiers(a)) {
      const j = user.states.indexOf(name);
      if (j >= 0) into.add(j);
      const l = localOf.get(name);
      if (l && !seen.has(name)) {
        seen.add(name);
        statesIn(l, into, seen);
      }
    }
    return into;
  };
  const made = statesIn(ox.expr, new Set());
  for (const j of made) for (const k of statesIn(ddt[j] as Ast, new Set())) made.add(k);
  const candidates = [...made].sort((a, b) => a - b);
  let values: Readonly<Record<string, number>>;
  try {
    values = model.evaluate(typical?.items ?? {}, typical?.covariates).values;
  } catch {
    return candidates;
  }
  const names = [...user.states, ...user.inputs, ...ox.locals.map((l) => l.name), 't'];
  const slots = new Map(names.map((n, i) => [n, i]));
  const slot = (n: string): number => slots.get(n) ?? -1;
  const v = new Float64Array(names.length);
  user.inputs.forEach((n) => (v[slot(n)] = values[n] ?? Number.NaN));
  v[slot('t')] = 0;
  const locals = ox.locals.map((l) => ({ s: slot(l.name), f: compileExpression(l.expr, slot) }));
  const at = (f: (v: Float64Array) => number, amount: (k: number) => number): number => {
    user.states.forEach((_, k) => (v[k] = amount(k)));
    for (const l of locals) v[l.s] = l.f(v);
    return f(v);
  };
  return candidates.filter((j) => {
    const init = user.init?.[j];
    if (init && at(compileExpression(init, slot), () => 0) < 0) return false;
    const rate = compileExpression(ddt[j] as Ast, slot);
    // empty, beside empty or filled compartments: an amount's d/dt is then its inflow, never below 0
    const points = [at(rate, () => 0), ...user.states.flatMap((_, k) => (k === j ? [] : [at(rate, (i) => (i === k ? atol : 0)), at(rate, (i) => (i === k ? 1 : 0))])), at(rate, (i) => (i === j ? 0 : 1))];
    return !points.some((x) => x < 0);
  });
}

/**
 * Each listed compartment's tally (`states`, 0-based) over a chunk's subjects (the first numbered
 * `first`) from their amounts on the profile's rows (`rows` per subject, `nStates` per row,
 * row-major): a subject counts where its lowest amount is below 0, max is the largest amount.
 * Failed subjects (status ≠ 0) are left out.
 */
export function tallyStates(amounts: Float64Array, status: Int32Array, rows: number, nStates: number, states: readonly number[], first: number): NegativeTally[] {
  const out: NegativeTally[] = [];
  for (const j of states) {
    let negative = 0;
    let min = 0;
    let at = -1;
    let max = 0;
    for (let s = 0; s < status.length; s++) {
      if (status[s] !== 0) continue;
      let low = 0;
      for (let r = 0, k = s * rows * nStates + j; r < rows; r++, k += nStates) {
        const x = amounts[k] as number;
        if (x < low) low = x;
        if (x > max) max = x;
      }
      if (!(low < 0)) continue;
      negative++;
      if (low < min) {
        min = low;
        at = first + s;
      }
    }
    out.push({ negative, min, at, max });
  }
  return out;
}

/**
 * W_NEGATIVE_STATE (one warning, or none), naming each compartment whose lowest amount on the
 * profile's rows is below −(1000·atol + rtol·P), P its largest amount over the population (amounts
 * are in atol's own units). Said whatever the observation makes of it: an amount run off below zero
 * that the observation turns positive (100·C/(50 + C) read 102.3 above its ceiling of 100) leaves
 * no metric below zero. A compartment negative by right (a response) is the reader's to ignore.
 */
export function negativeStateWarnings(stateNames: readonly string[], tallies: readonly NegativeTally[] | undefined, tol: NegativeContext, subjects: number): string[] {
  if (!tallies) return [];
  const said: string[] = [];
  tallies.forEach((t, j) => {
    if (t.at < 0) return;
    const bound = noiseBound(tol, t.max);
    if (!(t.min < -bound)) return;
    said.push(
      `compartment ${stateNames[j] ?? j + 1} is below zero for ${t.negative.toLocaleString('en-US')} of ${subjects.toLocaleString('en-US')} subjects on the profile's rows, lowest ${+t.min.toPrecision(6)} (virtual subject ${t.at + 1}), below -(${NOISE_ATOLS} × atol ${+tol.atol.toPrecision(3)} + rtol × its largest amount ${+t.max.toPrecision(6)}) = ${+(-bound).toPrecision(3)}`,
    );
  });
  if (said.length === 0) return [];
  return [
    `W_NEGATIVE_STATE: ${said.join('; ')}: the solver most likely stepped the amount through zero (a saturable elimination at a loose tolerance; rtol ${tolText(tol.rtol)}, atol ${tolText(tol.atol)}), and the metrics read levels made of it, even where the observation turns it positive; tighten rtol, e.g. to ${tolText(tol.rtol / 100)}. ` +
      'If the compartment may be negative (a response, a change from baseline), ignore this.',
  ];
}

/**
 * W_NEGATIVE_METRIC (one warning, or none), naming each level-derived metric whose lowest value is
 * below −(1000·atol′ + rtol·L), times its window for an AUC. L is the largest level of the profile
 * over the population: the largest value of every level metric (an AUC's over its window): a
 * trough or a late level's own largest value is about 0, and a bound on it alone warned the solver's
 * noise (MM text, V 100: cmin −1.6e-11 mg/L, 16 atol′, at any rtol and atol). The largest, not the
 * largest magnitude, so that a value running off below zero does not widen its own bound (as
 * W_NEGATIVE_AMOUNT's peak). atol′ is the solver's atol in the metric's units (observationFloor;
 * the amount-unit atol where the observation could not be evaluated): a rat's −1.6e-9 ng/mL is
 * −4e-13 mg. None where the observation may be negative by construction (a change from baseline):
 * nothing then says a step made it so.
 */
export function negativeMetricWarnings(metrics: readonly MetricDef[], tallies: NegativeTallies | undefined, subjects: number): string[] {
  if (!tallies || tallies.observation?.signed) return [];
  const said: string[] = [];
  const units = tallies.observation ? ' in its units' : '';
  const atol = levelAtol(tallies);
  let level = 0;
  metrics.forEach((m, j) => {
    const t = tallies.metrics[j];
    if (t && LEVEL_TYPES.has(m.type)) level = Math.max(level, t.max / windowOf(m));
  });
  metrics.forEach((m, j) => {
    const t = tallies.metrics[j];
    if (!t || !LEVEL_TYPES.has(m.type) || t.at < 0) return;
    const span = windowOf(m);
    const bound = noiseBound({ rtol: tallies.rtol, atol }, level) * span;
    if (!(t.min < -bound)) return;
    const over = m.type === 'auc' && span !== 1 ? `) × its ${+span.toPrecision(6)}-h window` : ')';
    said.push(`metric ${m.name} is negative for ${t.negative.toLocaleString('en-US')} of ${subjects.toLocaleString('en-US')} subjects, lowest ${+t.min.toPrecision(6)} (virtual subject ${t.at + 1}), below -(${NOISE_ATOLS} × atol${units} ${+atol.toPrecision(3)} + rtol × the largest level ${+level.toPrecision(6)}${over} = ${+(-bound).toPrecision(3)}`);
  });
  if (said.length === 0) return [];
  return [
    `W_NEGATIVE_METRIC: ${said.join('; ')}: the solver most likely stepped an amount of the model text through zero (a saturable elimination at a loose tolerance; rtol ${tolText(tallies.rtol)}, atol ${tolText(tallies.atol)}); tighten rtol, e.g. to ${tolText(tallies.rtol / 100)}. ` +
      'If the quantity may be negative (a response, a change from baseline), ignore this.',
  ];
}
