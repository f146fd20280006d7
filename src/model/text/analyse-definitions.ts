// Second phase of the analysis of a model text: the definitions, in order (assignments, d/dt,
// init, dose modifiers, observe). Each expression may read only names declared or defined above
// it; its level (record or kernel) follows from what it reads.

import { type Ast, FUNCTION_NAMES } from '../expression.js';
import type { Modifier, Name, Stmt } from './parser.js';
import { type Checker, type Declarations, standardColumnClash, varsOf } from './analyse-declarations.js';
import { editDistance } from '../../edit-distance.js';

/** What an expression reads: kernel level if it reads a compartment or t (first such name in `state`). */
interface ExprLevel {
  readonly level: 'record' | 'kernel';
  readonly time: boolean;
  readonly state?: { name: string; at: number };
}

export interface Definitions {
  readonly defined: Map<string, { level: 'record' | 'kernel'; at: number }>;
  /** Record-level quantities, and kernel-level intermediates, in definition order. */
  readonly parameters: { name: string; expr: Ast }[];
  readonly locals: { name: string; expr: Ast }[];
  readonly ddt: Map<string, Ast>;
  readonly init: Map<string, Ast>;
  readonly modifiers: { what: Modifier; cmt: number; expr: Ast }[];
  readonly observe: { expr: Ast; at: number };
  /**
   * `output DVID ... = expression`, in text order: the first is the observation (`observe`), each
   * other one a compartment amount over a record-level scale, which becomes that compartment's S<n>.
   */
  readonly outputs: { dvid: number; name?: string; unit?: string; at: number; state?: string }[];
}

/** The names visible at a point of the text, growing as definitions are read. */
class Scope {
  readonly defined = new Map<string, { level: 'record' | 'kernel'; at: number }>();
  /** Kernel-level names that depend on t (directly or through another). */
  readonly kernelTime = new Set<string>();
  /** First definition of every assigned name, to tell "defined later" from "unknown". */
  private readonly definedLater = new Map<string, number>();

  constructor(
    private readonly ck: Checker,
    private readonly decl: Declarations,
    stmts: readonly Stmt[],
  ) {
    for (const s of stmts) if (s.k === 'assign' && !this.definedLater.has(s.id.name)) this.definedLater.set(s.id.name, s.id.at);
  }

  /** Level of an expression; every name must be visible here. */
  levelOf(a: Ast): ExprLevel {
    this.ck.checkDivisions(a);
    let level: 'record' | 'kernel' = 'record';
    let time = false;
    let state: { name: string; at: number } | undefined;
    for (const v of varsOf(a)) {
      if (v.name === 't') {
        level = 'kernel';
        time = true;
        state ??= v;
        continue;
      }
      const d = this.decl.declared.get(v.name);
      if (d) {
        if (d.level === 'state') {
          level = 'kernel';
          state ??= v;
        }
        continue;
      }
      const def = this.defined.get(v.name);
      if (!def) this.notVisible(v);
      if (def.level === 'kernel') {
        level = 'kernel';
        state ??= v;
        if (this.kernelTime.has(v.name)) time = true;
      }
    }
    return { level, time, state };
  }

  /** A record-level expression (evaluated once per record) must not read a compartment or t. */
  recordLevel(a: Ast, what: string): void {
    const l = this.levelOf(a);
    if (l.level === 'kernel') this.ck.fail(l.state?.at ?? 0, `${what} is evaluated once per record and cannot depend on ${l.time && l.state?.name === 't' ? 't' : `${l.state?.name} (a compartment amount or a quantity that reads one)`}`);
  }

