// One chunk task as a worker sees it, the same in Node (Piscina) and browsers (Comlink):
// prepare the plan once per worker, run the chunk, pack the result into one transferable buffer.

import type { CovariateNotes } from './covariates/sample.js';
import type { Engine } from '../engine/wasm.js';
import type { Model } from '../model/model.js';
import { pack, unpack } from '../pool/protocol.js';
import { preparePlan, runChunk, stepsTallied, type PreparedPlan } from './chunk.js';
import type { ChunkResult, PopulationPlan } from './plan.js';
import { MetricAggregate, type AggregateJSON } from './aggregate.js';
import type { Window } from './summary/index.js';
import { tallyNegatives, type NegativeTally } from './negative-metrics.js';

export interface ChunkTask {
  /** Identifies the plan so a worker prepares it once. */
  readonly planId: string;
  /**
   * The plan; left out of a task for a worker that prepared `planId` already (runStudy sends it with
   * the first tasks only: cloning it, 338 regimen records for W-b, took ~0.5 ms on the main thread and
   * ~1.2 ms in the worker per task). A worker that has not prepared it refuses the task with
   * PLAN_MISSING in the message, and runStudy sends that task again with the plan.
   */
  readonly plan?: PopulationPlan;
  readonly first: number;
  readonly count: number;
  /** Target window per metric name: the worker summarizes its chunk, the main thread only merges. */
  readonly windows?: Readonly<Record<string, Window>>;
  /**
   * Whether the caller wants each subject's metrics and status back (default true). A summary-only
   * study does not: its chunks then return the summaries alone, so the main thread receives a few
   * hundred bytes per chunk instead of 12 bytes per subject (garbage that V8 collected late: +25 MB
   * of RSS over a 10⁶-subject run).
   */
  readonly perSubject?: boolean;
  /** The compartments whose amounts the chunk tallies (W_NEGATIVE_STATE; 0-based); none when absent. */
  readonly states?: readonly number[];
}

const prepared = new Map<string, PreparedPlan>();

/** The mark of a task refused because it came without its plan to a worker that has not prepared it. */
export const PLAN_MISSING = 'dosewise: population plan not prepared in this worker';

/** Whether `e` (as a pool rejects with it) is a task refused for want of its plan. */
export function isPlanMissing(e: unknown): boolean {
  const m = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
  return m.includes(PLAN_MISSING);
}

export function handleChunkTask(task: ChunkTask, engineFor: (model: Model) => Engine): ArrayBuffer {
  let pp = prepared.get(task.planId);
  if (!pp) {
    if (task.plan === undefined) throw new Error(`${PLAN_MISSING} (plan ${task.planId})`);
    prepared.clear();
    pp = preparePlan(task.plan);
    prepared.set(task.planId, pp);
  }
  const plan = pp.plan;
  const r = runChunk(pp, engineFor(pp.model), task.first, task.count, task.states);
  const arrays: Record<string, Float64Array | Int32Array> = {};
  if (task.perSubject ?? true) {
    arrays.metrics = r.metrics;
    arrays.status = r.status;
    for (const [k, v] of Object.entries(r.columns ?? {})) arrays[`col:${k}`] = v;
    if (r.profiles) arrays.profiles = r.profiles;
  }
  let failed = 0;
  for (const st of r.status) if (st !== 0) failed++;
  const m = plan.metrics.length;
  // a model text's compartments are not held at zero: its levels' columns are tallied for
  // W_NEGATIVE_METRIC (negative-metrics.ts) while they are at hand
  // only where a step could have made one: exact propagation (a linear text) steps nothing, and a
  // change from baseline solved so read -3.85 with 'tighten rtol' (W_NEGATIVE_METRIC, a31e0ec)
  const tallies: NegativeTally[] | undefined = stepsTallied(pp.model, plan) ? [] : undefined;
  const aggregates = plan.metrics.map((def, j) => {
    const col = new Float64Array(r.count);
    for (let s = 0; s < r.count; s++) col[s] = r.metrics[s * m + j] as number;
    tallies?.push(tallyNegatives(col, r.first));
    const a = new MetricAggregate(task.windows?.[def.name]);
    a.add(col, task.windows?.[def.name]);
    return a.toJSON();
  });
  return pack({ first: r.first, count: r.count, failed, columns: Object.keys(r.columns ?? {}), aggregates, covariateNotes: r.covariateNotes, negatives: tallies, stateNegatives: r.stateNegatives }, arrays);
}

/** A chunk's result; `metrics`, `status`, columns and profiles are empty unless the task asked for them (perSubject). */
export function unpackChunk(buf: ArrayBuffer): ChunkResult & { aggregates: AggregateJSON[]; failed: number; negatives?: NegativeTally[] } {
  const { meta, arrays } = unpack<{ first: number; count: number; failed: number; columns: string[]; aggregates: AggregateJSON[]; covariateNotes?: CovariateNotes; negatives?: NegativeTally[]; stateNegatives?: NegativeTally[] }>(buf);
  const columns: Record<string, Float64Array> = {};
  for (const k of meta.columns) if (arrays[`col:${k}`]) columns[k] = arrays[`col:${k}`] as Float64Array;
  return {
    first: meta.first,
    count: meta.count,
    failed: meta.failed,
    metrics: (arrays.metrics as Float64Array | undefined) ?? new Float64Array(0),
    status: (arrays.status as Int32Array | undefined) ?? new Int32Array(0),
    columns: Object.keys(columns).length ? columns : undefined,
    profiles: arrays.profiles as Float64Array | undefined,
    aggregates: meta.aggregates,
    covariateNotes: meta.covariateNotes,
    negatives: meta.negatives,
    stateNegatives: meta.stateNegatives,
  };
}
