// A model text's compartment that the solver left below zero. The built-in kinds hold only amounts
// (and an effect-site concentration, a tumour size), so their steps are rejected there and retried
// smaller (assembly/ode/control.ts: domainError); a model text's compartment may be a PD quantity
// that is negative by right (a change from baseline), so its steps are not held, and an amount
// carried below zero by a loose rtol (a Michaelis–Menten text at rtol 1e-4: −2852 at 10 h where the
// exact amount is 42.8, printed with exit 0) is said instead, naming the first record.

import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import { byId } from '../regimen/nmtran.js';

/**
 * W_NEGATIVE_AMOUNT (one warning, or none): a model text's compartment below −(atol + rtol·peak) on
 * an output row, peak its largest value (≥ 0) over the subject's rows, so that an amount running off
 * below zero does not widen its own bound. `amounts`: nStates per record, row-major (simulate()'s).
 */
export function negativeAmountWarnings(
  model: Pick<Model, 'kernel' | 'stateNames'>, records: readonly DataRecord[], amounts: Float64Array | undefined,
  tol: { readonly rtol: number; readonly atol: number }, file?: string,
): string[] {
  if (!model.kernel || !amounts) return [];
  const n = model.stateNames.length;
  let first: { row: number; state: number; peak: number; bound: number } | undefined;
  let count = 0;
  // each ID's records are contiguous and in input order (simulate() checks), as are byId's groups
  let from = 0;
  for (const group of byId(records).values()) {
    const to = from + group.length;
    const peak = new Float64Array(n);
    for (let r = from; r < to; r++) for (let j = 0; j < n; j++) peak[j] = Math.max(peak[j] as number, amounts[r * n + j] as number);
    for (let r = from; r < to; r++)
      for (let j = 0; j < n; j++) {
        const bound = tol.atol + tol.rtol * (peak[j] as number);
        if (!((amounts[r * n + j] as number) < -bound)) continue;
        count++;
        first ??= { row: r, state: j, peak: peak[j] as number, bound };
      }
    from = to;
  }
  if (!first) return [];
  const rec = records[first.row] as DataRecord;
  const value = amounts[first.row * n + first.state] as number;
  const more = count > 1 ? ` (${count} values below such a bound in all)` : '';
  return [
    `W_NEGATIVE_AMOUNT: ${file ? `${file}, ` : ''}row ${rec.row} (ID ${rec.ID}, TIME ${rec.TIME}): compartment ${model.stateNames[first.state]} is ${+value.toPrecision(6)}, below -(atol + rtol × its peak ${+first.peak.toPrecision(6)}) = ${+(-first.bound).toPrecision(3)}${more}: ` +
      'the solver most likely stepped an amount through zero (a saturable elimination at a loose tolerance); tighten --rtol (option rtol), e.g. to 1e-6. If the quantity may be negative (a response, a change from baseline), ignore this.',
  ];
}
