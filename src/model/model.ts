// A model as the engine uses it: the model file parsed once, its expressions compiled, the
// evaluation order of parameters fixed, and a function that turns one record's data items into the
// kernel's parameter set and the per-compartment dose modifiers (lag, F, rate, duration).

import { itemValueWhy } from './item-values.js';
import { kernelCode, type KernelCode } from './text/bytecode.js';
import { Errors } from '../errors.js';
import { STANDARD_COLUMNS } from './standard-columns.js';
import { type Ast, type Compiled, compileExpression, compileProgram, identifiers, parseExpression, type Program } from './expression.js';
import { type ModelFile, parseModelFile } from './schema.js';
import { checkObservedUnit, checkUnits, compareUnits, isCovariateUnit } from './units.js';
import { choleskyFactor, covarianceRule } from '../stats/cholesky.js';
import { positiveInputs } from './positive-inputs.js';
import { outflowRates } from './text/outflow-rates.js';
import { toleranceProblem } from './solver-limits.js';
import { compileModelText, type TextModel } from './text/index.js';
import { checkEmbeddedModule, type EmbeddedKernel } from './text/embedded-module.js';
import { isPlainObject } from '../plain-object.js';
import {
  ANALYTIC_KINDS,
  BUILTIN_STRUCTURES,
  type OutputKind,
  type Structure,
  centralCompartment,
  defaultOutput,
  defaultParameters,
  kernelFiller,
  hasAnalytic,
  multiCompartment,
  parameterCheck,
  parameterCheckMode,
  parStride,
  scaleByVolume,
  stateCount,
  stateNames,
  structuralParameters,
} from './structure.js';

/** 'taylor': the Taylor-series integrator, for the Michaelis–Menten built-ins (mm-iv, mm-oral) only. */
export type SolverMethod = 'auto' | 'analytic' | 'dopri5' | 'rosenbrock' | 'dop853' | 'taylor';

export interface Modifiers {
  /** Per compartment (0-based index): lag time, bioavailability, modelled rate, modelled duration. */
  readonly lag: Float64Array;
  readonly F: Float64Array;
  readonly R: Float64Array;
  readonly D: Float64Array;
  /** Scale S of each compartment (an observation of compartment n is A(n)/S): parameter S<n>, else observe.scale for the observed one, else 1. */
  readonly S: Float64Array;
  /**
   * Times a model text's equations switch at (t compared with a record-level quantity), where the
   * solver stops; absent where the model has none. Non-finite ones switch nowhere.
   */
  readonly switches?: Float64Array;
}

export interface Evaluation extends Modifiers {
  /** Kernel parameter set, Model.parStride doubles. */
  readonly kernel: Float64Array;
  /** Every named value (parameters, data items, covariates) by name. */
  readonly values: Readonly<Record<string, number>>;
  /**
   * The model reads the dose record's AMT or RATE: the copies (ADDL) and lagged entries of a dose
   * take their modifiers from the dose's own record, whose amount they are, not from the record in
   * force when they act (an observation's AMT 0 gave F1 = AMT > 750 ? 0.5 : 1 the value 1 for every
   * copy of a 1000-mg dose, and optimize an AUC 1.36 times too high).
   */
  readonly dosesOwnModifiers?: boolean;
}

export interface RandomEffects {
  /** Names as parameter expressions use them, in the model file's order. */
  readonly names: readonly string[];
  /** Covariance matrix (variances on the diagonal). */
  readonly matrix: readonly (readonly number[])[];
  /** Lower Cholesky factor L (Ω = L·Lᵀ); rows/columns of fixed (zero-variance) effects are zero. */
  readonly chol: readonly (readonly number[])[];
  /** IOV only: the data column numbering occasions. */
  readonly occasion?: string;
}

/** A measured quantity of a model with several outputs (model file `outputs`, keyed by DVID). */
export interface Output {
  readonly dvid: number;
  readonly name: string;
  /** 1-based compartment whose amount / S<n> is measured. */
  readonly compartment: number;
  readonly residual: Residual;
  readonly unit?: string;
}

export interface Residual {
  readonly model: 'additive' | 'proportional' | 'combined' | 'combined1' | 'exponential';
  readonly additive: number;
  readonly proportional: number;
  readonly exponential: number;
}

/** Why a parameter set is refused: the parameter, its value, why, and (`got`) the value with the data items it comes from. */
export interface ParameterProblem {
  readonly name: string;
  readonly value: number;
  readonly why: string;
  readonly got?: string;
}

/** Fast evaluation over numbered slots (no allocation), for populations and estimation loops. */
export interface SlotEvaluator {
  readonly nSlots: number;
  /** Slot of a name (an input, θ or parameter); -1 if the model does not know it. */
  slot(name: string): number;
  /** Slots the caller must fill before run(): model inputs (data items, covariates, η, κ). */
  readonly inputs: readonly string[];
  /** Default value of each input (NaN = none). */
  readonly defaults: Float64Array;
  /**
   * Computes every parameter into v and the kernel set into out[off..off+Model.parStride).
   * Returns undefined, or the name and reason of the first invalid value.
   */
  run(v: Float64Array, out: Float64Array, off: number): ParameterProblem | undefined;
  /**
   * run() with the parameters of slots `pinned` held at the values v holds (data items named like
   * a parameter replace its expression, as in Model.evaluate; their inputs are then not checked).
   */
  runPinned(v: Float64Array, pinned: readonly number[], out: Float64Array, off: number): ParameterProblem | undefined;
  /** Modifiers (lag, F, R, D) per compartment from a v that run() filled. */
  modifiers(v: Float64Array): Modifiers;
  /**
   * Whether lag/F/rate/duration or a compartment scale S<n> depend on any of the given inputs; with
   * `kinds` ('lag', 'bioavailability', 'rate', 'duration'), only whether those modifiers do, or
   * one compartment's ('bioavailability:1').
   */
  modifiersDependOn(names: ReadonlySet<string>, kinds?: ReadonlySet<string>): boolean;
  /**
   * Whether anything the engine reads (a structural parameter, a dose modifier, a time switch, a
   * scale) depends on any of the given inputs; a derived value for the report (DAY =
   * floor(TIME/24)+1) changes no exposure, and does not count. With `pinned`, the parameters given
   * as values (overrides): their expressions are not read.
   */
  engineDependsOn(names: ReadonlySet<string>, pinned?: ReadonlySet<string>): boolean;
  /**
   * How the structural values read the given random effects, for the engine's MAP objective
   * (src/bayes/map-fast.ts): each either free of them or X·exp(E) (or exp(E)·X) with E one of them
   * and X free of them, and the observation scale free of them or one of those values; undefined
   * for any other form, and for a model text.
   * @internal
   */
  structuralForm(effects: ReadonlySet<string>): StructuralForm | undefined;
}

/** SlotEvaluator.structuralForm's answer. */
export interface StructuralForm {
  /**
   * The structural values in the kernel filler's order: name, slot, and for (L·exp(E))·R the effect
   * E and L, R over the slot vector (absent: 1); effect undefined: free of every effect.
   */
  readonly structural: readonly { readonly name: string; readonly slot: number; readonly effect: string | undefined; readonly left?: Compiled; readonly right?: Compiled }[];
  /** The structural value that is the observation scale (undefined: a scale free of every effect). */
  readonly scale: string | undefined;
}

export interface Model {
  readonly name: string;
  /** Typical values θ by name. */
  readonly theta: Readonly<Record<string, number>>;
  /** Inter-individual random effects (η ~ N(0, Ω)), if the model has them. */
  readonly omega?: RandomEffects;
  /** Inter-occasion random effects (κ ~ N(0, Ω_IOV) per occasion), if any. */
  readonly iov?: RandomEffects;
  readonly residual?: Residual;
  /** Several measured quantities by DVID, each with its residual error (absent: one output, `residual`). */
  readonly outputs?: ReadonlyMap<number, Output>;
  readonly slots: SlotEvaluator;
  /** What rebuilds this model in a worker: the model file, or the model text with its compiled kernel. */
  readonly file: ModelFile | TextModelFile;
  readonly structure: Structure;
  readonly nStates: number;
  readonly stateNames: readonly string[];
  readonly observeCompartment: number;
  readonly output: OutputKind;
  readonly solver: { readonly method: SolverMethod; readonly rtol: number; readonly atol: number };
  readonly timeVarying: 'nocb' | 'locf';
  /** Parameter names in evaluation order. */
  readonly parameterNames: readonly string[];
  /** Names the model reads that are not its parameters: data items / covariates. */
  readonly inputs: readonly string[];
  /** Parameters whose value does not depend on any input (constant for every record). */
  readonly constantParameters: ReadonlySet<string>;
  /**
   * Evaluates one record. `items` are the record's data items (NaN = missing); a non-missing item
   * named like a parameter overrides it. `overrides` (e.g. --param NAME=VALUE) win over both.
   */
  evaluate(items: Readonly<Record<string, number>>, overrides?: Readonly<Record<string, number>>, row?: number): Evaluation;
  /** A model text's kernel (Kind.User): its source and, once compiled, the WebAssembly module bytes. */
  readonly kernel?: UserKernel;
  /** Doubles per kernel parameter set (16; more for a model text with many per-record values). */
  readonly parStride: number;
}

