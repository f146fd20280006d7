// Clinical relevance of a covariate, food or interaction effect on F, CL or V (or the apparent CL/F,
// V/F), for an AUC target.
//
// Input: the effect as a test/reference ratio of the PARAMETER (e.g. CL with an inhibitor / CL
// without = 0.5), with its interval given directly (lo, hi: e.g. a 90% CI) or as the standard
// error of log(ratio) (interval exp(log r ± z·SE), z for `level`, default 90%).
//
// Exposure ratio (AUC test/reference): AUC = F·Dose/CL for linear PK, so
//   on F:  AUC ratio = r,      interval [lo, hi]
//   on CL: AUC ratio = 1/r,    interval [1/hi, 1/lo]
//   on V:  AUC ratio = 1       (V is not in F·Dose/CL)
//   on CL/F, V/F (apparent clearance and volume): as CL and V (AUC = Dose/(CL/F))
// These are exact transformations of the interval (monotone maps), not a delta-method
// approximation. With a model (relevanceFromModel) the same ratios come from the engine instead:
// the typical patient at steady state with the parameter at r, lo and hi (AUC is monotone in the
// parameter, so the endpoints map to the endpoints). An effect means what it says for the model's
// structure: on a model written with rate constants (K, V, K12, ...) CL = K·V is no input, and
// setting a parameter CL it reports changed nothing (CL × 0.45 read AUC ratio 1.00, "no change"),
// while V × 1.71 moved CL = K·V with it (0.58, "adjust"); there an effect on CL scales K at fixed V,
// and one on V scales V and divides K at fixed CL. On a clearance model the parameter is set and
// what the model computes from it follows (CL = TVK·V: V × 1.71 is CL × 1.71, AUC ratio 0.585).
//
// Verdict against the relevance band (default 0.80–1.25): the whole interval inside → no dose
// change; the whole interval outside → adjust; an interval that straddles a band edge →
// inconclusive. Implied maintenance-dose change for an AUC target: dose ratio = 1/(AUC ratio),
// rounded to `doseStep` (default 0.25: ×0.5, ×0.75, ×1.25, ...; nearest, ties up).
// An effect on V alone changes no AUC-targeted maintenance dose: the row says so (it changes
// peaks, troughs and the loading dose, which scales with V) when its AUC ratio is 1; where the
// model's CL moves with V, the dose follows the AUC ratio as for any other effect (it read ×1).

import { Errors } from '../../errors.js';
import { checkModel } from '../../model/check-model.js';
import { optionKeys, refuseUnknownKeys } from '../../option-keys.js';
import type { Model, SolverMethod } from '../../model/model.js';
import { notDoseProportional } from '../../model/dose-proportional.js';
import { roundDose } from '../nomogram/rounding.js';
import { type SteadyStateRegimen, steadyStateExposure, unsetInputProblem } from '../nomogram/nomogram-exposure.js';
import { whatIfText } from '../nomogram/nomogram.js';
import { structuralParameters } from '../../model/structure.js';
import type { Engine } from '../../engine/wasm.js';

export type EffectParameter = 'CL' | 'F' | 'V' | 'CL/F' | 'V/F';

const EFFECT_PARAMETERS: readonly EffectParameter[] = ['CL', 'F', 'V', 'CL/F', 'V/F'];

/** The parameter an effect acts on: the apparent CL/F and V/F act as CL and V (F held). */
export function actsOn(on: EffectParameter): 'CL' | 'F' | 'V' {
  return on === 'CL/F' ? 'CL' : on === 'V/F' ? 'V' : on;
}

export interface Effect {
  readonly label: string;
  readonly on: EffectParameter;
  /** Test/reference ratio of the parameter, > 0. */
  readonly ratio: number;
  /** Interval of the parameter ratio (both or neither). */
  readonly lo?: number;
  readonly hi?: number;
  /** Standard error of log(ratio), instead of lo/hi. */
  readonly se?: number;
  /** Level of the interval computed from se (default 0.90). */
  readonly level?: number;
}

export type Verdict = 'no-change' | 'adjust' | 'inconclusive';

