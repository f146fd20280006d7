// A key written twice in one JSON object: JSON.parse keeps the last, so a regimen's
// `"amt": 1000, "amt": 500` ran 500 mg (cmax 12.06 for 24.11), a covariate declared twice took its
// second distribution and a model's TVCL its second value, all exiting 0. Refused now, with its place.

import { describe, expect, it } from 'vitest';
import { duplicateJsonKey } from '../../src/json-duplicate-keys.js';
import { parseJsonText } from '../../src/cli/io.js';
import { readRegimen } from '../../src/regimen/file.js';
import { caught } from './refused.js';

describe('duplicateJsonKey', () => {
  it('finds the first key given twice in one object, with its object path and offset', () => {
    const text = '{"doses": [{"amt": 1000, "time": 0}, {"amt": 1000, "amt": 500}]}';
    expect(duplicateJsonKey(text)).toEqual({ key: 'amt', path: 'doses.1', offset: text.lastIndexOf('"amt"') });
    expect(duplicateJsonKey('{"a": 1, "b": {"c": 1, "d": [1, {"e": 2, "e": 3}]}}')).toEqual({ key: 'e', path: 'b.d.1', offset: 41 });
    expect(duplicateJsonKey('{"a": 1, "a": 2}')?.path).toBe('');
  });
  it('compares keys as JSON.parse does (escapes decoded) and ignores keys of different objects and strings', () => {
    expect(duplicateJsonKey('{"ab": 1, "a\\u0062": 2}')?.key).toBe('ab');
    expect(duplicateJsonKey('{"x": {"a": 1}, "y": {"a": 1}, "a": [{"a": 1}, {"a": 2}]}')).toBeUndefined();
    expect(duplicateJsonKey('{"a": "\\"b\\": {\\"a\\": 1, \\"a\\": 2}", "b": ", \\"a\\""}')).toBeUndefined();
    expect(duplicateJsonKey('[1, 2, {"k": [], "l": {}}]')).toBeUndefined();
  });
  it('is refused by every JSON file the command line reads, naming the file, line, column and the object', () => {
    const e = caught(() => parseJsonText('{\n  "theta": { "TVCL": 4,\n    "TVCL": 9 }\n}', 'm.json'));
    expect(e.message).toBe('m.json, line 3, column 5: key "TVCL" is given twice in theta: JSON keeps only the last, so one of the two values would be dropped without a word; keep one');
  });
  it('is refused in a regimen JSON ("amt": 1000, "amt": 500 ran 500 mg)', () => {
    expect(caught(() => readRegimen('{"doses": [{"time": 0, "amt": 1000, "amt": 500}]}', 'reg.json')).message).toBe('reg.json: key "amt" is given twice in doses.0: JSON keeps only the last, so one of the two values would be dropped without a word; keep one');
  });
});
