// A model as the engine uses it: the model file parsed once, its expressions compiled, the
// evaluation order of parameters fixed, and a function that turns one record's data items into the
// kernel's parameter set and the per-compartment dose modifiers (lag, F, rate, duration).

import { Errors } from '../errors.js';
import { PAR_STRIDE } from '../abi.js';
import { type Ast, type Compiled, compileExpression, identifiers, parseExpression } from './expression.js';
import { type ModelFile, parseModelFile } from './schema.js';
import {
  BUILTIN_STRUCTURES,
  type OutputKind,
  type Structure,
  centralCompartment,
  checkParameter,
  defaultOutput,
  fillKernel,
  stateCount,
  stateNames,
  structuralParameters,
} from './structure.js';

export type SolverMethod = 'auto' | 'analytic' | 'dopri5' | 'rosenbrock';

export interface Modifiers {
  /** Per compartment (0-based index): lag time, bioavailability, modelled rate, modelled duration. */
  readonly lag: Float64Array;
  readonly F: Float64Array;
  readonly R: Float64Array;
  readonly D: Float64Array;
}

export interface Evaluation extends Modifiers {
  /** Kernel parameter set, PAR_STRIDE doubles. */
  readonly kernel: Float64Array;
  /** Every named value (parameters, data items, covariates) by name. */
  readonly values: Readonly<Record<string, number>>;
}

export interface Model {
  readonly name: string;
  readonly file: ModelFile;
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
}

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
  if (s.kind !== 'linear' && s.kind !== 'effect' && compartments !== 1)
    throw Errors.model('structure.compartments', `${s.kind} models have one compartment`, compartments);
  return Object.freeze({
    kind: s.kind,
    compartments,
    depot: s.depot ?? false,
    parameterization: s.parameterization ?? 'clearance',
  });
}

