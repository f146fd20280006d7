// Simulating replicates of a data set on a worker pool. A task is a run of consecutive subjects
// (their records as one numeric table, as for estimation) and a run of consecutive replicates; a
// worker simulates every replicate of each subject in ONE engine call (the subject's event table
// compiled once, each replicate only changing its parameter sets) and packs IPRED and the simulated
// DV into one transferable buffer, replicate-major: replicate, then subject, then record.

import { Errors } from '../errors.js';
import type { Model, Residual, SolverMethod } from '../model/model.js';
import { recordResidual } from '../engine/outputs.js';
import { simulatedVariance } from '../model/residual.js';
import type { DataRecord } from '../regimen/record.js';
import type { Engine } from '../engine/wasm.js';
import { packedArrays, unpack } from '../pool/protocol.js';
import { modelFor, taskRecords, type EstimateTask } from '../bayes/task.js';
import { subjectPoints, type SubjectPoints } from '../bayes/objective.js';
import { Domain } from '../population/plan.js';
import { replicateKey } from './key.js';

/** Where η come from: drawn from Ω, zero (typical subjects), or given per subject. */
export type EffectsSource = 'random' | 'typical' | 'given';

export interface ReplicateSettings {
  readonly effects: EffectsSource;
  /** Draw ε from the residual model (false: DV_SIM = IPRED). */
  readonly epsilon: boolean;
  /** Censoring limit for every observation (a record's LLOQ column wins), or NaN. */
  readonly lloq: number;
  /** Exponential error: DV is log(concentration), as the estimation reads it (default true). */
  readonly logDv: boolean;
  readonly method?: SolverMethod;
  readonly rtol?: number;
  readonly atol?: number;
}

export interface ReplicateTask extends EstimateTask {
  readonly kind: 'replicate';
  /** 0-based number of the task's first subject in the data set (its random streams). */
  readonly firstSubject: number;
  /** 1-based first replicate and number of replicates. */
  readonly firstRep: number;
  readonly reps: number;
  /** Root key of the user's seed. */
  readonly key: readonly [number, number];
  /** Data-file row of each record of the task (for messages). */
  readonly fileRows: Int32Array;
  /** Censoring limit of each record of the task (NaN: none; src/replicate/censoring.ts). */
  readonly limits: Float64Array;
  /** subjects × η (model.omega order), for effects 'given'. */
  readonly etas?: Float64Array;
  readonly settings: ReplicateSettings;
  readonly file?: string;
  /** A buffer of an earlier result, sent back to hold this one (see ReplicateOptions.reuseBlocks). */
  readonly into?: ArrayBuffer;
}

export interface ReplicateResult {
  /** reps × records of the task, replicate-major. */
  readonly ipred: Float64Array;
  /** Simulated observation (NaN on records that are not observations). */
  readonly dv: Float64Array;
  /** 1 where the simulated observation fell below its LLOQ (and was set to it). */
  readonly blq: Int32Array;
}


/** out[i] = (L·z)[i] for one vector of k normals at z[o..]. */
function correlate(L: readonly (readonly number[])[], z: Float64Array, o: number, k: number, out: Float64Array): void {
  for (let i = 0; i < k; i++) {
    const li = L[i] as readonly number[];
    let s = 0;
    for (let j = 0; j <= i; j++) s += (li[j] as number) * (z[o + j] as number);
    out[i] = s;
  }
}

/** A subject's observation records and what their simulated DV needs, fixed for a run. */
interface Observations {
  /** Index (within the subject's records) of each observation record. */
  readonly at: Int32Array;
  /**
   * Its residual error (DVID, else CMT, else the model's); undefined where the model has none.
   * Objects of one shape (residualCopy) in a list built by a loop, so that the hot loop reads the
   * same maps in every run: `at.map()` made a packed list while interpreted and a holey one once
   * compiled, and each change threw away the simulation loop's compiled code ("wrong map") on every
   * worker in every run.
   */
  readonly residual: readonly (Residual | undefined)[];
  /** Its censoring limit (its LLOQ, else the run's or the BLQ rows' limit), NaN where it has none. */
  readonly lloq: Float64Array;
}