export interface UserKernel {
  /** Hash of `source`: models with equal kernels share one compiled module. */
  readonly id: string;
  /** AssemblyScript source of assembly/models/user.ts. */
  readonly source: string;
  /** Whether the Jacobian varies with the state or time. */
  readonly nonlinear: boolean;
  /** Whether the right-hand side is affine in the states and free of t: propagated exactly (method 'analytic'). */
  readonly linear: boolean;
  /** Whether the right-hand side is affine in the states (it may read t): superposition holds. */
  readonly affine: boolean;
  /** Whether the right-hand side reads the model time t (a steady state is then only as periodic as its t terms). */
  readonly readsTime: boolean;
  /** The compiled engine with this kernel (absent until src/engine/model-text.ts compiled it). */
  readonly wasm?: Uint8Array;
  /**
   * The kernel as code for the shipped engine's interpreter (absent when it does not fit there):
   * what runs while `wasm` is absent. Both tiers give bitwise-equal results.
   */
  readonly code?: KernelCode;
  /** Why the module embedded in the model's JSON was not used (it does not belong to the text). */
  readonly refused?: string;
  /** The text's equation-level quantities (computed from the states each step: no data item sets them). */
  readonly locals?: readonly string[];
  /** Powers of a compartment-reading quantity to a fractional exponent in the observation (TextModel.observePowers). */
  readonly observePowers?: TextModel['observePowers'];
  /** Fractional powers, square roots and logarithms of a compartment-reading quantity in the right-hand side (TextModel.rhsDomain). */
  readonly rhsDomain?: TextModel['rhsDomain'];
  /** Divisors, logarithms, square roots and powers of the right-hand side that read only t and record-level values (TextModel.rhsTerms). */
  readonly rhsTerms?: TextModel['rhsTerms'];
  /** Terms reading a compartment that overflow for a large amount or leave their domain, by place (TextModel.stateTerms). */
  readonly stateTerms?: TextModel['stateTerms'];
}

/** A model text as a JSON value (what travels to workers); `kernel` carries the compiled module. */
export interface TextModelFile {
  readonly dosewise: 'text';
  readonly text: string;
  /** File name for error messages. */
  readonly file?: string;
  /** The compiled module, used only when it provably belongs to `text` (src/model/text/embedded-module.ts). */
  readonly kernel?: EmbeddedKernel;
}

export function isTextModelFile(x: unknown): x is TextModelFile {
  return typeof x === 'object' && x !== null && (x as { dosewise?: unknown }).dosewise === 'text' && typeof (x as { text?: unknown }).text === 'string';
}

export { embedModule, encodeBase64 } from './text/embedded-module.js';

interface CompiledParam {
  readonly name: string;
  readonly f: Compiled;
  readonly deps: ReadonlySet<string>;
}

function asExpression(v: number | string, path: string): Ast {
  return typeof v === 'number' ? { k: 'num', v } : parseExpression(v, path);
}

function resolveStructure(s: ModelFile['structure']): Structure {
  if (typeof s === 'string') {
    const b = BUILTIN_STRUCTURES[s.toLowerCase()];
    if (!b) throw Errors.model('structure', `unknown structure (known: ${Object.keys(BUILTIN_STRUCTURES).join(', ')})`, s);
    return b;
  }
  const compartments = s.compartments ?? 1;
  if (!multiCompartment(s.kind) && compartments !== 1)
    throw Errors.model('structure.compartments', `${s.kind} models have one compartment`, compartments);
  return Object.freeze({
    kind: s.kind,
    compartments,
    depot: s.depot ?? false,
    parameterization: s.parameterization ?? 'clearance',
  });
}

/** What the generic assembly of a model needs, from a model file or a model text. */
interface ModelSpec {
  readonly name: string;
  readonly file: ModelFile | TextModelFile;
  readonly structure: Structure;
  readonly nStates: number;
  readonly stateNames: readonly string[];
  /** Structural names the kernel reads (checked before every kernel fill). */
  readonly structural: readonly string[];
  readonly asts: Map<string, Ast>;
  readonly theta: Record<string, number>;
  readonly omega?: RandomEffects;
  readonly iov?: RandomEffects;
  readonly residual?: Residual;
  readonly outputs?: ReadonlyMap<number, Output>;
  readonly extra: Map<string, Ast>;
  readonly observeCompartment: number;
  readonly output: OutputKind;
  readonly scaleAst: Ast;
  readonly covariateDefaults: Map<string, number>;
  readonly solver: Model['solver'];
  readonly timeVarying: 'nocb' | 'locf';
  readonly kernel?: UserKernel;
  /** A model text's `extra` entries `switchpart:<k>`: where each is, and the comparison it belongs to (k − 1 here). */
  readonly switchParts?: readonly { readonly where: string; readonly comparison: string; readonly part: string }[];
  /** A model text's init() places (`file:line:col`), state order: its `extra` entries `init:<cmt>` are refused by them. */
  readonly initWhere?: readonly (string | undefined)[];
  /** A model text's record-level statements by place (TextModel.where): a parameter or modifier that is not a number is refused by it. */
  readonly where?: TextModel['where'];
}

/**
 * Parses (if needed), validates and compiles a model: a model file (JSON), or a model text
 * wrapped as `{ dosewise: 'text', text }` (see src/model/text; its kernel is compiled by the engine).
 */
export function defineModel(input: unknown): Model {
  // a string was refused as "expected object, received string", which did not say what to give
  if (typeof input === 'string') throw Errors.model('(root)', modelStringWhy(input, 'defineModel()'), input);
  return assemble(isTextModelFile(input) ? textSpec(input) : fileSpec(input));
}

/**
 * What to give instead of a string where a model is taken, naming the call (`defineModel()`,
 * `estimateCohort()`): JSON text, a file's path, a name, or a model text. A path
 * ('map-wmap.model.json') was read as a name: "builtinModel('map-wmap.model.json')", "models/map-wmap.model.json.json".
 */
