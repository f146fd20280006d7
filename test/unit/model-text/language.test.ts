// The model-text language without compiling a kernel: what parses, what each mistake reports
// (file:line:column plus the line and a caret), and that the generated kernel source never
// contains text of the model (nothing a model writes can reach the compiler as code).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/model/text/index.js';
import { DosewiseError } from '../../../src/errors.js';
import { defineModel } from '../../../src/model/model.js';

const ORAL = readFileSync('examples/user-models/two-cmt-oral.model', 'utf8');

function errorOf(text: string): DosewiseError {
  try {
    compileModelText(text, 'm.model');
  } catch (e) {
    if (e instanceof DosewiseError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

/** A minimal valid model, with one line replaced or added to make a mistake. */
const base = (extra = '', ddt = 'd/dt(A) = -K * A') => `theta K = 0.1, V = 10
compartment A
${extra}
${ddt}
observe = A / V
`;

describe('model text: what it means', () => {
  it('parses the two-compartment example: levels, kernel inputs, Ω, residual', () => {
    const c = compileModelText(ORAL, 'two-cmt-oral.model');
    expect(c.model.kernel.states).toEqual(['DEPOT', 'CENTRAL', 'PERIPH']);
    // record-level quantities (k10 = CL/V) are computed once per record; the kernel reads 5 values
    expect(c.model.parameters.map((p) => p.name)).toEqual(['CL', 'V', 'Q', 'V2', 'KA', 'k10', 'k12', 'k21']);
    expect(c.model.kernel.inputs).toEqual(['KA', 'k10', 'k12', 'k21', 'V']);
    expect(c.model.kernel.locals).toEqual([]);
    expect(c.model.omega).toEqual({ names: ['ETA_CL', 'ETA_V'], matrix: [[0.09, 0], [0, 0.04]] });
    expect(c.model.residual).toEqual({ model: 'proportional', proportional: 0.1 });
    expect(c.model.observeCompartment).toBe(2);
    expect(c.program.nonlinear).toBe(false);
  });

  it('quantities that read a compartment or t are evaluated in the kernel', () => {
    const c = compileModelText(
      `theta V = 3, KON = 0.5
compartment A, R
C = A / V
bind = KON * C * R
d/dt(A) = -bind * V
d/dt(R) = -bind + 0.1 * sin_free(t)
observe = C`.replace('sin_free(t)', 'exp(-t)'),
    );
    expect(c.model.kernel.locals.map((l) => l.name)).toEqual(['C', 'bind']);
    expect(c.program.nonlinear).toBe(true);
    expect(c.program.dt).toBeDefined();
  });

  it('omega blocks, iov, covariates, modifiers, init, solver and records', () => {
    const c = compileModelText(`model "full"
theta TVCL = 5, TVV = 50
covariate WT = 70, CRCL
omega block(ETA_CL, ETA_V) = [0.09, 0.01, 0.04]
eta ETA_KA ~ 0.2
iov K_CL ~ 0.01 by OCC
residual combined additive = 0.5, proportional = 0.1
compartment DEPOT, CENTRAL
CL = TVCL * (WT / 70)^0.75 * (CRCL / 100) * exp(ETA_CL + K_CL)
V = TVV * exp(ETA_V); KA = 1.1 * exp(ETA_KA)
lag(DEPOT) = 0.25
F(DEPOT) = 0.8
init(CENTRAL) = 0
d/dt(DEPOT) = -KA * DEPOT
d/dt(CENTRAL) = KA * DEPOT - CL / V * CENTRAL
observe = CENTRAL / V
solver rosenbrock rtol = 1e-9, atol = 1e-12
records locf
`);
    expect(c.model.name).toBe('full');
    expect(c.model.omega?.matrix).toEqual([[0.09, 0.01, 0], [0.01, 0.04, 0], [0, 0, 0.2]]);
    expect(c.model.iov).toEqual({ names: ['K_CL'], diagonal: [0.01], occasion: 'OCC' });
    expect(c.model.covariates).toEqual({ WT: { default: 70 }, CRCL: {} });
    expect(c.model.modifiers.map((m) => `${m.what}:${m.cmt}`)).toEqual(['lag:1', 'bioavailability:1']);
    expect(c.model.solver).toEqual({ method: 'rosenbrock', rtol: 1e-9, atol: 1e-12, at: expect.any(Number) });
    expect(c.model.records).toBe('locf');
    // the whole model: inputs, defaults and Ω as the rest of dosewise sees them
    const m = defineModel({ dosewise: 'text', text: ORAL, file: 'two-cmt-oral.model' });
    expect(m.structure.kind).toBe('user');
    expect(m.stateNames).toEqual(['DEPOT', 'CENTRAL', 'PERIPH']);
    expect(m.inputs).toEqual(['ETA_CL', 'ETA_V', 'WT']);
    expect(m.evaluate({}).values.k10).toBeCloseTo(0.1, 15);
  });

  it('warns of declared or defined names that nothing reads', () => {
    const c = compileModelText(`theta K = 0.1, V = 10, KK = 3\ncovariate WT = 70\ncompartment A\nX = K * 2\nS1 = V\nd/dt(A) = -K * A\nobserve = A / V\n`, 'w.model');
    expect(c.model.warnings).toEqual(['w.model:1:24: warning: theta KK is declared but never used', 'w.model:2:11: warning: covariate WT is declared but never used', 'w.model:4:1: warning: X is defined but never used']);
    expect(compileModelText(ORAL).model.warnings).toEqual([]);
  });

  it('the same text gives the same kernel source and id; a different equation a different id', () => {
    const a = compileModelText(ORAL);
    expect(compileModelText(ORAL).source).toBe(a.source);
    expect(compileModelText(ORAL.replace('-KA * DEPOT', '-KA * DEPOT * 1.0001')).id).not.toBe(a.id);
    // comments and layout do not change the kernel
    expect(compileModelText(`# a comment\n${ORAL.replace(/ = /g, '=')}`).id).toBe(a.id);
  });
});

describe('model text: errors point at line and column', () => {
  const cases: [string, string, number, number, RegExp][] = [
    ['syntax: missing operand', base('X = K *'), 3, 8, /unexpected end/],
    ['syntax: unclosed parenthesis', base('X = (K + 1'), 3, 5, /"\(" is never closed/],
    ['syntax: mismatched brackets', base('X = (K + 1]'), 3, 11, /"\]" closes "\(" from line 3, column 5/],
    ['syntax: stray character', base('X = K $ 2'), 3, 7, /unexpected character "\$"/],
    ['syntax: two statements on a line', base('X = K Y = 2'), 3, 7, /one statement per line/],
    ['syntax: a number glued to a name', base('X = 2K'), 3, 5, /cannot start with a digit/],
    ['unknown name, with a suggestion', base('', 'd/dt(A) = -KK * A'), 4, 12, /unknown name KK \(did you mean K\?\)/],
    ['unknown function', base('X = sine(K)'), 3, 5, /unknown function sine/],
    ['use before definition', base('X = Y * 2\nY = K'), 3, 5, /Y is used before its definition on line 4/],
    ['division by a constant zero', base('X = K / 0'), 3, 7, /division by zero/],
    ['division by an expression that folds to zero', base('X = K / (2 - 2)'), 3, 7, /division by zero/],
    ['division by zero inside d/dt', base('', 'd/dt(A) = -K * A / (1 - 1)'), 4, 18, /division by zero/],
    ['a defined name defined again', base('X = K\nX = 2'), 4, 1, /X is already defined on line 3/],
    ['a theta assigned', base('K = 2'), 3, 1, /K is declared as a theta on line 1/],
    ['a theta named like a data column (its value would be each record\'s DV)', `theta DV = 0.3, V = 2\ncompartment A\nd/dt(A) = -DV * A\nobserve = A / V\n`, 1, 7, /DV is a standard column of the data set .* and cannot name a theta/],
    ['a derived value named like a data column', base('Time = K * 2'), 3, 1, /Time is a standard column of the data set .* and cannot name a derived value/],
    ['a keyword assigned', base('theta = 2'), 3, 1, /theta is a keyword/],
    ['t assigned', base('t = 2'), 3, 1, /t is the model time/],
    ['lag that reads a compartment', base('lag(A) = A / 10'), 3, 10, /cannot depend on A/],
    ['derivative of an unknown compartment', base('d/dt(B) = 1'), 3, 6, /B is not a compartment/],
    ['second derivative for a compartment', base('d/dt(A) = 1'), 4, 6, /already given on line 3/],
    ['omega block of the wrong size', base('omega block(E1, E2) = [0.1, 0.2]'), 3, 1, /needs 3 values/],
    // refused as the model's omega.matrix, with no place, before
    ['omega block with a correlation beyond 1', base('omega block(E1, E2) = [0.1, 0.5, 0.1]'), 3, 1, /omega block\(E1, E2\) is not a covariance matrix/],
    ['negative variance', base('eta E ~ -0.1'), 3, 5, /must be ≥ 0/],
  ];
  for (const [what, text, line, col, why] of cases)
    it(what, () => {
      const e = errorOf(text);
      expect(e.code).toBe('E_MODEL_TEXT');
      expect(e.message).toMatch(why);
      expect({ line: e.place.line, col: e.place.col }).toEqual({ line, col });
      expect(e.message.startsWith(`m.model:${line}:${col}: `)).toBe(true);
      // the offending line and a caret under the column
      const [, src, caret] = e.message.split('\n');
      expect(src).toContain(text.split('\n')[line - 1]);
      expect((caret as string).indexOf('^') - (caret as string).indexOf('|') - 2).toBe(col - 1);
    });

  it('a compartment without an equation, and a model without observe', () => {
    expect(errorOf('theta K = 1\ncompartment A, B\nd/dt(A) = -K*A\nobserve = A').message).toMatch(/^m.model:2:16: compartment B has no equation/);
    expect(errorOf('theta K = 1\ncompartment A\nd/dt(A) = -K*A\n').message).toMatch(/no observe statement/);
  });
});

describe('model JSON: names of the data set\'s standard columns', () => {
  it('a θ or parameter named like one is refused (the record\'s value would replace it); a covariate may read TIME', () => {
    const json = (extra: object) => ({ dosewise: 2, name: 'x', structure: '1cmt-iv', parameters: { CL: 4, V: 30 }, ...extra });
    expect(() => defineModel(json({ theta: { MDV: 1 } }))).toThrow(/theta\.MDV.*MDV is a standard column of the data set/);
    expect(() => defineModel(json({ parameters: { CL: 4, V: 30, Ii: 2 } }))).toThrow(/parameters\.Ii.*Ii is a standard column/);
    expect(() => compileModelText(`theta V = 2\ncovariate TIME\ncompartment A\nd/dt(A) = -0.1 * A\nobserve = A / V\n`, 'm.model')).not.toThrow();
  });
});

describe('model text: a model cannot inject code', () => {
  it('text that looks like AssemblyScript or JavaScript is a syntax error at its line', () => {
    const attempts: [string, number][] = [
      [base('X = K; } export function evil(): void { unreachable(); } function f() {'), 3],
      [base('X = K // comment'), 3],
      [base('X = `${process.exit(1)}`'), 3],
      [base('X = K\nimport { readFileSync } from "fs"'), 4],
      [base('X = "a string"'), 3],
      [base('X = K[0]'), 3],
    ];
    for (const [text, line] of attempts) {
      const e = errorOf(text);
      expect(e.code).toBe('E_MODEL_TEXT');
      expect(e.place.line).toBe(line);
    }
  });

  it('the generated source holds generated names and numbers only, whatever the model calls things', () => {
    const text = `theta store = 0.1, memory = 10, unreachable = 2, __heap_base = 1
compartment abort, Math
load = store * abort
d/dt(abort) = -load + unreachable * Math / __heap_base
d/dt(Math) = load - memory * Math
observe = abort / memory
`;
    const c = compileModelText(text);
    for (const name of ['unreachable', '__heap_base', 'abort', 'Math.', 'memory']) {
      const code = c.source
        .split('\n')
        .filter((l) => !l.startsWith('//'))
        .join('\n');
      if (name === 'Math.') expect(code).not.toMatch(/Math\.(?!exp|log|log10|sqrt|abs|floor|ceil|min|max|pow)\w/);
      else expect(code).not.toContain(name);
    }
    expect(c.source).toMatch(/^export function userRhs\(t: f64, y: usize, p: usize, dy: usize\): void \{$/m);
  });
});

// the example lives in docs/model-texts.md since the README's reference moved to docs/ (2026-12-07)
describe('model text: the documented example (docs/model-texts.md)', () => {
  it('parses, and reads 7 per-record values in the kernel', () => {
    const doc = readFileSync('docs/model-texts.md', 'utf8');
    const block = /```text\n(# examples\/user-models\/tmdd-map\.model[\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    const c = compileModelText(block as string, 'docs/model-texts.md');
    expect(c.model.kernel.states).toEqual(['CENTRAL', 'RECEPTOR', 'COMPLEX']);
    expect(c.model.kernel.inputs).toEqual(['V', 'KON', 'KOFF', 'KELi', 'KSYN', 'KDEG', 'KINT']);
    expect(c.model.solver.method).toBe('rosenbrock');
  });
});
