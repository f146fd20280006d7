// More forms of a θ per kg that ran as something else, exit 0 (the model files in
// test/fixtures/units-per-kg, .json.txt so that the loops over valid model files skip them): TVV 0.7 L/kg with V = TVV*WT/70 (no brackets) ran as 0.8 L for
// 56 L (C(1 h) 1250 for 17.857), TVCL in "mL/min/kg TBW" (a unit dosewise cannot read) with
// CL = TVCL*WT ran 16.7 times too high, "L/h for 70 kg" as per kg, and a weight declared in lb as kg.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';

const load = (f: string) => () => defineModel(JSON.parse(readFileSync(`test/fixtures/units-per-kg/${f}.txt`, 'utf8')));

describe('a θ per kg in the forms papers write it', () => {
  it('is refused when the product is divided by a reference weight (no brackets)', () => {
    expect(load('f1a_perkg_V_WT_over_70.model.json')).toThrow(/TVV is in L\/kg, per kg of body weight, but V's expression divides its product by 70, a reference weight/);
    expect(load('f1c_perkg_CL_WT_over_70.model.json')).toThrow(/divides its product by 70, a reference weight/);
  });
  it('is refused when its unit per body size cannot be read beside the weight', () => {
    expect(load('f8a_unparsed_mLminkgTBW_perkg.model.json')).toThrow(/not a unit dosewise understands/);
    expect(load('f8f_L_h_for_70kg_perkg.model.json')).toThrow(/theta\.TVCL\.unit/);
  });
  it('is refused beside a weight in pounds', () => {
    expect(load('f3a_perkg_WT_in_lb.model.json')).toThrow(/WT, in lb, not in kg/);
  });
  it('still loads in the valid forms: TVV*WT/70*70 is TVV*WT', () => {
    expect(load('f6b_WT_over70_times70_accepted.model.json')).not.toThrow();
  });
  it('reads a capped weight min(WT, 100) and WT/1 as the weight, and refuses a surface in cm²', () => {
    const m = (cl: string, wtUnit = 'kg', clUnit = 'L/h/kg') => () =>
      defineModel({ dosewise: 2, name: 'x', structure: '1cmt-iv', theta: { TVCL: { value: 0.07, unit: clUnit }, TVV: { value: 50, unit: 'L' } }, covariates: { WT: { unit: wtUnit }, BSA: { unit: 'cm2' } }, parameters: { CL: { expr: cl, unit: 'L/h' }, V: { expr: 'TVV', unit: 'L' } } });
    expect(m('TVCL*min(WT,100)')).not.toThrow();
    expect(m('TVCL*max(WT, 40)')).not.toThrow();
    expect(m('TVCL*(WT/1)')).not.toThrow();
    expect(m('TVCL*BSA', 'kg', 'L/h/m2')).toThrow(/theta\.TVCL\.unit/);
  });
  it('refuses a θ per m² whose product is divided by 1.73 (read per 1.73 m²: CL 5.49 for 9.5 L/h)', () => {
    expect(load('f2a_perm2_BSA_over_173.model.json')).toThrow(/per m² of body surface, but CL's expression divides its product by 1\.73/);
  });
});
