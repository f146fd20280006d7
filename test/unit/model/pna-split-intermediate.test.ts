// An intermediate was checked on its own: PNAH = PNA^HILL beside FMAT = 0.3 + 0.7·PNAH/(T50^HILL + PNAH)
// refused PNA 0 ("parameter PNAH: its expression takes a power of PNA") where the inline form ran.
// An intermediate that is not itself used as a data item is checked where it is used, walked inline.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';

type File = { parameters: Record<string, unknown> };
const split = JSON.parse(readFileSync('test/unit/model/fixtures/pna-split.json', 'utf8')) as File;

describe('a power of a data item in an intermediate used inside a sum', () => {
  it('PNA 0 runs: FMAT = 0.3, CL = 0.047·20·0.3 = 0.282 (closed form), as the inline form', () => {
    const m = defineModel(split as never);
    const v = m.evaluate({ WT: 3, ClCr: 20, PNA: 0 }).values;
    expect(v.FMAT).toBe(0.3);
    expect(v.CL).toBeCloseTo(0.047 * 20 * 0.3, 12);
    const inline = { ...split, parameters: { ...split.parameters, FMAT: '0.3 + 0.7 * PNA^HILL / (T50^HILL + PNA^HILL)' } } as Record<string, unknown>;
    delete (inline.parameters as Record<string, unknown>).PNAH;
    expect(defineModel(inline as never).evaluate({ WT: 3, ClCr: 20, PNA: 0 }).values.CL).toBeCloseTo(0.282, 12);
  });

  it('PNA −1 is still refused where HILL 2.5 makes (−1)^2.5 NaN, named by the structural K = CL/V that uses it', () => {
    const nan = { ...split, theta: { ...(split as unknown as { theta: Record<string, unknown> }).theta, HILL: { value: 2.5 } } };
    expect(() => defineModel(nan as never).evaluate({ WT: 3, ClCr: 20, PNA: -1 }, undefined, 2)).toThrow(/row 2, parameter K: its expression takes a power of PNA/);
  });
});
