// simulate(): records in, predictions out. Evaluates the model on every record, compiles each
// subject's NONMEM records into an event table, and runs all subjects in one WASM call.

import { approximationWarnings } from '../model/approximation.js';
import { DosewiseError, Errors } from '../errors.js';
import type { Evaluation, Model, SolverMethod } from '../model/model.js';
import { appendSubject, compileChecked, type CompiledSubject, type CompileOptions, textStates } from '../regimen/compile.js';
import { ParamWriter, TableWriter } from '../regimen/table-writer.js';
import { type DataRecord, compartmentBeyondWhy, refuseDurItem, withRows } from '../regimen/record.js';
import { codeDoseDuplicates } from '../regimen/dose-duplicates.js';
import { refuseItemValues } from '../model/item-values.js';
import { byId, checkRecords, RecordCensus, RecordPass } from '../regimen/nmtran.js';
import { recordPlace } from '../regimen/file.js';
import { Method, Status } from '../abi.js';
import { ANALYTIC_KINDS, autoSolver, hasAnalytic, undosedStates } from '../model/structure.js';
import { engine } from './load.js';
import { type Engine, statusText } from './wasm.js';
import { checkSolverOptions } from './solver-options.js';
import { firstFailure, layoutSubjects, solve, solverSetup, type Problem, type SubjectLayout } from './problem.js';
import { type Items, relevantNames, sameRelevant } from './relevant-items.js';
import { type DesignGroup, type DesignLayout, layoutDesigns, SubjectIndex } from './design-groups.js';
import { solveDesigns } from './design-solve.js';
import { timeSteadyStateWarnings } from './time-steady-state.js';
import { steadyStateLagWarnings } from './steady-state-lag.js';
import { steadyStateAddWarnings } from './steady-state-add.js';
import { AMOUNT_LEVEL_CODE, amountObservationWarnings } from './amount-observations.js';
import { looseToleranceWarnings } from './loose-tolerance.js';
import { recordOutput } from './outputs.js';
import { declaredCovariateUnit, flagValueProblem, refuseFlagItems, suspectUnitWarnings } from '../model/covariate-flags.js';
import { fillUnreadBlanks, refuseBlankInputs, refusePartlyMissingItems } from '../model/partly-missing-items.js';
import { optionKeys, refuseChoice, refuseUnknownKeys } from '../option-keys.js';
import { checkModel } from '../model/check-model.js';
import { unknownNameText } from '../model/unknown-name.js';
import { NO_DOSE_CODE, noDoseWarnings, SS_INFUSION_CODE, steadyInfusionWarnings } from '../regimen/dose-record-warnings.js';
import { COVARIATE_RANGE_CODE, covariateRangeWarnings } from '../regimen/covariate-ranges.js';
import { PARAM_REPLACES_CODE, replacedItemMessages } from '../regimen/replaced-items.js';
import { infusionOverlapWarnings } from '../regimen/infusion-overlap.js';
import { outsideDomain, stateOutsideDomain, type StatesAt } from './prediction-domain.js';
import { solverFailure } from './solver-failure.js';
import { rhsTermCause } from './rhs-term-cause.js';
import { amountScales, negativeAmountWarnings, noiseBound } from './negative-amounts.js';
import { isPlainObject } from '../plain-object.js';
import { defaultedCovariateWarnings } from '../model/defaulted-inputs.js';
import { refuseLooseItems } from '../regimen/loose-items.js';
import { type ColumnTable, columnTable, type DataColumns, isDataColumns, meantAsColumns, tableRecords } from '../regimen/columns.js';
import { layoutColumns } from './columns-layout.js';
import { ranges } from '../regimen/covariate-ranges.js';
import { ageCovariates } from '../model/age-body.js';
import { bodyCovariates } from '../model/covariate-flags.js';

