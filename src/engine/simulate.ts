// simulate(): records in, predictions out. Evaluates the model on every record, compiles each
// subject's NONMEM records into an event table, and runs all subjects in one WASM call.

import { Errors } from '../errors.js';
import type { Evaluation, Model, SolverMethod } from '../model/model.js';
import { compileSubject, type CompiledSubject } from '../regimen/compile.js';
import type { DataRecord } from '../regimen/record.js';
import { byId } from '../regimen/nmtran.js';
import { Method } from '../abi.js';
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


/** Largest linear model text that 'auto' propagates exactly (see resolveMethod). */
export const EXACT_MAX_STATES = 12;

export function resolveMethod(model: Model, method: SolverMethod | undefined): number {
  const m = method ?? model.solver.method;
  if (m === 'analytic') {
    if (model.kernel ? !model.kernel.linear : !hasAnalytic(model.structure))
      throw Errors.solver(`analytic solutions exist only for ${ANALYTIC_KINDS} models and model texts linear in their compartments, not ${model.kernel ? 'this model text (its Jacobian depends on the state or time)' : model.structure.kind}`);
    return Method.Analytic;
  }
  if (m === 'dopri5') return Method.Dopri5;
  if (m === 'rosenbrock') return Method.Rosenbrock;
  if (m === 'dop853') return Method.Dop853;
  // every ODE model (built-in or text): Dormand–Prince while the problem is not stiff, RODAS4 (with
  // the exact Jacobian) for a subject from the segment where dopri5's stiffness test fires. A
  // model class says little: TMDD runs 1.8× faster with Dormand–Prince on typical regimens.
  // A model text linear in its states (constant Jacobian, no t) is propagated exactly between
  // events by a matrix exponential of its 2n × 2n Van Loan block per distinct step length; beyond
  // EXACT_MAX_STATES states that block costs more than stepping.
  if (model.kernel) return model.kernel.linear && model.nStates <= EXACT_MAX_STATES ? Method.Analytic : Method.Auto;
  return autoSolver(model.structure) === 'analytic' ? Method.Analytic : Method.Auto;
}

/** Evaluates the model on each record and compiles the subject's event table. */
export function compileForModel(model: Model, records: readonly DataRecord[], options: SimulateOptions = {}): CompiledSubject {
  // records usually repeat the same data items: evaluate once per distinct set of relevant values
  const relevant = [...model.inputs, ...model.parameterNames];
  let lastKey: string | undefined;
  let last: Evaluation | undefined;
  const evals = records.map((r) => {
    const key = relevant.map((n) => r.items[n]).join(',');
    if (key !== lastKey || !last) {
      last = model.evaluate(r.items, options.overrides, r.row);
      lastKey = key;
    }
    return last;
  });
  for (const r of records) {
    if (r.CMT > model.nStates) throw Errors.record(r.row, 'CMT', r.CMT, `the model has ${model.nStates} compartments`, options.file);
  }
  return compileSubject(records, evals, {
    nStates: model.nStates,
    timeVarying: options.timeVarying ?? model.timeVarying,
    file: options.file,
    observedIndex: model.observeCompartment - 1,
  });
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
  const compiled = groups.map(([, recs]) => compileForModel(model, recs, options));
  const wantAmounts = options.amounts ?? true;
  const problem: Problem = {
    solver: solverSetup(model, resolveMethod(model, options.method), options.rtol, options.atol),
    subjects: layoutSubjects(compiled),
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
