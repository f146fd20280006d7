// A covariate the model reads that the population neither samples nor finds in its regimen takes
// the model's default for every subject. The data-set commands say so (W_COVARIATE_DEFAULT), and
// `population` said it only beside a sampled covariate the model ignores: a population of Goti 2018
// (CL 0.7^DIAL, V1 0.5^DIAL) from a covariates file without DIAL ran every subject off dialysis
// without a word. Said once per run, before any worker starts.

import { COVARIATE_DEFAULT_CODE, defaultedInputs, usualDefault } from '../model/defaulted-inputs.js';
import type { Model } from '../model/model.js';

/**
 * W_COVARIATE_DEFAULT for each input the model reads at its default for every subject: neither in
 * `sampled` (covariates, η, κ) nor a value of the regimen's records. Not where the model file says
 * that default is the value it is used at ("fixed at 0"), as the data-set commands.
 */
export function populationDefaultWarnings(model: Model, sampled: ReadonlySet<string>, regimen: readonly Readonly<Record<string, number | undefined>>[]): string[] {
  return populationDefaults(model, sampled, regimen)
    .filter(({ name, value }) => !usualDefault(model, name, value))
    .map(
      ({ name, value }) =>
        `${COVARIATE_DEFAULT_CODE}: ${name} is neither sampled nor in the regimen: every subject takes its default ${value} (model ${model.name} reads it); sample it in the covariates (or derive it, e.g. "${name}": { "derived": "${value}" }, where every subject has that value) or give it in the regimen`,
    );
}

/** The inputs the model reads at its default for every subject: neither in `sampled` nor a value of the regimen's records. */
export function populationDefaults(model: Model, sampled: ReadonlySet<string>, regimen: readonly Readonly<Record<string, number | undefined>>[]): { readonly name: string; readonly value: number }[] {
  return defaultedInputs(model, (n) => sampled.has(n) || regimen.some((items) => items[n] !== undefined && !Number.isNaN(items[n])));
}
