// η-shrinkage over a cohort of MAP estimates (Savic & Karlsson, AAPS J 2009;11:558):
//
//   shrinkage_SD(η)  = 1 − SD(η̂) / ω        shrinkage_var(η) = 1 − Var(η̂) / ω²
//
// with SD over the cohort's estimates (denominator n − 1, or 1 for a single estimate) and ω² the
// prior variance of that η. Near 0: the data identify each patient's η; near 1: the estimates stay
// at the population value (sparse or uninformative samples). A patient without observations has
// η̂ = 0 exactly, so a cohort of such patients has shrinkage 1 (100 %).

import { Errors } from '../errors.js';
import type { Model } from '../model/model.js';
import { checkModel } from '../model/check-model.js';
import type { Estimate } from './estimate.js';

export interface Shrinkage {
  /** η names (model.omega order). */
  readonly names: readonly string[];
  /** 1 − SD(η̂)/ω per η (NaN for a fixed η, ω = 0, and for one no estimate estimated: labels). */
  readonly sd: number[];
  /** 1 − Var(η̂)/ω² per η. */
  readonly variance: number[];
  /** Mean and SD of the estimates per η. */
  readonly mean: number[];
  readonly sdEta: number[];
  /** Prior SD ω per η. */
  readonly omega: number[];
  readonly n: number;
}

/** Refuses options given to shrinkage() (E_OPTION, naming the key): an empty object or keys set to undefined ask for nothing. */
function refuseOptions(options: unknown): void {
  if (options === undefined) return;
  const isObject = typeof options === 'object' && options !== null && !Array.isArray(options);
  const key = isObject ? Object.keys(options).find((k) => (options as Record<string, unknown>)[k] !== undefined) : undefined;
  if (isObject && key === undefined) return;
  const what = key === undefined ? `a third argument (got ${Array.isArray(options) ? 'an array' : String(options)})` : `unknown option ${JSON.stringify(key)}`;
  throw Errors.option(key ?? 'options', `shrinkage(): ${what}; shrinkage takes no options, only (model, estimates)`, key === undefined ? options : (options as Record<string, unknown>)[key]);
}

/**
 * η-shrinkage of a cohort of estimates of the same model.
 *
 * @example
 * const fits = patients.map((p) => estimate(model, p));
 * shrinkage(model, fits).sd; // e.g. [0.12, 0.45]
 */
export function shrinkage(model: Model, estimates: readonly (Pick<Estimate, 'eta'> & { readonly labels?: Estimate['labels'] })[]): Shrinkage {
  // shrinkage takes no options: a third argument (a level, a subset of η) was ignored without a word.
  // Read through `arguments`, so the documented signature stays (model, estimates).
  // eslint-disable-next-line prefer-rest-params
  if (arguments.length > 2) refuseOptions(arguments[2]);
  checkModel(model, 'shrinkage()');
  if (!Array.isArray(estimates)) throw Errors.option('estimates', `shrinkage(): estimates must be an array of the Estimates estimate() returns (got ${estimates === null ? 'null' : typeof estimates})`);
  const names = model.omega?.names ?? [];
  const n = estimates.length;
  // the SD of the η̂ (divisor n − 1) is undefined for one patient: it printed 0, "shrinkage 100 %"
  if (n < 2) throw Errors.option('estimates', `shrinkage needs the estimates of at least 2 patients (got ${n}): the spread of one η̂ is undefined`, n);
  // each estimate's η in this model's order and number: a 1-η estimate for a 2-η model gave NaN, a
  // 3-η one had its third dropped, and another model's estimates a shrinkage of −5 %
  estimates.forEach((e, k) => {
    const eta = (e as { eta?: unknown } | null)?.eta as ArrayLike<number> | undefined;
    if (!eta || typeof eta.length !== 'number' || eta.length !== names.length)
      throw Errors.option(`estimates[${k}]`, `estimates[${k}] has ${eta && typeof eta.length === 'number' ? eta.length : 'no'} η where model ${model.name} has ${names.length} (${names.join(', ') || 'none'}): the estimates must be this model's`, eta === undefined ? undefined : String(eta.length));
    for (let i = 0; i < names.length; i++)
      if (!Number.isFinite(eta[i] as number)) throw Errors.option(`estimates[${k}].eta[${i}]`, `estimates[${k}].eta[${i}]: ${names[i]} is not a number (got ${eta[i]}): an estimate that failed has no η to count`, String(eta[i]));
  });
  const omega = names.map((_, i) => Math.sqrt((((model.omega as NonNullable<Model['omega']>).matrix[i] as readonly number[])[i] as number)));
  const mean = names.map((_, i) => (n ? estimates.reduce((s, e) => s + (e.eta[i] as number), 0) / n : NaN));
  const sdEta = names.map((_, i) => {
    if (!n) return NaN;
    const m = mean[i] as number;
    const ss = estimates.reduce((s, e) => s + ((e.eta[i] as number) - m) ** 2, 0);
    return Math.sqrt(ss / Math.max(1, n - 1));
  });
  // an η no estimate estimated (only parameters given as values read it: W_ETA_NOT_ESTIMATED) is 0 in
  // each, and its "shrinkage" of 100 % read as levels that told nothing of it
  const estimated = names.map((n) => !estimates.every((e) => Array.isArray(e.labels) && !e.labels.includes(n)));
  const sd = names.map((_, i) => ((omega[i] as number) > 0 && estimated[i] ? 1 - (sdEta[i] as number) / (omega[i] as number) : NaN));
  const variance = names.map((_, i) => ((omega[i] as number) > 0 && estimated[i] ? 1 - (sdEta[i] as number) ** 2 / (omega[i] as number) ** 2 : NaN));
  return { names, sd, variance, mean, sdEta, omega, n };
}
