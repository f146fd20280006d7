// A measured level recorded against a compartment that has no scale predicts that compartment's
// amount, as in NONMEM (F = A(n)/S(n), S(n) = 1 when not set): CMT 2 in a two-compartment IV model
// is the peripheral amount in mg, fitted against a concentration in mg/L (η_CL 3.87, about 12 SD,
// with only an "implausible level" warning). Said once per data set and compartment.
//
// The same holds for an output of a model with several (model file `outputs`) whose compartment is
// not the observed one: pk-emax without "S1": "V" fitted its concentration output (mg/L) as the
// amount A1 (237.9 at 1 h for 4.758), and with observe.compartment 1 its response output (%) as
// the effect-site concentration, both without a word. An output whose unit says it is what the
// compartment holds (an amount in mg or mmol; for effect-emax's effect compartment, a
// concentration) is meant so and passes.

import type { Model, Output } from '../model/model.js';
import { parseCovariateUnit } from '../model/units.js';
import type { DataRecord } from '../regimen/record.js';

/**
 * The code of these warnings where the library gives them (simulate(), estimate(), forecast(), and
 * advice through its estimate): before, only the command line said it, and the API fitted CMT 2's
 * peripheral amount as a concentration (η_CL 3.87) with no word of why.
 */
export const AMOUNT_LEVEL_CODE = 'W_LEVEL_AMOUNT' as const;

type Seen = Pick<Model, 'outputs' | 'observeCompartment' | 'parameterNames' | 'stateNames'> & Partial<Pick<Model, 'structure' | 'nStates'>>;

/** effect-emax's effect compartment (its state is the effect-site concentration; the response is read only where observed). */
function effectSite(model: Seen, c: number): boolean {
  return model.structure?.kind === 'effect' && c === (model.nStates ?? model.stateNames.length);
}

/** Whether an output's unit says it measures what compartment c holds as it stands. */
function meantAsHeld(model: Seen, o: Output, c: number): boolean {
  const u = o.unit === undefined ? undefined : parseCovariateUnit(o.unit);
  if (!u) return false;
  const [mass, mol, volume, time, length] = u.dim as [number, number, number, number, number];
  const quantity = mass + mol === 1 && mass * mol === 0 && time === 0 && length === 0;
  return quantity && volume === (effectSite(model, c) ? -1 : 0);
}

export function amountObservationWarnings(model: Seen, records: readonly DataRecord[], file?: string): string[] {
  if (model.outputs) return outputWarnings(model, model.outputs, records, file);
  // one warning per compartment: counted together under the first one's CMT, 1 depot level and 2
  // peripheral ones (CMT 3 of 2cmt-oral) were said as "3 levels with CMT 1 (DEPOT)"
  const found = new Map<number, { first: DataRecord; count: number }>();
  // a CMT beyond the model's compartments is refused where the records are run (NONMEM's output
  // compartment, or none): warned of here, it printed before that refusal about a run that never was
  const n = model.nStates ?? model.stateNames.length;
  for (const r of records) {
    if (r.EVID !== 0 || r.MDV !== 0 || !(r.CMT > 0) || r.CMT > n || r.CMT === model.observeCompartment || model.parameterNames.includes(`S${r.CMT}`)) continue;
    const f = found.get(r.CMT);
    if (f) f.count++;
    else found.set(r.CMT, { first: r, count: 1 });
  }
  return [...found].map(([c, { first, count }]) => {
    const name = model.stateNames[c - 1];
    return `${file ? `${file}, ` : ''}row ${first.row}: ${count === 1 ? 'a level' : `${count} levels`} with CMT ${c}${name ? ` (${name})` : ''} predict${count === 1 ? 's' : ''} the amount in that compartment, not a concentration (it has no scale S${c}; the model observes compartment ${model.observeCompartment}): write CMT 0 or ${model.observeCompartment} for a concentration`;
  });
}

/** One warning per output whose levels read a compartment with no scale S<n> other than the observed one. */
function outputWarnings(model: Seen, outputs: ReadonlyMap<number, Output>, records: readonly DataRecord[], file?: string): string[] {
  const found = new Map<number, { o: Output; first: DataRecord; count: number }>();
  for (const r of records) {
    if (r.EVID !== 0 || r.MDV !== 0) continue;
    const c = r.CMT > 0 ? r.CMT : model.observeCompartment;
    if (c === model.observeCompartment || model.parameterNames.includes(`S${c}`)) continue;
    // a level no output measures is refused where it is read
    const o = [...outputs.values()].find((x) => x.compartment === c);
    if (!o || meantAsHeld(model, o, c)) continue;
    const f = found.get(c);
    if (f) f.count++;
    else found.set(c, { o, first: r, count: 1 });
  }
  const obs = model.observeCompartment;
  return [...found].map(([c, { o, first, count }]) => {
    const name = model.stateNames[c - 1];
    const levels = `${count === 1 ? 'a level' : `${count} levels`} of output DVID ${o.dvid} (${o.name}${o.unit !== undefined ? `, in ${o.unit}` : ''}) predict${count === 1 ? 's' : ''}`;
    const what = effectSite(model, c)
      ? `the effect-site concentration of compartment ${c}${name ? ` (${name})` : ''}, not the response (effect-emax gives its response only in the observed compartment, ${obs}): observe compartment ${c} (observe.compartment) for the response`
      : `the amount in compartment ${c}${name ? ` (${name})` : ''}, not a concentration (it has no scale S${c}; the model observes compartment ${obs}): give the compartment's scale, e.g. "S${c}": "V" (its volume), for a concentration`;
    return `${file ? `${file}, ` : ''}row ${first.row}: ${levels} ${what}`;
  });
}