export function modelStringWhy(input: string, call: string): string {
  const s = input.trim();
  if (/^[{[]/.test(s)) return `${call} takes the model as an object, not as JSON text: defineModel(JSON.parse(text))`;
  if (!/\n/.test(s) && (/\.model$/i.test(s) || (/\.model\.txt$/i.test(s)))) return `${call} takes a model, not a file's path ('${s}'): read the model text and give it, e.g. defineModel({ dosewise: 'text', text: readFileSync('${s}', 'utf8') }) (run interpreted) or await compileModel(readFileSync('${s}', 'utf8')) from 'dosewise/model-text' (compiled)`;
  if (!/\n/.test(s) && (/\.json$/i.test(s) || /[/\\]/.test(s))) return `${call} takes a model, not a file's path ('${s}'): read and parse the file, e.g. defineModel(JSON.parse(readFileSync('${s}', 'utf8')))`;
  if (/^[\w.-]+$/.test(s)) return `${call} takes a model object, not a name: for a built-in structure builtinModel('${s}'), for a model of the packaged library libraryModel('${s}') from 'dosewise' (Node), or in a browser app defineModel() of the file imported from 'dosewise/models/${s}.json'`;
  return `${call} takes a model object; for a model text give { dosewise: 'text', text } (run interpreted) or await compileModel(text) from 'dosewise/model-text' (compiled)`;
}

function fileSpec(input: unknown): ModelSpec {
  const file = parseModelFile(input);
  const structure = resolveStructure(file.structure);
  const nStates = stateCount(structure);
  const { required, optional } = structuralParameters(structure);

  const asts = new Map<string, Ast>();
  // a data item of a parameter's or θ's name replaces it: a standard column's would be each record's DV, TIME, ...
  const standard = (name: string): boolean => (STANDARD_COLUMNS as readonly string[]).includes(name.toUpperCase());
  for (const name of [...Object.keys(file.parameters), ...Object.keys(file.theta ?? {})])
    if (standard(name))
      throw Errors.model(name in file.parameters ? `parameters.${name}` : `theta.${name}`, `${name} is a standard column of the data set (${STANDARD_COLUMNS.join(' ')}): the column's value on each record would replace it; give it another name`);
  for (const [name, p] of Object.entries(file.parameters)) {
    const path = `parameters.${name}`;
    if (typeof p === 'number' || typeof p === 'string') asts.set(name, asExpression(p, path));
    else if (p.expr !== undefined && p.value !== undefined) throw Errors.model(path, 'give either value or expr, not both');
    else if (p.expr !== undefined) asts.set(name, parseExpression(p.expr, `${path}.expr`));
    else if (p.value !== undefined) asts.set(name, { k: 'num', v: p.value });
    else throw Errors.model(path, 'needs a value or an expr');
  }
  const structureConc = checkUnits(
    Object.fromEntries(Object.entries(file.parameters).map(([n, p]) => [n, typeof p === 'object' ? p.unit : undefined])),
    { theta: file.theta, expressions: asts, structure: structure.kind, covariates: file.covariates },
  );
  const theta: Record<string, number> = {};
  for (const [name, t] of Object.entries(file.theta ?? {})) {
    if (asts.has(name)) throw Errors.model(`theta.${name}`, 'a theta and a parameter have the same name');
    theta[name] = typeof t === 'number' ? t : t.value;
    asts.set(name, { k: 'num', v: theta[name] as number });
  }
  for (const [name, v] of Object.entries(optional)) if (!asts.has(name)) asts.set(name, { k: 'num', v });
  const omega = file.omega ? randomEffects(file.omega, 'omega') : undefined;
  const iov = file.iov ? randomEffects(file.iov, 'iov') : undefined;
  if (iov && !iov.occasion) throw Errors.model('iov.occasion', 'name the data column that numbers occasions');
  // one name in both took the IOV draw alone: the between-subject variance was lost, and the subject
  // table's η no longer matched its parameters
  for (const n of iov?.names ?? []) if (omega?.names.includes(n)) throw Errors.model('iov.etas', `${n} is also in omega: a κ (between occasions) and an η (between subjects) need names of their own (CL = TVCL·exp(ETA_CL + KAPPA_CL))`, n);
  for (const n of [...(omega?.names ?? []), ...(iov?.names ?? [])])
    if (asts.has(n)) throw Errors.model(`parameters.${n}`, 'a random effect and a parameter have the same name');
  // beside outputs, a top-level residual was read by some paths (the expected information, the VPC's
  // scale, level warnings) and not by others: a metabolite with combined error was taken as logged
  if (file.residual && file.outputs) throw Errors.model('residual', 'with outputs, each output gives its own residual error (outputs.<DVID>.residual); remove the top-level residual');
  const residual = file.residual ? residualOf(file.residual) : undefined;
  if (file.residual) checkResidualUnit(file.residual, 'residual', file.observe?.unit, 'observe.unit');
  for (const name of required)
    if (!asts.has(name)) throw Errors.model(`parameters.${name}`, `required by structure ${structure.kind} (${required.join(', ')})`);

  // modifiers and the observation scale are expressions too
  const extra = new Map<string, Ast>();
  for (const [key, m] of Object.entries(file.compartments ?? {})) {
    const c = Number(key);
    if (c > nStates) throw Errors.model(`compartments.${key}`, `the model has ${nStates} compartments`, c);
    for (const f of ['lag', 'bioavailability', 'rate', 'duration'] as const) {
      const v = m[f];
      if (v !== undefined) extra.set(`${f}:${c}`, asExpression(v, `compartments.${key}.${f}`));
    }
  }
  const observeCompartment = file.observe?.compartment ?? centralCompartment(structure);
  if (observeCompartment > nStates) throw Errors.model('observe.compartment', `the model has ${nStates} compartments`, observeCompartment);
  const outputs = file.outputs ? outputsOf(file.outputs, observeCompartment, nStates, file.observe?.unit) : undefined;
  // a structure whose default output is its effect (effect-emax): an observed compartment other
  // than the effect compartment, named without an output, is that compartment's concentration (it
  // was the Emax response whatever compartment was named: 72.4 for a level of 7.42)
  const named = file.observe?.compartment;
  const output = file.observe?.output ?? (defaultOutput(structure) === 'effect' && named !== undefined && named !== nStates ? 'concentration' : defaultOutput(structure));
  // NONMEM's S<n> of the observed compartment is its scale (S2 = V/1000 for mg doses and ng/mL
  // levels): without observe.scale it was ignored, and the volume scaled the levels 1000-fold off
  const sObs = `S${observeCompartment}`;
  // both given, observe.scale won without a word: "S1": "V/1000" beside "scale": "V" ran 1000-fold
  // off what S1 alone gives (18.07 for 18073.66); a model text refuses an S<n> given both ways
  if (file.observe?.scale !== undefined && asts.has(sObs)) {
    const scaleGiven = asExpression(file.observe.scale, 'observe.scale');
    if (!sameExpression(scaleGiven, asts.get(sObs) as Ast)) {
      const p = file.parameters[sObs];
      const sGiven = typeof p === 'object' ? (p.expr ?? p.value) : p;
      throw Errors.model(
        'observe.scale',
        `the scale of compartment ${observeCompartment} is given both ways, as observe.scale ${JSON.stringify(file.observe.scale)} and as parameters.${sObs} ${JSON.stringify(sGiven)}, which differ: give it once (remove observe.scale, or ${sObs})`,
        file.observe.scale,
      );
    }
  }
  const scaleAst: Ast =
    file.observe?.scale !== undefined
      ? asExpression(file.observe.scale, 'observe.scale')
      : asts.has(sObs)
        ? { k: 'var', name: sObs }
        : !scaleByVolume(structure) || !asts.has('V')
          ? { k: 'num', v: 1 }
          : { k: 'var', name: 'V' };
  // a TMDD in nmol/L observed in mg/L ran silently (its mg/L levels compared with nmol/L predictions):
  // where the prediction is A/V, its unit is the structure's concentration
  const overV = output === 'free' || (output === 'concentration' && observeCompartment === centralCompartment(structure) && scaleAst.k === 'var' && scaleAst.name === 'V');
  if (structureConc && overV) {
    checkObservedUnit(structureConc, file.observe?.unit, 'observe.unit', output === 'free');
    for (const [key, o] of Object.entries(file.outputs ?? {})) if ((o.compartment ?? observeCompartment) === observeCompartment) checkObservedUnit(structureConc, o.unit, `outputs.${key}.unit`, output === 'free');
  }

  // random effects with a variance (one fixed at 0 and read by nothing, as published models carry
  // for a fixed K12, changes nothing)
  const varied = [...(omega?.names.filter((_, i) => ((omega.matrix[i] as readonly number[])[i] as number) > 0) ?? []), ...(iov?.names.filter((_, i) => ((iov.matrix[i] as readonly number[])[i] as number) > 0) ?? [])];
  refuseUnreadParameters(file.parameters, asts, extra, scaleAst, [...required, ...Object.keys(optional)], typeof file.structure === 'string' ? file.structure : structure.kind, [...(omega?.names ?? []), ...(iov?.names ?? [])], varied);
  const covariateDefaults = new Map<string, number>();
  for (const [k, c] of Object.entries(file.covariates ?? {})) if (c.default !== undefined) covariateDefaults.set(k, c.default);
  const method = file.solver?.method ?? 'auto';
  if (method === 'analytic' && !hasAnalytic(structure))
    throw Errors.model('solver.method', `analytic solutions exist only for ${ANALYTIC_KINDS} models, not ${structure.kind}`, method);
  return {
    name: file.name,
    file,
    structure,
    nStates,
    stateNames: stateNames(structure),
    structural: [...required, ...Object.keys(optional)],
    asts,
    theta,
    omega,
    iov,
    residual,
    outputs,
    extra,
    observeCompartment,
    output,
    scaleAst,
    covariateDefaults,
    solver: Object.freeze({ method, rtol: file.solver?.rtol ?? 1e-8, atol: file.solver?.atol ?? 1e-10 }),
    timeVarying: file.time_varying ?? 'nocb',
  };
}

/**
 * Refuses a parameter of a model file that nothing reads (not the structure's, nor read by another
 * parameter, a dose modifier or the observation scale) when it is a constant or the only reader of
 * a random effect: a misnamed one ("HILL": 2.5 for GAMMA) was taken without a word while the
 * structure's own took its default (E 71.1 for 85.9). A derived value for the report passes.
 */
function refuseUnreadParameters(parameters: Readonly<Record<string, unknown>>, asts: ReadonlyMap<string, Ast>, extra: ReadonlyMap<string, Ast>, scaleAst: Ast, structural: readonly string[], kind: string, effects: readonly string[], varied: readonly string[]): void {
  const read = new Set(structural);
  const readBy = new Map<string, Set<string>>();
  const note = (d: string, by: string): void => {
    read.add(d);
    let s = readBy.get(d);
    if (!s) readBy.set(d, (s = new Set()));
    s.add(by);
  };
  for (const [n, a] of asts) for (const d of identifiers(a)) if (d !== n) note(d, n);
  for (const a of extra.values()) for (const d of identifiers(a)) note(d, '');
  for (const d of identifiers(scaleAst)) note(d, '');
  // a random effect that nothing reads gave the population no variability on the parameter the
  // user meant (CL written without its exp(ETA_CL): SD 0.000, every quantile alike), while
  // subjects.csv listed a drawn ETA_CL beside each CL
  for (const e of varied)
    if (!read.has(e))
      throw Errors.model('omega', `random effect ${e} is read by no parameter, dose modifier or scale: write it where it belongs (CL = TVCL*exp(${e})) or drop it from the model`, e);
  for (const name of Object.keys(parameters)) {
    // S<n>: the scale of compartment n's observations, read by the engine by its name
    if (read.has(name) || /^S\d+$/.test(name)) continue;
    // NONMEM's names of dose modifiers (F1, ALAG1, D1, R1) do nothing by their name in a model
    // file: "F1": "TVF" was shown among the parameters and never applied (every level unhalved)
    const nm = /^(F|ALAG|D|R)(\d+)$/.exec(name);
    if (nm) {
      const field = ({ F: 'bioavailability', ALAG: 'lag', D: 'duration', R: 'rate' } as const)[nm[1] as 'F' | 'ALAG' | 'D' | 'R'];
      throw Errors.model(`parameters.${name}`, `nothing reads it: NONMEM's ${name} is compartment ${nm[2]}'s ${field}, which a model file gives as "compartments": { "${nm[2]}": { "${field}": "${name}" } }`);
    }
    // a derived value for the report (KEL = CL/V) is read by nobody on purpose; a constant, or one
    // that alone carries a random effect, is a misnamed parameter whose value does nothing
    const reads = [...identifiers(asts.get(name) as Ast)];
    const ownEffect = reads.find((d) => effects.includes(d) && [...(readBy.get(d) ?? [])].every((by) => by === name));
    if (reads.length > 0 && ownEffect === undefined) continue;
    const meant = structural.find((s) => s.toUpperCase() === name.toUpperCase());
    throw Errors.model(`parameters.${name}`, `nothing reads it: structure ${kind} takes ${structural.join(', ')}, and no other parameter, dose modifier or scale reads ${name}${meant ? ` (did you mean ${meant}?)` : ''}`);
  }
}

/** A model text: names were checked by the text compiler; record-level quantities become parameters. */
function textSpec(input: TextModelFile): ModelSpec {
  const c = compileModelText(input.text, input.file ?? 'model');
  const t = c.model;
  const asts = new Map<string, Ast>();
  for (const p of t.parameters) asts.set(p.name, p.expr);
  const theta: Record<string, number> = { ...t.theta };
  for (const [n, v] of Object.entries(theta)) asts.set(n, { k: 'num', v });
  const extra = new Map<string, Ast>();
  for (const m of t.modifiers) extra.set(`${m.what}:${m.cmt}`, m.expr);
  t.switches.forEach((a, i) => extra.set(`switch:${i + 1}`, a));
  t.switchParts.forEach((x, i) => extra.set(`switchpart:${i + 1}`, x.part));
  // init() is record-level: evaluated per record here too, so one that is not a number is refused
  // as a parameter is (init(A) = log(-1) said only "a state became NaN or infinite")
  t.kernel.init.forEach((a, i) => {
    if (a && a.k !== 'num') extra.set(`init:${i + 1}`, a);
  });
  const covariateDefaults = new Map<string, number>();
  for (const [k, cv] of Object.entries(t.covariates)) if (cv.default !== undefined) covariateDefaults.set(k, cv.default);
  const structure: Structure = Object.freeze({
    kind: 'user',
    compartments: t.kernel.states.length,
    depot: false,
    parameterization: 'clearance',
    user: Object.freeze({ states: t.kernel.states, inputs: t.kernel.inputs, observe: t.observeCompartment, observeAmountOver: amountOver(t.kernel.observe, t.kernel.states, t.kernel.inputs), outflowRates: outflowRates(t.kernel.ddt, t.kernel.states, t.kernel.inputs), observeExpr: { locals: t.kernel.locals, expr: t.kernel.observe }, ddt: t.kernel.ddt, init: t.kernel.init }),
  });
  const { wasm, refused } = checkEmbeddedModule(input.kernel, c.id);
  return {
    name: t.name ?? (input.file ?? 'model').replace(/^.*[/\\]/, '').replace(/\.model$/, ''),
    file: wasm ? input : { dosewise: 'text', text: input.text, file: input.file },
    structure,
    nStates: t.kernel.states.length,
    stateNames: t.kernel.states,
    structural: t.kernel.inputs,
    asts,
    theta,
    omega: t.omega ? randomEffects({ etas: [...t.omega.names], matrix: t.omega.matrix.map((r) => [...r]) }, 'omega') : undefined,
    iov: t.iov ? randomEffects({ etas: [...t.iov.names], diagonal: [...t.iov.diagonal], occasion: t.iov.occasion }, 'iov') : undefined,
    residual: t.residual ? residualOf(t.residual) : undefined,
    outputs: t.outputs
      ? new Map([...t.outputs].sort((a, b) => a.dvid - b.dvid).map((o) => [o.dvid, Object.freeze({ dvid: o.dvid, name: o.name ?? `output ${o.dvid}`, compartment: o.compartment, residual: residualOf(o.residual, `outputs.${o.dvid}.residual`), unit: o.unit })]))
      : undefined,
    extra,
    observeCompartment: t.observeCompartment,
    output: 'concentration',
    scaleAst: { k: 'num', v: 1 },
    covariateDefaults,
    solver: Object.freeze({ method: t.solver.method, rtol: t.solver.rtol ?? 1e-8, atol: t.solver.atol ?? 1e-10 }),
    timeVarying: t.records,
    kernel: Object.freeze({ id: c.id, source: c.source, nonlinear: c.program.nonlinear, linear: c.program.linear, affine: c.program.affine, readsTime: c.program.dt !== undefined, wasm, code: wasm ? undefined : kernelCode(c.program), refused, locals: t.kernel.locals.map((l) => l.name), observePowers: t.observePowers, rhsDomain: t.rhsDomain, rhsTerms: t.rhsTerms, stateTerms: t.stateTerms }),
    switchParts: t.switchParts.map((x) => ({ where: x.where, comparison: x.comparison, part: x.shown })),
    initWhere: t.initWhere,
    where: t.where,
  };
}

/** '' for observe = STATE, the name for observe = STATE / INPUT (a per-record value), else undefined. */
function amountOver(observe: Ast, states: readonly string[], inputs: readonly string[]): string | undefined {
  if (observe.k === 'var' && states.includes(observe.name)) return '';
  if (observe.k === 'bin' && observe.op === '/' && observe.a.k === 'var' && states.includes(observe.a.name) && observe.b.k === 'var' && inputs.includes(observe.b.name)) return observe.b.name;
  return undefined;
}

/** The compiled expressions of a model over numbered slots: its inputs first, then its parameters in evaluation order. */
interface SlotLayout {
  /** Parameter names in evaluation order. */
  readonly order: readonly string[];
  readonly isParam: ReadonlySet<string>;
  /** Names the model reads that are not its parameters (sorted in `inputs`). */
  readonly inputsSet: ReadonlySet<string>;
  readonly inputs: readonly string[];
  readonly slots: ReadonlyMap<string, number>;
  readonly compiled: readonly CompiledParam[];
  readonly compiledSlots: readonly { readonly s: number; readonly f: Compiled }[];
  /** Every parameter in evaluation order, in one function. */
  readonly program: Program;
  readonly compiledExtra: ReadonlyMap<string, Compiled>;
  readonly scaleF: Compiled;
}

/** Checks a slot vector whose parameters are computed and fills the kernel set; the first problem found, if any. */
type KernelFill = (v: Float64Array, out: Float64Array, off: number, pinned?: readonly number[]) => ParameterProblem | undefined;

function assemble(spec: ModelSpec): Model {
  const { structure, nStates, theta, omega, iov, residual, outputs, observeCompartment, output, file } = spec;
  const layout = slotLayout(spec);
  const constantParameters = constantParametersOf(layout);
  const defaults = inputDefaults(spec, layout.inputs);
  const fill = kernelFill(spec, layout);
  const slotEvaluator = makeSlotEvaluator(spec, layout, defaults, fill);
  return Object.freeze({
    name: spec.name,
    theta,
    omega,
    iov,
    residual,
    outputs,
    slots: slotEvaluator,
    file,
    structure,
    nStates,
    stateNames: spec.stateNames,
    observeCompartment,
    output,
    solver: checkedSolver(spec.solver),
    timeVarying: spec.timeVarying,
    parameterNames: layout.order,
    inputs: layout.inputs,
    constantParameters,
    evaluate: recordEvaluator(spec, layout, defaults, slotEvaluator, fill),
    kernel: spec.kernel,
    parStride: parStride(structure),
  });
}

/** Evaluation order: topological over parameter → parameter dependencies (a cycle is refused). */
function evaluationOrder(asts: ReadonlyMap<string, Ast>, isParam: ReadonlySet<string>): string[] {
  const order: string[] = [];
  const state = new Map<string, 1 | 2>();
  const visit = (name: string, chain: string[]): void => {
    const s = state.get(name);
    if (s === 2) return;
    if (s === 1) throw Errors.model(`parameters.${name}`, `circular definition: ${[...chain, name].join(' → ')}`);
    state.set(name, 1);
    for (const d of identifiers(asts.get(name) as Ast)) if (isParam.has(d) && d !== name) visit(d, [...chain, name]);
    state.set(name, 2);
    order.push(name);
  };
  for (const p of asts.keys()) visit(p, []);
  return order;
}

/** Names read by the parameters, modifiers and scale that are not parameters (a parameter reading its own name reads the data item). */
function inputNames(spec: ModelSpec, isParam: ReadonlySet<string>): Set<string> {
  const inputsSet = new Set<string>();
  const scan = (a: Ast, self?: string): void => {
    for (const d of identifiers(a)) if (!isParam.has(d) || d === self) inputsSet.add(d);
  };
  for (const [n, a] of spec.asts) scan(a, n);
  for (const a of spec.extra.values()) scan(a);
  scan(spec.scaleAst);
  // a model text's equations may read a covariate, η or κ directly (d/dt(X) = -K*X*WT/70): the
  // kernel's parameter set carries it, so it is an input even where no per-record quantity reads
  // it (it had no slot and reached the kernel as NaN: if(WT > 100, …) took the else branch)
  if (spec.structure.kind === 'user') for (const n of spec.structural) if (!isParam.has(n)) inputsSet.add(n);
  return inputsSet;
}

function slotLayout(spec: ModelSpec): SlotLayout {
  const { asts } = spec;
  const isParam = new Set(asts.keys());
  const order = evaluationOrder(asts, isParam);
  const inputsSet = inputNames(spec, isParam);
  const inputs = [...inputsSet].sort();
  const slots = new Map<string, number>();
  const slotOf = (name: string): number => {
    let s = slots.get(name);
    if (s === undefined) {
      s = slots.size;
      slots.set(name, s);
    }
    return s;
  };
  for (const n of inputs) slotOf(n);
  for (const n of order) slotOf(n);
  const compiled: CompiledParam[] = order.map((name) => ({
    name,
    f: compileExpression(asts.get(name) as Ast, slotOf),
    deps: identifiers(asts.get(name) as Ast),
  }));
  const compiledExtra = new Map<string, Compiled>();
  for (const [k, a] of spec.extra) compiledExtra.set(k, compileExpression(a, slotOf));
  const scaleF = compileExpression(spec.scaleAst, slotOf);
  const compiledSlots = compiled.map((c) => ({ s: slots.get(c.name) as number, f: c.f }));
  const program = compileProgram(order.map((name) => ({ s: slots.get(name) as number, ast: asts.get(name) as Ast })), slotOf);
  return { order, isParam, inputsSet, inputs, slots, compiled, compiledSlots, program, compiledExtra, scaleF };
}

function constantParametersOf({ compiled, isParam }: SlotLayout): Set<string> {
  const constantParameters = new Set<string>();
  for (const c of compiled) {
    if ([...c.deps].every((d) => isParam.has(d) && d !== c.name && constantParameters.has(d))) constantParameters.add(c.name);
  }
  return constantParameters;
}

/** Default value of each input (NaN = none): covariate defaults, and 0 for random effects. */
function inputDefaults(spec: ModelSpec, inputs: readonly string[]): Float64Array {
  const covariateDefaults = new Map(spec.covariateDefaults);
  // random effects are 0 unless a caller samples or estimates them: plain simulation is typical
  for (const n of [...(spec.omega?.names ?? []), ...(spec.iov?.names ?? [])]) covariateDefaults.set(n, 0);
  // NONMEM reads a missing dose item as 0: a model reading AMT refused every level row written AMT "."
  for (const n of ['AMT', 'RATE', 'ADDL', 'II', 'SS']) if (!covariateDefaults.has(n)) covariateDefaults.set(n, 0);
  const defaults = new Float64Array(inputs.length).fill(NaN);
  inputs.forEach((n, i) => (defaults[i] = covariateDefaults.get(n) ?? NaN));
  return defaults;
}

/** The data items each structural parameter reads (through other parameters too), named when it is refused. */
function structuralReadsOf(spec: ModelSpec, layout: SlotLayout): Map<string, { d: string; s: number }[]> {
  const { asts } = spec;
  const readsOf = (name: string, seen = new Set<string>()): Set<string> => {
    const out = new Set<string>();
    for (const d of identifiers(asts.get(name) ?? { k: 'num', v: 0 })) {
      if (layout.inputsSet.has(d) && d !== name) out.add(d);
      else if (asts.has(d) && !seen.has(d)) for (const x of readsOf(d, seen.add(d))) out.add(x);
    }
    return out;
  };
  return new Map(spec.structural.map((name) => [name, [...readsOf(name, new Set([name]))].sort().map((d) => ({ d, s: layout.slots.get(d) as number }))]));
}

/**
 * A model text's refused per-record value, as `NaN, from B = -2` and its name with its place
 * (`LB (m.model:3:6)`): every name the expression reads, in reading order, θ and intermediates too
 * (a θ is where the user looks: LB = log(B) refused with B's value), an intermediate that is not a
 * number with its place. A model file names data items only (structuralReadsOf).
 */
function textReadsShown(spec: ModelSpec, layout: SlotLayout): ((a: Ast, v: Float64Array) => string[]) | undefined {
  const where = spec.where;
  if (!where) return undefined;
  return (a, v) => {
    const out: string[] = [];
    const seen = new Set<string>();
    const walk = (e: Ast): void => {
      for (const d of identifiers(e)) {
        const s = layout.slots.get(d);
        if (seen.has(d) || s === undefined) continue;
        seen.add(d);
        const x = v[s] as number;
        const at = where.parameters[d];
        out.push(`${d} = ${x}${at !== undefined && x - x !== 0 ? ` (${at})` : ''}`);
        const inner = layout.inputsSet.has(d) ? undefined : spec.asts.get(d);
        if (inner && inner.k !== 'num') walk(inner);
      }
    };
    walk(a);
    return out;
  };
}

/**
 * The checks between computing a record's parameters and filling its kernel set: inputs that must
 * be positive, structural parameters, the observation scale. Slots in `pinned` hold values given in
 * the data, which no expression produced.
 */
function kernelFill(spec: ModelSpec, layout: SlotLayout): KernelFill {
  const { structure, omega, iov, observeCompartment, output } = spec;
  const { slots, scaleF } = layout;
  const structuralSlots = spec.structural.map((name) => ({ name, s: slots.get(name) as number }));
  const check = parameterCheck(structure);
  // check's test per structural slot, made inline (check itself only words a refusal)
  const checkSlot = Int32Array.from(structuralSlots, (x) => x.s);
  const checkMode = Int32Array.from(structuralSlots, (x) => parameterCheckMode(structure, x.name));
  const fillSet = kernelFiller(structure, observeCompartment, output);
  // data items a parameter divides by, raises to a power or takes the log of: a value ≤ 0 there is
  // refused naming the item (random effects are not data: exp(η) is their usual place)
  const effects = new Set([...(omega?.names ?? []), ...(iov?.names ?? [])]);
  const positive = positiveInputs(spec.asts, new Set(layout.inputs.filter((n) => !effects.has(n)))).map((p) => ({ ...p, s: slots.get(p.input) as number, p: slots.get(p.parameter) as number }));
  // the same for a parameter given as such (a data column, --param): V2 = -20 under k21 = Q / V2
  const positivePinned = positiveInputs(spec.asts, new Set(spec.asts.keys()))
    .filter((p) => slots.has(p.input) && p.input !== p.parameter)
    .map((p) => ({ ...p, s: slots.get(p.input) as number, p: slots.get(p.parameter) as number }));
  const inputProblem = (v: Float64Array, pinned?: readonly number[]): ParameterProblem | undefined => {
    for (const q of positive) {
      const x = v[q.s] as number;
      if (x > 0 || pinned?.includes(q.p)) continue;
      // a power inside a sum: the value the parameter took decides (0^h is 0 and the sum finite)
      const p = v[q.p] as number;
      if (q.evaluate && p !== 0 && p - p === 0) continue;
      return { name: q.parameter, value: x, why: `its expression ${q.use} ${q.input}, so ${q.input} must be > 0 (a value ≤ 0 makes ${q.parameter} 0, infinite or NaN)`, got: `${q.input} = ${x}` };
    }
    if (pinned?.length) {
      for (const q of positivePinned) {
        const x = v[q.s] as number;
        if (x > 0 || !pinned.includes(q.s) || pinned.includes(q.p)) continue;
        return { name: q.input, value: x, why: `parameter ${q.parameter} ${q.use} it, so it must be > 0` };
      }
    }
    return undefined;
  };
  const structuralReads = structuralReadsOf(spec, layout);
  const textReads = textReadsShown(spec, layout);
  const structuralProblem = (name: string, v: Float64Array, why: string, pinned?: readonly number[]): ParameterProblem => {
    const s0 = slots.get(name) as number;
    const value = v[s0] as number;
    // a value given in the data (or as an override) comes from nothing else
    const given = pinned?.includes(s0) === true;
    const ast = spec.asts.get(name);
    const reads = given ? [] : textReads && ast ? textReads(ast, v) : (structuralReads.get(name) ?? []).map(({ d, s }) => `${d} = ${v[s] as number}`);
    const at = given ? undefined : spec.where?.parameters[name];
    return { name: at ? `${name} (${at})` : name, value, why, got: reads.length ? `${value}, from ${reads.join(', ')}` : undefined };
  };
  const slotIndex: Record<string, number> = Object.fromEntries(slots);
  // the kernel filler reads the slots of the vector being run through one reader made once (a
  // closure per call was garbage on every objective evaluation)
  let current: Float64Array = new Float64Array(0);
  const read = (n: string): number => current[slotIndex[n] as number] as number;
  return (v, out, off, pinned) => {
    const refused = inputProblem(v, pinned);
    if (refused) return refused;
    for (let j = 0; j < checkSlot.length; j++) {
      const x = v[checkSlot[j] as number] as number;
      const mode = checkMode[j] as number;
      if (x - x === 0 && (mode === 0 || (mode === 1 ? x > 0 : x >= 0))) continue;
      const { name } = structuralSlots[j] as { name: string };
      const why = check(name, x);
      if (why) return structuralProblem(name, v, why, pinned);
    }
    const scale = scaleF(v);
    if (!(Number.isFinite(scale) && scale > 0)) return { name: 'observe.scale', value: scale, why: 'must be a finite number > 0' };
    current = v;
    fillSet(read, scale, out, off);
    return undefined;
  };
}

/** Compartments c (0-based) with a scale parameter S<c+1>, and its slot. */
function scaleSlotsOf(spec: ModelSpec, slots: ReadonlyMap<string, number>): [number, number][] {
  const scaleSlots: [number, number][] = [];
  for (let c = 0; c < spec.nStates; c++) {
    const sl = slots.get(`S${c + 1}`);
    if (sl !== undefined && spec.asts.has(`S${c + 1}`)) scaleSlots.push([c, sl]);
  }
  return scaleSlots;
}

function makeSlotEvaluator(spec: ModelSpec, layout: SlotLayout, defaults: Float64Array, fill: KernelFill): SlotEvaluator {
  const { slots, compiledSlots, program } = layout;
  const scaleSlots = scaleSlotsOf(spec, slots);
  return {
    nSlots: slots.size,
    inputs: layout.inputs,
    defaults,
    slot: (name) => slots.get(name) ?? -1,
    run(v, out, off) {
      program(v);
      return fill(v, out, off);
    },
    runPinned(v, pinned, out, off) {
      for (const c of compiledSlots) if (!pinned.includes(c.s)) v[c.s] = c.f(v);
      return fill(v, out, off, pinned);
    },
    modifiers: modifiersOf(spec, layout, scaleSlots),
    modifiersDependOn: modifierDependence(spec, scaleSlots),
    engineDependsOn: engineDependence(spec, scaleSlots),
    structuralForm: (effects) => structuralFormOf(spec, slots, effects),
  };
}

/** SlotEvaluator.structuralForm (see there). */
function structuralFormOf(spec: ModelSpec, slots: ReadonlyMap<string, number>, effects: ReadonlySet<string>): StructuralForm | undefined {
  if (spec.structure.user) return undefined;
  const dep = dependence(spec.asts, effects);
  const free = (a: Ast): boolean => ![...identifiers(a)].some((d) => effects.has(d) || dep(d));
  const compile = (a: Ast): Compiled => compileExpression(a, (n) => slots.get(n) ?? -1);
  const effectOf = (e: Ast): string | undefined => (e.k === 'call' && e.fn === 'exp' && e.args.length === 1 && e.args[0]?.k === 'var' && effects.has(e.args[0].name) ? e.args[0].name : undefined);
  // exp(E), L·exp(E) or exp(E)·L: the effect and L
  const inner = (a: Ast): { effect: string; left?: Ast } | undefined => {
    const e = effectOf(a);
    if (e !== undefined) return { effect: e };
    if (a.k !== 'bin' || a.op !== '*') return undefined;
    const eb = effectOf(a.b);
    if (eb !== undefined && free(a.a)) return { effect: eb, left: a.a };
    const ea = effectOf(a.a);
    if (ea !== undefined && free(a.b)) return { effect: ea, left: a.b };
    return undefined;
  };
  const structural: { name: string; slot: number; effect: string | undefined; left?: Compiled; right?: Compiled }[] = [];
  for (const name of spec.structural) {
    const a = spec.asts.get(name);
    const slot = slots.get(name);
    if (!a || slot === undefined) return undefined;
    if (free(a)) {
      structural.push({ name, slot, effect: undefined });
      continue;
    }
    // (L·exp(E))·R, R·(L·exp(E)) (products commute exactly), or the inner form alone
    let f = inner(a);
    let right: Ast | undefined;
    if (!f && a.k === 'bin' && a.op === '*') {
      if (free(a.b)) {
        f = inner(a.a);
        right = a.b;
      }
      if (!f && free(a.a)) {
        f = inner(a.b);
        right = a.a;
      }
    }
    if (!f) return undefined;
    structural.push({ name, slot, effect: f.effect, left: f.left && compile(f.left), right: right && compile(right) });
  }
  const sc = spec.scaleAst;
  if (free(sc)) return { structural, scale: undefined };
  if (sc.k === 'var' && structural.some((x) => x.name === sc.name)) return { structural, scale: sc.name };
  return undefined;
}

/** Lag, F, rate, duration and scale per compartment from a slot vector whose parameters are computed. */
function modifiersOf(spec: ModelSpec, layout: SlotLayout, scaleSlots: readonly [number, number][]): SlotEvaluator['modifiers'] {
  const { nStates, observeCompartment } = spec;
  const { scaleF } = layout;
  const extras = [...layout.compiledExtra].map(([k, f]) => {
    const [what, cs] = k.split(':') as [string, string];
    return { what, c: Number(cs) - 1, f };
  });
  const nSwitches = extras.filter((x) => x.what === 'switch').length;
  // what each switch part reads, named with its value when it is refused
  const partReads = (spec.switchParts ?? []).map((_, k) => [...identifiers(spec.extra.get(`switchpart:${k + 1}`) as Ast)].sort().map((d) => ({ d, s: layout.slots.get(d) as number })));
  const textReads = textReadsShown(spec, layout);
  const initReads = new Map([...spec.extra].filter(([k]) => k.startsWith('init:')).map(([k, a]) => [Number(k.slice(5)) - 1, [...identifiers(a)].sort().map((d) => ({ d, s: layout.slots.get(d) as number }))] as const));
  return (v) => {
    const lag = new Float64Array(nStates);
    const F = new Float64Array(nStates).fill(1);
    const R = new Float64Array(nStates);
    const D = new Float64Array(nStates);
    const S = new Float64Array(nStates).fill(1);
    S[observeCompartment - 1] = scaleF(v);
    for (const [c, sl] of scaleSlots) {
      const x = v[sl] as number;
      if (!(Number.isFinite(x) && x > 0)) throw Errors.parameter(`S${c + 1}`, x, 'a compartment scale must be a finite number > 0');
      S[c] = x;
    }
    const switches = nSwitches > 0 ? new Float64Array(nSwitches) : undefined;
    for (const { what, c, f } of extras) {
      const x = f(v);
      if (what === 'switch') {
        (switches as Float64Array)[c] = x;
        continue;
      }
      if (what === 'init') {
        if (x - x === 0) continue;
        const reads = (initReads.get(c) ?? []).map(({ d, s }) => `${d} = ${v[s] as number}`);
        const at = spec.initWhere?.[c];
        throw Errors.parameter(`init(${spec.stateNames[c] ?? c + 1})${at ? ` (${at})` : ''}`, x, `must be a finite number (the initial amount of ${spec.stateNames[c] ?? `compartment ${c + 1}`})`, undefined, reads.length ? `${x}, from ${reads.join(', ')}` : undefined);
      }
      if (what === 'switchpart') {
        if (x - x === 0) continue;
        const info = spec.switchParts?.[c] as { where: string; comparison: string; part: string };
        const reads = (partReads[c] ?? []).map(({ d, s }) => `${d} = ${v[s] as number}`);
        throw Errors.parameter(
          `${info.part} (${info.where}, the time switch ${info.comparison})`,
          x,
          't is compared through it there, so it must be a finite number, as a parameter must: a division by zero turns the switch on or off for good',
          undefined,
          reads.length ? `${x}, from ${reads.join(', ')}` : undefined,
        );
      }
      if (!Number.isFinite(x) || x < 0) {
        // a model text's statement as written, with its place and the values it read
        const text = spec.where?.modifiers[`${what}:${c + 1}`];
        const reads = text && textReads ? textReads(spec.extra.get(`${what}:${c + 1}`) as Ast, v) : [];
        throw Errors.parameter(text ? `${text.shown} (${text.where})` : `${what} of compartment ${c + 1}`, x, 'must be a finite number ≥ 0', undefined, reads.length ? `${x}, from ${reads.join(', ')}` : undefined);
      }
      if (what === 'lag') lag[c] = x;
      else if (what === 'bioavailability') F[c] = x;
      else if (what === 'rate') R[c] = x;
      else D[c] = x;
    }
    return switches ? { lag, F, R, D, S, switches } : { lag, F, R, D, S };
  };
}

/**
 * Whether a name's value depends on any of `names`, through the parameters it reads (transitive);
 * a `pinned` parameter (a value given for it) reads nothing.
 */
function dependence(asts: ReadonlyMap<string, Ast>, names: ReadonlySet<string>, pinned?: ReadonlySet<string>): (n: string) => boolean {
  const dependsOn = new Map<string, boolean>();
  const dep = (n: string): boolean => {
    if (names.has(n)) return true;
    if (pinned?.has(n)) return false;
    const known = dependsOn.get(n);
    if (known !== undefined) return known;
    dependsOn.set(n, false);
    const a = asts.get(n);
    const r = a ? [...identifiers(a)].some((d) => d !== n && dep(d)) : false;
    dependsOn.set(n, r);
    return r;
  };
  return dep;
}

function modifierDependence(spec: ModelSpec, scaleSlots: readonly [number, number][]): (names: ReadonlySet<string>, kinds?: ReadonlySet<string>, pinned?: ReadonlySet<string>) => boolean {
  // a model text's init() entries are checked per record there (modifiersOf), not dose modifiers: the
  // kernel reads init through its inputs, so they make no event table depend on what they read
  const extra = new Map([...spec.extra].filter(([k]) => !k.startsWith('init:')));
  const { asts } = spec;
  return (names, kinds, pinned) => {
    // transitive: a modifier reading a parameter that reads an η depends on that η
    const dep = dependence(asts, names, pinned);
    // the scales S<n> of other-compartment observations travel with the modifiers too
    // a kind names every compartment's modifier ('bioavailability') or one compartment's ('bioavailability:1')
    if (kinds) return [...extra].some(([k, a]) => (kinds.has(k.split(':')[0] as string) || kinds.has(k)) && [...identifiers(a)].some(dep));
    return [...extra.values()].some((a) => [...identifiers(a)].some(dep)) || scaleSlots.some(([c]) => dep(`S${c + 1}`));
  };
}

function engineDependence(spec: ModelSpec, scaleSlots: readonly [number, number][]): SlotEvaluator['engineDependsOn'] {
  const modifiers = modifierDependence(spec, scaleSlots);
  return (names, pinned) => {
    const dep = dependence(spec.asts, names, pinned);
    return spec.structural.some(dep) || [...identifiers(spec.scaleAst)].some(dep) || modifiers(names, undefined, pinned);
  };
}

/** Model.evaluate: one record's data items (and overrides) → kernel set, named values and modifiers. */
function recordEvaluator(spec: ModelSpec, layout: SlotLayout, defaults: Float64Array, slotEvaluator: SlotEvaluator, fill: KernelFill): Model['evaluate'] {
  const { slots, compiled, compiledSlots, inputs } = layout;
  const stride = parStride(spec.structure);

  /** run() with some slots held at given values (data items overriding parameters). */
  const runPinned = (v: Float64Array, pinned: number[], out: Float64Array): ParameterProblem | undefined => {
    const keep = pinned.map((s) => v[s] as number);
    for (const c of compiledSlots) {
      const i = pinned.indexOf(c.s);
      v[c.s] = i >= 0 ? (keep[i] as number) : c.f(v);
    }
    return fill(v, out, 0, pinned);
  };

  const readsDose = inputs.includes('AMT') || inputs.includes('RATE');
  return (items, overrides, row) => {
    const v = new Float64Array(slots.size);
    inputs.forEach((name, i) => {
      let x: number | undefined = overrides?.[name] ?? items[name];
      // text, null or true was converted by the Float64Array ('55' → 55, '' → 0): refused (item-values.ts)
      if (x !== undefined && typeof x !== 'number') throw row === undefined ? Errors.parameter(name, x, itemValueWhy(name, x)) : Errors.record(row, name, x, itemValueWhy(name, x));
      if (x === undefined || Number.isNaN(x)) x = defaults[i];
      if (x === undefined || Number.isNaN(x))
        throw Errors.parameter(name, x, `model ${spec.name} reads this data item and gives it no default, but the record has none: give it on every record (NONMEM reads a blank as 0)`, row, 'blank');
      v[slots.get(name) as number] = x;
    });
    // data items (and overrides) named like a parameter replace its expression
    const replaced = compiled.filter((c) => {
      const x = overrides?.[c.name] ?? items[c.name];
      if (x !== undefined && typeof x !== 'number') throw row === undefined ? Errors.parameter(c.name, x, itemValueWhy(c.name, x)) : Errors.record(row, c.name, x, itemValueWhy(c.name, x));
      return x !== undefined && !Number.isNaN(x);
    });
    const kernel = new Float64Array(stride);
    let bad: ParameterProblem | undefined;
    if (replaced.length === 0) bad = slotEvaluator.run(v, kernel, 0);
    else {
      for (const c of compiled) {
        const x = overrides?.[c.name] ?? items[c.name];
        v[slots.get(c.name) as number] = x !== undefined && !Number.isNaN(x) ? x : c.f(v);
      }
      const frozen = Float64Array.from(v);
      // run() recomputes every parameter; put the replaced values back by pinning their expressions
      bad = runPinned(frozen, replaced.map((c) => slots.get(c.name) as number), kernel);
    }
    if (bad) throw Errors.parameter(bad.name, bad.value, bad.why, row, bad.got);
    const values: Record<string, number> = {};
    for (const [name, s] of slots) values[name] = v[s] as number;
    let mods: Modifiers;
    try {
      mods = slotEvaluator.modifiers(v);
    } catch (e) {
      if (e instanceof Error && row !== undefined) e.message = `row ${row}, ${e.message}`;
      throw e;
    }
    return readsDose ? { kernel, values, ...mods, dosesOwnModifiers: true } : { kernel, values, ...mods };
  };
}

function randomEffects(r: NonNullable<ModelFile['omega']>, path: string): RandomEffects {
  const n = r.etas.length;
  // a name given twice took the last one's variance (ETA_CL 0.25 for the 0.09 written first)
  r.etas.forEach((e, i) => {
    if (r.etas.indexOf(e) !== i) throw Errors.model(`${path}.etas.${i}`, `${e} is given twice (also ${path}.etas.${r.etas.indexOf(e)}): each random effect is named once`, e);
  });
  const m: number[][] = r.matrix
    ? r.matrix.map((row) => [...row])
    : (r.diagonal as number[]).map((d, i) => Array.from({ length: n }, (_, j) => (i === j ? d : 0)));
  if (m.length !== n || m.some((row) => row.length !== n))
    throw Errors.model(`${path}.${r.matrix ? 'matrix' : 'diagonal'}`, `must be ${n}×${n} for ${n} random effects`);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const a = (m[i] as number[])[j] as number;
      const b = (m[j] as number[])[i] as number;
      if (!Number.isFinite(a)) throw Errors.model(`${path}.matrix.${i}.${j}`, 'must be a finite number', a);
      if (Math.abs(a - b) > 1e-12 * Math.max(1, Math.abs(a))) throw Errors.model(`${path}.matrix.${i}.${j}`, 'the matrix must be symmetric', a);
    }
  const chol = cholesky(m);
  if (!chol) throw Errors.model(`${path}.matrix`, 'must be positive semi-definite (a covariance matrix)');
  return Object.freeze({ names: [...r.etas], matrix: m, chol, occasion: r.occasion });
}

/** Lower Cholesky factor of a PSD matrix; zero-variance rows stay zero (fixed effects). */
export function cholesky(a: readonly (readonly number[])[]): number[][] | undefined {
  const n = a.length;
  const flat = a.flat();
  const l = choleskyFactor(flat, n, covarianceRule(flat, n));
  if (!(l instanceof Float64Array)) return undefined;
  return Array.from({ length: n }, (_, i) => Array.from(l.subarray(i * n, i * n + n)));
}

function residualOf(r: NonNullable<ModelFile['residual']>, path = 'residual'): Residual {
  const need: Record<Residual['model'], (keyof typeof r)[]> = {
    additive: ['additive'],
    proportional: ['proportional'],
    combined: ['additive', 'proportional'],
    combined1: ['additive', 'proportional'],
    exponential: ['exponential'],
  };
  for (const k of need[r.model]) if (r[k] === undefined) throw Errors.model(`${path}.${String(k)}`, `required by the ${r.model} error model (a standard deviation)`);
  // the model decides which terms count: `additive` with a proportional SD beside it ran as additive
  // alone (an SD of 0.5 where √(0.5² + (0.2·f)²) was meant), as silently as a term left out was refused
  for (const k of ['additive', 'proportional', 'exponential'] as const)
    if (!need[r.model].includes(k) && r[k] !== undefined && r[k] !== 0)
      throw Errors.model(`${path}.${k}`, `the ${r.model} error model has no ${k} term (${need[r.model].join(' and ')} only): for both an additive and a proportional SD, give model combined`, r[k]);
  // a proportional (or log-scale) SD is a fraction: "proportional": 20 meant 20 % and ran as an SD of
  // 2000 %, every level weighed as noise. Above 2 (200 %) no assay or model error is meant
  for (const k of ['proportional', 'exponential'] as const) {
    const v = r[k];
    if (v !== undefined && v > 2) throw Errors.model(`${path}.${k}`, `${k === 'exponential' ? 'an' : 'a'} ${k} error is a standard deviation as a fraction (0.2 for 20 %); ${v} would be ${v * 100} %: a percentage? give ${v / 100}`, v);
  }
  return Object.freeze({ model: r.model, additive: r.additive ?? 0, proportional: r.proportional ?? 0, exponential: r.exponential ?? 0 });
}

/** Two expressions alike but for spacing (their positions in the source). */
function sameExpression(a: Ast, b: Ast): boolean {
  const bare = (x: Ast): string => JSON.stringify(x, (k, v: unknown) => (k === 'at' ? undefined : v));
  return bare(a) === bare(b);
}

/**
 * The unit a unit field reads as: the whole text, else its longest leading run of words that reads
 * as a unit, notes dropped ("ng/mL (dose in mg)", "ug/L plasma" are ng/mL and ug/L); else the text.
 */
function leadingUnit(text: string): string {
  if (isCovariateUnit(text)) return text;
  const words = text
    .replace(/\([^)]*\)/g, ' ')
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  for (let n = words.length; n > 0; n--) {
    const u = words.slice(0, n).join(' ');
    if (isCovariateUnit(u)) return u;
  }
  return text;
}

