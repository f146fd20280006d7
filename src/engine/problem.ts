// Problem → solve → Solution: the one way a batch of subjects reaches the engine.
//
// A Problem is what the kernel needs, assembled once: the model's solver setup (kind, compartments,
// method, tolerances), the subjects' compiled event tables laid out as one batch (each subject walks
// its own slice of the events, reads its own parameter sets and writes its own output rows) and the
// outputs wanted (amounts, exposure metrics). solve() makes ONE engine call; the Solution carries a
// return code per subject (the ABI status codes, by name) and typed views of the outputs.
//
// simulate() builds a Problem from records (one compiled table per ID), a population chunk and the
// MAP objective from one table shared by many subjects or points (parameter sets grouped by record,
// see groups.ts). Subject ranges are independent: a batch split by subject gives the same numbers.

import { Method, Status } from '../abi.js';
import type { Model } from '../model/model.js';
import { KIND_CODE } from '../model/structure.js';
import { concatTables, type CompiledSubject, type EventTable } from '../regimen/compile.js';
import type { BatchInput, BatchOutput, Engine, MetricArrays } from './wasm.js';

/** How the engine solves the model, everything but the subjects: a part of the engine's batch input. */
export type SolverSetup = Pick<BatchInput, 'kind' | 'ncmt' | 'depot' | 'method' | 'nStates' | 'rtol' | 'atol' | 'ssTol' | 'ssMaxIter' | 'ssWarm'>;

/**
 * At or below this rtol 'auto' starts every ODE subject with DOP853 (Method.AutoTight) and hands it
 * to Dormand–Prince from the segment where DOP853's steps are held by stability, where its
 * continuous extension drifts (full TMDD), and to RODAS4 once stiff. Measured on every SciPy oracle
 * case at rtol 1e-8 (test/unit/ode.test.ts): full TMDD exactly as Method.Auto; Michaelis–Menten
 * 3.8e-6 / 1.7e-6 / 1.8e-8 / 9.8e-7 against 1.0e-5 / 7.1e-6 / 1.9e-8 / 8.2e-6 in 2.7–4.5× fewer
 * steps; effect-emax 5.0e-8 against 5.7e-9 in 4.4× fewer. At 1e-7 two Michaelis–Menten cases lose (3.5e-6
 * against 1.6e-7), so the switch sits at the default 1e-8.
 */
export const AUTO_DOP853_RTOL = 1e-8;

/** The solver setup of a model at a resolved method (resolveMethod) and optional tolerances. */
export function solverSetup(model: Model, method: number, rtol?: number, atol?: number): SolverSetup {
  const r = rtol ?? model.solver.rtol;
  return {
    kind: KIND_CODE[model.structure.kind],
    ncmt: model.structure.compartments,
    depot: model.structure.depot,
    method: method === Method.Auto && r <= AUTO_DOP853_RTOL ? Method.AutoTight : method,
    nStates: model.nStates,
    rtol: r,
    atol: atol ?? model.solver.atol,
  };
}

/** The subjects of a batch: subject s walks events evStart[s]..evEnd[s], reads parameter sets from parBase[s], writes rows from outBase[s]. */
export type SubjectLayout = Pick<BatchInput, 'events' | 'evStart' | 'evEnd' | 'params' | 'parBase' | 'outBase' | 'nOut'>;

/** Exposure metrics computed in WASM on each subject's profile (every subject has the same rows at `times`). */
export interface MetricOutputs {
  readonly times: Float64Array;
  readonly defs: MetricArrays;
  /**
   * Also return the profiles (otherwise Solution.obs is not filled), or only these rows of each
   * subject's (Solution.obs: subjects × rows).
   */
  readonly keepProfiles: boolean | Int32Array;
}

export interface Problem {
  readonly solver: SolverSetup;
  readonly subjects: SubjectLayout;
  /** Amounts in every compartment per output row. */
  readonly amounts: boolean;
  readonly metrics?: MetricOutputs;
}

/** A subject's return code: the ABI status by name ('Ok', 'StepTooSmall', 'NonFinite', ...). */
export type Retcode = keyof typeof Status;
const RETCODE: Readonly<Record<number, Retcode>> = Object.fromEntries(Object.entries(Status).map(([name, code]) => [code, name as Retcode]));

export interface Solution {
  readonly problem: Problem;
  /** Status per subject (Status codes; 0 = ok). A caller may mark a subject failed. */
  readonly status: Int32Array;
  /** Observed value per output row. */
  readonly obs: Float64Array;
  /** nStates amounts per output row, when asked. */
  readonly amounts?: Float64Array;
  /** nSubjects × metrics, row-major, when asked. */
  readonly metrics?: Float64Array;
}

export function retcode(solution: Solution, s: number): Retcode {
  return RETCODE[solution.status[s] as number] ?? 'BadModel';
}

/** Index of the first subject that did not solve, or −1. */
export function firstFailure(solution: Solution): number {
  return solution.status.findIndex((s) => s !== Status.Ok);
}

/** Output rows of subject s (a view). */
export function profile(solution: Solution, s: number): Float64Array {
  const { outBase, nOut } = solution.problem.subjects;
  const end = s + 1 < outBase.length ? (outBase[s + 1] as number) : nOut;
  return solution.obs.subarray(outBase[s] as number, end);
}

