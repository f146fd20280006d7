// A model file giving the observed compartment's scale both ways, observe.scale and a parameter
// S<n>, ran on observe.scale without a word: W-map with "scale": "V" and "S1": "V/1000" predicted
// 18.07 at 2 h where S1 alone gives 18073.66 (ng/mL for mg doses). A model text refuses an S<n>
// given both ways; the model file now refuses it too when the two differ.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { mapObjective } from '../../../src/bayes/objective.js';
import { DosewiseError } from '../../../src/errors.js';

type Json = Record<string, unknown>;
const wmap = (s1: unknown, scale?: unknown): Json => {
  const m = JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')) as Json;
  if (s1 !== undefined) (m.parameters as Json).S1 = s1;
  m.observe = { compartment: 1, ...(scale !== undefined ? { scale } : {}) };
  return m;
};
const records = readNmtran(['ID,TIME,EVID,AMT,CMT,DV,MDV', '1,0,1,1000,1,.,1', '1,2,0,.,1,18000,0'].join('\n')).records;

describe('a scale given both as observe.scale and as S<n>', () => {
  it('is refused when the two differ (observe.scale "V" won over "S1": "V/1000", 18.07 for 18073.66)', () => {
    let err: unknown;
    try {
      defineModel(wmap('V/1000', 'V'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DosewiseError);
    expect((err as DosewiseError).code).toBe('E_MODEL');
    expect((err as DosewiseError).place.path).toBe('observe.scale');
    expect((err as Error).message).toBe(
      'model observe.scale: the scale of compartment 1 is given both ways, as observe.scale "V" and as parameters.S1 "V/1000", which differ: give it once (remove observe.scale, or S1) (got "V")',
    );
    // a number against an expression, and {value} against a number
    expect(() => defineModel(wmap({ value: 30 }, 'V'))).toThrow(/given both ways/);
    expect(() => defineModel(wmap(30, 31))).toThrow(/given both ways/);
  });

  it('passes when both say the same (spacing aside), and S1 alone scales as NONMEM does: 18073.66 at 2 h', () => {
    expect(() => defineModel(wmap('V / 1000', 'V/1000'))).not.toThrow();
    expect(() => defineModel(wmap({ value: 30 }, 30))).not.toThrow();
    // A1(2 h)/(V/1000) of the two-compartment bolus (CL 4, V 30, Q 6, V2 50, 1000 mg), expm of the
    // rate matrix in scipy: 18073.656873771903 (measured: equal)
    const ipred = mapObjective(defineModel(wmap('V/1000')), records).predict([0, 0]).ipred;
    expect(Math.abs((ipred[1] as number) - 18073.656873771903) / 18073.656873771903).toBeLessThan(1e-12);
  });
});