export interface RelevanceOptions {
  /** Relevance band for the exposure ratio (default [0.8, 1.25]). */
  readonly band?: readonly [number, number];
  /** Step of the rounded dose ratio (default 0.25). */
  readonly doseStep?: number;
}

/** One row of the forest-plot table. */
export interface RelevanceRow {
  readonly label: string;
  readonly on: EffectParameter;
  /** The parameter ratio as given. */
  readonly parameterRatio: number;
  /** AUC ratio test/reference: point and interval (lo = hi = ratio when no interval was given). */
  readonly ratio: number;
  readonly lo: number;
  readonly hi: number;
  readonly bandLo: number;
  readonly bandHi: number;
  /** Where the interval came from. */
  readonly interval: 'given' | 'from SE' | 'none';
  readonly verdict: Verdict;
  /** Maintenance-dose ratio for the AUC target: 1/ratio, and as advised (rounded to doseStep; 1 where no change is advised). */
  readonly doseRatio: number;
  readonly doseRatioRounded: number;
  /** AUC ratio after the advised dose (ratio · doseRatioRounded). */
  readonly adjustedRatio: number;
  readonly advice: string;
  readonly note?: string;
  /** Engine only: peak and trough ratios at the point estimate (they do change with V). */
  readonly cmaxRatio?: number;
  readonly troughRatio?: number;
}

export interface RelevanceTable {
  readonly dosewise: 'relevance';
  readonly version: 1;
  readonly band: readonly [number, number];
  readonly exposure: 'AUC';
  readonly method: string;
  readonly rows: readonly RelevanceRow[];
  /** W_RATIO_PERCENT: effects whose ratio is above PERCENT_RATIO (read as stated), one line each. */
  readonly warnings?: readonly string[];
}

export const DEFAULT_BAND: readonly [number, number] = [0.8, 1.25];
const V_NOTE =
  'an effect on V alone changes no AUC-targeted maintenance dose (AUC = F·Dose/CL does not contain V); it changes peak and trough and the loading dose (∝ V)';

/** Two-sided standard-normal quantile z for a central interval of `level` (Acklam's rational approximation, |error| < 1.2e-9). */
export function zFor(level: number): number {
  if (!(level > 0 && level < 1)) throw Errors.option('level', `relevance: interval level must be in (0, 1) (got ${level})`);
  return normalQuantile(0.5 + level / 2);
}

function normalQuantile(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  const poly = (k: number[], x: number) => k.reduce((s, v) => s * x + v, 0);
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - pl) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

function checkBand(band: readonly [number, number]): void {
  const [lo, hi] = band;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo > 0 && lo < 1 && hi > 1)) throw Errors.option('band', `relevance: the band must satisfy 0 < LO < 1 < HI (got ${lo}:${hi})`);
}

/**
 * Above this a parameter ratio is warned (W_RATIO_PERCENT) as a possible percentage (45 for 45 %,
 * 150 for 150 %: it ran as a 45-fold clearance, AUC ratio 0.02, "adjust ×45", exit 0). It is not
 * refused: strong inducers give CL/F ratios of about 20–50 (rifampicin on oral midazolam ~25, on
 * oral S-verapamil ~30), so a ratio above 30 may be real; only what cannot be a ratio (≤ 0) is.
 * One above FOLD_NOTE is read as stated with a note in its row saying how it was read.
 */
export const PERCENT_RATIO = 30;
export const RATIO_PERCENT_CODE = 'W_RATIO_PERCENT';
const FOLD_NOTE = 10;

/**
 * W_RATIO_PERCENT of every effect whose ratio is above PERCENT_RATIO: read as stated (a strong
 * inducer's CL/F ratio may be that large), but said loudly, with the fraction a percentage meant.
 */
export function ratioPercentWarnings(effects: readonly Effect[]): string[] {
  return effects.flatMap((e, i) =>
    e.ratio > PERCENT_RATIO
      ? [
          `${RATIO_PERCENT_CODE}: effect ${i + 1} (${e.label}): ratio ${e.ratio} is read as a ${e.ratio}-fold change of ${e.on}, above ${PERCENT_RATIO} ` +
            `(the strongest known inductions give about 20–50); the ratio is test/reference, not a percentage: if you meant ${e.ratio} %, write ${e.ratio / 100}` +
            `${e.lo !== undefined || e.hi !== undefined ? ' (and lo, hi likewise)' : ''}`,
        ]
      : [],
  );
}

