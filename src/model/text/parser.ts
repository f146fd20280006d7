// The statement grammar of a model text (README "Model texts"); expressions use the model-file
// expression grammar (../expression.ts) over this file's tokens. The result is a list of
// statements with source offsets; meaning (names, order, levels) is checked in analyse.ts.

import { type Ast, parseExpressionFrom, type Tok, type TokenStream } from '../expression.js';
import { SEMICOLON_HINT, type SourceText, type TextTok, tokenizeText } from './lexer.js';

/** Solvers a model text may name ('analytic': exact propagation, for texts linear in their states). */
export type TextSolverMethod = 'auto' | 'analytic' | 'dopri5' | 'rosenbrock' | 'dop853';

export interface Name {
  readonly name: string;
  readonly at: number;
}

export type Modifier = 'lag' | 'bioavailability' | 'rate' | 'duration';
export type ResidualModel = 'additive' | 'proportional' | 'combined' | 'combined1' | 'exponential';

export type Stmt =
  | { readonly k: 'model'; readonly name: string; readonly at: number }
  | { readonly k: 'theta'; readonly id: Name; readonly value: Ast; readonly at: number }
  | { readonly k: 'covariate'; readonly id: Name; readonly value?: Ast; readonly at: number }
  | { readonly k: 'eta'; readonly id: Name; readonly variance: Ast; readonly at: number }
  | { readonly k: 'block'; readonly ids: readonly Name[]; readonly values: readonly Ast[]; readonly at: number }
  | { readonly k: 'iov'; readonly id: Name; readonly variance: Ast; readonly occasion: Name; readonly at: number }
  | { readonly k: 'residual'; readonly model: ResidualModel; readonly values: ReadonlyMap<string, Ast>; readonly dvid?: number; readonly at: number }
  | { readonly k: 'compartment'; readonly ids: readonly Name[]; readonly at: number }
  | { readonly k: 'assign'; readonly id: Name; readonly expr: Ast; readonly at: number }
  | { readonly k: 'ddt'; readonly state: Name; readonly expr: Ast; readonly at: number }
  | { readonly k: 'init'; readonly state: Name; readonly expr: Ast; readonly at: number }
  | { readonly k: 'modifier'; readonly what: Modifier; readonly state: Name; readonly expr: Ast; readonly at: number }
  | { readonly k: 'observe'; readonly expr: Ast; readonly at: number }
  | { readonly k: 'output'; readonly dvid: number; readonly name?: string; readonly unit?: string; readonly expr: Ast; readonly at: number }
  | { readonly k: 'solver'; readonly method: TextSolverMethod; readonly options: ReadonlyMap<string, Ast>; readonly at: number }
  | { readonly k: 'records'; readonly rule: 'nocb' | 'locf'; readonly at: number };

/** Words that start a declaration; they cannot name a parameter. */
export const KEYWORDS = new Set(['model', 'theta', 'covariate', 'eta', 'omega', 'iov', 'residual', 'compartment', 'init', 'observe', 'output', 'solver', 'records', 't']);
const MODIFIERS: Readonly<Record<string, Modifier>> = {
  lag: 'lag',
  F: 'bioavailability',
  bioavailability: 'bioavailability',
  rate: 'rate',
  duration: 'duration',
};
const RESIDUALS: readonly ResidualModel[] = ['additive', 'proportional', 'combined', 'combined1', 'exponential'];