  /** Why a name is not visible here: defined below, the occasion column, or unknown (with the nearest known name). */
  private notVisible(v: { name: string; at: number }): never {
    const later = this.definedLater.get(v.name);
    if (later !== undefined) this.ck.fail(v.at, `${v.name} is used before its definition on line ${this.ck.lineOf(later)}`);
    if (v.name === this.decl.occasion?.name) this.ck.fail(v.at, `${v.name} is the occasion column; declare it as a covariate to read it`);
    const near = [...this.decl.declared.keys(), ...this.defined.keys(), 't']
      .map((k) => ({ k, d: editDistance(v.name, k) }))
      .filter((x) => x.d <= Math.max(1, Math.floor(v.name.length / 3)))
      .sort((x, y) => x.d - y.d)[0];
    return this.ck.fail(v.at, `unknown name ${v.name}${near ? ` (did you mean ${near.k}?)` : ''}: declare it (theta, covariate, eta, compartment) or define it above`);
  }
}

/** Definitions under construction: where each one-per-name statement was first given. */
interface Reading extends Omit<Definitions, 'observe'> {
  observeStmt?: number;
  readonly scope: Scope;
  readonly ddtAt: Map<string, number>;
  readonly modifierAt: Map<string, number>;
  observe?: { expr: Ast; at: number };
}

/** Every definition of the text in order, checked; every compartment has its d/dt and there is an observe. */
export function readDefinitions(ck: Checker, decl: Declarations, stmts: readonly Stmt[]): Definitions {
  const scope = new Scope(ck, decl, stmts);
  const r: Reading = { scope, defined: scope.defined, parameters: [], locals: [], ddt: new Map(), ddtAt: new Map(), init: new Map(), modifiers: [], modifierAt: new Map(), outputs: [] };
  for (const s of stmts) defineStatement(ck, decl, r, s);
  for (const st of decl.states) if (!r.ddt.has(st)) ck.fail(decl.stateAt.get(st) as number, `compartment ${st} has no equation: add d/dt(${st}) = ...`);
  if (!r.observe) return ck.fail(ck.src.text.length, 'no observe statement: add observe = CENTRAL / V (what an observation record measures)');
  return { defined: r.defined, parameters: r.parameters, locals: r.locals, ddt: r.ddt, init: r.init, modifiers: r.modifiers, observe: r.observe, outputs: r.outputs };
}

function stateIndex(ck: Checker, decl: Declarations, id: Name): number {
  const i = decl.states.indexOf(id.name);
  if (i < 0) ck.fail(id.at, `${id.name} is not a compartment (compartments: ${decl.states.join(', ')})`);
  return i;
}

function defineStatement(ck: Checker, decl: Declarations, r: Reading, s: Stmt): void {
  switch (s.k) {
    case 'assign':
      defineAssign(ck, decl, r, s);
      break;
    case 'ddt': {
      stateIndex(ck, decl, s.state);
      const prior = r.ddtAt.get(s.state.name);
      if (prior !== undefined) ck.fail(s.state.at, `d/dt(${s.state.name}) is already given on line ${ck.lineOf(prior)}`);
      r.scope.levelOf(s.expr);
      r.ddt.set(s.state.name, s.expr);
      r.ddtAt.set(s.state.name, s.at);
      break;
    }
    case 'init':
      stateIndex(ck, decl, s.state);
      if (r.init.has(s.state.name)) ck.fail(s.state.at, `init(${s.state.name}) is given twice`);
      r.scope.recordLevel(s.expr, `init(${s.state.name})`);
      r.init.set(s.state.name, s.expr);
      break;
    case 'modifier': {
      const cmt = stateIndex(ck, decl, s.state) + 1;
      const key = `${s.what}:${cmt}`;
      const prior = r.modifierAt.get(key);
      if (prior !== undefined) ck.fail(s.at, `the ${s.what} of ${s.state.name} is already given on line ${ck.lineOf(prior)}`);
      r.modifierAt.set(key, s.at);
      r.scope.recordLevel(s.expr, `the ${s.what} of ${s.state.name}`);
      r.modifiers.push({ what: s.what, cmt, expr: s.expr });
      break;
    }
    case 'observe': {
      if (r.observe) ck.fail(s.at, r.outputs.length ? `the first output (line ${ck.lineOf(r.observe.at)}) is what observation records measure: with outputs, drop observe` : `observe is already given on line ${ck.lineOf(r.observe.at)}`);
      const l = r.scope.levelOf(s.expr);
      if (l.time) ck.fail(s.at, 'observe cannot depend on t (write the time dependence into a compartment)');
      r.observe = { expr: s.expr, at: s.at };
      r.observeStmt = s.at;
      break;
    }
    case 'output':
      defineOutput(ck, decl, r, s);
      break;
    default:
      break;
  }
}