const withWarnings = (warnings: string[]): { warnings?: readonly string[] } => (warnings.length > 0 ? { warnings } : {});

/** Validates an effect and returns its parameter-ratio interval. */
export function effectInterval(e: Effect, where = `effect ${e.label}`): { lo: number; hi: number; interval: RelevanceRow['interval'] } {
  if (typeof e.label !== 'string' || e.label.length === 0) throw Errors.option('effect.label', `${where}: label must be a non-empty string`);
  if (!EFFECT_PARAMETERS.includes(e.on))
    throw Errors.option('effect.on', `${where}: on must be CL, F or V, or the apparent CL/F or V/F (got ${JSON.stringify(e.on)})`);
  if (!(typeof e.ratio === 'number' && Number.isFinite(e.ratio) && e.ratio > 0)) throw Errors.option('effect.ratio', `${where}: ratio must be a number > 0 (got ${String(e.ratio)})`);
  // a ratio written as a percentage (45 for 45 %) is warned of by ratioPercentWarnings, not refused here
  const hasCi = e.lo !== undefined || e.hi !== undefined;
  if (hasCi && e.se !== undefined) throw Errors.option('effect.se', `${where}: give lo/hi or se, not both`);
  if (hasCi) {
    const { lo, hi } = e;
    if (lo === undefined || hi === undefined) throw Errors.option('effect.lo', `${where}: give both lo and hi`);
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo > 0 && lo <= e.ratio && e.ratio <= hi))
      throw Errors.option('effect.lo', `${where}: the interval must satisfy 0 < lo ≤ ratio ≤ hi (got ${lo} ≤ ${e.ratio} ≤ ${hi})`);
    return { lo, hi, interval: 'given' };
  }
  if (e.se !== undefined) {
    if (!(Number.isFinite(e.se) && e.se >= 0)) throw Errors.option('effect.se', `${where}: se (of log ratio) must be a number ≥ 0 (got ${e.se})`);
    // checked here, naming the effect, where zFor's refusal named none (a level of 90 meant 90%)
    if (e.level !== undefined && !(e.level > 0 && e.level < 1))
      throw Errors.option('effect.level', `${where}: level must be in (0, 1), e.g. 0.9 for a 90% interval (got ${e.level})`, e.level);
    const z = zFor(e.level ?? 0.9);
    return { lo: e.ratio * Math.exp(-z * e.se), hi: e.ratio * Math.exp(z * e.se), interval: 'from SE' };
  }
  return { lo: e.ratio, hi: e.ratio, interval: 'none' };
}

/**
 * Ratios within this relative distance of a band edge are on it. A closed-form ratio carries ~1e-13
 * of rounding (an interval ending exactly at 0.8, an effect on F of 0.6–0.8, read 0.79999999999997
 * and "adjust" where the closed form says "inconclusive"); an engine-computed one carries the error
 * of the AUC on the steady-state grid (480 samples per interval, linear up / log down): measured
 * 8e-8 at CL × 1.25 and 9.4e-6 at CL × 8 on Goti 2018, so a CL interval ending exactly at 1.25 read
 * 0.79999992 and "inconclusive" for the closed form's "no change". 1e-4 is above both and below any
 * difference a band of 0.8–1.25 means.
 */
const EDGE = 1e-4;

/** The verdict for an exposure-ratio interval against a band. */
export function verdictOf(lo: number, hi: number, band: readonly [number, number]): Verdict {
  const [bl, bh] = band;
  const below = (x: number, edge: number): boolean => x < edge * (1 - EDGE);
  const above = (x: number, edge: number): boolean => x > edge * (1 + EDGE);
  if (!below(lo, bl) && !above(hi, bh)) return 'no-change';
  if (below(hi, bl) || above(lo, bh)) return 'adjust';
  return 'inconclusive';
}