export interface SimulateOptions {
  /** 'auto' (default): analytic for linear models; for ODE models Dormand–Prince (DOP853 first at rtol ≤ 1e-8, while its steps are held by accuracy), RODAS4 for a subject from where it shows itself stiff. */
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
const SIMULATE_KEYS = optionKeys<SimulateOptions>({ method: true, rtol: true, atol: true, overrides: true, amounts: true, timeVarying: true, file: true, engine: true });

/**
 * Refuses overrides the command line's --param refuses: a name the model neither computes nor reads
 * (a misspelt CLX changed nothing), a value that is not a finite number ('7' ran as 7, NaN as the
 * model's own value), a 0/1 flag covariate set to another value.
 */
export function checkOverrides(model: Model, overrides: unknown): void {
  if (overrides === undefined) return;
  // a Map was read as no entries: CL 4 in a Map ran at the model's CL 5 without a word
  if (!isPlainObject(overrides)) throw Errors.parameter('overrides', overrides, 'must be a plain object of NAME: number (e.g. { CL: 4 }; not a Map or an array)');
  for (const [name, value] of Object.entries(overrides as Record<string, unknown>)) {
    if (!model.parameterNames.includes(name) && !model.inputs.includes(name))
      throw Errors.parameter(`overrides.${name}`, value, unknownNameText(model, name, true));
    if (typeof value !== 'number' || !Number.isFinite(value)) throw Errors.parameter(`overrides.${name}`, value, 'must be a finite number');
    const why = flagValueProblem(declaredCovariateUnit(model, name), value);
    if (why !== undefined) throw Errors.parameter(`overrides.${name}`, value, `${name} is a 0/1 flag of model ${model.name} (unit "0/1"): ${why}`);
  }
}

export interface Simulation {
  /** Observed value (concentration, or the model's output) per input record, input order. */
  readonly ipred: Float64Array;
  /** nStates amounts per record, row-major; absent with `amounts: false` (simulate()'s type says so). */
  readonly amounts?: Float64Array;
  readonly stateNames: readonly string[];
  readonly ids: readonly number[];
  /** What the numbers rest on that the records may not meet (e.g. a steady state under a model that reads t). */
  readonly warnings: readonly string[];
}


/** Largest linear model text that 'auto' propagates exactly (see resolveMethod). */
export const EXACT_MAX_STATES = 12;

export function resolveMethod(model: Model, method: SolverMethod | undefined): number {
  checkModel(model, 'resolveMethod()');
  const m = method ?? model.solver.method;
  if (m === 'analytic') {
    if (model.kernel ? !model.kernel.linear : !hasAnalytic(model.structure))
      throw Errors.solver(`analytic solutions exist only for ${ANALYTIC_KINDS} models and model texts linear in their compartments, not ${model.kernel ? 'this model text (its Jacobian depends on the state or time)' : model.structure.kind}`);
    return Method.Analytic;
  }
  if (m === 'dopri5') return Method.Dopri5;
  if (m === 'rosenbrock') return Method.Rosenbrock;
  if (m === 'dop853') return Method.Dop853;
  if (m === 'taylor') {
    // the coefficients' recurrences are written for this kind's right-hand side (assembly/ode/taylor.ts)
    if (model.kernel || model.structure.kind !== 'michaelis-menten') throw Errors.solver(`the taylor method exists only for the Michaelis–Menten built-ins (mm-iv, mm-oral), not ${model.kernel ? 'a model text' : model.structure.kind}`);
    return Method.Taylor;
  }
  // every ODE model (built-in or text): Dormand–Prince while the problem is not stiff, RODAS4 (with
  // the exact Jacobian) for a subject from the segment where dopri5's stiffness test fires. A
  // model class says little: TMDD runs 1.8× faster with Dormand–Prince on typical regimens.
  // A model text linear in its states (constant Jacobian, no t) is propagated exactly between
  // events by a matrix exponential of its 2n × 2n Van Loan block per distinct step length; beyond
  // EXACT_MAX_STATES states that block costs more than stepping.
  if (model.kernel) return model.kernel.linear && model.nStates <= EXACT_MAX_STATES ? Method.Analytic : Method.Auto;
  return autoSolver(model.structure) === 'analytic' ? Method.Analytic : Method.Auto;
}

/**
 * One evaluation per record; records usually repeat the same data items, so the model is evaluated
 * again only when a relevant value differs from the previous record's (the same test as comparing
 * with the last evaluated record: equality is transitive).
 */
/**
 * What the records as a whole say of the simulation, said here and not by the command line alone
 * (an app simulated WT 300 under a model built on 40–150 and an SS 1, AMT 0, RATE 100 infusion
 * that stops at its record without a word): those, and an override replacing charted values.
 */
function recordSetWarnings(model: Model, records: readonly DataRecord[], options: SimulateOptions, steady: Int32Array): string[] {
  const where = options.file === undefined ? '' : `${options.file}, `;
  return [
    ...steadyInfusionWarnings(records, options.file, steady).map((w) => `${SS_INFUSION_CODE}: ${w}`),
    // an infusion running past its own next dose (dur: 60 with ii: 12, minutes typed as hours)
    ...infusionOverlapWarnings(records, options.file),
    ...covariateRangeWarnings(model, records, options.overrides).map((w) => `${COVARIATE_RANGE_CODE}: ${where}${w}`),
    ...replacedItemMessages(model, options.overrides, records, ', the whole simulation at it; to vary it over time, chart it on the records').map((w) => `${PARAM_REPLACES_CODE}: ${where}${w}`),
    ...defaultedCovariateWarnings(model, records, options.file, options.overrides),
  ];
}

/** model.evaluate, its refusals (row and parameter) naming the data file too. */
function evaluateIn(model: Model, items: Items, options: SimulateOptions, row: number): Evaluation {
  try {
    return model.evaluate(items, options.overrides, row);
  } catch (e) {
    throw e instanceof DosewiseError && options.file !== undefined ? Errors.inFile(options.file, e) : e;
  }
}

function evaluateRecords(model: Model, records: readonly DataRecord[], base: number, n: number, relevant: readonly string[], options: SimulateOptions, evals: Evaluation[] = new Array<Evaluation>(n)): Evaluation[] {
  let last: Evaluation | undefined;
  let prev: Items | undefined;
  for (let i = 0; i < n; i++) {
    const r = records[base + i] as DataRecord;
    const items = r.items;
    if (last === undefined || prev === undefined || (items !== prev && !sameRelevant(items, prev, relevant))) last = evaluateIn(model, items, options, r.row);
    prev = items;
    evals[i] = last;
  }
  for (let i = base; i < base + n; i++) {
    const r = records[i] as DataRecord;
    if (r.CMT > model.nStates) throw Errors.record(r.row, 'CMT', r.CMT, compartmentBeyondWhy(r, model.nStates), options.file);
  }
  return evals;
}

function compileOptions(model: Model, options: SimulateOptions): CompileOptions {
  return {
    nStates: model.nStates,
    timeVarying: options.timeVarying ?? model.timeVarying,
    file: options.file,
    observedIndex: model.observeCompartment - 1,
    textStates: textStates(model),
    undosed: undosedStates(model.structure),
  };
}

/** Evaluates the model on each record and compiles the subject's event table. */
export function compileForModel(model: Model, records: readonly DataRecord[], options: SimulateOptions = {}): CompiledSubject {
  checkModel(model, 'compileForModel()');
  refuseUnknownKeys(options, SIMULATE_KEYS, 'compileForModel()');
  const relevant = relevantNames(model);
  refuseDurItem(records, relevant, options.file, model.observeCompartment);
  return compileChecked(records, evaluateRecords(model, records, 0, records.length, relevant, options), compileOptions(model, options));
}

/**
 * Staging arrays of this thread's batches, kept from one simulate() to the next: a batch of 2,000
 * subjects stages ~50 MB, and allocating that afresh on every call made V8 run a full mark-compact
 * of the caller's records (hundreds of ms) for "external memory pressure". They are dropped a
 * second after the last use, so an idle process does not keep them (the engine's WASM memory keeps
 * an arena of the same size anyway). Safe because simulate() is synchronous and its views never
 * leave it.
 */
let staged: { readonly w: TableWriter; readonly p: ParamWriter; readonly index: SubjectIndex } | undefined;
let release: ReturnType<typeof setTimeout> | undefined;
const STAGING_KEEP_MS = 1000;
function staging(rows: number): { readonly w: TableWriter; readonly p: ParamWriter; readonly index: SubjectIndex } {
  staged ??= { w: new TableWriter(rows), p: new ParamWriter(), index: new SubjectIndex() };
  staged.w.reset(rows);
  staged.p.reset();
  staged.index.reset();
  if (release !== undefined) clearTimeout(release);
  release = setTimeout(() => {
    staged = undefined;
    release = undefined;
  }, STAGING_KEEP_MS);
  // Node: the timer does not keep the process alive (browsers have no unref)
  (release as { unref?: () => void }).unref?.();
  return staged;
}

/** IDs equal as byId's Map sees them (SameValueZero). */
const sameId = (a: number, b: number): boolean => a === b || (a !== a && b !== b);

/** Whether an ID of records[from..] already had records before them (a data set byId must regroup). */
function idComesBack(records: readonly DataRecord[], from: number): boolean {
  const before = new Set<number>();
  for (let i = 0; i < from; i++) before.add((records[i] as DataRecord).ID);
  for (let i = from; i < records.length; i++) if (before.has((records[i] as DataRecord).ID)) return true;
  return false;
}

/** A batch laid out from records, with each subject's ID and first record. */
export interface RecordLayout {
  readonly subjects: SubjectLayout;
  readonly ids: readonly number[];
  readonly firstRecord: readonly DataRecord[];
}

/**
 * Compiles every subject (byId's groups, in its order) straight into one batch layout: the subjects'
 * events and parameter sets are appended to shared growable arrays, so nothing is concatenated or
 * copied again before the engine call (same tables, sets and rows as compileForModel +
 * layoutSubjects). Records of an ID are usually contiguous, and then a subject is a range of the
 * caller's array, found in the same pass that compiles it (its records are then in cache; an array
 * per subject was a copy of every record pointer that the scavenger promoted). When an ID comes
 * back after another, byId's groups are concatenated and laid out instead. The layout's arrays
 * are views of this thread's staging arrays: valid until the next call, for one engine call.
 */
export function layoutRecords(model: Model, records: readonly DataRecord[], options: SimulateOptions = {}): RecordLayout {
  const relevant = relevantNames(model);
  const co = compileOptions(model, options);
  const rows = records.length;
  const { w, p } = staging(rows + rows / 8);
  const evStart: number[] = [];
  const evEnd: number[] = [];
  const parBase: number[] = [];
  const outBase: number[] = [];
  const ids: number[] = [];
  const firstRecord: DataRecord[] = [];
  const seen = new Set<number>();
  const evals: Evaluation[] = []; // one subject's evaluations, reused: appendSubject reads them at once
  const grouped = (): RecordLayout => layoutRecords(model, [...byId(records).values()].flat(), options);
  for (let base = 0; base < rows; ) {
    const first = records[base] as DataRecord;
    const id = first.ID;
    if (seen.has(id)) return grouped();
    seen.add(id);
    let end = base + 1;
    while (end < rows && sameId((records[end] as DataRecord).ID, id)) end++;
    try {
      evaluateRecords(model, records, base, end - base, relevant, options, evals);
      const stride = (evals[0] as Evaluation).kernel.length;
      evStart.push(w.n);
      parBase.push(p.length / stride);
      outBase.push(base);
      ids.push(id);
      firstRecord.push(first);
      appendSubject(w, p, records, base, end - base, evals, stride, co);
    } catch (e) {
      // the error byId's groups would raise: this run may be part of an ID that comes back later
      if (idComesBack(records, end)) return grouped();
      throw e;
    }
    evEnd.push(w.n);
    base = end;
  }
  const subjects: SubjectLayout = {
    events: w.view(),
    evStart: Int32Array.from(evStart),
    evEnd: Int32Array.from(evEnd),
    params: p.data.subarray(0, p.length),
    parBase: Int32Array.from(parBase),
    outBase: Int32Array.from(outBase),
    nOut: rows,
  };
  return { subjects, ids, firstRecord };
}

/**
 * The records laid out by design (design-groups.ts): one compiled table per distinct design, each
 * subject its own parameter sets; undefined where the general layout (layoutRecords) must be used.
 * Views of this thread's staging arrays, like layoutRecords'.
 */
export function layoutByDesign(model: Model, records: readonly DataRecord[], options: SimulateOptions = {}): DesignLayout | undefined {
  return layoutDesigns(model, records, options.overrides, compileOptions(model, options), staging(64));
}

/** Concatenates compiled subjects into one batch layout. */
export function concatSubjects(subjects: readonly CompiledSubject[]): SubjectLayout {
  return layoutSubjects(subjects);
}

// amounts are there unless `amounts: false` is given: typed so (the README destructured `amounts`
// as always there, and strict TypeScript said "'amounts' is possibly 'undefined'")
/**
 * Simulates NONMEM-style records (one or many IDs, each ID's records contiguous and in time order).
 * Returns one prediction per record, in input order, and the amounts (unless `amounts: false`).
 *
 * @example
 * const model = defineModel(JSON.parse(readFileSync('model.json', 'utf8')));
 * const { records } = readNmtran(readFileSync('data.csv', 'utf8'));
 * const { ipred, amounts } = simulate(model, records);
 */
export function simulate(model: Model, records: readonly DataRecord[] | DataColumns, options?: SimulateOptions & { readonly amounts?: true }): Simulation & { readonly amounts: Float64Array };
/** Simulates the records (or a table of columns); with `amounts: false`, the result has no `amounts`. */
export function simulate(model: Model, records: readonly DataRecord[] | DataColumns, options?: SimulateOptions): Simulation;
export function simulate(model: Model, data: readonly DataRecord[] | DataColumns, options: SimulateOptions = {}): Simulation {
  // a table of the wrong shape too (a column not an array, a BigInt64Array, no rows): columnTable names the column
  if (isDataColumns(data) || meantAsColumns(data)) return simulateColumns(model, data as DataColumns, options);
  let records = data as readonly DataRecord[];
  checkModel(model, 'simulate()');
  refuseUnknownKeys(options, SIMULATE_KEYS, 'simulate()');
  // records built or edited in code, refused as readNmtran refuses them (AMT 0 on a dose, EVID 7, a
  // TIME string: all-zero or wrong predictions without a word), each ID's records contiguous and in
  // time order; once per call, in one pass of field reads
  let census = new RecordCensus();
  // the layout by design read in the same pass, each record checked just before it is read (two
  // passes over 2,000 W-gp subjects' 730,000 records loaded each record and its items twice); used
  // below where nothing changed the records, null where not made. Overrides are not judged yet, so
  // a layout that evaluates them waits for checkOverrides
  let early: DesignLayout | undefined | null = null;
  if (Array.isArray(records) && records.length > 0 && options.overrides === undefined && (options.timeVarying === undefined || options.timeVarying === 'nocb' || options.timeVarying === 'locf')) {
    try {
      early = layoutDesigns(model, records, undefined, compileOptions(model, options), staging(64), new RecordPass(census, options.file));
    } catch (e) {
      // a refusal of a record built in code without a row is raised again below, once the records
      // have their rows (withRows): it named no row ("column WT: …")
      if (!census.rowless) throw e;
      early = undefined;
    }
    // given up on before the last record maybe: the records checked afresh
    if (early === undefined) {
      early = null;
      census = new RecordCensus();
    }
  }
  if (early === null) checkRecords(records, 'records', options.file, true, census);
  // a record built in code without a row is named by its position + 1 from here on (the early
  // layout, made of the same values, stays valid)
  records = withRows(records, census.rowless);
  // an item the model reads given as text or null (a web form's '70kg'): the early layout's
  // evaluations refused it already (each value of a relevant item is evaluated there)
  if (early === null) refuseItemValues(relevantNames(model), records, options.file);
  refuseLooseItems(model, records, 'records', options.file);
  // an empty array is most often a parse or filter that went wrong upstream: an empty result with no
  // word read as "nothing to report" (the command line refuses a data set with no records too)
  if (records.length === 0) throw Errors.optionValue('records', records, 'has no records: nothing to simulate', 'an empty array');
  checkSolverOptions(options);
  refuseChoice('timeVarying', options.timeVarying, ['nocb', 'locf']);
  refuseChoice('amounts', options.amounts, [true, false]);
  checkOverrides(model, options.overrides);
  const wantAmounts = options.amounts ?? true;
  const solver = solverSetup(model, resolveMethod(model, options.method), options.rtol, options.atol);
  const eng = options.engine ?? engine(model);
  // these checks read dose records, text cells and levels of another compartment than the observed
  // one: the census of checkRecords' pass hands them those records alone
  // by position: an array of 56,000 records (2,000 subjects' doses) was a fresh large object, ~110
  // page faults per call
  const events = census.events;
  refuseDurItem(records, relevantNames(model), options.file, model.observeCompartment, census.anyText ? undefined : census.durOrPcmt);
  const levelsElsewhere = !census.levelsOnlyIn([0, model.observeCompartment]);
  const steady = census.steadyStates;
  // no dose at all (the command line's warning, one function): every prediction 0 with warnings []
  const warnings = [...approximationWarnings(model), ...noDoseWarnings(model, records, options.file).map((w) => `${NO_DOSE_CODE}: ${w}`), ...timeSteadyStateWarnings(model, records, options.file, steady), ...steadyStateLagWarnings(model, records, options.file, undefined, steady), ...steadyStateAddWarnings(model, records, options.file, events), ...suspectUnitWarnings(model, records, options.file, { overrides: options.overrides }), ...(levelsElsewhere ? amountObservationWarnings(model, records, options.file) : []).map((w) => `${AMOUNT_LEVEL_CODE}: ${w}`), ...looseToleranceWarnings(solver.method, solver.rtol), ...recordSetWarnings(model, records, options, steady), ...codeDoseDuplicates(records, options.file, census.nearDoses)];
  // a record's output is its CMT's: a DVID that names another output (CMT 0 or missing) printed the
  // default output's value under it; refused as estimation refuses it
  if (model.outputs) for (const r of records) if (r.EVID === 0) recordOutput(model, r, options.file);
  refuseFlagItems(model, records, options.file, undefined, options.overrides);
  // the layout by design made of these records saw no parameter column blank beside a value (design-groups.ts): no pass for it
  refusePartlyMissingItems(model, records, options.file, options.overrides, options.timeVarying, undefined, early !== null);
  const given = records;
  records = fillUnreadBlanks(model, records, options.timeVarying);
  refuseBlankInputs(model, records, options.file, options.overrides);
  const designs = records.length === 0 ? undefined : early !== null && records === given ? early : layoutByDesign(model, records, options);
  if (designs) {
    const out = solveDesigns(designs, solver, wantAmounts, eng);
    // a subject that did not solve is named by the general path, with the status of its own walk
    // (the fast path goes on past a failed steady state, and a later reset may report another)
    if (out.status.every((s) => s === Status.Ok)) {
      refuseNaN(model, records, out.obs, out.amounts, solver, options.file);
      return { ipred: out.obs, amounts: out.amounts, stateNames: model.stateNames, ids: designs.ids, warnings: [...warnings, ...negativeAmountWarnings(model, records, out.amounts, solver, options.file)] };
    }
  }
  const batch = layoutRecords(model, records, options);
  const problem: Problem = { solver, subjects: batch.subjects, amounts: wantAmounts };
  const out = solve(problem, eng);
  const i = firstFailure(out);
  if (i >= 0) {
    const st = out.status[i] as number;
    const inf = constantInfusionFailure(records, batch.ids[i] as number, st);
    if (inf) throw Errors.solver(`${options.file ? `${options.file}, ` : ''}row ${inf.row} (ID ${inf.ID}, TIME ${inf.TIME}): ${constantInfusionText(inf, model)}`, inf.row);
    const id = batch.ids[i] as number;
    const fails = (prefix: readonly DataRecord[], method = solver.method): boolean => firstFailure(solve({ solver: { ...solver, method }, subjects: layoutRecords(model, prefix, options).subjects, amounts: false }, eng)) >= 0;
    const placed = solverFailure(byId(records).get(id) ?? [], st, solver.method, options.file, fails, stateOutsideDomain(model), (rec, reached) => {
      // the record whose values hold over the segment the solver could not cross (NOCB: its end's)
      const governs = (options.timeVarying ?? model.timeVarying) === 'locf' && reached ? reached : rec;
      let values: Readonly<Record<string, number>>;
      try {
        values = model.evaluate(governs.items, options.overrides, governs.row).values;
      } catch {
        return undefined;
      }
      return rhsTermCause(model, values, reached ? reached.TIME : rec.TIME, rec.TIME);
    });
    if (placed) throw Errors.solver(placed.message, placed.row);
    throw Errors.solver(`ID ${id}: ${statusText(st)}`, batch.firstRecord[i]?.row);
  }
  // output rows follow the subject order of byId, which is the input order (IDs are contiguous, checked above)
  refuseNaN(model, records, out.obs, out.amounts, solver, options.file);
  return { ipred: out.obs, amounts: out.amounts, stateNames: model.stateNames, ids: batch.ids, warnings: [...warnings, ...negativeAmountWarnings(model, records, out.amounts, solver, options.file)] };
}

/**
 * simulate() of a table of columns: simulate() of the records it stands for (recordsFromColumns),
 * with the same results bit for bit, refusals and warnings. Where the rows are usual ones and the
 * model reads no covariate column, they are laid out by design straight from the typed columns
 * (columns-layout.ts) and only the checks that can speak of such data are made; anything else is
 * handed to the record path with the records made.
 */
function simulateColumns(model: Model, columns: DataColumns, options: SimulateOptions): Simulation {
  // named as recordsFromColumns names the table ("columns.CMT: every column must have one value per row")
  const t = columnTable(columns, 'columns', options.file);
  // every column empty: said of the table (an empty array of records is "has no records")
  if (t.rows === 0) throw Errors.optionValue('columns', columns, 'the table has no rows (every column is empty): nothing to simulate', `columns ${t.names.join(', ')}, none with a value`);
  return simulateTable(model, t, options) ?? simulate(model, tableRecords(t, 0, t.rows, options.file), options);
}

/** The column fast path of simulateColumns, or undefined where the record path must decide. */
function simulateTable(model: Model, t: ColumnTable, options: SimulateOptions): Simulation | undefined {
  try {
    checkModel(model, 'simulate()');
    refuseUnknownKeys(options, SIMULATE_KEYS, 'simulate()');
  } catch {
    return undefined; // refused by the record path, after the rows
  }
  const tv = options.timeVarying;
  if (t.rows === 0 || options.overrides !== undefined || (tv !== undefined && tv !== 'nocb' && tv !== 'locf')) return undefined;
  // the checks and warnings of data items: where the model reads no column of the table, each of
  // them gives what it gives for the first record alone (they read only which columns there are),
  // or nothing; the checks of a covariate's values are the record path's
  const columns = new Set(t.names);
  if (model.outputs || model.inputs.some((n) => columns.has(n)) || model.slots.inputs.some((n) => columns.has(n))) return undefined;
  if (ranges(model).some(([n]) => columns.has(n)) || ageCovariates(model).length > 0) return undefined;
  const body = bodyCovariates(model);
  if (body.weight !== undefined && body.height !== undefined) return undefined;
  // W_NEGATIVE_AMOUNT reads every record
  if (model.kernel && options.amounts !== false) return undefined;
  const designs = layoutColumns(model, t, compileOptions(model, options), staging(64), options.file);
  if (!designs) return undefined;
  // the rows are records the record path takes without a word: its checks from here, in its order
  checkSolverOptions(options);
  refuseChoice('timeVarying', options.timeVarying, ['nocb', 'locf']);
  refuseChoice('amounts', options.amounts, [true, false]);
  const wantAmounts = options.amounts ?? true;
  const solver = solverSetup(model, resolveMethod(model, options.method), options.rtol, options.atol);
  const eng = options.engine ?? engine(model);
  const first = tableRecords(t, 0, 1, options.file);
  const warnings = [...approximationWarnings(model), ...noDoseWarnings(model, designRows(t, designs, options.file), options.file).map((w) => `${NO_DOSE_CODE}: ${w}`), ...looseToleranceWarnings(solver.method, solver.rtol), ...defaultedCovariateWarnings(model, first, options.file, undefined)];
  refusePartlyMissingItems(model, first, options.file, undefined, options.timeVarying);
  refuseBlankInputs(model, first, options.file, undefined);
  const out = solveDesigns(designs, solver, wantAmounts, eng);
  // a subject that did not solve, a prediction that is not a number: named by the record path
  if (!out.status.every((s) => s === Status.Ok)) return undefined;
  const obs = out.obs;
  for (let r = 0; r < obs.length; r++) if ((obs[r] as number) - (obs[r] as number) !== 0) return undefined;
  return { ipred: obs, amounts: out.amounts, stateNames: model.stateNames, ids: designs.ids, warnings };
}

/**
 * The rows of each design's first subject as records, one at a time: every other subject of a
 * design has its EVID, AMT and CMT bit for bit, so a dose among all the rows is a dose among these
 * (noDoseWarnings stops at the first, most often row 1: no record made for the others).
 */
function* designRows(t: ColumnTable, layout: DesignLayout, file: string | undefined): Generator<DataRecord> {
  const seen = new Uint8Array(layout.designs.length);
  for (let i = 0; i < layout.ids.length; i++) {
    const g = layout.design[i] as number;
    if (seen[g] === 1) continue;
    seen[g] = 1;
    const base = layout.base[i] as number;
    const end = base + (layout.designs[g] as DesignGroup).nRec;
    for (let r = base; r < end; r++) yield (tableRecords(t, r, r + 1, file) as [DataRecord])[0];
  }
}

/**
 * The subject's steady-state constant infusion (SS = 1, AMT 0, RATE > 0, II 0) that a steady-state
 * status belongs to: its only kind of steady state in the subject, so the status is its. The
 * general text ("dose iteration did not reach a periodic steady state") spoke of a dosing interval
 * the record does not have.
 */
function constantInfusionFailure(records: readonly DataRecord[], id: number, status: number): DataRecord | undefined {
  // the analytic solution's equilibrium R/k is infinite where nothing eliminates (KA 0 into a depot):
  // it said only "a state became NaN or infinite", naming neither the row nor the cause
  if (status !== Status.SteadyStateNotReached && status !== Status.SingularSteadyState && status !== Status.NonFinite) return undefined;
  let found: DataRecord | undefined;
  for (const r of records) {
    if (r.ID !== id || r.SS <= 0 || (r.EVID !== 1 && r.EVID !== 4)) continue;
    if (r.II > 0) return undefined;
    if (r.RATE > 0 && r.AMT === 0) found ??= r;
  }
  return found;
}

function constantInfusionText(r: DataRecord, model: Model): string {
  const cmt = r.CMT > 0 ? (model.stateNames[r.CMT - 1] ?? `CMT ${r.CMT}`) : 'the default compartment';
  return `no steady state reached for the constant infusion (SS ${r.SS}, AMT 0, RATE ${r.RATE} into ${cmt}, II 0): the model has no equilibrium with every amount ≥ 0 at this rate (none exists where the elimination cannot match the rate: none at all, or a saturable one with VMAX at or below it)`;
}

/** Record r's states and their noise bounds over its subject's records (contiguous by ID), for outsideDomain. */
function statesAt(model: Model, records: readonly DataRecord[], amounts: Float64Array, r: number, tol: { readonly rtol: number; readonly atol: number }): StatesAt {
  const id = (records[r] as DataRecord).ID;
  let from = r;
  while (from > 0 && (records[from - 1] as DataRecord).ID === id) from--;
  let to = r + 1;
  while (to < records.length && (records[to] as DataRecord).ID === id) to++;
  const n = model.stateNames.length;
  return { values: amounts.subarray(r * n, (r + 1) * n), noise: Array.from(amountScales(model, records, amounts, from, to), (s) => noiseBound(tol, s)) };
}

/**
 * A prediction that is not a number where every state solved: the model's observation left its
 * domain there (a model text's sqrt or log of a negative value). Printed, it was a blank cell with
 * exit 0; refused, naming the record.
 */
function refuseNaN(model: Model, records: readonly DataRecord[], ipred: Float64Array, amounts: Float64Array | undefined, tol: { readonly rtol: number; readonly atol: number }, file?: string): void {
  for (let r = 0; r < ipred.length; r++) {
    const v = ipred[r] as number;
    // v − v is 0 for every finite v, NaN for NaN and ±∞ (a division by an empty compartment, log 0)
    if (v - v === 0) continue;
    const rec = records[r] as DataRecord;
    // the file and row as the solver's other refusals give them (it named only ID 1, TIME 0)
    throw Errors.solver(`${file ? `${file}, ` : ''}${recordPlace(rec)} (ID ${rec.ID}, TIME ${rec.TIME}): the model's prediction is ${v === v ? `${v > 0 ? '' : '-'}infinite` : 'not a number'} there (${outsideDomain(model, v, amounts && statesAt(model, records, amounts, r, tol))})`, rec.row);
  }
}
