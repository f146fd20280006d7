// A regimen JSON dose with "ss": 3 (NONMEM's SS 1 with its steady-state search started from the
// current state) was refused with zod's bare words, 'reg3.json, doses.0.ss: Invalid input (got 3)',
// which said neither the values a regimen takes nor what to write. A regimen JSON takes 0, 1 or 2;
// for 3 the refusal says to give 1: dosewise's steady state of a regimen is SS 1's, the same as SS 3's
// in a model linear in its states (where a data set's SS 3 is read as SS 1).

import { describe, expect, it } from 'vitest';
import { parseRegimenJson } from '../../../src/regimen/file.js';
import { caught } from '../refused.js';

const reg = (ss: unknown) => ({ doses: [{ time: 0, amt: 100, ii: 12, ss, addl: 1 }], observe: [{ grid: { from: 0, to: 24, step: 2 } }] });

describe('a regimen JSON dose\'s "ss"', () => {
  it('3: refused with the values allowed and "give 1"', () => {
    const e = caught(() => parseRegimenJson(reg(3), 'reg3.json'));
    expect(e.message).toMatch(/^reg3\.json, doses\.0\.ss: must be 0, 1 or 2; .*NONMEM's SS 3.*give "ss": 1.* \(got 3\)$/);
    expect(e.message).not.toMatch(/Invalid input/);
  });

  it('another value: the values allowed', () => {
    for (const v of [4, -1, 1.5, '1'])
      expect(caught(() => parseRegimenJson(reg(v), 'r.json')).message).toMatch(/^r\.json, doses\.0\.ss: must be 0, 1 or 2 \(NONMEM.s SS: [^;]*\(got .*\)$/);
  });

  it('0, 1 and 2 are read as before', () => {
    for (const v of [0, 1, 2]) expect(parseRegimenJson(reg(v), 'r.json').filter((r) => r.EVID === 1)[0]?.SS).toBe(v);
  });
});
