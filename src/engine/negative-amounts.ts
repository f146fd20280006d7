// A model text's compartment that the solver left below zero. The built-in kinds hold only amounts
// (and an effect-site concentration, a tumour size), so their steps are rejected there and retried
// smaller (assembly/ode/control.ts: domainError), and so are a text's compartments that it marks as
// amounts (src/model/text/held-amounts.ts: a Michaelis–Menten text at rtol 1e-4 read −2852 at 10 h,
// exact 42.8, before). Another compartment may be a PD quantity that is negative by right (a change
// from baseline), so its steps are not held, and one carried below zero is said instead, naming the
// first record.

import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import { byId } from '../regimen/nmtran.js';
import { recordPlace } from '../regimen/file.js';
import { SS2_NONLINEAR_CODE, steadyStateAddBefore } from './steady-state-add.js';
import { initWhere, refuseNegativeInitialAmounts } from './negative-init.js';

/**
 * How many atol a value may sit below zero before it is more than the solver's noise. An accepted
 * step leaves amounts near zero a few atol off (measured over Michaelis–Menten, effect-compartment
 * and linear two-compartment texts, every method, rtol 1e-4 to 1e-12, atol 1e-10 and 1e-14: at
 * worst 40 atol for a level, DOP853 on a 400-h trough); a step through zero moves the value by the
 * profile's scale. With atol alone an emptied depot at −9.6e-10 (DOP853, atol 1e-10) was warned of
 * at every rtol. The population checks (population/negative-metrics.ts, coarse-grid.ts) use it too.
 */
export const NOISE_ATOLS = 1000;

/** Below this rtol a tighter one is no advice: the solver's rounding does not reach a visible amount. */
const TIGHTEST_ADVISED = 1e-10;

type AmountModel = Pick<Model, 'kernel' | 'structure' | 'stateNames' | 'evaluate'>;

/**
 * Per state, the scale of what was in it over records [from, to): its largest amount on a row, or
 * the largest dose into it (F·AMT, F at η = 0). Rows alone missed what passed through between them:
 * an oral depot's largest row was 1.6e-4 (the dose row, before the lagged 13.68 mg arrived).
 */
export function amountScales(model: AmountModel, records: readonly DataRecord[], amounts: ArrayLike<number>, from: number, to: number): Float64Array {
  const n = model.stateNames.length;
  const scale = new Float64Array(n);
  for (let r = from; r < to; r++) {
    for (let j = 0; j < n; j++) scale[j] = Math.max(scale[j] as number, amounts[r * n + j] as number);
    const rec = records[r] as DataRecord;
    const c = (rec.CMT > 0 ? rec.CMT : 1) - 1;
    if ((rec.EVID !== 1 && rec.EVID !== 4) || !(rec.AMT > (scale[c] ?? Infinity))) continue;
    let F = 1;
    try {
      F = model.evaluate(rec.items, {}, rec.row).F[c] ?? 1;
    } catch {
      // what the record lacks is refused where it is simulated; AMT alone is scale enough
    }
    scale[c] = Math.max(scale[c] as number, F >= 0 && F < Infinity ? F * rec.AMT : rec.AMT);
  }
  return scale;
}

/** The amount below which a state of that scale is more than the solver's noise. */
export const noiseBound = (tol: { readonly rtol: number; readonly atol: number }, scale: number): number => NOISE_ATOLS * tol.atol + tol.rtol * scale;

/**
 * W_NEGATIVE_AMOUNT (one warning, or none): a model text's compartment below
 * −(1000·atol + rtol·scale) on an output row (amountScales: a running-off amount does not widen its
 * own bound). `amounts`: nStates per record, row-major (simulate()'s). An amount a subject's init()
 * starts below zero (a compartment the text marks as one, or one its records dose) is refused
 * instead, naming the init() (negative-init.ts): no rtol changes it.
 */
export function negativeAmountWarnings(
  model: AmountModel & Pick<Model, 'file'>, records: readonly DataRecord[], amounts: Float64Array | undefined,
  tol: { readonly rtol: number; readonly atol: number }, file?: string,
): string[] {
  if (!model.kernel || !amounts) return [];
  refuseNegativeInitialAmounts(model, records, amounts, file);
  const n = model.stateNames.length;
  let first: { row: number; state: number; scale: number; bound: number; from: number } | undefined;
  let count = 0;
  // each ID's records are contiguous and in input order (simulate() checks), as are byId's groups
  let from = 0;
  for (const group of byId(records).values()) {
    const to = from + group.length;
    const scale = amountScales(model, records, amounts, from, to);
    for (let r = from; r < to; r++)
      for (let j = 0; j < n; j++) {
        const bound = noiseBound(tol, scale[j] as number);
        if (!((amounts[r * n + j] as number) < -bound)) continue;
        count++;
        first ??= { row: r, state: j, scale: scale[j] as number, bound, from };
      }
    from = to;
  }
  if (!first) return [];
  const rec = records[first.row] as DataRecord;
  const value = amounts[first.row * n + first.state] as number;
  const more = count > 1 ? ` (${count} values below such a bound in all)` : '';
  const g = (x: number): string => {
    const v = +x.toPrecision(3);
    return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v);
  };
  // after an SS = 2 dose into a model not linear in its states the value is the superposition's and
  // stays at any rtol (−6.09419 at 1e-8 and 1e-10): advising a tighter one sent the user astray
  const added = steadyStateAddBefore(model, records, first.from, first.row);
  // a state its init() starts below zero (a PD quantity, negative by right: an amount would have been
  // refused above) is the model's value from the start: "tighten --rtol from 1e-8 to 1e-10" could not
  // change it. Its value on the subject's first row is its init() as simulated (--param included)
  const initAt = initWhere(model, first.state);
  const start = amounts[first.from * n + first.state] as number;
  const cause = initAt !== undefined && start < 0
    ? `its init() starts it below zero: init(${model.stateNames[first.state]}) (${initAt}) is ${+start.toPrecision(6)} for ID ${(records[first.from] as DataRecord).ID}, the model's own initial value, which a tighter rtol does not change.`
    : added
    ? `the SS=2 dose at ${file ? `${file}, ` : ''}${recordPlace(added)} (TIME ${added.TIME}) likely put it there (${SS2_NONLINEAR_CODE}): its steady state is added to the current state by superposition, which does not hold for this model's equations, and a tighter rtol does not change the value; give SS=1 or the doses themselves.`
    : // the advice is relative to the rtol used: "tighten to 1e-6" told a run at 1e-12 to loosen it
      tol.rtol > TIGHTEST_ADVISED
    ? `the solver may have stepped an amount through zero (a saturable elimination at a loose tolerance), or the model's own equations put it there (a zero-order loss with nothing left): tighten the option rtol, from rtol ${g(tol.rtol)} to ${g(tol.rtol / 100)}; if the value stays, it is the model's.`
    : `at rtol ${g(tol.rtol)} the solver's rounding does not reach this far: the model's own equations (a zero-order loss with nothing left) or noise beyond the bound put it there.`;
  return [
    `W_NEGATIVE_AMOUNT: ${file ? `${file}, ` : ''}row ${rec.row} (ID ${rec.ID}, TIME ${rec.TIME}): compartment ${model.stateNames[first.state]} is ${+value.toPrecision(6)}, below -(${NOISE_ATOLS}·atol + rtol × its scale ${+first.scale.toPrecision(6)}) = ${g(-first.bound)}${more}, its scale the larger of its peak and the largest dose into it (F·AMT): ` +
      `${cause} If the quantity may be negative (a response, a change from baseline), ignore this.`,
  ];
}
