// simulate(): records in, predictions out. Evaluates the model on every record, compiles each
// subject's NONMEM records into an event table, and runs all subjects in one WASM call.

import { Errors } from '../errors.js';
import type { Evaluation, Model, SolverMethod } from '../model/model.js';
import { appendSubject, compileSubject, type CompiledSubject, type CompileOptions } from '../regimen/compile.js';
import { ParamWriter, TableWriter } from '../regimen/table-writer.js';
import type { DataRecord } from '../regimen/record.js';
import { byId } from '../regimen/nmtran.js';
import { Method, PAR_STRIDE } from '../abi.js';
import { ANALYTIC_KINDS, autoSolver, hasAnalytic } from '../model/structure.js';
import { engine } from './load.js';
import { type Engine, statusText } from './wasm.js';
import { checkSolverOptions } from './solver-options.js';
import { firstFailure, layoutSubjects, solve, solverSetup, type Problem, type SubjectLayout } from './problem.js';

export interface SimulateOptions {
  /** 'auto' (default): the model's own choice (analytic for linear models, Rosenbrock for TMDD, Dormand–Prince otherwise). */
  readonly method?: SolverMethod;
  readonly rtol?: number;
  readonly atol?: number;
  /** Parameter or data-item values that override the model and the data (e.g. --param CL=2). */
  readonly overrides?: Readonly<Record<string, number>>;
  /** Also return amounts in every compartment (default true). */
  readonly amounts?: boolean;
  readonly timeVarying?: 'nocb' | 'locf';
  /** Source file name, for error messages. */
  readonly file?: string;
  /** Engine to use (default: this thread's). */
  readonly engine?: Engine;
}

export interface Simulation {
  /** Observed value (concentration, or the model's output) per input record, input order. */
  readonly ipred: Float64Array;
  /** nStates amounts per record, row-major, when asked. */
  readonly amounts?: Float64Array;
  readonly stateNames: readonly string[];
  readonly ids: readonly number[];
}


export function resolveMethod(model: Model, method: SolverMethod | undefined): number {
  const m = method ?? model.solver.method;
  if (m === 'analytic') {
    if (!hasAnalytic(model.structure)) throw Errors.solver(`analytic solutions exist only for ${ANALYTIC_KINDS} models, not ${model.structure.kind}`);
    return Method.Analytic;
  }
  if (m === 'dopri5') return Method.Dopri5;
  if (m === 'rosenbrock') return Method.Rosenbrock;
  // every ODE model (built-in or text): Dormand–Prince while the problem is not stiff, RODAS4 (with
  // the exact Jacobian) for a subject from the segment where dopri5's stiffness test fires. A
  // model class says little: TMDD runs 1.8× faster with Dormand–Prince on typical regimens.
  if (model.kernel) return Method.Auto;
  return autoSolver(model.structure) === 'analytic' ? Method.Analytic : Method.Auto;
}

/** Names whose values decide a record's evaluation: the model's inputs and parameters. */
const relevantNames = (model: Model): readonly string[] => [...model.inputs, ...model.parameterNames];

type Items = Readonly<Record<string, number>>;

/** Equal as the old string key saw them: `===`, or both NaN (absent values are equal only to absent ones). */
const same = (x: number | undefined, y: number | undefined): boolean => x === y || (x !== x && y !== y);

/**
 * Whether two records' items hold the same relevant values. The first names are read at call sites
 * of their own, so each site always sees one name and V8 keeps it a fast monomorphic load (one
 * site looping over names goes megamorphic: most of the general path's time went there).
 */
function sameRelevant(a: Items, b: Items, names: readonly string[]): boolean {
  const n = names.length;
  if (n === 0) return true;
  const k0 = names[0] as string;
  if (!same(a[k0], b[k0])) return false;
  if (n === 1) return true;
  const k1 = names[1] as string;
  if (!same(a[k1], b[k1])) return false;
  if (n === 2) return true;
  const k2 = names[2] as string;
  if (!same(a[k2], b[k2])) return false;
  if (n === 3) return true;
  const k3 = names[3] as string;
  if (!same(a[k3], b[k3])) return false;
  if (n === 4) return true;
  const k4 = names[4] as string;
  if (!same(a[k4], b[k4])) return false;
  if (n === 5) return true;
  const k5 = names[5] as string;
  if (!same(a[k5], b[k5])) return false;
  for (let i = 6; i < n; i++) {
    const k = names[i] as string;
    if (!same(a[k], b[k])) return false;
  }
  return true;
}

/**
 * One evaluation per record; records usually repeat the same data items, so the model is evaluated
 * again only when a relevant value differs from the previous record's (the same test as comparing
 * with the last evaluated record: equality is transitive).
 */