interface Prepared {
  readonly subjects: DataRecord[][];
  readonly points: SubjectPoints[];
  readonly observations: Observations[];
  readonly records: number;
}

/** A residual error model as an object made at this one site (one map per worker). */
function residualCopy(r: Residual | undefined): Residual | undefined {
  return r === undefined ? undefined : { model: r.model, additive: r.additive, proportional: r.proportional, exponential: r.exponential };
}

function observationsOf(model: Model, recs: readonly DataRecord[], limits: Float64Array, file: string | undefined): Observations {
  const at: number[] = [];
  const residual: (Residual | undefined)[] = [];
  for (let j = 0; j < recs.length; j++) {
    const r = recs[j] as DataRecord;
    if (r.EVID !== 0 || r.MDV !== 0) continue;
    at.push(j);
    residual.push(residualCopy(recordResidual(model, r, file)));
  }
  return { at: Int32Array.from(at), residual, lloq: Float64Array.from(at, (j) => limits[j] as number) };
}

/**
 * The subjects of a task, each with its event table compiled and its parameter sets grouped: the
 * part of the work that does not depend on the replicate (about 0.1 ms for a subject of 13
 * records, against 1–2 µs per replicate). A run sends the same subject ranges once per block of
 * replicates, so a worker keeps the ranges it prepared (at most CACHE_RECORDS records, oldest out).
 */
const prepared = new Map<string, Prepared>();
const CACHE_RECORDS = 500_000;

function preparedSubjects(task: ReplicateTask, model: Model, eng: Engine): Prepared {
  const s = task.settings;
  const key = `${task.modelId}|${task.firstSubject}|${task.starts.length - 1}|${s.method}|${s.rtol}|${s.atol}`;
  const hit = prepared.get(key);
  if (hit) return hit;
  const subjects: DataRecord[][] = [];
  for (let p = 0; p < task.starts.length - 1; p++) subjects.push(taskRecords(task, p, (r) => task.fileRows[r] as number, task.file));
  const points = subjects.map((recs) => subjectPoints(model, recs, { method: s.method, rtol: s.rtol, atol: s.atol, engine: eng, file: task.file }));
  const observations = subjects.map((recs, p) => observationsOf(model, recs, task.limits.subarray(task.starts[p] as number, task.starts[p + 1] as number), task.file));
  const entry = { subjects, points, observations, records: task.starts[task.starts.length - 1] as number };
  // another run (model id) drops the ranges of the previous one
  for (const k of prepared.keys()) if (!k.startsWith(`${task.modelId}|`)) prepared.delete(k);
  let total = entry.records;
  for (const v of prepared.values()) total += v.records;
  for (const k of prepared.keys()) {
    if (total <= CACHE_RECORDS) break;
    total -= (prepared.get(k) as Prepared).records;
    prepared.delete(k);
  }
  if (entry.records <= CACHE_RECORDS) prepared.set(key, entry);
  return entry;
}

// Scratch kept between tasks: a task's normals (every replicate's η, κ and ε, ~10 MB for 63
// replicates of 1,000 subjects) and one subject's points. Fresh arrays per task were external
// memory that forced a collection every few tasks, on a thread that had nothing else to collect.
let drawScratch: Float64Array = new Float64Array(0);
let pointScratch: Float64Array = new Float64Array(0);

function scratch(a: Float64Array, n: number): Float64Array {
  return a.length >= n ? a : new Float64Array(Math.max(n, Math.ceil(1.25 * a.length)));
}