function row(
  e: Effect,
  ratio: number,
  lo: number,
  hi: number,
  interval: RelevanceRow['interval'],
  band: readonly [number, number],
  doseStep: number,
  extra: { cmaxRatio?: number; troughRatio?: number; notes?: readonly string[] } = {},
): RelevanceRow {
  const verdict = verdictOf(lo, hi, band);
  const doseRatio = 1 / ratio;
  // "V only" holds where the AUC did not move; a model whose CL is computed from V (CL = TVK·V) moves
  // it, and V × 1.71 read "×1 (V only)" for an AUC ratio of 0.585 (the dose is ×1.71 there)
  const vOnly = vOnlyRow({ on: e.on, ratio, lo, hi });
  // the dose the advice names: unchanged where it says "no change" (as the table prints ×1)
  const unchanged = vOnly || verdict === 'no-change';
  const doseRatioRounded = unchanged ? 1 : roundDose(doseRatio, { kind: 'increment', step: doseStep }).dose;
  const pct = (x: number) => `${x > 1 ? '+' : ''}${Math.round((x - 1) * 100)}%`;
  let advice: string;
  if (vOnly) advice = 'no maintenance-dose change (V only)';
  else if (verdict === 'no-change') advice = 'no dose change';
  else if (verdict === 'adjust') advice = `adjust the dose ×${doseRatioRounded} (${pct(doseRatioRounded)}; exact ×${doseRatio.toFixed(3)})`;
  else advice = `inconclusive: the interval crosses the band; if acted on, ×${doseRatioRounded} (exact ×${doseRatio.toFixed(3)})`;
  const notes: string[] = [];
  if (e.on === 'CL/F') notes.push('CL/F is the apparent clearance: AUC = Dose/(CL/F), so the AUC ratio is 1/ratio, as for CL');
  if (e.on === 'V/F') notes.push('V/F is the apparent volume, taken as V');
  if (vOnly) notes.push(V_NOTE);
  notes.push(...(extra.notes ?? []));
  if (e.ratio > FOLD_NOTE) notes.push(`read as a ${e.ratio}-fold change of ${e.on}; if ${e.ratio} % was meant, write ${e.ratio / 100}`);
  if (interval === 'none') notes.push('point estimate only: no interval given');
  const adjustedRatio = ratio * doseRatioRounded;
  if (verdict === 'adjust' && (adjustedRatio < band[0] || adjustedRatio > band[1]))
    notes.push(`after the rounded change the AUC ratio is ${adjustedRatio.toFixed(3)}, still outside the band: use a finer dose step`);
  return {
    label: e.label,
    on: e.on,
    parameterRatio: e.ratio,
    ratio,
    lo,
    hi,
    bandLo: band[0],
    bandHi: band[1],
    interval,
    verdict,
    doseRatio,
    doseRatioRounded,
    adjustedRatio,
    advice,
    ...(notes.length ? { note: notes.join('; ') } : {}),
    ...(extra.cmaxRatio !== undefined ? { cmaxRatio: extra.cmaxRatio } : {}),
    ...(extra.troughRatio !== undefined ? { troughRatio: extra.troughRatio } : {}),
  };
}

/** Whether a row is an effect on V whose AUC ratio and interval are 1 (within the edge tolerance): no maintenance-dose change. */
export function vOnlyRow(r: Pick<RelevanceRow, 'on' | 'ratio' | 'lo' | 'hi'>): boolean {
  return actsOn(r.on) === 'V' && [r.ratio, r.lo, r.hi].every((x) => Math.abs(x - 1) <= EDGE);
}

const RELEVANCE_KEYS = optionKeys<RelevanceOptions>({ band: true, doseStep: true });
const EFFECT_KEYS = optionKeys<Effect>({ label: true, on: true, ratio: true, lo: true, hi: true, se: true, level: true });
const MODEL_RELEVANCE_KEYS = [...RELEVANCE_KEYS, ...optionKeys<Omit<ModelRelevanceOptions, keyof RelevanceOptions>>({ covariates: true, dose: true, regimen: true, method: true, engine: true })];

