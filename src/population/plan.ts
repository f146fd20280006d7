// A population study as data: everything a worker needs to generate and simulate any range of
// subjects. It crosses thread boundaries (structured clone), so it holds JSON and numbers only;
// each worker prepares it once (model compiled, event table built) and reuses it for every chunk.

import type { CovariateNotes } from './covariates/sample.js';
import type { NegativeTally } from './negative-metrics.js';
import type { MetricDef } from './metrics.js';
import type { SolverMethod } from '../model/model.js';

export interface PopulationPlan {
  /** The model file (JSON), not a compiled model: closures do not cross threads. */
  readonly model: unknown;
  /** One subject's records as named data items (ID, TIME, EVID, AMT, ...), the same for every subject. */
  readonly regimen: readonly Readonly<Record<string, number>>[];
  /** Where each regimen record is in its file (`doses.0` of a regimen JSON, `row 3`), for warnings; none: `row N`, N from 1. */
  readonly places?: readonly string[];
  /** Covariate specification (see src/population/covariates), or none. */
  readonly covariates?: unknown;
  /** The file the covariate specification was read from, named where a subject's draw is refused. */
  readonly covariatesFile?: string;
  /** Text of files the covariate spec refers to (resampling tables), by path: workers do no I/O. */
  readonly files?: Readonly<Record<string, string>>;
  /** Root key from the user's seed (seedrandom → two 32-bit halves). */
  readonly key: readonly [number, number];
  readonly metrics: readonly MetricDef[];
  /**
   * Return per-subject covariates, η and parameters (for the subject table): all of them, or only
   * the columns named (what a banding or a stratified PTA reads: less to capture, copy and send).
   */
  readonly table: boolean | readonly string[];
  /** Return full profiles (value per record per subject). */
  readonly profiles: boolean;
  readonly method?: SolverMethod;
  readonly rtol?: number;
  readonly atol?: number;
}

export interface ChunkResult {
  readonly first: number;
  readonly count: number;
  /** count × metrics, row-major. */
  readonly metrics: Float64Array;
  /** Per-subject engine status (0 = ok). */
  readonly status: Int32Array;
  /** Column name → values (covariates, η, parameters), when the plan asks for the table. */
  readonly columns?: Readonly<Record<string, Float64Array>>;
  /** count × records, row-major, when asked. */
  readonly profiles?: Float64Array;
  /** Subjects whose derived covariates were extrapolated (covariates/sample.ts). */
  readonly covariateNotes?: CovariateNotes;
  /** Per compartment, the subjects' lowest amounts on the profile's rows (a model text integrated: W_NEGATIVE_STATE). */
  readonly stateNegatives?: readonly NegativeTally[];
}

/** Whether `v` is a plan's key: two numbers, as seedKey(seed) returns. */
export function isPlanKey(v: unknown): v is readonly [number, number] {
  return Array.isArray(v) && v.length === 2 && v.every((k: unknown) => typeof k === 'number');
}

/**
 * What is wrong with a plan's `table` (true, false, or the names of the columns to keep), or
 * undefined: a plan without one failed in a chunk as a bare TypeError ("reading 'includes'"), and a
 * string ran as the list of its characters.
 */
export function planTableProblem(v: unknown): string | undefined {
  if (v === true || v === false) return undefined;
  if (!Array.isArray(v)) return 'true for the subject table (covariates, η and parameters of each subject), false for none, or an array of the names of the columns to keep';
  const i = v.findIndex((x: unknown) => typeof x !== 'string');
  return i < 0 ? undefined : `the names of the columns to keep are strings (table[${i}] is a ${typeof v[i]})`;
}

/** Random-stream domains (assembly/rng.ts): separate so adding a covariate never shifts η. */
export const Domain = {
  covariateNormal: 1,
  covariateUniform: 2,
  eta: 3,
  iov: 4,
  residual: 5,
} as const;