const fmt = (x: number): string => String(Number(x.toPrecision(6)));

/**
 * A residual error's `unit` against the unit of the levels it describes (observe.unit for the
 * model's residual, outputs.<DVID>.unit for an output's): compared, never converted. It was
 * accepted and never read: an additive SD of 50 "ng/mL" on a metabolite in mg/L ran as 50 mg/L
 * (η_CL 0.0079, OFV 36.75, for 0.357 and 2.77 with 0.05 mg/L). The unit is the additive SD's and
 * the levels'; a proportional SD is a fraction, and an exponential one is on the log scale, where
 * a concentration unit means nothing ("log" or none). Without an output unit there is nothing to
 * compare with.
 */
function checkResidualUnit(r: NonNullable<ModelFile['residual']>, path: string, outputUnit: string | undefined, outputPath: string): void {
  const unit = r.unit?.trim();
  if (unit === undefined || unit === '') return;
  const at = `${path}.unit`;
  if (r.model === 'exponential') {
    if (unit.toLowerCase() === 'log') return;
    throw Errors.model(at, `an exponential error's SD (${r.exponential ?? 0}) is on the log scale, a fraction of the level, where a unit of the level means nothing: remove the unit (or write "log")`, r.unit);
  }
  const written = outputUnit?.trim();
  if (written === undefined || written === '') return;
  const levels = leadingUnit(written);
  const cmp = compareUnits(unit, levels);
  if (cmp.same) return;
  const theirs = `its levels are in ${levels} (${outputPath}${levels !== written ? ` ${JSON.stringify(written)}` : ''})`;
  const additive = r.model !== 'proportional' && r.additive !== undefined && r.additive > 0 ? r.additive : undefined;
  if (cmp.factor !== undefined) {
    const why =
      additive !== undefined
        ? `the additive SD is given in ${unit} and ${theirs}: ${fmt(additive)} ${unit} is ${fmt(additive * cmp.factor)} ${levels} (1 ${unit} = ${cmp.factor} ${levels}): give additive ${fmt(additive * cmp.factor)} with unit "${levels}"; dosewise does not convert units`
        : `a residual in ${unit} but ${theirs} (1 ${unit} = ${cmp.factor} ${levels}): make the two units one (a proportional SD is a fraction of the level, the same in either); dosewise does not convert units`;
    throw Errors.model(at, why, r.unit);
  }
  const unread = [unit, levels].filter((u) => !isCovariateUnit(u));
  throw Errors.model(
    at,
    unread.length === 0
      ? `a residual in ${unit} but ${theirs}, a unit of another kind: give the residual in ${levels}`
      : `a residual in ${unit} but ${theirs}, and dosewise cannot read ${unread.map((u) => JSON.stringify(u)).join(' or ')} as a unit to compare the two: give the residual in ${levels} as written there, or no unit`,
    r.unit,
  );
}

