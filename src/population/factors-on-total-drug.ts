// fu=F/ and kd=K/ read the level a metric is on as the drug's free (unbound) concentration:
// unbound fu·C, occupancy fu·C/(KD + fu·C). A TMDD model (tmdd, tmdd-qss) may observe something
// else: a TMDD-QSS model with observe.output "concentration" observes its state TOTAL, free plus
// target-bound drug, and kd=0.18/occupancy:0.9 read the total SS trough at 140 nmol q168h (2.4855,
// occupancy 0.932: PTA 100 %, optimize's first choice) where the free trough is 0.12794 (occupancy
// 0.415; 161.25 nmol reach 90 %, as `occupancy` computes from the free drug). The free part of the
// total is no fixed fraction (binding saturates), so no fu turns one into the other: refused,
// naming what the model observes and how to observe the free concentration.

import { Errors } from '../errors.js';
import type { Model } from '../model/model.js';
import { builtinOf, centralCompartment } from '../model/structure.js';
import type { MetricDef } from './metrics.js';

type Observing = Pick<Model, 'name' | 'output' | 'structure' | 'stateNames' | 'observeCompartment'>;

/** What a TMDD model's metrics are on where it is not the free drug concentration; undefined where it is (or the model is no TMDD). */
export function tmddObservedNotFree(model: Observing): string | undefined {
  const kind = model.structure.kind;
  if (!builtinOf(kind)?.occupancy) return undefined;
  const c = model.observeCompartment;
  const state = model.stateNames[c - 1] ?? `compartment ${c}`;
  if (c !== centralCompartment(model.structure)) return `state ${state} (observe.compartment ${c}), not the drug`;
  // full TMDD's central state is the free drug itself; tmdd-qss's is the total, free by the QSS relation only in output "free"
  if (model.output === 'free' || kind === 'tmdd') return undefined;
  return `total drug (observe.output ${JSON.stringify(model.output)} of state ${state}: free plus target-bound, whose free part is no fixed fraction of it)`;
}

/** Refuses fu= and kd= metrics on a TMDD model that does not observe the free drug concentration. */
export function refuseFactorsOnTotalDrug(model: Observing, defs: readonly MetricDef[]): void {
  const what = tmddObservedNotFree(model);
  if (what === undefined) return;
  // a daily AUC of τ ≠ 24 h carries its 24/τ in fu: only the user's unbound fraction counts
  const d = defs.find((x) => (x.scale !== undefined ? x.unbound : x.fu) !== undefined || x.kd !== undefined);
  if (!d) return;
  const central = centralCompartment(model.structure);
  const how =
    model.observeCompartment !== central
      ? `observe.compartment ${central} (${model.stateNames[central - 1]}) and observe.output "free"`
      : 'observe.output "free", the structure\'s default: the QSS relation on the totals';
  throw Errors.option(
    'metric',
    `metric ${d.name}: ${d.kd !== undefined ? 'kd=' : 'fu='} reads the level as the free drug concentration (unbound fu·C, occupancy fu·C/(KD + fu·C)), ` +
      `but model ${model.name} (${model.structure.kind}) observes ${what}; observe the free concentration with ${how}, or drop the prefix`,
  );
}
