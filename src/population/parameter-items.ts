// A regimen item named like a model parameter (`"items": {"CL": 5}` on W-b's doses): a data set's
// column of that name replaces the parameter (simulate, estimate), but a population's subjects take
// their parameters from the model and their drawn random effects, and the item was ignored without
// a word (auc24 mean 208.151, sd 67.301, the same as without it). The user meant to pin CL (which
// would take CL's variability with it) or to give a covariate; neither happened, so it is refused,
// in population, pta, band and runStudy() alike (refuseRegimenItems), before any subject.

import { Errors } from '../errors.js';
import type { Model } from '../model/model.js';
import { isDose, type DataRecord } from '../regimen/record.js';

/** The model file's text of a parameter (`TVCL * exp(ETA_CL)`), or undefined. */
function expressionOf(model: Pick<Model, 'file'>, name: string): string | undefined {
  const p = (model.file as { parameters?: Record<string, unknown> }).parameters?.[name];
  if (typeof p === 'string' || typeof p === 'number') return String(p);
  if (typeof p === 'object' && p !== null) {
    const e = (p as { expr?: unknown }).expr;
    if (typeof e === 'string' || typeof e === 'number') return String(e);
  }
  return undefined;
}

const given = (v: number | undefined): v is number => v !== undefined && !Number.isNaN(v);

/**
 * Refuses the first record that gives a parameter of the model as an item (a blank is no value).
 * A regimen JSON's item is carried back to the levels before the first dose (carryRegimenItems), so
 * those are named last: `doses.0.items.CL` where the item was written, not `observe.0`.
 */
export function refuseParameterItems(model: Pick<Model, 'file' | 'name' | 'parameterNames' | 'omega' | 'iov'>, records: readonly DataRecord[], file: string): void {
  const effects = [...(model.omega?.names ?? []), ...(model.iov?.names ?? [])];
  const firstDose = records.find(isDose)?.TIME ?? Infinity;
  const before = (r: DataRecord): boolean => !isDose(r) && r.TIME <= firstDose;
  for (const name of model.parameterNames) {
    const r = records.find((x) => given(x.items[name]) && !before(x)) ?? records.find((x) => given(x.items[name]));
    if (r === undefined) continue;
    const v = r.items[name] as number;
      const text = expressionOf(model, name);
      const etas = text === undefined ? [] : effects.filter((e) => new RegExp(`\\b${e}\\b`).test(text));
      const from = text === undefined ? '' : ` (${text}${etas.length ? `, ${etas.join(', ')} drawn from ${etas.length === 1 ? 'its variance' : 'their variances'}` : ''})`;
      const pin = etas.length ? ` (and without ${etas.join(', ')}, whose variability would go)` : '';
      throw Errors.record(
        r.row,
        name,
        v,
        `${name} is a parameter of model ${model.name}, which each virtual subject takes from the model${from}, not from the regimen's items: the item was not read; to give every subject ${name} = ${v}, write it in the model's parameters${pin}; a covariate goes under the name the model reads`,
        file,
      );
  }
}
