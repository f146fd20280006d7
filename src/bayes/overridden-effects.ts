// W_ETA_NOT_ESTIMATED: a random effect that only parameters given as values (overrides, --param)
// read. `estimate --param CL=5` on CL = 4·exp(ETA_CL) left ETA_CL read by nothing, and the estimate
// still carried it: η 0 and "posterior se (Laplace): ETA_CL 0.316228", its prior SD read as an SE,
// without a word. Such an effect is now not estimated, as one of variance 0 (η 0, not among the
// posterior's effects, no SE: objective.ts), and this warning names it with the parameters that
// read it. The other effects keep their marginal prior (Ω's sub-block), which is what the joint
// estimate gave them: an effect no level informs integrates out of a Gaussian prior.

import type { Model } from '../model/model.js';
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

/**
 * The random effects of positive variance that the engine reads (a structural parameter, a dose
 * modifier, a scale) but no longer once the parameters in `overrides` are held at their values.
 */
export function overriddenEffects(model: Model, overrides: Readonly<Record<string, number>> | undefined): readonly OverriddenEffect[] {
  if (overrides === undefined) return [];
  const pinned: string[] = [];
  for (const n of Object.keys(overrides)) if (model.parameterNames.includes(n)) pinned.push(n);
  if (pinned.length === 0) return [];
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

/** The warnings of overriddenEffects (the library's words: overrides.CL = 5). */
export function overriddenEffectWarnings(model: Model, overrides: Readonly<Record<string, number>> | undefined): MapWarning[] {
  const out: MapWarning[] = [];
  for (const { effect, parameters, priorSd } of overriddenEffects(model, overrides)) {
    const given = parameters.map((p) => `${p} (overrides.${p} = ${(overrides as Record<string, number>)[p]})`);
    const list = given.length === 1 ? `${given[0]} is` : `${given.slice(0, -1).join(', ')} and ${given[given.length - 1]} are`;
    out.push({
      code: ETA_NOT_ESTIMATED_CODE,
      message: `${effect} is not estimated: ${list} given and nothing else reads ${effect}; it stays 0 and has no posterior (its prior SD, ${+priorSd.toPrecision(6)}, is no SE); to estimate ${effect}, do not give ${parameters.join(' or ')}`,
    });
  }
  return out;
}
