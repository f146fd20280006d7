// Meaning of a parsed model text: every name declared or defined before use, each compartment
// with one d/dt equation, no division by a constant zero, and every quantity given its level:
//   record level: depends only on θ, η, κ, covariates (evaluated once per record, in TypeScript,
//                 like a model file's parameters: lag, F, rate, duration, S<n> and init live here);
//   kernel level: depends on compartments or t (evaluated inside the ODE right-hand side in WASM).
// Record-level values the kernel reads travel in the kernel's parameter slots (p[0..12], then p[16..]).

import { type Ast, FUNCTION_NAMES, forEachVariable } from '../expression.js';
import type { SourceText } from './lexer.js';
import type { Modifier, Name, ResidualModel, Stmt } from './parser.js';
import { constantValue } from './derive.js';

export interface KernelSource {
  /** Compartment names, in CMT order. */
  readonly states: readonly string[];
  /** Record-level names the kernel reads, in parameter-slot order (p[0], p[1], ...). */
  readonly inputs: readonly string[];
  /** Kernel-level intermediates in evaluation order. */
  readonly locals: readonly { readonly name: string; readonly expr: Ast }[];
  /** d/dt of each state, state order. */
  readonly ddt: readonly Ast[];
  /** Initial amount of each state (undefined: 0). */
  readonly init: readonly (Ast | undefined)[];
  readonly observe: Ast;
}

export interface TextModel {
  readonly name?: string;
  readonly theta: Readonly<Record<string, number>>;
  readonly covariates: Readonly<Record<string, { readonly default?: number }>>;
  readonly omega?: { readonly names: readonly string[]; readonly matrix: readonly (readonly number[])[] };
  readonly iov?: { readonly names: readonly string[]; readonly diagonal: readonly number[]; readonly occasion: string };
  readonly residual?: { readonly model: ResidualModel; readonly additive?: number; readonly proportional?: number; readonly exponential?: number };
  /** Record-level quantities in definition order. */
  readonly parameters: readonly { readonly name: string; readonly expr: Ast }[];
  readonly modifiers: readonly { readonly what: Modifier; readonly cmt: number; readonly expr: Ast }[];
  readonly kernel: KernelSource;
  /** 1-based compartment the observation reads first (observation records naming it use `observe`). */
  readonly observeCompartment: number;
  readonly solver: { readonly method: 'auto' | 'dopri5' | 'rosenbrock'; readonly rtol?: number; readonly atol?: number };
  readonly records: 'nocb' | 'locf';
  /** Declared or defined names that nothing reads (often a typo elsewhere), as `file:line:col: warning: ...`. */
  readonly warnings: readonly string[];
}

type Level = 'input' | 'record' | 'state' | 'time' | 'kernel';

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0] as number;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j] as number;
      d[j] = Math.min(cur + 1, (d[j - 1] as number) + 1, prev + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length] as number;
}

function varsOf(a: Ast): { name: string; at: number }[] {
  const out: { name: string; at: number }[] = [];
  forEachVariable(a, (v) => out.push({ name: v.name, at: v.at ?? -1 }));
  return out;
}