/**
 * An output: the first one is the observation (any expression of compartments, like observe);
 * another is `STATE` or `STATE / scale` with a record-level scale, read as NONMEM reads an
 * observation of compartment n (A(n)/S<n>): it defines S<n>.
 */
function defineOutput(ck: Checker, decl: Declarations, r: Reading, s: Extract<Stmt, { k: 'output' }>): void {
  if (r.observeStmt !== undefined) ck.fail(s.at, `observe is given on line ${ck.lineOf(r.observeStmt)}: with outputs, the first output is what observation records measure; drop observe`);
  const prior = r.outputs.find((o) => o.dvid === s.dvid);
  if (prior) ck.fail(s.at, `output ${s.dvid} is already given on line ${ck.lineOf(prior.at)}`);
  const l = r.scope.levelOf(s.expr);
  if (l.time) ck.fail(s.at, `output ${s.dvid} cannot depend on t (write the time dependence into a compartment)`);
  if (!r.observe) {
    r.observe = { expr: s.expr, at: s.at };
    r.outputs.push({ dvid: s.dvid, name: s.name, unit: s.unit, at: s.at });
    return;
  }
  const e = s.expr;
  const amount = e.k === 'var' ? e : e.k === 'bin' && e.op === '/' && e.a.k === 'var' ? e.a : undefined;
  if (!amount || !decl.stateAt.has(amount.name))
    ck.fail(s.at, `output ${s.dvid} is not the first output, so it must be a compartment amount over a scale that reads no compartment (e.g. METABOLITE / VM): it is read as A(n)/S<n>`);
  const scale: Ast = e.k === 'bin' ? e.b : { k: 'num', v: 1 };
  const sl = r.scope.levelOf(scale);
  if (sl.level !== 'record') ck.fail(s.at, `the scale of output ${s.dvid} (what divides ${amount.name}) cannot read compartment amounts or t`);
  const cmt = decl.states.indexOf(amount.name) + 1;
  const name = `S${cmt}`;
  const defined = r.defined.get(name);
  if (defined) ck.fail(s.at, `output ${s.dvid} sets the scale ${name} of ${amount.name}, which is already defined on line ${ck.lineOf(defined.at)}`);
  r.defined.set(name, { level: 'record', at: s.at });
  r.parameters.push({ name, expr: scale });
  r.outputs.push({ dvid: s.dvid, name: s.name, unit: s.unit, at: s.at, state: amount.name });
}

function defineAssign(ck: Checker, decl: Declarations, r: Reading, s: Extract<Stmt, { k: 'assign' }>): void {
  const n = s.id.name;
  if (FUNCTION_NAMES.includes(n)) ck.fail(s.id.at, `${n} is a function name and cannot be assigned`);
  const clash = standardColumnClash(n, 'derived value');
  if (clash) ck.fail(s.id.at, clash);
  const d = decl.declared.get(n);
  if (d) ck.fail(s.id.at, `${n} is declared as a ${d.what} on line ${ck.lineOf(d.at)} and cannot be assigned`);
  const prior = r.defined.get(n);
  if (prior) ck.fail(s.id.at, `${n} is already defined on line ${ck.lineOf(prior.at)} (each name is defined once)`);
  const l = r.scope.levelOf(s.expr);
  if (l.level === 'kernel' && /^S\d+$/.test(n)) ck.fail(s.id.at, `${n} is the scale of compartment ${n.slice(1)} and cannot depend on compartment amounts or t`);
  r.defined.set(n, { level: l.level, at: s.id.at });
  if (l.time) r.scope.kernelTime.add(n);
  (l.level === 'kernel' ? r.locals : r.parameters).push({ name: n, expr: s.expr });
}