function evaluateRecords(model: Model, records: readonly DataRecord[], relevant: readonly string[], options: SimulateOptions): Evaluation[] {
  const evals = new Array<Evaluation>(records.length);
  let last: Evaluation | undefined;
  let prev: Items | undefined;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as DataRecord;
    const items = r.items;
    if (last === undefined || prev === undefined || (items !== prev && !sameRelevant(items, prev, relevant))) last = model.evaluate(items, options.overrides, r.row);
    prev = items;
    evals[i] = last;
  }
  for (const r of records) {
    if (r.CMT > model.nStates) throw Errors.record(r.row, 'CMT', r.CMT, `the model has ${model.nStates} compartments`, options.file);
  }
  return evals;
}

function compileOptions(model: Model, options: SimulateOptions): CompileOptions {
  return {
    nStates: model.nStates,
    timeVarying: options.timeVarying ?? model.timeVarying,
    file: options.file,
    observedIndex: model.observeCompartment - 1,
  };
}

/** Evaluates the model on each record and compiles the subject's event table. */
export function compileForModel(model: Model, records: readonly DataRecord[], options: SimulateOptions = {}): CompiledSubject {
  return compileSubject(records, evaluateRecords(model, records, relevantNames(model), options), compileOptions(model, options));
}

/**
 * Staging arrays of this thread's batches, kept from one simulate() to the next: a batch of 2,000
 * subjects stages ~50 MB, and allocating that afresh on every call made V8 run a full mark-compact
 * of the caller's records (hundreds of ms) for "external memory pressure". The engine's WASM memory
 * keeps an arena of the same size after such a call anyway. Safe because simulate() is synchronous
 * and the views never leave it.
 */
let staged: { readonly w: TableWriter; readonly p: ParamWriter } | undefined;
function staging(rows: number): { readonly w: TableWriter; readonly p: ParamWriter } {
  staged ??= { w: new TableWriter(rows), p: new ParamWriter() };
  staged.w.reset(rows);
  staged.p.reset();
  return staged;
}

/**
 * Compiles every subject straight into one batch layout: the subjects' events and parameter sets
 * are appended to shared growable arrays, so nothing is concatenated or copied again before the
 * engine call (same tables, sets and rows as compileForModel + layoutSubjects).
 */
export function layoutRecords(model: Model, subjects: readonly (readonly DataRecord[])[], options: SimulateOptions = {}): SubjectLayout {
  const n = subjects.length;
  const relevant = relevantNames(model);
  const co = compileOptions(model, options);
  let rows = 0;
  for (const recs of subjects) rows += recs.length;
  const { w, p } = staging(rows + rows / 8 + 4 * n);
  const evStart = new Int32Array(n);
  const evEnd = new Int32Array(n);
  const parBase = new Int32Array(n);
  const outBase = new Int32Array(n);
  let nOut = 0;
  for (let i = 0; i < n; i++) {
    const recs = subjects[i] as readonly DataRecord[];
    const evals = evaluateRecords(model, recs, relevant, options);
    const stride = evals[0]?.kernel.length ?? PAR_STRIDE;
    evStart[i] = w.n;
    parBase[i] = p.length / stride;
    outBase[i] = nOut;
    appendSubject(w, p, recs, evals, stride, co);
    evEnd[i] = w.n;
    nOut += recs.length;
  }
  return { events: w.view(), evStart, evEnd, params: p.data.subarray(0, p.length), parBase, outBase, nOut };
}

/** Concatenates compiled subjects into one batch layout. */
export function concatSubjects(subjects: readonly CompiledSubject[]): SubjectLayout {
  return layoutSubjects(subjects);
}

/**
 * Simulates NONMEM-style records (one or many IDs, each ID's records contiguous and in time order).
 * Returns one prediction per record, in input order.
 *
 * @example
 * const model = defineModel(JSON.parse(readFileSync('model.json', 'utf8')));
 * const { records } = readNmtran(readFileSync('data.csv', 'utf8'));
 * const { ipred } = simulate(model, records);
 */
export function simulate(model: Model, records: readonly DataRecord[], options: SimulateOptions = {}): Simulation {
  checkSolverOptions(options);
  const groups = [...byId(records).entries()];
  const wantAmounts = options.amounts ?? true;
  const problem: Problem = {
    solver: solverSetup(model, resolveMethod(model, options.method), options.rtol, options.atol),
    subjects: layoutRecords(model, groups.map(([, recs]) => recs), options),
    amounts: wantAmounts,
  };
  const out = solve(problem, options.engine ?? engine(model));
  const i = firstFailure(out);
  if (i >= 0) {
    const [id, recs] = groups[i] as [number, DataRecord[]];
    throw Errors.solver(`ID ${id}: ${statusText(out.status[i] as number)}`, recs[0]?.row);
  }
  // output rows follow the subject order of byId, which is the input order (IDs are contiguous)
  return { ipred: out.obs, amounts: out.amounts, stateNames: model.stateNames, ids: groups.map(([id]) => id) };
}