/** Parses (if needed), validates and compiles a model file. */
export function defineModel(input: unknown): Model {
  const file = parseModelFile(input);
  const structure = resolveStructure(file.structure);
  const nStates = stateCount(structure);
  const { required, optional } = structuralParameters(structure);

  const asts = new Map<string, Ast>();
  for (const [name, p] of Object.entries(file.parameters)) {
    const path = `parameters.${name}`;
    if (typeof p === 'number' || typeof p === 'string') asts.set(name, asExpression(p, path));
    else if (p.expr !== undefined && p.value !== undefined) throw Errors.model(path, 'give either value or expr, not both');
    else if (p.expr !== undefined) asts.set(name, parseExpression(p.expr, `${path}.expr`));
    else if (p.value !== undefined) asts.set(name, { k: 'num', v: p.value });
    else throw Errors.model(path, 'needs a value or an expr');
  }
  for (const [name, v] of Object.entries(optional)) if (!asts.has(name)) asts.set(name, { k: 'num', v });
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
  const output = file.observe?.output ?? defaultOutput(structure);
  const scaleAst: Ast =
    file.observe?.scale !== undefined
      ? asExpression(file.observe.scale, 'observe.scale')
      : structure.kind === 'claret' || !asts.has('V')
        ? { k: 'num', v: 1 }
        : { k: 'var', name: 'V' };

  // evaluation order: topological over parameter → parameter dependencies
  const params = [...asts.keys()];
  const isParam = new Set(params);
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
  for (const p of params) visit(p, []);

  const inputsSet = new Set<string>();
  const scan = (a: Ast, self?: string): void => {
    for (const d of identifiers(a)) if (!isParam.has(d) || d === self) inputsSet.add(d);
  };
  for (const [n, a] of asts) scan(a, n);
  for (const a of extra.values()) scan(a);
  scan(scaleAst);
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
  for (const [k, a] of extra) compiledExtra.set(k, compileExpression(a, slotOf));
  const scaleF = compileExpression(scaleAst, slotOf);

  const constantParameters = new Set<string>();
  for (const c of compiled) {
    if ([...c.deps].every((d) => isParam.has(d) && d !== c.name && constantParameters.has(d))) constantParameters.add(c.name);
  }

  const covariateDefaults = new Map<string, number>();
  for (const [k, c] of Object.entries(file.covariates ?? {})) if (c.default !== undefined) covariateDefaults.set(k, c.default);
  const nSlots = slots.size;
  const structural = [...required, ...Object.keys(optional)];

  const evaluate = (items: Readonly<Record<string, number>>, overrides?: Readonly<Record<string, number>>, row?: number): Evaluation => {
    const v = new Float64Array(nSlots);
    for (const name of inputs) {
      let x: number | undefined = overrides?.[name] ?? items[name];
      if (x === undefined || Number.isNaN(x)) x = covariateDefaults.get(name);
      if (x === undefined || Number.isNaN(x))
        throw Errors.parameter(name, x ?? 'missing', 'the model reads this data item, but the record has no value and the model gives no default', row);
      v[slots.get(name) as number] = x;
    }
    for (const c of compiled) {
      const fromData = overrides?.[c.name] ?? items[c.name];
      v[slots.get(c.name) as number] = fromData !== undefined && !Number.isNaN(fromData) ? fromData : c.f(v);
    }
    const values: Record<string, number> = {};
    for (const [name, s] of slots) values[name] = v[s] as number;
    for (const name of structural) {
      const why = checkParameter(name, values[name] as number);
      if (why) throw Errors.parameter(name, values[name], why, row);
    }
    const lag = new Float64Array(nStates);
    const F = new Float64Array(nStates).fill(1);
    const R = new Float64Array(nStates);
    const D = new Float64Array(nStates);
    for (const [k, f] of compiledExtra) {
      const [what, cs] = k.split(':') as [string, string];
      const c = Number(cs) - 1;
      const x = f(v);
      if (!Number.isFinite(x) || x < 0) throw Errors.parameter(`${what} of compartment ${c + 1}`, x, 'must be a finite number ≥ 0', row);
      if (what === 'lag') lag[c] = x;
      else if (what === 'bioavailability') F[c] = x;
      else if (what === 'rate') R[c] = x;
      else D[c] = x;
    }
    const scale = scaleF(v);
    if (!(Number.isFinite(scale) && scale > 0)) throw Errors.parameter('observe.scale', scale, 'must be a finite number > 0', row);
    const kernel = new Float64Array(PAR_STRIDE);
    fillKernel(structure, (n) => values[n] as number, observeCompartment, output, scale, kernel, 0);
    return { kernel, values, lag, F, R, D };
  };

  const method = file.solver?.method ?? 'auto';
  if (method === 'analytic' && structure.kind !== 'linear')
    throw Errors.model('solver.method', `analytic solutions exist only for linear models, not ${structure.kind}`, method);

  return Object.freeze({
    name: file.name,
    file,
    structure,
    nStates,
    stateNames: stateNames(structure),
    observeCompartment,
    output,
    solver: Object.freeze({ method, rtol: file.solver?.rtol ?? 1e-8, atol: file.solver?.atol ?? 1e-10 }),
    timeVarying: file.time_varying ?? 'nocb',
    parameterNames: order,
    inputs,
    constantParameters,
    evaluate,
  });
}

/** A model from a built-in structure name with default parameter values (override with --param). */
export function builtinModel(name: string, parameters: Readonly<Record<string, number>> = {}): Model {
  const st = BUILTIN_STRUCTURES[name.toLowerCase()];
  if (!st) throw Errors.model('structure', `unknown built-in model (known: ${Object.keys(BUILTIN_STRUCTURES).join(', ')})`, name);
  return defineModel({ dosewise: 1, name, structure: name.toLowerCase(), parameters: { ...defaultParameters(st), ...parameters } });
}

/** Illustrative defaults so a built-in structure runs as named; every value can be overridden. */
function defaultParameters(st: Structure): Record<string, number> {
  const { required, optional } = structuralParameters(st);
  const base: Record<string, number> = {
    CL: 5, V: 50, Q: 6, V2: 50, Q3: 1, V3: 100, KA: 1.2, K: 0.1, K12: 0.1, K21: 0.05, K13: 0.02, K31: 0.01,
    VMAX: 50, KM: 2, KEL: 0.1, KON: 0.5, KOFF: 0.05, KINT: 0.2, KSYN: 1, KDEG: 0.25, KSS: 0.6,
    KE0: 0.7, E0: 10, EMAX: 80, EC50: 2, GAMMA: 1, BASE: 70, KG: 0.6, KS0: 0.4, DOSE: 10,
  };
  if (st.kind === 'tmdd' || st.kind === 'tmdd-qss') base.V = 3;
  if (st.kind === 'claret') base.GAMMA = 0.8;
  const out: Record<string, number> = {};
  for (const n of [...required, ...Object.keys(optional)]) out[n] = base[n] ?? optional[n] ?? 1;
  return out;
}