/**
 * Solves every subject of the problem in ONE engine call. `into` (no metrics) receives the
 * observations instead of a fresh array (Engine.run): for a caller that reads them before its next
 * solve, as the MAP objective does ~70 times per patient.
 */
export function solve(problem: Problem, engine: Engine, into?: Float64Array): Solution {
  const { solver: v, subjects: s } = problem;
  // an object literal of one shape (no spread): the MAP objective solves ~70 small problems per patient
  const job: BatchInput = {
    kind: v.kind,
    ncmt: v.ncmt,
    depot: v.depot,
    method: v.method,
    nStates: v.nStates,
    events: s.events,
    evStart: s.evStart,
    evEnd: s.evEnd,
    params: s.params,
    parBase: s.parBase,
    outBase: s.outBase,
    nOut: s.nOut,
    amounts: problem.amounts,
    rtol: v.rtol,
    atol: v.atol,
    ssTol: v.ssTol,
    ssMaxIter: v.ssMaxIter,
    ssWarm: v.ssWarm,
  };
  const m = problem.metrics;
  const out: BatchOutput & { metrics?: Float64Array } = m ? engine.runWithMetrics(job, m.times, m.defs, m.keepProfiles) : engine.run(job, into);
  return { problem, status: out.status, obs: out.obs, amounts: out.amounts, metrics: out.metrics };
}

/**
 * Subjects first..first+count−1 of a problem as a problem of their own (what a pool worker runs):
 * the same event tables and parameter sets, output rows from 0. Subjects are solved independently,
 * so the range's outputs are bitwise those rows of the whole problem's.
 */
export function subjectRange(problem: Problem, first: number, count: number): Problem {
  const s = problem.subjects;
  const end = first + count;
  const o0 = first < s.outBase.length ? (s.outBase[first] as number) : s.nOut;
  const oEnd = end < s.outBase.length ? (s.outBase[end] as number) : s.nOut;
  const outBase = s.outBase.slice(first, end).map((o) => o - o0);
  const subjects: SubjectLayout = { ...s, evStart: s.evStart.slice(first, end), evEnd: s.evEnd.slice(first, end), parBase: s.parBase.slice(first, end), outBase, nOut: oEnd - o0 };
  return { ...problem, subjects };
}

/** One table per subject (simulate()): parameter sets and output rows follow each other. */
export function layoutSubjects(subjects: readonly CompiledSubject[]): SubjectLayout {
  const evStart = new Int32Array(subjects.length);
  const evEnd = new Int32Array(subjects.length);
  const events = concatTables(subjects.map((s) => s.events), evStart, evEnd);
  const parBase = new Int32Array(subjects.length);
  const outBase = new Int32Array(subjects.length);
  const params = new Float64Array(subjects.reduce((a, s) => a + s.params.length, 0));
  let p = 0;
  let nOut = 0;
  subjects.forEach((s, i) => {
    parBase[i] = p / s.stride;
    outBase[i] = nOut;
    params.set(s.params, p);
    p += s.params.length;
    nOut += s.nOut;
  });
  return { events, evStart, evEnd, params, parBase, outBase, nOut };
}

/**
 * Subjects with the same records and `groups` parameter sets each (population chunks, MAP points):
 * one shared table, or one table per subject. Subject i reads sets from slot `setOf[i]`·groups
 * of params (default i) and writes `rows` rows from i·rows.
 */
export function layoutGrouped(
  events: EventTable | readonly EventTable[],
  params: Float64Array,
  o: { readonly n: number; readonly groups: number; readonly rows: number; readonly setOf?: readonly number[] },
): SubjectLayout {
  const { n, groups, rows, setOf } = o;
  if (!isTableList(events) && !setOf) return { ...sharedTableIndex(n, groups, rows, events.n), events, params };
  const evStart = new Int32Array(n);
  const evEnd = new Int32Array(n);
  let table: EventTable;
  if (isTableList(events)) table = concatTables(events, evStart, evEnd);
  else {
    table = events;
    evEnd.fill(table.n);
  }
  const parBase = new Int32Array(n);
  const outBase = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    parBase[i] = (setOf ? (setOf[i] as number) : i) * groups;
    outBase[i] = i * rows;
  }
  return { events: table, evStart, evEnd, params, parBase, outBase, nOut: n * rows };
}

/**
 * The index columns of n subjects on one shared table of `tableRows` rows, subject i reading sets
 * from i·groups and writing `rows` rows from i·rows: they depend on the counts alone, so a caller
 * that lays out many batches of the same counts (the MAP objective) may keep them.
 */
export function sharedTableIndex(n: number, groups: number, rows: number, tableRows: number): Omit<SubjectLayout, 'events' | 'params'> {
  const evStart = new Int32Array(n);
  const evEnd = new Int32Array(n).fill(tableRows);
  const parBase = new Int32Array(n);
  const outBase = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    parBase[i] = i * groups;
    outBase[i] = i * rows;
  }
  return { evStart, evEnd, parBase, outBase, nOut: n * rows };
}

function isTableList(e: EventTable | readonly EventTable[]): e is readonly EventTable[] {
  return Array.isArray(e);
}