/** Refuses effects that are not an array of objects ({} failed as "effects.map is not a function"). */
function checkEffectList(effects: unknown, what: string): void {
  if (!Array.isArray(effects)) throw Errors.optionValue('effects', effects, `${what}: must be an array of effects { label, on, ratio, lo?, hi?, se?, level? } (parseEffects reads a file's)`, effects === null ? 'null' : typeof effects === 'object' ? 'an object, not an array' : undefined);
  effects.forEach((e: unknown, i) => {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) throw Errors.optionValue(`effects.${i}`, e, `${what}: an effect is an object { label, on, ratio, ... }`);
    // a misspelt interval end (loo) made the effect one without an interval
    refuseUnknownKeys(e, EFFECT_KEYS, what, `effects.${i}.`);
  });
}

/** An empty list printed an empty table and passed for an answer. */
function refuseNoEffects(effects: readonly Effect[], what: string): void {
  if (effects.length === 0) throw Errors.optionValue('effects', effects, `${what}: no effects; give at least one { label, on, ratio, ... }`, '[]');
}

function options(o: RelevanceOptions): { band: readonly [number, number]; doseStep: number } {
  const band = o.band ?? DEFAULT_BAND;
  checkBand(band);
  const doseStep = o.doseStep ?? 0.25;
  if (!(Number.isFinite(doseStep) && doseStep > 0 && doseStep <= 1)) throw Errors.option('doseStep', `relevance: the dose step must be in (0, 1] (got ${doseStep})`);
  return { band, doseStep };
}

/**
 * Exposure ratios, verdicts and dose changes by the closed form for linear PK (AUC = F·Dose/CL).
 *
 * @example relevance([{ label: 'ketoconazole', on: 'CL', ratio: 0.5, lo: 0.42, hi: 0.6 }]).rows[0].verdict === 'adjust'
 */
export function relevance(effects: readonly Effect[], o: RelevanceOptions = {}): RelevanceTable {
  checkEffectList(effects, 'relevance()');
  refuseUnknownKeys(o, RELEVANCE_KEYS, 'relevance()');
  const { band, doseStep } = options(o);
  refuseNoEffects(effects, 'relevance()');
  const rows = effects.map((e, i) => {
    const iv = effectInterval(e, `effect ${i + 1} (${e.label})`);
    const on = actsOn(e.on);
    if (on === 'F') return row(e, e.ratio, iv.lo, iv.hi, iv.interval, band, doseStep);
    if (on === 'CL') return row(e, 1 / e.ratio, 1 / iv.hi, 1 / iv.lo, iv.interval, band, doseStep);
    return row(e, 1, 1, 1, iv.interval, band, doseStep);
  });
  return {
    dosewise: 'relevance',
    version: 1,
    band: [band[0], band[1]],
    exposure: 'AUC',
    method: 'closed form for linear PK: AUC ratio = F ratio, 1/CL ratio (CL or CL/F), or 1 for V (V or V/F); the interval is the given one (or exp(log r ± z·SE)) mapped exactly',
    rows,
    ...withWarnings(ratioPercentWarnings(effects)),
  };
}

export interface ModelRelevanceOptions extends RelevanceOptions {
  /** Covariates of the typical patient. */
  readonly covariates?: Readonly<Record<string, number>>;
  /** Dose per administration and regimen at steady state. */
  readonly dose: number;
  readonly regimen: SteadyStateRegimen;
  readonly method?: SolverMethod;
  readonly engine?: Engine;
}

/** How an effect on CL or V is set on a model: the parameter overrides, and what to say about them. */
export interface EffectMapping {
  readonly overrides: Readonly<Record<string, number>>;
  readonly note?: string;
}

const x3 = (x: number): string => `×${Number(x.toPrecision(3))}`;

