// A data column named like a model parameter replaces that parameter on every record that gives it
// (data sets can carry individual parameters, as in mrgsolve). A column meant as something else (V
// for a visit number) then silently replaced the volume and its random effect: IPRED 47.3 for 9.

import type { Model } from '../model/model.js';

/** One warning per data column that replaces a parameter of the model, naming the random effects it overrides. */
export function shadowColumnWarnings(model: Model, columns: readonly string[], file: string): string[] {
  const params = new Set(model.parameterNames);
  const effects = [...(model.omega?.names ?? []), ...(model.iov?.names ?? [])];
  const file0 = model.file as { parameters?: Record<string, unknown> };
  // an equation-level quantity of a model text (C = CENTRAL / V) is computed from the states at
  // every step: a column of that name is not read at all, where --param C=5 is refused
  const locals = new Set(model.kernel?.locals ?? []);
  const unread = columns
    .filter((c) => locals.has(c) && !params.has(c))
    .map((c) => `${file}: column ${c} is not read: ${c} is the model text's equation-level quantity, computed from the compartments at every step; rename the column if it means something else`);
  return unread.concat(columns
    .filter((c) => params.has(c))
    .map((c) => {
      const p = file0.parameters?.[c];
      const text = typeof p === 'string' ? p : typeof p === 'object' && p !== null ? String((p as { expr?: unknown }).expr ?? '') : '';
      const etas = effects.filter((e) => new RegExp(`\\b${e}\\b`).test(text));
      return `${file}: column ${c} replaces the model's parameter ${c} on every record that gives it${etas.length ? ` (and with it the random effect ${etas.join(', ')})` : ''}; rename the column if it means something else`;
    }));
}
