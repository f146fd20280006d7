// Model expressions run as generated JS (one function per expression, one per model for its
// parameters) where the realm allows it, and as closures where it does not (a page whose
// Content-Security-Policy forbids generated code). Both must give the same doubles, bit for bit, on
// every expression the language has: every operator and function, conditionals, and the awkward
// values (±0, NaN, ±∞, subnormals, huge) as constants and as variables.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { type Ast, compileClosures, compileExpression, compileProgram, FUNCTION_NAMES, parseExpression } from '../../src/model/expression.js';

fc.configureGlobal({ seed: 7 });

const VARS = ['A', 'B', 'C', 'D'];
const slot = (n: string): number => VARS.indexOf(n);

const awkward = fc.constantFrom(0, -0, 1, -1, 0.5, 2, 70, NaN, Infinity, -Infinity, 5e-324, -5e-324, 1e308, -1e308, 1e-300, Math.PI);
const value = fc.oneof(awkward, fc.double());

const BIN = ['+', '-', '*', '/', '^', '==', '!=', '<', '<=', '>', '>=', '&&', '||'];
const FNS = FUNCTION_NAMES.filter((f) => f !== 'if');
const ARITY: Readonly<Record<string, number>> = { min: 2, max: 2, pow: 2 };

const ast: fc.Arbitrary<Ast> = fc.letrec<{ e: Ast }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    value.map((v): Ast => ({ k: 'num', v })),
    fc.constantFrom(...VARS).map((name): Ast => ({ k: 'var', name })),
    fc.record({ op: fc.constantFrom<'-' | '!'>('-', '!'), a: tie('e') }).map(({ op, a }): Ast => ({ k: 'un', op, a })),
    fc.record({ op: fc.constantFrom(...BIN), a: tie('e'), b: tie('e') }).map(({ op, a, b }): Ast => ({ k: 'bin', op, a, b })),
    fc.record({ c: tie('e'), a: tie('e'), b: tie('e') }).map(({ c, a, b }): Ast => ({ k: 'if', c, a, b })),
    fc.record({ fn: fc.constantFrom(...FNS), a: tie('e'), b: tie('e') }).map(({ fn, a, b }): Ast => ({ k: 'call', fn, args: (ARITY[fn] ?? 1) === 2 ? [a, b] : [a] })),
  ),
})).e;

const vars = fc.array(value, { minLength: VARS.length, maxLength: VARS.length });

describe('generated expressions and closures give the same doubles', () => {
  it('one expression', () => {
    fc.assert(
      fc.property(ast, vars, (a, v) => {
        const generated = compileExpression(a, slot)(v);
        const closures = compileClosures(a, slot)(v);
        expect(Object.is(generated, closures) || (Number.isNaN(generated) && Number.isNaN(closures))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('a program: each step reads the slots the steps before it wrote', () => {
    fc.assert(
      fc.property(fc.array(ast, { minLength: 1, maxLength: 4 }), vars, (asts, v) => {
        // step j writes slot 4 + j and may read any slot before it
        const names = [...VARS, 'P0', 'P1', 'P2', 'P3'];
        const at = (n: string): number => names.indexOf(n);
        const steps = asts.map((a, j) => ({ s: VARS.length + j, ast: j > 0 ? ({ k: 'bin', op: '+', a, b: { k: 'var', name: `P${j - 1}` } } as Ast) : a }));
        const g = Float64Array.from([...v, 0, 0, 0, 0]);
        const c = Float64Array.from([...v, 0, 0, 0, 0]);
        compileProgram(steps, at)(g);
        for (const st of steps) c[st.s] = compileClosures(st.ast, at)(c);
        for (let i = 0; i < g.length; i++) expect(Object.is(g[i], c[i]) || (Number.isNaN(g[i]) && Number.isNaN(c[i]))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('a model formula reads as written', () => {
    const a = parseExpression('TVCL * (WT / 70)^0.75 * exp(ETA_CL) + (SEX == 1 ? -0 : 0.5) * max(AGE, 18)');
    const names = ['TVCL', 'WT', 'ETA_CL', 'SEX', 'AGE'];
    const at = (n: string): number => names.indexOf(n);
    const v = [4, 80, 0.1, 1, 12];
    expect(compileExpression(a, at)(v)).toBe(4 * Math.pow(80 / 70, 0.75) * Math.exp(0.1) + -0 * 18);
    expect(Object.is(compileExpression(a, at)(v), compileClosures(a, at)(v))).toBe(true);
  });

  it('a model where generated code is refused (node --disallow-code-generation-from-strings) gives the same kernel sets', () => {
    if (!existsSync('dist/src/model/model.js')) return; // the child runs the built package
    const file = 'examples/vpc/model.json';
    // a kernel set per vector of inputs, through the model's evaluator
    const script = `
      const { defineModel } = await import(process.cwd() + '/dist/src/model/model.js');
      const model = defineModel(JSON.parse((await import('node:fs')).readFileSync('${file}', 'utf8')));
      const ev = model.slots;
      const out = [];
      for (const [wt, e] of [[70, 0], [40, 0.3], [120, -0.7], [0.5, 2]]) {
        const v = new Float64Array(ev.nSlots);
        ev.inputs.forEach((n, i) => (v[ev.slot(n)] = n === 'WT' ? wt : n.startsWith('ETA') ? e : ev.defaults[i]));
        const k = new Float64Array(model.parStride);
        const bad = ev.run(v, k, 0);
        out.push(bad ? bad.why : [...k]);
      }
      let generated = true;
      try { new Function('return 1'); } catch { generated = false; }
      console.log(JSON.stringify({ generated, out }));`;
    const run = (flags: string[]): { generated: boolean; out: unknown[] } =>
      JSON.parse(execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], { encoding: 'utf8' }).trim()) as { generated: boolean; out: unknown[] };
    const closures = run(['--disallow-code-generation-from-strings']);
    const generated = run([]);
    expect(closures.generated).toBe(false);
    expect(generated.generated).toBe(true);
    expect(closures.out).toEqual(generated.out);
    // and this process's own model (generated code under vitest) agrees with both
    const model = defineModel(JSON.parse(readFileSync(file, 'utf8')));
    const k = new Float64Array(model.parStride);
    const v = new Float64Array(model.slots.nSlots);
    model.slots.inputs.forEach((n, i) => (v[model.slots.slot(n)] = n === 'WT' ? 70 : n.startsWith('ETA') ? 0 : (model.slots.defaults[i] as number)));
    expect(model.slots.run(v, k, 0)).toBeUndefined();
    expect([...k]).toEqual(generated.out[0]);
  });
});