/**
 * The parameter values that give the typical patient an effect of ratio r on CL or V, as the
 * model's structure reads them. A clearance model (CL, V, Q, V2, ...): the parameter itself, at r
 * times its value; what the model computes from it follows (CL = TVK·V moves with V, and the note
 * says so). A model written with rate constants (K, V, K12, K21, ...): CL = K·V is no input of
 * its structure (a parameter CL it reports changed nothing, and V moved it), so an effect on CL is
 * K × r at fixed V, and an effect on V is V × r with K ÷ r at fixed CL (a reported CL held at its
 * value; the other rate constants as the model computes them with the new V). Either way
 * AUC = F·Dose/CL is then exactly 1/r for CL. An effect that changes none of the structure's
 * inputs is refused.
 */
export function effectMapping(model: Model, on: 'CL' | 'V', r: number, covariates: Readonly<Record<string, number>> = {}, where = 'relevance'): EffectMapping {
  const base = model.evaluate(covariates);
  const v = base.values;
  const has = (n: string): boolean => model.parameterNames.includes(n) || model.inputs.includes(n);
  const micro = model.structure.parameterization === 'micro' && structuralParameters(model.structure).required.includes('K');
  let overrides: Record<string, number>;
  let note: string | undefined;
  if (micro) {
    const K = v.K as number;
    const V = v.V as number;
    const reportsCL = model.parameterNames.includes('CL');
    if (on === 'CL') {
      overrides = { K: K * r, ...(reportsCL ? { CL: (v.CL as number) * r } : {}) };
      note = `CL ${x3(r)} is K ${x3(r)} at fixed V (rate constants: CL = K·V)`;
    } else {
      overrides = { V: V * r, K: K / r, ...(reportsCL ? { CL: v.CL as number } : {}) };
      note = `V ${x3(r)} with K ${x3(1 / r)} at fixed CL (rate constants: CL = K·V)`;
    }
  } else {
    if (!has(on) || v[on] === undefined) throw Errors.option('effect.on', `${where}: model ${model.name} has no parameter ${on}`, on);
    overrides = { [on]: (v[on] as number) * r };
    if (on === 'V' && v.CL !== undefined) {
      const cl = (model.evaluate(covariates, overrides).values.CL as number) / (v.CL as number);
      if (Math.abs(cl - 1) > EDGE) note = `in ${model.name} CL is computed from V: V ${x3(r)} makes CL ${x3(cl)}, and the AUC follows CL`;
    }
  }
  if (r !== 1) {
    const test = model.evaluate(covariates, overrides).kernel;
    if (test.every((x, i) => x === base.kernel[i]))
      throw Errors.option(
        'effect.on',
        `${where}: ${on} is a reported value of model ${model.name}, not an input of its structure: an effect on it would change nothing (give the effect on a parameter the structure reads)`,
        on,
      );
  }
  return note === undefined ? { overrides } : { overrides, note };
}

/** AUC, Cmax and trough ratios test/reference from the engine for one parameter ratio (steady state, typical patient). */
export function engineExposureRatio(
  model: Model,
  on: EffectParameter,
  ratios: readonly number[],
  o: Omit<ModelRelevanceOptions, 'band' | 'doseStep'>,
): { auc: number; cmax: number; trough: number }[] {
  const covariates = o.covariates ?? {};
  const expOpts = { method: o.method, engine: o.engine };
  const ref = steadyStateExposure(model, [{ covariates, dose: o.dose }], o.regimen, expOpts)[0] as NonNullable<ReturnType<typeof steadyStateExposure>[0]>;
  let test: ReturnType<typeof steadyStateExposure>;
  const p = actsOn(on);
  if (p === 'F') {
    // bioavailability scales the amount that enters: the same as scaling the dose
    test = steadyStateExposure(model, ratios.map((r) => ({ covariates, dose: o.dose * r })), o.regimen, expOpts);
  } else {
    test = ratios.map(
      (r) => steadyStateExposure(model, [{ covariates, dose: o.dose }], o.regimen, { ...expOpts, overrides: effectMapping(model, p, r, covariates).overrides })[0] as (typeof test)[number],
    );
  }
  return test.map((t) => ({ auc: t.auctau / ref.auctau, cmax: t.cmax / ref.cmax, trough: t.trough / ref.trough }));
}

/**
 * The same table with exposure ratios from the engine: the model's typical patient at steady state,
 * the parameter set to r·(its value), and to lo·, hi· for the interval (see effectMapping).
 */