/** Simulates every replicate of every subject of a task; the packed result (see unpackReplicates). */
export function handleReplicateTask(task: ReplicateTask, engineFor: (model: Model) => Engine): ArrayBuffer {
  const model = modelFor(task);
  const eng = engineFor(model);
  const s = task.settings;
  const nSubj = task.starts.length - 1;
  const nRec = task.starts[nSubj] as number;
  const nEta = model.omega?.names.length ?? 0;
  const nK = model.iov?.names.length ?? 0;
  const reps = task.reps;

  let maxRec = 0;
  let maxOcc = 0;
  const { subjects, points, observations } = preparedSubjects(task, model, eng);
  for (const recs of subjects) maxRec = Math.max(maxRec, recs.length);
  for (const sp of points) maxOcc = Math.max(maxOcc, sp.occasions.length);
  if (s.epsilon)
    for (const o of observations)
      if (o.residual.includes(undefined)) throw Errors.model('residual', 'simulated observations need a residual error model (or simulate without ε)');

  // this task's normals, replicate by replicate: n subjects × k variates each (assembly/rng.ts)
  const etaN = s.effects === 'random' && nEta ? nSubj * nEta : 0;
  const kappaN = s.effects !== 'typical' && nK && maxOcc ? nSubj * maxOcc * nK : 0;
  const epsN = s.epsilon && maxRec ? nSubj * maxRec : 0;
  const perRep = etaN + kappaN + epsN;
  const draws = (drawScratch = scratch(drawScratch, reps * perRep));
  for (let k = 0; k < reps; k++) {
    const key = replicateKey(task.key, task.firstRep + k);
    const o = k * perRep;
    if (etaN) eng.randomInto(key, task.firstSubject, nSubj, Domain.eta, nEta, true, draws, o);
    if (kappaN) eng.randomInto(key, task.firstSubject, nSubj, Domain.iov, maxOcc * nK, true, draws, o + etaN);
    if (epsN) eng.randomInto(key, task.firstSubject, nSubj, Domain.residual, maxRec, true, draws, o + etaN + kappaN);
  }

  // the result's arrays live in the buffer that is sent back: nothing to copy at the end
  const size = reps * nRec;
  const out = packedArrays({ reps, records: nRec }, { ipred: { kind: 'f64', length: size }, dv: { kind: 'f64', length: size }, blq: { kind: 'i32', length: size } }, task.into);
  // every IPRED is written below; DV only on observations, BLQ only where censored
  const ipred = out.arrays.ipred as Float64Array;
  const dv = (out.arrays.dv as Float64Array).fill(NaN);
  const blq = (out.arrays.blq as Int32Array).fill(0);
  simulateSubjects(task, model, subjects, points, observations, draws, { perRep, etaN, kappaN, epsN, maxRec, maxOcc, nRec }, ipred, dv, blq);
  return out.buffer;
}

/** Where a task's normals lie in its draws: per replicate perRep values, η first, then κ, then ε (see handleReplicateTask). */
interface DrawLayout {
  readonly perRep: number;
  readonly etaN: number;
  readonly kappaN: number;
  readonly epsN: number;
  readonly maxRec: number;
  readonly maxOcc: number;
  /** Records of the task. */
  readonly nRec: number;
}

/**
 * Every replicate of every subject of a task into ipred, dv and blq. The loop over the subjects is
 * a function of its own, returning nothing: run inline in handleReplicateTask, the code after it
 * (the result's buffer) had no type feedback when the loop was compiled on stack, and each worker
 * threw the compiled code away at that point in every task and compiled the whole again.
 */
