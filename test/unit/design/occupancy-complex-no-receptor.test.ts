// `occupancy --definition complex --receptor 0`: with no receptor the complex
// definition, complex/(receptor + complex), is 0/0 at every dose, and the search ended in
// "solver: occupancy 0.9 at trough: the exposure at dose 6.397543507156108 is not a number", which
// blamed the solver and named neither R0 = 0 nor the cause. Now a refusal of the option, naming R0 = 0;
// the kd definition at R0 = 0 still runs (the no-binding dose).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { occupancyDoses } from '../../../src/design/occupancy/occupancy.js';
import { DosewiseError } from '../../../src/errors.js';

const model = defineModel(JSON.parse(readFileSync('examples/occupancy-tmdd.model.json', 'utf8')));

describe('occupancy, complex definition, R0 = 0', () => {
  it('is refused naming R0 = 0 and why, before any simulation', () => {
    let err: unknown;
    try {
      occupancyDoses(model, { target: 0.9, regimen: { interval: 168 }, receptor: [1, 0], definition: 'complex' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DosewiseError);
    const m = (err as DosewiseError).message;
    expect(m).toContain('R0 = 0');
    expect(m).toMatch(/complex\/\(receptor \+ complex\)/);
    expect(m).not.toMatch(/not a number/);
  });

  it('the kd definition at R0 = 0 runs: the no-binding dose (3.55419 for τ 168, target 0.9, KD 0.1)', () => {
    const t = occupancyDoses(model, { target: 0.9, regimen: { interval: 168 }, receptor: [0] });
    // with no receptor the dose is the linear one (closed form, linearDose): scipy gave 3.55419
    expect(Math.abs((t.rows[0]?.dose as number) / (t.rows[0]?.linearDose as number) - 1)).toBeLessThan(1e-5);
    expect(Math.abs((t.rows[0]?.dose as number) / 3.55419 - 1)).toBeLessThan(2e-6);
  });
});
