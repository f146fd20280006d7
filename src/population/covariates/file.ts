// A covariate specification as the command line reads it: a JSON file (plus the resampling tables it
// names). Checked once where it is read, so that a mistake names the file, not only the field.

import { readFileSync } from 'node:fs';
import { DosewiseError, Errors } from '../../errors.js';
import { covariateSampler } from './sample.js';
import type { DataRecord } from '../../regimen/record.js';

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

/**
 * Refuses a covariate the spec samples that the regimen file also gives as a column: the sampled
 * value replaced the regimen's without a word (CRCL 30 in every record, sampled 30–150).
 */
export function refuseSampledInRegimen(spec: unknown, tables: Readonly<Record<string, string>>, records: readonly DataRecord[], regimenFile: string): void {
  if (spec === undefined) return;
  const names = covariateSampler(spec, { readText: (p) => tables[p] ?? readFileSync(p, 'utf8') }).names;
  for (const n of names) {
    // every record has an ID (1 in a regimen JSON): a sampled ID is named for the clash it is, with
    // the subject table's own ID column (refuseCovariateColumnClash), not blamed on the regimen
    if (n.toUpperCase() === 'ID') throw Errors.model(`covariates.${n}`, `${n} is also a column of the subject table (the subject's number): the subject table has one column per name, so the sampled values would be lost; rename the covariate, or leave the ID column out of "columns"`, n);
    const r = records.find((x) => x.items[n] !== undefined && !Number.isNaN(x.items[n]));
    if (r) throw Errors.record(r.row, n, r.items[n], `${n} is also sampled by the covariate file: the sampled value would replace this one in every subject; keep one of them`, regimenFile);
  }
}
