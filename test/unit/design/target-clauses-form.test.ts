// The {"clauses": [...]} form of a target JSON is checked as the {"target": [...]} form is: a field
// it does not read (a unit, a typo) was dropped without a word, and {"clauses": [{trough 2–8}],
// "unit": "umol/L"} ran as trough:2:8 in mg/L with exit 0.

import { describe, expect, it } from 'vitest';
import { parseTarget, targetText } from '../../../src/design/targets/targets.js';

const err = (x: unknown): string => {
  try {
    parseTarget(x);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('target JSON, clauses form', () => {
  it('refuses a field it does not read, as the target form does', () => {
    const clauses = [{ metric: 'trough', lo: 2, hi: 8 }];
    expect(err({ clauses, unit: 'umol/L' })).toBe('target: unknown field unit (expected clauses, description)');
    expect(err({ target: clauses, unit: 'umol/L' })).toBe('target: unknown field unit (expected target, description)');
    expect(err({ clauses, description: 'x', descripton: 'y' })).toBe('target: unknown field descripton (expected clauses, description)');
  });

  it('refuses an unknown field of a clause in either form', () => {
    const bad = [{ metric: 'trough', lo: 2, hi: 8, unit: 'umol/L' }];
    expect(err({ clauses: bad })).toBe('target trough: unknown field unit (expected fu, lo, hi)');
    expect(err({ target: bad })).toBe('target trough: unknown field unit (expected fu, lo, hi)');
  });

  it('reads the known fields', () => {
    const t = parseTarget({ clauses: [{ metric: 'trough', lo: 2, hi: 8 }], description: 'trough 2–8 mg/L' });
    expect(targetText(t)).toBe('trough:2:8');
    expect(t.description).toBe('trough 2–8 mg/L');
  });
});
