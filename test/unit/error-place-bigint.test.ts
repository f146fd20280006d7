// A BigInt given as an input (egfrCkdEpi2021Cr({ ageYears: 60n }), a BigInt ID) was refused, but
// error.place.value held the BigInt, so JSON.stringify(error.place) threw "Do not know how to
// serialize a BigInt" in the app's error logging; and the message said "(got 60)", hiding the type.
// The place now carries "60n" (valueNotKept), and the message shows 60n as a BigInt.

import { describe, expect, it } from 'vitest';
import { egfrCkdEpi2021Cr } from '../../src/clinical/index.js';
import { DosewiseError, Errors } from '../../src/errors.js';

function caught(f: () => unknown): DosewiseError {
  try {
    f();
  } catch (e) {
    return e as DosewiseError;
  }
  throw new Error('not refused');
}

describe('a BigInt in an error', () => {
  it('a calculator input: the place is JSON, the message names the type', () => {
    const e = caught(() => egfrCkdEpi2021Cr({ scrMgDl: 1, ageYears: 60n as unknown as number, sex: 'male' }));
    expect(e.code).toBe('E_CLINICAL');
    expect(() => JSON.stringify(e.place)).not.toThrow();
    expect(e.place).toMatchObject({ path: 'ageYears', value: '60n', valueNotKept: true });
    expect(e.message).toBe('clinical input ageYears: must be a finite number (got 60n, a BigInt)');
  });

  it('any error built with one (a record cell, an option)', () => {
    const r = Errors.record(3, 'ID', 9007199254740993n, 'a cell must be a number');
    expect(JSON.stringify(r.place)).toBe('{"row":3,"column":"ID","value":"9007199254740993n","valueNotKept":true}');
    expect(r.message).toContain('9007199254740993n, a BigInt');
    const o = Errors.optionValue('n', 5n, 'must be a number');
    expect(() => JSON.stringify(o.place)).not.toThrow();
    expect(o.message).toBe('n: must be a number (got 5n, a BigInt)');
  });
});
