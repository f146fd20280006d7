// First phase of the analysis of a model text: the declarations (theta, covariate, eta, omega
// block, iov, residual, compartment, solver, records, model name). They are visible everywhere, so
// they are read in one pass over all statements before any definition is checked.

import { type Ast, FUNCTION_NAMES, forEachVariable } from '../expression.js';
import type { SourceText } from './lexer.js';
import { KEYWORDS, type Name, type Stmt } from './parser.js';
import { constantValue } from './derive.js';
import { STANDARD_COLUMNS } from '../standard-columns.js';
import { choleskyFactor, covarianceRule } from '../../stats/cholesky.js';
import type { TextModel } from './analyse.js';

export type Level = 'input' | 'record' | 'state' | 'time' | 'kernel';

/** Errors at source positions, and the checks every phase shares. */
export class Checker {
  constructor(readonly src: SourceText) {}

  fail(at: number, why: string): never {
    return this.src.fail(at, why);
  }

  lineOf(at: number): number {
    return this.src.position(at).line;
  }

  /** A statement the text may give once, given again at `at` (first at `prior`): refused here. */
  once(prior: number | undefined, at: number, what: string): void {
    if (prior !== undefined) this.fail(at, `${what} is given twice (first on line ${this.lineOf(prior)})`);
  }

  /** A division by the constant 0 is refused where it is written, not met as ∞ at run time. */
  checkDivisions(a: Ast): void {
    constantValue(a, (node, den) => {
      if (den === 0) this.fail(node.at ?? 0, 'division by zero: the divisor is the constant 0');
    });
  }

  /** The value of an expression that must be constant (a theta, a variance, a solver option). */
  constant(a: Ast, at: number, what: string, check?: (v: number) => string | undefined): number {
    this.checkDivisions(a);
    const v = constantValue(a);
    if (v === undefined || !Number.isFinite(v)) return this.fail(at, `${what} must be a number (a constant expression)`);
    const why = check?.(v);
    if (why) this.fail(at, `${what} ${why} (got ${v})`);
    return v;
  }
}

/** The names an expression reads, with their source positions. */
export function varsOf(a: Ast): { name: string; at: number }[] {
  const out: { name: string; at: number }[] = [];
  forEachVariable(a, (v) => out.push({ name: v.name, at: v.at ?? -1 }));
  return out;
}

export interface Declarations {
  readonly declared: Map<string, { level: Level; at: number; what: string }>;
  name?: string;
  readonly theta: Record<string, number>;
  readonly covariates: Record<string, { default?: number }>;
  readonly etaNames: string[];
  readonly diag: Map<string, number>;
  readonly blocks: { ids: readonly Name[]; values: number[]; at: number }[];
  readonly iovNames: string[];
  readonly iovVar: number[];
  occasion?: Name;
  residual?: TextModel['residual'];
  residualAt: number;
  /** `residual(DVID) ...`: the residual error of each output, and where it is given. */
  readonly outputResiduals: Map<number, { residual: NonNullable<TextModel['residual']>; at: number }>;
  /** Compartment names in CMT order, and where each is declared. */
  readonly states: string[];
  readonly stateAt: Map<string, number>;
  solver: TextModel['solver'];
  records: 'nocb' | 'locf';
  /** Where the records line is (undefined: the default, NOCB). */
  recordsAt?: number;
}

const variance = (v: number): string | undefined => (v >= 0 ? undefined : 'must be ≥ 0');

/** Every declaration of the text, checked: each name declared once, constants constant. */
export function readDeclarations(ck: Checker, stmts: readonly Stmt[]): Declarations {
  const d: Declarations = {
    declared: new Map(),
    theta: {},
    covariates: {},
    etaNames: [],
    diag: new Map(),
    blocks: [],
    iovNames: [],
    iovVar: [],
    residualAt: -1,
    outputResiduals: new Map(),
    states: [],
    stateAt: new Map(),
    solver: { method: 'auto' },
    records: 'nocb',
  };
  for (const s of stmts) declareStatement(ck, d, s);
  const occasion = d.occasion;
  // the occasion column declared as a covariate is read in expressions (an occasion effect on CL), as in model files
  if (occasion && d.declared.has(occasion.name) && d.declared.get(occasion.name)?.what !== 'covariate') ck.fail(occasion.at, `the occasion column ${occasion.name} is also declared as a ${d.declared.get(occasion.name)?.what}`);
  if (d.states.length === 0) ck.fail(ck.src.text.length, 'no compartments: declare them with compartment NAME, NAME, ...');
  return d;
}

/**
 * Why a name of the data set's standard columns cannot name something of the model: a data item of
 * a parameter's or θ's name replaces its value (the documented override), so a θ named DV would take
 * each record's measured level. A covariate may read the record time TIME; no other column.
 */
export function standardColumnClash(name: string, what: string): string | undefined {
  const up = name.toUpperCase();
  if (!(STANDARD_COLUMNS as readonly string[]).includes(up) || (what === 'covariate' && up === 'TIME')) return undefined;
  return `${name} is a standard column of the data set (${STANDARD_COLUMNS.join(' ')}) and cannot name a ${what}: the column's value on each record would replace it`;
}

