// A linear structure whose F reads the dose record's amount (F1 = AMT > 750 ? 0.5 : 1) is not dose
// proportional: banding accepted it (it checked the structure only), and optimize and the nomogram
// would scale one simulated dose to every other. Each now asks the model, not its structure.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { doseProportional, notDoseProportional } from '../../../src/model/dose-proportional.js';

const file = { dosewise: 2, name: 'doseF', structure: '1cmt-iv', covariates: { WT: { default: 70 } }, parameters: { CL: '5*WT/70', V: 50, F1: 'AMT > 750 ? 0.5 : 1' }, compartments: { '1': { bioavailability: 'F1' } } };
const model = defineModel(file);

describe('models whose expressions read AMT or RATE', () => {
  it('are not dose proportional, and say why', () => {
    expect(doseProportional(model)).toBe(false);
    expect(notDoseProportional(model)).toBe('model doseF reads AMT in its parameters or dose modifiers, so its exposure is not');
    expect(doseProportional(defineModel({ ...file, parameters: { CL: '5*WT/70', V: 50, F1: 0.5 } }))).toBe(true);
  });

});