export function parseModelText(src: SourceText): Stmt[] {
  const toks = tokenizeText(src);
  let i = 0;
  const peek = (): TextTok => toks[i] as TextTok;
  const next = (): TextTok => toks[i++] as TextTok;
  // a NONMEM-style `; comment` reads as a statement: its refusal says what `;` is here
  let afterSemicolon = false;
  const fail = (at: number, why: string): never => src.fail(at, afterSemicolon ? `${why} ${SEMICOLON_HINT}` : why);
  const shown = (t: TextTok): string => (t.t === 'nl' || t.t === 'end' ? 'the end of the statement' : `"${t.s}"`);
  const isOp = (s: string): boolean => peek().t === 'op' && peek().s === s;
  const expectOp = (s: string, what?: string): TextTok => {
    if (!isOp(s)) fail(peek().at, `expected "${s}"${what ? ` ${what}` : ''}, found ${shown(peek())}`);
    return next();
  };
  const ident = (what: string): Name => {
    const t = peek();
    if (t.t !== 'id') fail(t.at, `expected ${what}, found ${shown(t)}`);
    next();
    return { name: t.s, at: t.at };
  };
  // the expression grammar sees the end of a statement as the end of its input
  const stream: TokenStream = {
    peek: (): Tok => {
      const t = peek();
      return t.t === 'nl' || t.t === 'end' ? { t: 'end', s: '', at: t.at } : t.t === 'str' ? { t: 'op', s: `"${t.s}"`, at: t.at } : (t as Tok);
    },
    next: (): Tok => next() as Tok,
    fail,
  };
  const expr = (): Ast => parseExpressionFrom(stream);
  const endStatement = (): void => {
    const t = peek();
    if (t.t !== 'nl' && t.t !== 'end') fail(t.at, `unexpected ${shown(t)}: one statement per line (or separate them with ";")`);
    if (t.t === 'nl') next();
  };
  const commaList = <T>(item: () => T): T[] => {
    const out = [item()];
    while (isOp(',')) {
      next();
      out.push(item());
    }
    return out;
  };
  /** `key = value` pairs after a keyword (solver options, residual components). */
  const options = (allowed: readonly string[], what: string): Map<string, Ast> => {
    const m = new Map<string, Ast>();
    while (peek().t === 'id') {
      const k = ident(`a ${what} option`);
      if (!allowed.includes(k.name)) fail(k.at, `unknown ${what} option ${k.name} (known: ${allowed.join(', ')})`);
      if (m.has(k.name)) fail(k.at, `${k.name} given twice`);
      expectOp('=', `after ${k.name}`);
      m.set(k.name, expr());
      if (isOp(',')) next();
    }
    return m;
  };
  /** A DVID value: a whole number ≥ 0. */
  const dvidValue = (what: string): number => {
    const t = peek();
    if (t.t !== 'num' || !/^\d+$/.test(t.s)) fail(t.at, `expected the DVID of ${what} (a whole number), found ${shown(t)}`);
    next();
    return Number(t.s);
  };
  const stateArg = (what: string): Name => {
    expectOp('(', `after ${what}`);
    const s = ident('a compartment name');
    expectOp(')', 'after the compartment name');
    return s;
  };

  const out: Stmt[] = [];
  while (peek().t !== 'end') {
    if (peek().t === 'nl') {
      next();
      continue;
    }
    const head = peek();
    const before = toks[i - 1];
    afterSemicolon = before !== undefined && src.text[before.at] === ';' && !src.text.slice(before.at, head.at).includes('\n');
    if (head.t !== 'id') fail(head.at, `a statement starts with a name or a keyword, not ${shown(head)}`);
    const at = head.at;
    const word = head.s;
    const after = toks[i + 1] as TextTok;
    const assignment = after.t === 'op' && after.s === '=';
    if (word === 'd' && after.t === 'op' && after.s === '/') {
      next();
      next();
      const dt = ident('dt');
      if (dt.name !== 'dt') fail(dt.at, 'a derivative is written d/dt(STATE) = expression');
      const state = stateArg('d/dt');
      expectOp('=', 'after d/dt(...)');
      out.push({ k: 'ddt', state, expr: expr(), at });
    } else if (MODIFIERS[word] && after.t === 'op' && after.s === '(') {
      next();
      const state = stateArg(word);
      expectOp('=', `after ${word}(...)`);
      out.push({ k: 'modifier', what: MODIFIERS[word] as Modifier, state, expr: expr(), at });
    } else if (assignment && !KEYWORDS.has(word)) {
      const id = ident('a name');
      next();
      out.push({ k: 'assign', id, expr: expr(), at });
    } else {
      if (assignment && word !== 'observe') fail(at, word === 't' ? 't is the model time and cannot be assigned' : `${word} is a keyword and cannot name a parameter`);
      next();
      switch (word) {
        case 'model': {
          const t = peek();
          if (t.t !== 'str') fail(t.at, 'expected the model name in double quotes, e.g. model "vancomycin, adults"');
          next();
          out.push({ k: 'model', name: t.s, at });
          break;
        }
        case 'theta':
          for (const [id, value] of commaList(() => {
            const id = ident('a theta name');
            expectOp('=', `after theta ${id.name} (a theta has a value: theta ${id.name} = 1.5)`);
            return [id, expr()] as const;
          }))
            out.push({ k: 'theta', id, value, at: id.at });
          break;
        case 'covariate':
          for (const [id, value] of commaList(() => {
            const id = ident('a covariate name');
            if (!isOp('=')) return [id, undefined] as const;
            next();
            return [id, expr()] as const;
          }))
            out.push({ k: 'covariate', id, value, at: id.at });
          break;
        case 'eta': {
          const id = ident('a random-effect name');
          expectOp('~', `after eta ${id.name} (eta ${id.name} ~ variance)`);
          out.push({ k: 'eta', id, variance: expr(), at });
          break;
        }
        case 'omega': {
          const b = ident('block');
          if (b.name !== 'block') fail(b.at, 'expected omega block(ETA1, ETA2, ...) = [lower triangle, row by row]');
          expectOp('(', 'after omega block');
          const ids = commaList(() => ident('a random-effect name'));
          expectOp(')', 'after the random-effect names');
          expectOp('=', 'after omega block(...)');
          expectOp('[', 'before the lower triangle');
          const values = commaList(expr);
          expectOp(']', 'after the lower triangle');
          out.push({ k: 'block', ids, values, at });
          break;
        }
        case 'iov': {
          const id = ident('an inter-occasion random-effect name');
          expectOp('~', `after iov ${id.name} (iov ${id.name} ~ variance by OCC)`);
          const variance = expr();
          const by = ident('by');
          if (by.name !== 'by') fail(by.at, `expected "by OCCASION_COLUMN" after the variance`);
          out.push({ k: 'iov', id, variance, occasion: ident('the occasion column'), at });
          break;
        }
        case 'residual': {
          let dvid: number | undefined;
          if (isOp('(')) {
            next();
            dvid = dvidValue('an output (residual(DVID) MODEL ...)');
            expectOp(')', 'after the DVID');
          }
          const m = ident(`a residual model (${RESIDUALS.join(', ')})`);
          if (!RESIDUALS.includes(m.name as ResidualModel)) fail(m.at, `unknown residual model ${m.name} (known: ${RESIDUALS.join(', ')})`);
          const model = m.name as ResidualModel;
          const values =
            peek().t === 'id' ? options(['additive', 'proportional', 'exponential'], 'residual') : new Map<string, Ast>();
          // `residual proportional 0.1`: one component, named by the model
          if (values.size === 0 && peek().t !== 'nl' && peek().t !== 'end') {
            if (model === 'combined' || model === 'combined1') fail(peek().at, `residual ${model} needs additive = SD, proportional = SD`);
            values.set(model, expr());
          }
          out.push({ k: 'residual', model, values, dvid, at });
          break;
        }
        case 'compartment':
          out.push({ k: 'compartment', ids: commaList(() => ident('a compartment name')), at });
          break;
        case 'init': {
          const state = stateArg('init');
          expectOp('=', 'after init(...)');
          out.push({ k: 'init', state, expr: expr(), at });
          break;
        }
        case 'observe':
          expectOp('=', 'after observe');
          out.push({ k: 'observe', expr: expr(), at });
          break;
        case 'output': {
          const dvid = dvidValue('the output (output DVID "name" unit "mg/L" = expression)');
          let name: string | undefined;
          let unit: string | undefined;
          if (peek().t === 'str') name = next().s;
          if (peek().t === 'id' && peek().s === 'unit') {
            next();
            const u = peek();
            if (u.t !== 'str') fail(u.at, 'expected the unit in double quotes, e.g. unit "mg/L"');
            unit = next().s;
          }
          expectOp('=', `after output ${dvid} (output ${dvid} "name" unit "mg/L" = expression)`);
          out.push({ k: 'output', dvid, name, unit, expr: expr(), at });
          break;
        }
        case 'solver': {
          const m = ident('a solver (auto, analytic, dopri5, rosenbrock, dop853)');
          if (m.name !== 'auto' && m.name !== 'analytic' && m.name !== 'dopri5' && m.name !== 'rosenbrock' && m.name !== 'dop853') fail(m.at, `unknown solver ${m.name} (known: auto, analytic for linear models, dopri5, rosenbrock, dop853)`);
          out.push({ k: 'solver', method: m.name as TextSolverMethod, options: options(['rtol', 'atol'], 'solver'), at });
          break;
        }
        case 'records': {
          const r = ident('nocb or locf');
          if (r.name !== 'nocb' && r.name !== 'locf') fail(r.at, 'records nocb (next observation carried backward, NONMEM) or records locf');
          out.push({ k: 'records', rule: r.name as 'nocb' | 'locf', at });
          break;
        }
        case 't':
          fail(at, 't is the model time and cannot be assigned');
          break;
        default:
          if (KEYWORDS.has(word)) fail(at, `${word} is a keyword and cannot be assigned`);
          fail(at, `unknown statement "${word}" (a statement is NAME = expression, d/dt(STATE) = expression, or starts with ${[...KEYWORDS].filter((k) => k !== 't').join(', ')}, lag, F, rate, duration)`);
      }
    }
    endStatement();
  }
  return out;
}
