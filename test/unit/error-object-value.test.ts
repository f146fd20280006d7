// A value named after "got" that is an object was shown as "[object Object]" (a regimen's observe
// entry with an unknown key: `observe.0: Unrecognized key: "dvid" (got [object Object])`).
import { describe, expect, it } from 'vitest';
import { parseRegimenJson } from '../../src/regimen/file.js';
import { Errors } from '../../src/errors.js';

describe('an object after "got"', () => {
  it('is shown as its JSON, cut at 64 characters', () => {
    expect(Errors.record(1, 'X', { a: 1, b: [2, 3] }, 'why').message).toContain('(got {"a":1,"b":[2,3]})');
    const long = Errors.record(1, 'X', { key: 'v'.repeat(200) }, 'why').message;
    expect(long).toMatch(/\(got \{"key":"v+…\)$/);
    expect(long).not.toContain('[object Object]');
  });
  it('in a regimen observe entry with an unknown key', () => {
    expect(() => parseRegimenJson({ doses: [{ time: 0, amt: 100 }], observe: [{ grid: { from: 0, to: 24, step: 1 }, cmt: 3, dvid: 2 }] }, 'futm.json')).toThrow(/dvid/);
    try {
      parseRegimenJson({ doses: [{ time: 0, amt: 100 }], observe: [{ grid: { from: 0, to: 24, step: 1 }, cmt: 3, dvid: 2 }] }, 'futm.json');
    } catch (e) {
      expect((e as Error).message).not.toContain('[object Object]');
    }
  });
});
