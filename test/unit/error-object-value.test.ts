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

// f7390e0 showed a Map, a Set or an Error as "(got {})", their JSON: what was given was hidden
describe('a Map, a Set, an Error after "got"', () => {
  it('named with its size, or the message', () => {
    expect(Errors.record(1, 'X', new Map([['CL', 4]]), 'why').message).toContain('(got a Map of 1 entry)');
    expect(Errors.record(1, 'X', new Map([['CL', 4], ['V', 40]]), 'why').message).toContain('(got a Map of 2 entries)');
    expect(Errors.record(1, 'X', new Set([1, 2, 3]), 'why').message).toContain('(got a Set of 3)');
    expect(Errors.record(1, 'X', new Error('boom'), 'why').message).toContain('(got an Error: boom)');
    expect(Errors.record(1, 'X', new (class Dose {})(), 'why').message).toContain('(got an object of class Dose)');
    // JSON only for plain objects and arrays
    expect(Errors.record(1, 'X', [1, 2], 'why').message).toContain('(got [1,2])');
    expect(Errors.record(1, 'X', Object.assign(Object.create(null) as object, { a: 1 }), 'why').message).toContain('(got {"a":1})');
  });
});