/** The outputs of a model file, checked: compartments within the model, one output per compartment, residual units against the output's. */
function outputsOf(file: NonNullable<ModelFile['outputs']>, observed: number, nStates: number, observeUnit?: string): ReadonlyMap<number, Output> {
  const out = new Map<number, Output>();
  const byCmt = new Map<number, number>();
  for (const [key, o] of Object.entries(file)) {
    const dvid = Number(key);
    const compartment = o.compartment ?? observed;
    if (compartment > nStates) throw Errors.model(`outputs.${key}.compartment`, `the model has ${nStates} compartments`, compartment);
    const other = byCmt.get(compartment);
    if (other !== undefined) throw Errors.model(`outputs.${key}.compartment`, `outputs ${other} and ${dvid} measure the same compartment: one output per compartment`, compartment);
    byCmt.set(compartment, dvid);
    const residual = residualOf(o.residual, `outputs.${key}.residual`);
    // an output without a unit of its own that measures the observed compartment is in observe's
    const [unit, unitPath] = o.unit !== undefined || compartment !== observed ? [o.unit, `outputs.${key}.unit`] : [observeUnit, 'observe.unit'];
    checkResidualUnit(o.residual, `outputs.${key}.residual`, unit, unitPath);
    out.set(dvid, Object.freeze({ dvid, name: o.name ?? `output ${dvid}`, compartment, residual, unit: o.unit }));
  }
  return out;
}

