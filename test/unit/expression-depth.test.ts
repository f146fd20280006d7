// Expressions nested beyond MAX_EXPRESSION_DEPTH are refused with an error naming the model field
// (parsing, compiling and evaluating recurse once per level: a deep enough tree would exhaust the
// stack); formulas up to the limit still parse and evaluate.

import { describe, expect, it } from 'vitest';
import { DosewiseError } from '../../src/errors.js';
import { MAX_EXPRESSION_DEPTH, compileExpression, parseExpression } from '../../src/model/expression.js';
import { defineModel } from '../../src/model/model.js';

const N = 20_000;
const DEEP: Record<string, string> = {
  brackets: '('.repeat(N) + 'x' + ')'.repeat(N),
  'a long sum': Array(N).fill('x').join(' + '),
  'a long product': Array(N).fill('x').join('*'),
  'prefix minus': '-'.repeat(N) + 'x',
  powers: Array(N).fill('x').join('^'),
  conditionals: 'x ? 1 : '.repeat(N) + '0',
  calls: 'exp('.repeat(N) + 'x' + ')'.repeat(N),
  'an and-chain': Array(N).fill('x').join(' && '),
};

describe('expression depth limit', () => {
  for (const [what, src] of Object.entries(DEEP)) {
    it(`${what}, ${N.toLocaleString('en-US')} deep: E_EXPRESSION naming the field, short message`, () => {
      let err: unknown;
      try {
        parseExpression(src, 'parameters.CL.expr');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DosewiseError);
      const e = err as DosewiseError;
      expect(e.code).toBe('E_EXPRESSION');
      expect(e.message).toMatch(/^model parameters\.CL\.expr: expression .* nested more than 500 levels deep/);
      expect(e.message.length).toBeLessThan(400);
    });
  }

  it('formulas at the limit parse and evaluate', () => {
    const d = MAX_EXPRESSION_DEPTH - 1;
    const cases: [string, number][] = [
      ['('.repeat(d) + 'x' + ')'.repeat(d), 3],
      [Array(d).fill('x').join('+'), 3 * d],
      ['-'.repeat(d - 1) + 'x', (d - 1) % 2 === 0 ? 3 : -3],
      ['+'.repeat(N) + 'x', 3], // unary plus builds no node: no depth
    ];
    for (const [src, want] of cases) expect(compileExpression(parseExpression(src), () => 0)([3])).toBe(want);
  });

  it('a model file with a deep expression: E_EXPRESSION naming parameters.CL.expr', () => {
    const file = {
      dosewise: 2,
      name: 'deep',
      structure: '1cmt-iv',
      parameters: { CL: { expr: Array(N).fill('1').join('+') }, V: 10 },
    };
    expect(() => defineModel(file)).toThrow(/parameters\.CL\.expr: expression .*nested more than 500 levels/);
  });
});
