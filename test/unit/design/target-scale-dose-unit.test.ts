// W_TARGET_SCALE without a standard dose (32bbe7e) read every model's doses as mg: a heparin model
// in IU at its ordinary anti-Xa target was told "auc24:7200:16800 needs 48,300 mg q24h
// (604 mg/kg/day at WT 80) ... more than 500 mg/kg/day, no drug's dose". The rule now holds only
// where the model states its doses in mg or g (observe.unit with scale V, "dose in mg", or the drug's
// "doses in ..."); a model in IU, units, µg, mmol or stating no unit is not judged by it.
// Closed form: CL(80 kg) = 2.6·(80/70)^0.75 L/h; auc24 16800 needs 16800·CL per day, /80 per kg.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { parseTarget } from '../../../src/design/targets/targets.js';
import { neededDailyDosePerKg, specValues, targetScaleWarnings } from '../../../src/design/targets/target-scale.js';
import { modelDoseUnit } from '../../../src/design/targets/model-dose-unit.js';

const heparinFile = (drug: string, unit: string | undefined, scale = 'V') => ({
  dosewise: 2,
  name: 'heparin_antixa_example',
  drug,
  structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
  theta: { TVCL: { value: 2.6, unit: 'L/h' }, TVV: { value: 5.0, unit: 'L' } },
  parameters: { CL: { expr: 'TVCL * (WT/70)^0.75 * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV * (WT/70) * exp(ETA_V)', unit: 'L' } },
  covariates: { WT: { unit: 'kg', description: 'weight' } },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.1] },
  residual: { model: 'proportional', proportional: 0.2 },
  observe: { compartment: 1, scale, ...(unit === undefined ? {} : { unit }) },
});
const ref = { covariates: { WT: 80 }, interval: 24, infusion: 24 };
const values = specValues(parseTarget('auc24:7200:16800'));
const perKg = (16800 * 2.6 * (80 / 70) ** 0.75) / 80;

describe('W_TARGET_SCALE without a standard dose: only for doses in mg or g', () => {
  it('the heparin model in IU (IU/L, "doses in IU") at auc24:7200:16800 is not warned', () => {
    const hep = defineModel(heparinFile('unfractionated heparin (doses in IU, anti-Xa in IU/L)', 'IU/L'));
    expect(Math.abs((neededDailyDosePerKg(hep, values[values.length - 1] as (typeof values)[number], ref) as number) / perKg - 1)).toBeLessThan(1e-4);
    expect(perKg).toBeGreaterThan(600);
    expect(targetScaleWarnings(hep, values, ref)).toEqual([]);
  });

  it('the same model with no observe.unit, in units/L or in µg (ng/mL over V) is not warned either', () => {
    for (const [drug, unit] of [['drug X', undefined], ['drug X', 'units/L'], ['drug X', 'ng/mL'], ['drug X', 'mmol/L']] as const)
      expect(targetScaleWarnings(defineModel(heparinFile(drug, unit)), values, ref), String(unit)).toEqual([]);
  });

  it('the same numbers in mg (mg/L over V) are still warned, 604 mg/kg/day', () => {
    const w = targetScaleWarnings(defineModel(heparinFile('drug X', 'mg/L')), values, ref);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^W_TARGET_SCALE: target auc24:7200:16800 needs 48,300 mg q24h \(604 mg\/kg\/day at WT 80\)/);
  });

  it('in g (g/L over V): judged in mg/kg/day, the dose shown in g', () => {
    const w = targetScaleWarnings(defineModel(heparinFile('drug X', 'g/L')), specValues(parseTarget('auc24:7.2:16.8')), ref);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/needs 48\.3 g q24h \(604 mg\/kg\/day at WT 80\)/);
  });

  it('modelDoseUnit reads the stated unit', () => {
    const unitOf = (drug: string, unit: string | undefined, scale = 'V') => modelDoseUnit({ file: heparinFile(drug, unit, scale) } as unknown as Parameters<typeof modelDoseUnit>[0])?.unit;
    expect(unitOf('drug X', 'mg/L')).toBe('mg');
    expect(unitOf('drug X', 'µg/mL')).toBe('mg');
    expect(unitOf('drug X', 'ng/mL', 'V / 1000')).toBe('mg');
    expect(unitOf('drug X', 'ng/mL (dose in mg)', 'V / 1000')).toBe('mg');
    expect(unitOf('drug X', 'ng/mL')).toBeUndefined();
    expect(unitOf('drug X (doses in IU)', 'mg/L')).toBeUndefined();
    expect(unitOf('drug X', 'IU/L')).toBeUndefined();
    expect(unitOf('drug X', undefined)).toBeUndefined();
  });
});
