// A covariate specification as the command line reads it: a JSON file (plus the resampling tables it
// names). Checked once where it is read, so that a mistake names the file, not only the field.

import { readFileSync } from 'node:fs';
import { DosewiseError, Errors } from '../../errors.js';
import { covariateSampler } from './sample.js';

/**
 * Checks a covariate specification read from `file` (resampling tables from `tables` by the path
 * written in the spec, else from disk); an error names the file and the field, e.g.
 * `cov.json, covariates.WT.sd: expected number, received string (got "x")`.
 */
export function checkCovariateFile(spec: unknown, file: string, tables: Readonly<Record<string, string>>): void {
  try {
    covariateSampler(spec, { readText: (p) => tables[p] ?? readFileSync(p, 'utf8') });
  } catch (e) {
    if (e instanceof DosewiseError) throw Errors.inFile(file, e);
    throw e;
  }
}