export function relevanceFromModel(model: Model, effects: readonly Effect[], o: ModelRelevanceOptions): RelevanceTable {
  checkModel(model, 'relevanceFromModel()');
  checkEffectList(effects, 'relevanceFromModel()');
  if (o === undefined) throw Errors.option('options', 'relevanceFromModel(): the options are required (dose, regimen)');
  refuseUnknownKeys(o, MODEL_RELEVANCE_KEYS, 'relevanceFromModel()');
  if (typeof o.regimen !== 'object' || o.regimen === null) throw Errors.optionValue('regimen', o.regimen, 'relevanceFromModel(): give the regimen as { interval, infusion? } (h)', o.regimen === undefined ? 'none' : undefined);
  // the dose advice is 1/(AUC ratio) and "V alone changes no AUC": both hold for linear PK only
  // (with F halved on a TMDD model, ×5.25 gave 7.6 × the reference AUC)
  const nonlinear = notDoseProportional(model);
  if (nonlinear) throw Errors.option('model', `relevance: the dose advice (dose × 1/AUC ratio) assumes exposure proportional to dose (linear PK); ${nonlinear}`);
  const { band, doseStep } = options(o);
  refuseNoEffects(effects, 'relevanceFromModel()');
  const unset = unsetInputProblem(model, Object.keys(o.covariates ?? {}), {
    time: 'give the time in covariates (h, e.g. covariates: { TIME: 100 })',
    covariate: (name) => `give ${name} in covariates`,
  });
  if (unset !== undefined) throw Errors.option('covariates', `relevance: ${unset}`);
  const rows = effects.map((e, i) => {
    const iv = effectInterval(e, `effect ${i + 1} (${e.label})`);
    const on = actsOn(e.on);
    // refused here, naming the effect, before any engine run (every ratio: lo or hi may be the one ≠ 1)
    const where = `relevance: effect ${i + 1} (${e.label})`;
    const note = on === 'F' ? undefined : [iv.lo, iv.hi, e.ratio].map((r) => effectMapping(model, on, r, o.covariates ?? {}, where).note)[2];
    const [p, a, b] = engineExposureRatio(model, e.on, [e.ratio, iv.lo, iv.hi], o) as [{ auc: number; cmax: number; trough: number }, { auc: number }, { auc: number }];
    return row(e, p.auc, Math.min(a.auc, b.auc), Math.max(a.auc, b.auc), iv.interval, band, doseStep, {
      cmaxRatio: p.cmax,
      troughRatio: p.trough,
      ...(note ? { notes: [note] } : {}),
    });
  });
  return {
    dosewise: 'relevance',
    version: 1,
    band: [band[0], band[1]],
    exposure: 'AUC',
    method: `engine: ${patientOf(model, o.covariates ?? {})} at steady state (dose ${o.dose}, q${o.regimen.interval}h${o.regimen.infusion ? `, ${o.regimen.infusion} h infusion` : ''}); the parameter set to its ratio and interval ends (AUC is monotone in it)${model.structure.parameterization === 'micro' ? '; the model is written with rate constants, CL = K·V: an effect on CL scales K at fixed V, one on V scales V and divides K at fixed CL' : ''}`,
    rows,
    ...withWarnings(ratioPercentWarnings(effects)),
  };
}

/** "typical patient of M", or, where an η or a model parameter is set (a what-if), the patient it is. */
function patientOf(model: Model, covariates: Readonly<Record<string, number>>): string {
  const whatIf = whatIfText(model, [], covariates);
  return whatIf === undefined ? `typical patient of ${model.name}` : `patient of ${model.name} with ${whatIf}`;
}

/**
 * Parses a JSON effects list: [{label, on, ratio, lo, hi} or {label, on, ratio, se, level}, ...],
 * or an object {description?, effects: [...]}.
 */
