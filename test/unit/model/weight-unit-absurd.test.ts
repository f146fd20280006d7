// W_WEIGHT_UNIT for a weight that is no patient's in either unit (WT 1e300) advised a conversion that
// does not help: "WT 1e+300 read as 1e+300 kg; in grams it is 1e+297 kg. If it is in grams, convert
// it". Where the other unit's reading is above any patient's weight too, the warning now says the value
// is implausible in both and to check it; WT 70000 (grams) keeps its advice.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { suspectUnitProblem } from '../../../src/model/covariate-flags.js';
import { defineModel } from '../../../src/model/model.js';

const goti = defineModel(JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')) as object);

describe('W_WEIGHT_UNIT of a weight implausible in either unit', () => {
  it('WT 1e300: no advice to convert from grams; it names both readings', () => {
    const w = suspectUnitProblem(goti, 'WT', 1e300)?.warning;
    expect(w).toBeDefined();
    expect(w).not.toMatch(/If it is in grams, convert it/);
    expect(w).toMatch(/^W_WEIGHT_UNIT: WT 1e\+300 read as 1e\+300 kg, and in grams it is 1e\+297 kg: implausible for a body weight in either unit; check the value/);
    // 700,000 g = 700 kg: still above in grams
    expect(suspectUnitProblem(goti, 'WT', 7e5)?.warning).toMatch(/in grams it is 700 kg: implausible for a body weight in either unit/);
  });

  it('WT 70000 keeps its advice (70 kg in grams)', () => {
    expect(suspectUnitProblem(goti, 'WT', 70000)?.warning).toBe('W_WEIGHT_UNIT: WT 70000 read as 70000 kg; in grams it is 70 kg. If it is in grams, convert it to kg');
  });
});
