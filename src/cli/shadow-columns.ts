// A data column named like a model parameter replaces that parameter on every record that gives it
// (data sets can carry individual parameters, as in mrgsolve). A column meant as something else (V
// for a visit number) then silently replaced the volume and its random effect: IPRED 47.3 for 9.
// A column named like a random effect (ETA_CL, KAPPA_CL: an estimation table fed back as data) sets
// that η on every record in a plain simulation, where the subject is otherwise typical (η = 0), and
// is not read where the η are estimated or drawn: either way it changed or did not change the
// result without a word.

import type { Model } from '../model/model.js';

/** Where the random effects of a run come from: the data (a plain simulation), the fit (estimate, forecast) or the draws (replicates). */
export type EffectsFrom = 'data' | 'fitted' | 'drawn';

/**
 * One warning per data column that replaces a parameter of the model, naming the random effects it
 * overrides, and per column named like a random effect. `overrides`: --param's values, which replace
 * such a column in turn: "column CL replaces the model's parameter CL" was said of a run at
 * --param CL=5, false for it; the column is then said not to be read.
 */
export function shadowColumnWarnings(model: Model, columns: readonly string[], file: string, effectsFrom: EffectsFrom, overrides?: Readonly<Record<string, number>>): string[] {
  const params = new Set(model.parameterNames);
  const effects = [...(model.omega?.names ?? []), ...(model.iov?.names ?? [])];
  const file0 = model.file as { parameters?: Record<string, unknown> };
  // an equation-level quantity of a model text (C = CENTRAL / V) is computed from the states at
  // every step: a column of that name is not read at all, where --param C=5 is refused
  const locals = new Set(model.kernel?.locals ?? []);
  const unread = columns
    .filter((c) => locals.has(c) && !params.has(c))
    .map((c) => `${file}: column ${c} is not read: ${c} is the model text's equation-level quantity, computed from the compartments at every step; rename the column if it means something else`);
  const effectColumns = columns
    .filter((c) => effects.includes(c) && !params.has(c))
    .map((c) =>
      effectsFrom === 'data'
        ? `${file}: column ${c} sets the random effect ${c} on every record that gives it (elsewhere the subject is typical, ${c} = 0); rename the column if it means something else`
        : `${file}: column ${c} is not read: ${effectsFrom === 'fitted' ? 'the random effect is estimated from the levels' : 'the random effect is drawn (or fixed by --effects)'}; to simulate with these values, run dosewise simulate without replicates`,
    );
  return unread.concat(effectColumns, columns
    .filter((c) => params.has(c))
    .map((c) => {
      const given = overrides?.[c];
      if (given !== undefined) return `${file}: column ${c} is not read: --param ${c}=${given} sets the model's parameter ${c} on every record, in place of the column's values`;
      const p = file0.parameters?.[c];
      const text = typeof p === 'string' ? p : typeof p === 'object' && p !== null ? String((p as { expr?: unknown }).expr ?? '') : '';
      const etas = effects.filter((e) => new RegExp(`\\b${e}\\b`).test(text));
      return `${file}: column ${c} replaces the model's parameter ${c} on every record that gives it${etas.length ? ` (and with it the random effect ${etas.join(', ')})` : ''}; rename the column if it means something else`;
    }));
}