export function parseEffects(json: unknown, file = 'effects'): Effect[] {
  const list = json !== null && typeof json === 'object' && !Array.isArray(json) && 'effects' in json ? (json as { effects: unknown }).effects : json;
  if (!Array.isArray(list)) throw Errors.io(file, 'expected a JSON array of effects [{label, on, ratio, lo, hi}, ...] (or {"effects": [...]})');
  if (list.length === 0) throw Errors.io(file, 'no effects: the list is empty; give at least one {label, on, ratio, lo, hi}');
  return list.map((x, i) => {
    if (x === null || typeof x !== 'object') throw Errors.io(file, `effect ${i + 1}: expected an object`);
    const o = x as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (!['label', 'on', 'ratio', 'lo', 'hi', 'se', 'level'].includes(k)) throw Errors.io(file, `effect ${i + 1}: unknown field ${k} (known: label, on, ratio, lo, hi, se, level)`);
    const num = (k: string): number | undefined => {
      const v = o[k];
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'number') throw Errors.io(file, `effect ${i + 1}: ${k} must be a number (got ${JSON.stringify(v)})`);
      return v;
    };
    const e: Effect = {
      label: typeof o.label === 'string' ? o.label : String(o.label ?? ''),
      on: String(o.on ?? '').toUpperCase() as EffectParameter,
      ratio: num('ratio') as number,
      lo: num('lo'),
      hi: num('hi'),
      se: num('se'),
      level: num('level'),
    };
    try {
      effectInterval(e, `effect ${i + 1} (${e.label || 'no label'})`);
    } catch (err) {
      throw Errors.io(file, (err as Error).message);
    }
    return e;
  });
}

/**
 * A text table with a log-scale forest column (o = point, --- = interval, | = band edges, : = 1).
 * The dose column is the rounded dose ratio; in parentheses when the verdict is inconclusive.
 */
export function formatRelevance(t: RelevanceTable, width = 31): string {
  if (typeof t !== 'object' || t === null || !Array.isArray(t.rows) || !Array.isArray(t.band)) throw Errors.optionValue('table', t, 'formatRelevance(table): the table is what relevance() or relevanceFromModel() returns', typeof t === 'object' && t !== null ? 'an object without rows and band' : undefined);
  const f = (x: number | undefined) => (x === undefined ? '' : x.toFixed(2));
  const xs = t.rows.flatMap((r) => [r.lo, r.hi]).concat(t.band);
  const lmin = Math.log(Math.min(...xs) / 1.05);
  const lmax = Math.log(Math.max(...xs) * 1.05);
  const pos = (x: number) => Math.max(0, Math.min(width - 1, Math.round(((Math.log(x) - lmin) / (lmax - lmin)) * (width - 1))));
  const bar = (r: RelevanceRow) => {
    const c = new Array<string>(width).fill(' ');
    for (let k = pos(r.lo); k <= pos(r.hi); k++) c[k] = '-';
    c[pos(1)] = ':';
    c[pos(t.band[0])] = '|';
    c[pos(t.band[1])] = '|';
    c[pos(r.ratio)] = 'o';
    return c.join('');
  };
  const rows = [['effect', 'on', 'param', 'AUC ratio', 'interval', 'forest', 'verdict', 'dose']];
  for (const r of t.rows)
    rows.push([r.label, r.on, f(r.parameterRatio), f(r.ratio), r.interval === 'none' ? '-' : `${f(r.lo)}–${f(r.hi)}`, bar(r), r.verdict, vOnlyRow(r) ? '×1 (V only)' : r.verdict === 'no-change' ? '×1' : r.verdict === 'adjust' ? `×${r.doseRatioRounded}` : `(×${r.doseRatioRounded})`]);
  const w = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  let out = `AUC ratio (test/reference) against the relevance band ${t.band[0]}–${t.band[1]}\n${t.method}\n\n`;
  out += rows.map((r) => r.map((x, c) => (c === 0 || c === 1 || c === 5 || c === 6 ? x.padEnd(w[c] as number) : x.padStart(w[c] as number))).join('  ').trimEnd()).join('\n') + '\n';
  const notes = t.rows.filter((r) => r.note).map((r) => `${r.label}: ${r.note}`);
  if (notes.length) out += '\n' + notes.join('\n') + '\n';
  return out;
}