function simulateSubjects(task: ReplicateTask, model: Model, subjects: readonly DataRecord[][], points: readonly SubjectPoints[], observations: readonly Observations[], draws: Float64Array, layout: DrawLayout, ipred: Float64Array, dv: Float64Array, blq: Int32Array): void {
  const { perRep, etaN, kappaN, epsN, maxRec, maxOcc, nRec } = layout;
  const s = task.settings;
  const reps = task.reps;
  const nSubj = subjects.length;
  const nEta = model.omega?.names.length ?? 0;
  const nK = model.iov?.names.length ?? 0;
  const eta = new Float64Array(nEta);
  const kappa = new Float64Array(nK);
  const omegaChol = model.omega?.chol;
  const iovChol = model.iov?.chol;
  const given = s.effects === 'given' ? task.etas : undefined;

  for (let p = 0; p < nSubj; p++) {
    const recs = subjects[p] as DataRecord[];
    const sp = points[p] as SubjectPoints;
    const dim = sp.dim;
    const etaFree = sp.etaFree;
    const kappaFree = sp.kappaFree;
    const nOcc = sp.occasions.length;
    const xs = (pointScratch = scratch(pointScratch, reps * dim));
    for (let k = 0; k < reps; k++) {
      const o = k * perRep;
      eta.fill(0);
      if (etaN) correlate(omegaChol as readonly (readonly number[])[], draws, o + p * nEta, nEta, eta);
      else if (given) eta.set(given.subarray(p * nEta, (p + 1) * nEta));
      for (let j = 0; j < etaFree.length; j++) xs[k * dim + j] = eta[etaFree[j] as number] as number;
      const nFreeK = kappaFree.length;
      for (let c = 0; c < nOcc; c++) {
        kappa.fill(0);
        if (kappaN) correlate(iovChol as readonly (readonly number[])[], draws, o + etaN + p * maxOcc * nK + c * nK, nK, kappa);
        for (let j = 0; j < nFreeK; j++) xs[k * dim + etaFree.length + c * nFreeK + j] = kappa[kappaFree[j] as number] as number;
      }
    }
    // copied out below before the next subject's call: the engine's output goes to scratch
    const res = sp.simulate(xs, reps, true);
    const n = recs.length;
    const { at, residual, lloq } = observations[p] as Observations;
    const base = task.starts[p] as number;
    for (let k = 0; k < reps; k++) {
      if (!res.ok[k]) {
        const r0 = recs[0] as DataRecord;
        throw Errors.solver(`ID ${r0.ID}, replicate ${task.firstRep + k}: the drawn parameters are invalid or the solver failed (typical subjects, effects 'typical', show whether the records themselves simulate)`, r0.row);
      }
      const o = k * nRec + base;
      const fo = k * n;
      for (let j = 0; j < n; j++) ipred[o + j] = res.obs[fo + j] as number;
      const eo = k * perRep + etaN + kappaN + p * maxRec;
      for (let i = 0; i < at.length; i++) {
        const j = at[i] as number;
        const f = res.obs[fo + j] as number;
        const rs = residual[i];
        const expo = rs?.model === 'exponential';
        let y: number;
        // the record's own LLOQ, else the run's or the BLQ rows' (run.ts)
        const limit = lloq[i] as number;
        if (expo && s.logDv && !(f > 0)) {
          // log 0 does not exist: certainly below a limit, else no value (run.ts counts these)
          if (Number.isFinite(limit)) {
            dv[o + j] = limit;
            blq[o + j] = 1;
          }
          continue;
        }
        if (expo) {
          // in concentrations f·e^ε is defined at f = 0 too: 0, as a pre-dose level is
          const e = epsN ? Math.sqrt(simulatedVariance(rs as Residual, f)) * (draws[eo + j] as number) : 0; // σ², whatever f
          y = s.logDv ? Math.log(f) + e : f * Math.exp(e);
        } else y = epsN ? f + Math.sqrt(simulatedVariance(rs as Residual, f)) * (draws[eo + j] as number) : f;
        if (Number.isFinite(limit) && y < limit) {
          y = limit;
          blq[o + j] = 1;
        }
        dv[o + j] = y;
      }
    }
  }
}

export function unpackReplicates(buf: ArrayBuffer): ReplicateResult {
  const { arrays } = unpack<unknown>(buf);
  return { ipred: arrays.ipred as Float64Array, dv: arrays.dv as Float64Array, blq: arrays.blq as Int32Array };
}

export function isReplicateTask(task: unknown): task is ReplicateTask {
  return (task as { kind?: string }).kind === 'replicate';
}