function declare(ck: Checker, d: Declarations, id: Name, level: Level, what: string): void {
  if (FUNCTION_NAMES.includes(id.name)) ck.fail(id.at, `${id.name} is a function name and cannot name a ${what}`);
  if (id.name === 't') ck.fail(id.at, 't is the model time and cannot name a ' + what);
  // as an assignment's name is (residual = 2): compartment A, theta with d/dt(theta) ran, and read as two declarations
  if (KEYWORDS.has(id.name)) ck.fail(id.at, `${id.name} is a keyword and cannot name a ${what}`);
  const clash = standardColumnClash(id.name, what);
  if (clash) ck.fail(id.at, clash);
  const prior = d.declared.get(id.name);
  if (prior) ck.fail(id.at, `${id.name} is already declared as a ${prior.what} on line ${ck.lineOf(prior.at)}`);
  d.declared.set(id.name, { level, at: id.at, what });
}

function declareStatement(ck: Checker, d: Declarations, s: Stmt): void {
  switch (s.k) {
    case 'model':
      if (d.name !== undefined) ck.fail(s.at, 'the model is named twice');
      d.name = s.name;
      break;
    case 'theta':
      declare(ck, d, s.id, 'input', 'theta');
      d.theta[s.id.name] = ck.constant(s.value, s.id.at, `theta ${s.id.name}`);
      break;
    case 'covariate':
      declare(ck, d, s.id, 'input', 'covariate');
      d.covariates[s.id.name] = s.value === undefined ? {} : { default: ck.constant(s.value, s.id.at, `the default of covariate ${s.id.name}`) };
      break;
    case 'eta':
      declare(ck, d, s.id, 'input', 'random effect');
      d.etaNames.push(s.id.name);
      d.diag.set(s.id.name, ck.constant(s.variance, s.id.at, `the variance of ${s.id.name}`, variance));
      break;
    case 'block':
      declareBlock(ck, d, s);
      break;
    case 'iov':
      declareIov(ck, d, s);
      break;
    case 'residual':
      declareResidual(ck, d, s);
      break;
    case 'compartment':
      for (const id of s.ids) {
        declare(ck, d, id, 'state', 'compartment');
        d.states.push(id.name);
        d.stateAt.set(id.name, id.at);
      }
      break;
    // a second solver or records line overrode the first in silence (dopri5 then dopri5 rtol = 1e-3
    // ran at 1e-3; locf then nocb ran NOCB), where every other repeated statement is refused
    case 'solver': {
      ck.once(d.solver.at, s.at, 'the solver');
      const o: Record<string, number> = {};
      for (const [k, v] of s.options) o[k] = ck.constant(v, s.at, `solver ${k}`, (x) => (x > 0 ? undefined : 'must be > 0'));
      d.solver = { method: s.method, ...o, at: s.at };
      break;
    }
    case 'records':
      ck.once(d.recordsAt, s.at, 'the records rule (nocb or locf)');
      d.records = s.rule;
      d.recordsAt = s.at;
      break;
    default:
      break;
  }
}

function declareBlock(ck: Checker, d: Declarations, s: Extract<Stmt, { k: 'block' }>): void {
  const k = s.ids.length;
  if (s.values.length !== (k * (k + 1)) / 2)
    ck.fail(s.at, `omega block of ${k} random effects needs ${(k * (k + 1)) / 2} values (the lower triangle, row by row), got ${s.values.length}`);
  for (const id of s.ids) {
    declare(ck, d, id, 'input', 'random effect');
    d.etaNames.push(id.name);
  }
  const values = s.values.map((v) => ck.constant(v, s.at, 'an omega block entry'));
  // refused here, where the text says it, rather than as the model's omega.matrix with no place
  const full = new Float64Array(k * k);
  for (let i = 0, q = 0; i < k; i++)
    for (let j = 0; j <= i; j++, q++) full[i * k + j] = full[j * k + i] = values[q] as number;
  if (values.every(Number.isFinite) && !(choleskyFactor(full, k, covarianceRule(full, k)) instanceof Float64Array))
    ck.fail(s.at, `omega block(${s.ids.map((id) => id.name).join(', ')}) is not a covariance matrix (not positive semi-definite: a negative variance, or covariances no set of random effects can have)`);
  d.blocks.push({ ids: s.ids, values, at: s.at });
}

function declareIov(ck: Checker, d: Declarations, s: Extract<Stmt, { k: 'iov' }>): void {
  declare(ck, d, s.id, 'input', 'inter-occasion random effect');
  if (d.occasion && d.occasion.name !== s.occasion.name) ck.fail(s.occasion.at, `every iov uses one occasion column; ${d.occasion.name} was given on line ${ck.lineOf(d.occasion.at)}`);
  d.occasion = s.occasion;
  d.iovNames.push(s.id.name);
  d.iovVar.push(ck.constant(s.variance, s.id.at, `the variance of ${s.id.name}`, variance));
}

function declareResidual(ck: Checker, d: Declarations, s: Extract<Stmt, { k: 'residual' }>): void {
  const prior = s.dvid === undefined ? (d.residual ? d.residualAt : undefined) : d.outputResiduals.get(s.dvid)?.at;
  const what = s.dvid === undefined ? 'the residual error' : `the residual error of output ${s.dvid}`;
  ck.once(prior, s.at, what);
  const r: Record<string, number> = {};
  for (const [k, v] of s.values) r[k] = ck.constant(v, s.at, `residual ${k}`, (x) => (x >= 0 ? undefined : 'must be a standard deviation ≥ 0'));
  const need = s.model === 'combined' || s.model === 'combined1' ? ['additive', 'proportional'] : [s.model];
  for (const k of need) if (r[k] === undefined) ck.fail(s.at, `residual ${s.model} needs ${need.map((n) => `${n} = SD`).join(', ')}`);
  if (s.dvid !== undefined) {
    d.outputResiduals.set(s.dvid, { residual: { model: s.model, ...r }, at: s.at });
    return;
  }
  d.residual = { model: s.model, ...r };
  d.residualAt = s.at;
}