/** A model's own tolerances (JSON `solver`, a text's solver line) by the rule the options follow: `rtol 5` ran with exit 0. */
function checkedSolver(solver: Model['solver']): Model['solver'] {
  for (const which of ['rtol', 'atol'] as const) {
    const why = toleranceProblem(which, solver[which]);
    if (why !== undefined) throw Errors.model(`solver.${which}`, why, solver[which]);
  }
  return solver;
}

/**
 * A model from a built-in structure name: the parameters given replace the built-in's defaults, and
 * those not given keep them (as `--model NAME --param X=…` does on the command line; defineModel()
 * of a model file requires every parameter instead). A name the structure lacks is refused.
 */
export function builtinModel(name: string, parameters: Readonly<Record<string, number>> = {}): Model {
  if (typeof name !== 'string') throw Errors.model('structure', `builtinModel(name, parameters): the name is a string (known: ${Object.keys(BUILTIN_STRUCTURES).join(', ')})`, name);
  if (!isPlainObject(parameters)) throw Errors.model('parameters', 'builtinModel(name, parameters): the parameters are a plain object of NAME: number (not a Map or an array)', Array.isArray(parameters) ? 'an array' : parameters);
  const st = BUILTIN_STRUCTURES[name.toLowerCase()];
  // a published model's name (vancomycin_goti_2018) got the structure list alone, with no word of the library
  if (!st) throw Errors.model('structure', `unknown built-in model (known: ${Object.keys(BUILTIN_STRUCTURES).join(', ')}); a published model of the package's library loads with libraryModel(name) from 'dosewise' (Node)`, name);
  // a misspelt name (CLX, cl) ran on the default value of the parameter it meant, without a word
  const defaults = defaultParameters(st);
  for (const k of Object.keys(parameters))
    if (!Object.hasOwn(defaults, k)) throw Errors.model(`parameters.${k}`, `not a parameter of ${name} (its parameters: ${Object.keys(defaults).join(', ')})`, parameters[k]);
  // a parameter set to undefined is one not given ({ CL: 5, V: undefined } was refused): it keeps its default
  const given = Object.fromEntries(Object.entries(parameters).filter(([, v]) => v !== undefined));
  return defineModel({ dosewise: 1, name, structure: name.toLowerCase(), parameters: { ...defaults, ...given } });
}
