// W_ETA_NOT_ESTIMATED: a random effect that only parameters given as values (overrides, --param)
// read. `estimate --param CL=5` on CL = 4·exp(ETA_CL) left ETA_CL read by nothing, and the estimate
// still carried it: η 0 and "posterior se (Laplace): ETA_CL 0.316228", its prior SD read as an SE,
// without a word. Such an effect is now not estimated, as one of variance 0 (η 0, not among the
// posterior's effects, no SE: objective.ts), and this warning names it with the parameters that
// read it. The other effects keep their marginal prior (Ω's sub-block), which is what the joint
// estimate gave them: an effect no level informs integrates out of a Gaussian prior.
// A data column named like the parameter (CL on every record of a TDM file) pins it as the override
// does (the engine reads the column for the parameter: slot-records.ts), and was as silent: ETA_CL 0
// with its prior SD as an SE. It is the same case, told apart only in the warning's words.

import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import type { MapWarning } from './warnings.js';

export const ETA_NOT_ESTIMATED_CODE = 'W_ETA_NOT_ESTIMATED' as const;

/** A random effect only given parameters read, and those parameters. */
export interface OverriddenEffect {
  readonly effect: string;
  readonly parameters: readonly string[];
  /** Its prior SD (√ω², the diagonal of Ω or of the IOV block). */
  readonly priorSd: number;
}

const known = new WeakMap<Model, Map<string, readonly OverriddenEffect[]>>();

/** A parameter a data column gives: the column's first record with a value, and on how many of the records. */
export interface ChartedParameter {
  readonly name: string;
  readonly row: number;
  readonly count: number;
  readonly total: number;
}

/**
 * The parameters the records give as data items (not blank), other than those `overrides` give
 * (an override holds on every record). A blank beside values is refused where it is read
 * (refusePartlyMissingItems) and takes the patient's value where nothing reads it (fillUnreadBlanks),
 * so a column with a value anywhere pins the parameter wherever it is read.
 */
export function chartedParameters(model: Pick<Model, 'parameterNames'>, records: readonly DataRecord[] | undefined, overrides?: Readonly<Record<string, number>>): ChartedParameter[] {
  if (!records || records.length === 0) return [];
  const out: ChartedParameter[] = [];
  for (const name of model.parameterNames) {
    if (overrides !== undefined && name in overrides) continue;
    let first: DataRecord | undefined;
    let count = 0;
    for (const r of records) {
      const v = r.items[name];
      if (typeof v !== 'number' || Number.isNaN(v)) continue;
      first ??= r;
      count++;
    }
    if (first) out.push({ name, row: first.row, count, total: records.length });
  }
  return out;
}

/**
 * The random effects of positive variance that the engine reads (a structural parameter, a dose
 * modifier, a scale) but no longer once the parameters in `overrides`, and those the `records`
 * give as data items (chartedParameters), are held at their values.
 */
export function overriddenEffects(model: Model, overrides: Readonly<Record<string, number>> | undefined, records?: readonly DataRecord[]): readonly OverriddenEffect[] {
  const pinned: string[] = [];
  if (overrides !== undefined) for (const n of Object.keys(overrides)) if (model.parameterNames.includes(n)) pinned.push(n);
  for (const c of chartedParameters(model, records, overrides)) pinned.push(c.name);
  if (pinned.length === 0) return [];
  return effectsOnlyReadBy(model, pinned);
}

function effectsOnlyReadBy(model: Model, pinned: string[]): readonly OverriddenEffect[] {
  const key = pinned.sort().join(',');
  let byKey = known.get(model);
  const hit = byKey?.get(key);
  if (hit) return hit;
  const out: OverriddenEffect[] = [];
  const all = new Set(pinned);
  for (const block of [model.omega, model.iov]) {
    if (!block) continue;
    block.names.forEach((effect, i) => {
      const variance = (block.matrix[i] as readonly number[])[i] as number;
      const one = new Set([effect]);
      if (!(variance > 0) || !model.slots.engineDependsOn(one) || model.slots.engineDependsOn(one, all)) return;
      // the given parameters through which it was read: with one of them not given, it is read again
      const parameters = pinned.filter((p) => model.slots.engineDependsOn(one, new Set(pinned.filter((q) => q !== p))));
      out.push({ effect, parameters, priorSd: Math.sqrt(variance) });
    });
  }
  if (!byKey) known.set(model, (byKey = new Map()));
  byKey.set(key, out);
  return out;
}

/**
 * Where a future regimen's records do not all give a parameter a column of the history pins: they
 * take the history's value as they take its covariates (forecastRecords: after the history its last
 * record's, not the model's parameter at η 0, which it would read with the column blank), said with
 * that value and row (a CL column of 5 and then 3 ran the future at 3, not at 4·exp(0), without a word).
 */
function futureTakes(name: string, history: readonly DataRecord[], future: readonly DataRecord[] | undefined): string {
  if (future === undefined || future.length === 0 || future.every((f) => Number.isFinite(f.items[name]))) return '';
  let last: DataRecord | undefined;
  for (const r of history) if (Number.isFinite(r.items[name]) && (last === undefined || r.TIME >= last.TIME)) last = r;
  return last === undefined ? '' : `; the future regimen's records do not give ${name} and take the history's, ${last.items[name]} (its last, row ${last.row}), as they take its covariates: give ${name} on them for another value`;
}

/**
 * The warnings of overriddenEffects (the library's words: overrides.CL = 5; a data column by its
 * name, its first row with a value and, where it is not on every record, on how many). `future`: a
 * forecast's future regimen, which takes a column's value from the history where it lacks it.
 */
export function overriddenEffectWarnings(model: Model, overrides: Readonly<Record<string, number>> | undefined, records?: readonly DataRecord[], future?: readonly DataRecord[]): MapWarning[] {
  const out: MapWarning[] = [];
  const charted = chartedParameters(model, records, overrides);
  for (const { effect, parameters, priorSd } of overriddenEffects(model, overrides, records)) {
    const columns: string[] = [];
    const given = parameters.map((p) => {
      const c = charted.find((x) => x.name === p);
      if (!c) return `${p} (overrides.${p} = ${(overrides as Record<string, number>)[p]})`;
      columns.push(p);
      const where = c.count === c.total ? `on every record, from row ${c.row}` : `from row ${c.row}, on ${c.count} of the ${c.total} records (the others blank, where nothing reads ${p}: they take its value)`;
      return `${p} (the data's column ${p}, ${where})`;
    });
    const list = given.length === 1 ? `${given[0]} is` : `${given.slice(0, -1).join(', ')} and ${given[given.length - 1]} are`;
    const drop = columns.length === 0 ? '' : ` (leave the column${columns.length === 1 ? '' : 's'} ${columns.join(', ')} out of the data)`;
    const takes = columns.map((c) => futureTakes(c, records ?? [], future)).join('');
    out.push({
      code: ETA_NOT_ESTIMATED_CODE,
      message: `${effect} is not estimated: ${list} given and nothing else reads ${effect}; it stays 0 and has no posterior (its prior SD, ${+priorSd.toPrecision(6)}, is no SE); to estimate ${effect}, do not give ${parameters.join(' or ')}${drop}${takes}`,
    });
  }
  return out;
}
