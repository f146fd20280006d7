// The 0/1 flag rule of src/model/covariate-flags.ts, shared by the browser tool's covariate fields
// (src/web/case.ts) and the command line's --set / --grid / --param (src/cli/args.ts).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { declaredCovariateUnit, flagValueProblem, isFlagUnit } from '../../src/model/covariate-flags.js';
import { builtinModel, defineModel } from '../../src/model/model.js';
import { covariateProblem } from '../../src/web/case.js';
import { checkModelNames } from '../../src/cli/args.js';

const goti = defineModel(JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')));

describe('0/1 flag covariates', () => {
  it('a unit "0/1" (spaces around allowed) marks a flag; a flag takes 0 or 1 only', () => {
    expect(isFlagUnit('0/1')).toBe(true);
    expect(isFlagUnit(' 0/1 ')).toBe(true);
    for (const u of ['kg', '', '1..5', undefined]) expect(isFlagUnit(u)).toBe(false);
    expect(flagValueProblem('0/1', 0)).toBeUndefined();
    expect(flagValueProblem('0/1', 1)).toBeUndefined();
    for (const v of [2, 0.5, -1, NaN]) expect(flagValueProblem('0/1', v)).toBe('must be 0 or 1');
    expect(flagValueProblem('kg', 2)).toBeUndefined();
    expect(flagValueProblem(undefined, 2)).toBeUndefined();
  });

  it("reads the unit a model file declares; a built-in structure or an undeclared name has none", () => {
    expect(declaredCovariateUnit(goti, 'DIAL')).toBe('0/1');
    expect(declaredCovariateUnit(goti, 'WT')).toBe('kg');
    expect(declaredCovariateUnit(goti, 'CL')).toBeUndefined();
    expect(declaredCovariateUnit(goti, 'constructor')).toBeUndefined();
    expect(declaredCovariateUnit(builtinModel('1cmt-iv'), 'CL')).toBeUndefined();
  });

  it('the browser tool and the command line refuse the same values', () => {
    for (const v of [0, 1, 2, 0.5]) {
      const web = covariateProblem('DIAL', '0/1', v);
      let cli: string | undefined;
      try {
        checkModelNames(goti, { DIAL: v }, 'set');
      } catch (e) {
        cli = (e as Error).message;
      }
      expect(cli === undefined).toBe(web === undefined);
    }
    expect(() => checkModelNames(goti, { DIAL: 2 }, 'param')).toThrow('--param DIAL=2: DIAL is a 0/1 flag of model vancomycin_goti_2018 (unit "0/1"): must be 0 or 1');
    expect(() => checkModelNames(goti, { WT: 2 }, 'set')).not.toThrow();
  });
});
