// Why a name given to set (an override, --param, --set, --grid) is not one the model reads. The η
// and κ are inputs of the model but random effects, not data items: listed apart (κ were listed as
// data items). The occasion column of between-occasion variability is read from the records, not
// set: it was refused as a name the model does not have, beside the model's own iov.occasion.

import type { Model } from './model.js';

type Names = Pick<Model, 'name' | 'parameterNames' | 'inputs'> & {
  readonly omega?: { readonly names: readonly string[] };
  readonly iov?: { readonly names: readonly string[]; readonly occasion?: string };
};

const list = (xs: readonly string[]): string => (xs.length ? xs.join(', ') : 'none');

/** `randomEffects`: list the η and κ too (where they can be set). */
export function unknownNameText(model: Names, name: string, randomEffects: boolean): string {
  const etas = model.omega?.names ?? [];
  const kappas = model.iov?.names ?? [];
  if (model.iov?.occasion !== undefined && name === model.iov.occasion)
    return `${name} is the data column that numbers the occasions of model ${model.name}'s between-occasion variability (κ: ${list(kappas)}): it is read from each record, not set`;
  const items = model.inputs.filter((n) => !etas.includes(n) && !kappas.includes(n));
  const random = randomEffects ? `${etas.length ? `; η: ${etas.join(', ')}` : ''}${kappas.length ? `; κ: ${kappas.join(', ')}` : ''}` : '';
  return `model ${model.name} has no parameter or data item ${name} (parameters: ${list(model.parameterNames)}; data items: ${list(items)}${random})`;
}