export function analyseModelText(src: SourceText, stmts: readonly Stmt[]): TextModel {
  const fail = (at: number, why: string): never => src.fail(at, why);
  const lineOf = (at: number): number => src.position(at).line;

  // ---- declarations (visible everywhere) ----
  const declared = new Map<string, { level: Level; at: number; what: string }>();
  const declare = (id: Name, level: Level, what: string): void => {
    if (FUNCTION_NAMES.includes(id.name)) fail(id.at, `${id.name} is a function name and cannot name a ${what}`);
    if (id.name === 't') fail(id.at, 't is the model time and cannot name a ' + what);
    const prior = declared.get(id.name);
    if (prior) fail(id.at, `${id.name} is already declared as a ${prior.what} on line ${lineOf(prior.at)}`);
    declared.set(id.name, { level, at: id.at, what });
  };
  const constant = (a: Ast, at: number, what: string, check?: (v: number) => string | undefined): number => {
    checkDivisions(a);
    const v = constantValue(a);
    if (v === undefined || !Number.isFinite(v)) return fail(at, `${what} must be a number (a constant expression)`);
    const why = check?.(v);
    if (why) fail(at, `${what} ${why} (got ${v})`);
    return v;
  };
  const checkDivisions = (a: Ast): void => {
    constantValue(a, (node, den) => {
      if (den === 0) fail(node.at ?? 0, 'division by zero: the divisor is the constant 0');
    });
  };

  let name: string | undefined;
  const theta: Record<string, number> = {};
  const covariates: Record<string, { default?: number }> = {};
  const etaNames: string[] = [];
  const etaAt = new Map<string, number>();
  const diag = new Map<string, number>();
  const blocks: { ids: readonly Name[]; values: number[]; at: number }[] = [];
  const iovNames: string[] = [];
  const iovVar: number[] = [];
  let occasion: Name | undefined;
  let residual: TextModel['residual'];
  let residualAt = -1;
  const states: string[] = [];
  const stateAt = new Map<string, number>();
  let solver: TextModel['solver'] = { method: 'auto' };
  let records: 'nocb' | 'locf' = 'nocb';
  const variance = (v: number): string | undefined => (v >= 0 ? undefined : 'must be ≥ 0');

  for (const s of stmts) {
    switch (s.k) {
      case 'model':
        if (name !== undefined) fail(s.at, 'the model is named twice');
        name = s.name;
        break;
      case 'theta':
        declare(s.id, 'input', 'theta');
        theta[s.id.name] = constant(s.value, s.id.at, `theta ${s.id.name}`);
        break;
      case 'covariate':
        declare(s.id, 'input', 'covariate');
        covariates[s.id.name] = s.value === undefined ? {} : { default: constant(s.value, s.id.at, `the default of covariate ${s.id.name}`) };
        break;
      case 'eta':
        declare(s.id, 'input', 'random effect');
        etaNames.push(s.id.name);
        etaAt.set(s.id.name, s.id.at);
        diag.set(s.id.name, constant(s.variance, s.id.at, `the variance of ${s.id.name}`, variance));
        break;
      case 'block': {
        const k = s.ids.length;
        if (s.values.length !== (k * (k + 1)) / 2)
          fail(s.at, `omega block of ${k} random effects needs ${(k * (k + 1)) / 2} values (the lower triangle, row by row), got ${s.values.length}`);
        for (const id of s.ids) {
          declare(id, 'input', 'random effect');
          etaNames.push(id.name);
          etaAt.set(id.name, id.at);
        }
        blocks.push({ ids: s.ids, values: s.values.map((v) => constant(v, s.at, 'an omega block entry')), at: s.at });
        break;
      }
      case 'iov':
        declare(s.id, 'input', 'inter-occasion random effect');
        if (occasion && occasion.name !== s.occasion.name) fail(s.occasion.at, `every iov uses one occasion column; ${occasion.name} was given on line ${lineOf(occasion.at)}`);
        occasion = s.occasion;
        iovNames.push(s.id.name);
        iovVar.push(constant(s.variance, s.id.at, `the variance of ${s.id.name}`, variance));
        break;
      case 'residual': {
        if (residual) fail(s.at, `the residual error is given twice (first on line ${lineOf(residualAt)})`);
        const r: Record<string, number> = {};
        for (const [k, v] of s.values) r[k] = constant(v, s.at, `residual ${k}`, (x) => (x >= 0 ? undefined : 'must be a standard deviation ≥ 0'));
        const need = s.model === 'combined' || s.model === 'combined1' ? ['additive', 'proportional'] : [s.model];
        for (const k of need) if (r[k] === undefined) fail(s.at, `residual ${s.model} needs ${need.map((n) => `${n} = SD`).join(', ')}`);
        residual = { model: s.model, ...r };
        residualAt = s.at;
        break;
      }
      case 'compartment':
        for (const id of s.ids) {
          declare(id, 'state', 'compartment');
          states.push(id.name);
          stateAt.set(id.name, id.at);
        }
        break;
      case 'solver': {
        const o: Record<string, number> = {};
        for (const [k, v] of s.options) o[k] = constant(v, s.at, `solver ${k}`, (x) => (x > 0 ? undefined : 'must be > 0'));
        solver = { method: s.method, ...o };
        break;
      }
      case 'records':
        records = s.rule;
        break;
      default:
        break;
    }
  }
  if (occasion && declared.has(occasion.name)) fail(occasion.at, `the occasion column ${occasion.name} is also declared as a ${declared.get(occasion.name)?.what}`);
  if (states.length === 0) fail(src.text.length, 'no compartments: declare them with compartment NAME, NAME, ...');

  // ---- definitions, in order ----
  const defined = new Map<string, { level: 'record' | 'kernel'; at: number }>();
  const definedLater = new Map<string, number>();
  for (const s of stmts) if (s.k === 'assign' && !definedLater.has(s.id.name)) definedLater.set(s.id.name, s.id.at);
  const known = (): string[] => [...declared.keys(), ...defined.keys(), 't'];
  const kernelTime = new Set<string>();

  /** Level of an expression; every name must be visible here. */
  const levelOf = (a: Ast): { level: 'record' | 'kernel'; time: boolean; state?: { name: string; at: number } } => {
    checkDivisions(a);
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
      const d = declared.get(v.name);
      if (d) {
        if (d.level === 'state') {
          level = 'kernel';
          state ??= v;
        }
        continue;
      }
      const def = defined.get(v.name);
      if (def) {
        if (def.level === 'kernel') {
          level = 'kernel';
          state ??= v;
          if (kernelTime.has(v.name)) time = true;
        }
        continue;
      }
      const later = definedLater.get(v.name);
      if (later !== undefined) fail(v.at, `${v.name} is used before its definition on line ${lineOf(later)}`);
      if (v.name === occasion?.name) fail(v.at, `${v.name} is the occasion column; declare it as a covariate to read it`);
      const near = known()
        .map((k) => ({ k, d: editDistance(v.name, k) }))
        .filter((x) => x.d <= Math.max(1, Math.floor(v.name.length / 3)))
        .sort((x, y) => x.d - y.d)[0];
      fail(v.at, `unknown name ${v.name}${near ? ` (did you mean ${near.k}?)` : ''}: declare it (theta, covariate, eta, compartment) or define it above`);
    }
    return { level, time, state };
  };

  const parameters: { name: string; expr: Ast }[] = [];
  const locals: { name: string; expr: Ast }[] = [];
  const ddt = new Map<string, Ast>();
  const ddtAt = new Map<string, number>();
  const init = new Map<string, Ast>();
  const modifiers: { what: Modifier; cmt: number; expr: Ast }[] = [];
  const modifierAt = new Map<string, number>();
  let observe: { expr: Ast; at: number } | undefined;
  const stateIndex = (id: Name): number => {
    const i = states.indexOf(id.name);
    if (i < 0) fail(id.at, `${id.name} is not a compartment (compartments: ${states.join(', ')})`);
    return i;
  };
  const recordLevel = (a: Ast, what: string): void => {
    const l = levelOf(a);
    if (l.level === 'kernel') fail(l.state?.at ?? 0, `${what} is evaluated once per record and cannot depend on ${l.time && l.state?.name === 't' ? 't' : `${l.state?.name} (a compartment amount or a quantity that reads one)`}`);
  };

  for (const s of stmts) {
    switch (s.k) {
      case 'assign': {
        const n = s.id.name;
        if (FUNCTION_NAMES.includes(n)) fail(s.id.at, `${n} is a function name and cannot be assigned`);
        const d = declared.get(n);
        if (d) fail(s.id.at, `${n} is declared as a ${d.what} on line ${lineOf(d.at)} and cannot be assigned`);
        const prior = defined.get(n);
        if (prior) fail(s.id.at, `${n} is already defined on line ${lineOf(prior.at)} (each name is defined once)`);
        const l = levelOf(s.expr);
        if (l.level === 'kernel' && /^S\d+$/.test(n)) fail(s.id.at, `${n} is the scale of compartment ${n.slice(1)} and cannot depend on compartment amounts or t`);
        defined.set(n, { level: l.level, at: s.id.at });
        if (l.time) kernelTime.add(n);
        (l.level === 'kernel' ? locals : parameters).push({ name: n, expr: s.expr });
        break;
      }
      case 'ddt': {
        stateIndex(s.state);
        const prior = ddtAt.get(s.state.name);
        if (prior !== undefined) fail(s.state.at, `d/dt(${s.state.name}) is already given on line ${lineOf(prior)}`);
        levelOf(s.expr);
        ddt.set(s.state.name, s.expr);
        ddtAt.set(s.state.name, s.at);
        break;
      }
      case 'init': {
        stateIndex(s.state);
        if (init.has(s.state.name)) fail(s.state.at, `init(${s.state.name}) is given twice`);
        recordLevel(s.expr, `init(${s.state.name})`);
        init.set(s.state.name, s.expr);
        break;
      }
      case 'modifier': {
        const cmt = stateIndex(s.state) + 1;
        const key = `${s.what}:${cmt}`;
        const prior = modifierAt.get(key);
        if (prior !== undefined) fail(s.at, `the ${s.what} of ${s.state.name} is already given on line ${lineOf(prior)}`);
        modifierAt.set(key, s.at);
        recordLevel(s.expr, `the ${s.what} of ${s.state.name}`);
        modifiers.push({ what: s.what, cmt, expr: s.expr });
        break;
      }
      case 'observe': {
        if (observe) fail(s.at, `observe is already given on line ${lineOf(observe.at)}`);
        const l = levelOf(s.expr);
        if (l.time) fail(s.at, 'observe cannot depend on t (write the time dependence into a compartment)');
        observe = { expr: s.expr, at: s.at };
        break;
      }
      default:
        break;
    }
  }
  for (const st of states) if (!ddt.has(st)) fail(stateAt.get(st) as number, `compartment ${st} has no equation: add d/dt(${st}) = ...`);
  if (!observe) return fail(src.text.length, 'no observe statement: add observe = CENTRAL / V (what an observation record measures)');

  // the first compartment the observation reads (directly or through an intermediate)
  const firstState = (a: Ast, seen = new Set<string>()): string | undefined => {
    for (const v of varsOf(a)) {
      if (stateAt.has(v.name)) return v.name;
      const loc = locals.find((l) => l.name === v.name);
      if (loc && !seen.has(v.name)) {
        seen.add(v.name);
        const s = firstState(loc.expr, seen);
        if (s) return s;
      }
    }
    return undefined;
  };
  const observed = firstState(observe.expr);
  if (!observed) fail(observe.at, 'observe must read a compartment amount (e.g. observe = CENTRAL / V)');

  // record-level names the kernel reads, in first-use order
  const inputs: string[] = [];
  const kernelExprs = [...locals.map((l) => l.expr), ...states.map((s) => ddt.get(s) as Ast), ...init.values(), observe.expr];
  const localNames = new Set(locals.map((l) => l.name));
  for (const e of kernelExprs)
    for (const v of varsOf(e)) {
      if (v.name === 't' || stateAt.has(v.name) || localNames.has(v.name) || inputs.includes(v.name)) continue;
      inputs.push(v.name);
    }

  // names nothing reads: usually a typo elsewhere (S<n> is read by observation records, not by equations)
  const read = new Set<string>();
  for (const s of stmts)
    if (s.k === 'assign' || s.k === 'ddt' || s.k === 'init' || s.k === 'modifier' || s.k === 'observe') for (const v of varsOf(s.expr)) read.add(v.name);
  const warnings: string[] = [];
  const warn = (at: number, why: string): void => {
    const { line, col } = src.position(at);
    warnings.push(`${src.file}:${line}:${col}: warning: ${why}`);
  };
  for (const [n, d] of declared) if (d.level === 'input' && !read.has(n)) warn(d.at, `${d.what} ${n} is declared but never used`);
  for (const [n, d] of defined) if (!read.has(n) && !/^S\d+$/.test(n)) warn(d.at, `${n} is defined but never used`);

  const omega = etaNames.length ? { names: etaNames, matrix: omegaMatrix(etaNames, diag, blocks) } : undefined;
  return {
    name,
    theta,
    covariates,
    omega,
    iov: iovNames.length ? { names: iovNames, diagonal: iovVar, occasion: (occasion as Name).name } : undefined,
    residual,
    parameters,
    modifiers,
    kernel: {
      states,
      inputs,
      locals,
      ddt: states.map((s) => ddt.get(s) as Ast),
      init: states.map((s) => init.get(s)),
      observe: observe.expr,
    },
    observeCompartment: states.indexOf(observed as string) + 1,
    solver,
    records,
    warnings,
  };
}

function omegaMatrix(names: readonly string[], diag: ReadonlyMap<string, number>, blocks: readonly { ids: readonly Name[]; values: number[] }[]): number[][] {
  const n = names.length;
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  names.forEach((e, i) => {
    const v = diag.get(e);
    if (v !== undefined) (m[i] as number[])[i] = v;
  });
  for (const b of blocks) {
    let k = 0;
    for (let r = 0; r < b.ids.length; r++)
      for (let c = 0; c <= r; c++) {
        const i = names.indexOf((b.ids[r] as Name).name);
        const j = names.indexOf((b.ids[c] as Name).name);
        const v = b.values[k++] as number;
        (m[i] as number[])[j] = v;
        (m[j] as number[])[i] = v;
      }
  }
  return m;
}
