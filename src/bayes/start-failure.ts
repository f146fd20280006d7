// Why a patient's MAP estimate has no objective anywhere the search went: the solver or the model
// refuses the start point itself (an SS dose of a Michaelis–Menten model beyond VMAX has no steady
// state). The objective only sees Infinity there; simulate() at the same effects says why, naming
// the record. estimate() then returned the prior (η = 0) with ofv Infinity as if it had estimated,
// and a cohort gave that patient η = 0 without a reason.

import { DosewiseError } from '../errors.js';
import { simulate } from '../engine/simulate.js';
import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import type { ObjectiveOptions } from './objective.js';

/** The errors of an evaluation that say why a point has no objective (not the records' or options' checks, which estimate() ran before). */
const CAUSES: ReadonlySet<string> = new Set(['E_SOLVER', 'E_PARAMETER', 'E_ENGINE']);

const unstartable = new WeakSet<object>();

/** Whether `e` is estimate()'s error for a patient it could not start on: a cohort marks that patient failed and goes on. */
export function cannotStart(e: unknown): e is DosewiseError {
  return typeof e === 'object' && e !== null && unstartable.has(e);
}

/**
 * Throws the cause when the model cannot be simulated at the estimated effects (η in model.omega
 * order; κ all 0, which simulate() takes for every occasion), prefixed by what it means for the
 * estimate. Returns when it can be simulated (the objective is then infinite for a level's sake).
 */
export function refuseUnstartable(model: Model, records: readonly DataRecord[], eta: readonly number[], kappa: readonly (readonly number[])[], at: string, options: ObjectiveOptions): void {
  // per-occasion κ cannot be given to simulate(): unsaid then (the result keeps its message)
  if (kappa.some((k) => k.some((v) => v !== 0))) return;
  const overrides: Record<string, number> = { ...options.overrides };
  (model.omega?.names ?? []).forEach((n, i) => (overrides[n] = eta[i] as number));
  try {
    simulate(model, records, { method: options.method, rtol: options.rtol, atol: options.atol, engine: options.engine, file: options.file, overrides, amounts: false });
  } catch (e) {
    if (!(e instanceof DosewiseError) || !CAUSES.has(e.code)) return;
    // "there is no estimate" overstated it: with VMAX·exp(η) a steady state exists from η_VMAX ≈ 1 on
    // (an MAP at 3.35 SD, ofv 14.43), which the search from the prior mode never reaches
    const err = new DosewiseError(e.code, `${e.message}; the MAP objective cannot be evaluated at the start point (${at}), so the search from there found no estimate (one may exist farther from the prior mode, where the model can be evaluated)`, e.place);
    unstartable.add(err);
    throw err;
  }
}
