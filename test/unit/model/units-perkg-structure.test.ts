// The θ-per-kg check (src/model/units.ts bodySizeRefusal) read the forms papers write wrongly both ways:
// - any divisor from 10 to 150 was "a reference weight": CL = TVCL·WT·CRCL/100 (TVCL 0.05 L/h/kg),
//   TVCL·WT·exp(η)·CRCL/120 and V = TVV·WT·ALB/40 were refused, though the number normalises
//   CRCL (ALB), not the weight: TVCL·WT·(CRCL/100), the same model, ran (C(12 h) 8.6607);
// - a weight written as a cap or an alternative other than min(WT, 100) — WT > 100 ? 100 : WT,
//   if(WT>100, 100, WT), max(WT, IBW) — or as an adjusted body weight IBW + 0.4·(WT − IBW) was
//   refused with "multiplies it by no weight in kg", which is false;
// - V = TVV·WT^1·70^-1 (70^-1 not read as a number) ran as V = 0.7 L for 49: C(12 h) 8.5e-35 for
//   5.998; and TVV·WT/REFWT (REFWT a θ in kg) was refused saying "multiplies it by WT, not by WT".
// Reference levels: one compartment, 1000 mg bolus at 0, C(12) = 1000/V·exp(−CL/V·12) (python3 math.exp).

import { describe, expect, it } from 'vitest';
import { DosewiseError } from '../../../src/errors.js';
import { defineModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { regimen } from '../../../src/regimen/builder.js';

type Theta = Record<string, { value: number; unit?: string }>;
const model = (theta: Theta, cl: string, v: string, covariates: Record<string, { unit: string }>) =>
  defineModel({
    dosewise: 2,
    name: 't',
    structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
    theta,
    parameters: { CL: { expr: cl, unit: 'L/h' }, V: { expr: v, unit: 'L' } },
    covariates,
    omega: { etas: ['ETA_CL'], diagonal: [0.1] },
    residual: { model: 'proportional', proportional: 0.1 },
  });

const PER_KG_CL: Theta = { TVCL: { value: 0.05, unit: 'L/h/kg' }, TVV: { value: 0.7, unit: 'L/kg' } };
const PER_KG_V: Theta = { TVCL: { value: 5, unit: 'L/h' }, TVV: { value: 0.7, unit: 'L/kg' } };
const KG = { unit: 'kg' };

/** C(12 h) after 1000 mg at time 0, the covariates on every record (η = 0). */
function c12(m: ReturnType<typeof defineModel>, items: Record<string, number>): number {
  const { ipred } = simulate(m, regimen().dose({ time: 0, amt: 1000, cmt: 1, items }).observe({ times: [12], items }).records());
  return ipred[ipred.length - 1] as number;
}

/** Within 2e-15 relative of the closed form: the levels measured were within 2.1e-16 of it (one or two ulps). */
function near(actual: number, expected: number): void {
  expect(Math.abs(actual - expected) / expected, `${actual} for ${expected}`).toBeLessThan(2e-15);
}

function refusal(f: () => unknown): DosewiseError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DosewiseError);
    return e as DosewiseError;
  }
  throw new Error('not refused');
}

describe('a number dividing a per-kg product normalises the covariate beside the weight', () => {
  it('CL = TVCL·WT·CRCL/100 loads (it was refused as "a reference weight" 100 kg): C(12) 8.66067 as TVCL·WT·(CRCL/100)', () => {
    // CL = 0.05·70·100/100 = 3.5 L/h, V = 0.7·70 = 49 L: 1000/49·exp(−3.5/49·12) = 8.660670319937754
    const items = { WT: 70, CRCL: 100 };
    const cov = { WT: KG, CRCL: { unit: 'mL/min' } };
    near(c12(model(PER_KG_CL, 'TVCL*WT*CRCL/100*exp(ETA_CL)', 'TVV*WT', cov), items), 8.660670319937754);
    near(c12(model(PER_KG_CL, 'TVCL*WT*(CRCL/100)*exp(ETA_CL)', 'TVV*WT', cov), items), 8.660670319937754);
  });

  it('CL = TVCL·WT·exp(η)·CRCL/120 loads (refused as "a reference weight" 120 kg): C(12) 9.99065', () => {
    // CL = 0.05·70·100/120 = 2.91667 L/h: 1000/49·exp(−2.91667/49·12) = 9.990646113407207
    near(c12(model(PER_KG_CL, 'TVCL*WT*exp(ETA_CL)*CRCL/120', 'TVV*WT', { WT: KG, CRCL: { unit: 'mL/min' } }), { WT: 70, CRCL: 100 }), 9.990646113407207);
  });

  it('V = TVV·WT·ALB/40 loads (refused as "a reference weight" 40 kg): ALB 30 g/L, C(12) 5.31729', () => {
    // V = 0.7·70·30/40 = 36.75 L, CL 5 L/h: 1000/36.75·exp(−5/36.75·12) = 5.317291154006154
    near(c12(model(PER_KG_V, 'TVCL*exp(ETA_CL)', 'TVV*WT*ALB/40', { WT: KG, ALB: { unit: 'g/L' } }), { WT: 70, ALB: 30 }), 5.317291154006154);
    // per kg^0.75 beside WT^0.75: CRCL/100 is the normalisation there too
    expect(() => model({ ...PER_KG_CL, TVCL: { value: 0.15, unit: 'L/h/kg^0.75' } }, 'TVCL*WT^0.75*CRCL/100*exp(ETA_CL)', 'TVV*WT', { WT: KG, CRCL: { unit: 'mL/min' } })).not.toThrow();
    // undeclared units: two names at power 1, one the weight, the other normalised: not refused
    expect(() => model(PER_KG_V, 'TVCL*exp(ETA_CL)', 'TVV*WT*ALB/40', {})).not.toThrow();
  });

  it('still refuses TVV·WT/70 alone (0.8 L for 56 L) and TVV·(WT/70), whose 70 divides only the weight', () => {
    expect(() => model(PER_KG_V, 'TVCL*exp(ETA_CL)', 'TVV*WT/70', { WT: KG })).toThrow(/theta\.TVV\.unit: TVV is in L\/kg, per kg of body weight, but V's expression divides its product by 70, a reference weight/);
    expect(() => model(PER_KG_V, 'TVCL*exp(ETA_CL)', 'TVV*(WT/70)', { WT: KG })).toThrow(/multiplies it by WT\/70, a ratio without a unit/);
    // nor does an allometric ratio beside it make the 70 a normalisation
    expect(() => model(PER_KG_V, 'TVCL*exp(ETA_CL)', 'TVV*WT*(AGE/40)^-0.3/70', { WT: KG, AGE: { unit: 'years' } })).toThrow(/divides its product by 70, a reference weight/);
  });
});

describe('a weight written as a cap, an alternative or an adjusted body weight is a weight in kg', () => {
  // WT 120 kg, capped at 100 kg: V = 0.7·100 = 70 L: 1000/70·exp(−5/70·12) = 6.062469223956429
  for (const v of ['TVV*(WT>100 ? 100 : WT)', 'TVV*if(WT>100,100,WT)', 'TVV*min(WT,100)', 'TVV*if(WT>100, 100, 1*WT)'])
    it(`${v} loads${v.includes('min(') ? ' (as before: the form the others are read as)' : ' (it was refused: "multiplies it by no weight in kg")'}: WT 120, C(12) 6.06247`, () => {
      near(c12(model(PER_KG_V, 'TVCL*exp(ETA_CL)', v, { WT: KG }), { WT: 120 }), 6.062469223956429);
    });

  it('TVV·max(WT, IBW) loads (refused: "no weight in kg"): WT 55, IBW 60, V 42 L, C(12) 5.70598', () => {
    // 1000/42·exp(−5/42·12) = 5.70597705813752
    near(c12(model(PER_KG_V, 'TVCL*exp(ETA_CL)', 'TVV*max(WT,IBW)', { WT: KG, IBW: KG }), { WT: 55, IBW: 60 }), 5.70597705813752);
  });

  it('TVV·(IBW + 0.4·(WT − IBW)) loads (refused: "no weight in kg"): IBW 60, WT 120, 84 kg, C(12) 6.13006', () => {
    // V = 0.7·(60 + 0.4·60) = 58.8 L: 1000/58.8·exp(−5/58.8·12) = 6.1300644319357325
    near(c12(model(PER_KG_V, 'TVCL*exp(ETA_CL)', 'TVV*(IBW+0.4*(WT-IBW))', { WT: KG, IBW: KG }), { WT: 120, IBW: 60 }), 6.1300644319357325);
  });

  it('still refuses what is no weight in kg: a condition between numbers, an exponential of the weight, an age, a cap of a weight in g', () => {
    const cov = { WT: KG, AGE: { unit: 'years' } };
    expect(() => model(PER_KG_V, 'TVCL*exp(ETA_CL)', 'TVV*if(AGE<2, 1.2, 1)', cov)).toThrow(/V's expression multiplies it by no weight in kg/);
    expect(() => model(PER_KG_V, 'TVCL*exp(ETA_CL)', 'TVV*exp(0.01*(WT-70))', cov)).toThrow(/multiplies it by no weight in kg/);
    expect(() => model(PER_KG_V, 'TVCL*exp(ETA_CL)', 'TVV*(1+0.01*(AGE-40))', cov)).toThrow(/multiplies it by no weight in kg/);
    expect(() => model(PER_KG_V, 'TVCL*exp(ETA_CL)', 'TVV*(WT>100000 ? 100000 : WT)', { WT: { unit: 'g' } })).toThrow(/multiplies it by WT, in g, not in kg/);
    expect(() => model(PER_KG_V, 'TVCL*exp(ETA_CL)', 'TVV*max(WT,IBW)/70', { WT: KG, IBW: KG })).toThrow(/divides its product by 70, a reference weight/);
  });
});

describe('a reference weight written otherwise is refused, and named', () => {
  it('V = TVV·WT^1·70^-1 is refused (it ran as V = 0.7 L: C(12) 8.5e-35 for 5.99811)', () => {
    const e = refusal(() => model(PER_KG_V, 'TVCL*exp(ETA_CL)', 'TVV*WT^1*70^-1', { WT: KG }));
    expect(e.place.path).toBe('theta.TVV.unit');
    expect(e.message).toMatch(/divides its product by 70, a reference weight, so that TVV is read as V at 70 kg/);
    // V = TVV·WT, 49 L: 1000/49·exp(−5/49·12) = 5.998114590643304
    near(c12(model(PER_KG_V, 'TVCL*exp(ETA_CL)', 'TVV*WT', { WT: KG }), { WT: 70 }), 5.998114590643304);
  });

  it('TVV·WT/REFWT (REFWT a θ in kg) names REFWT (the message said "multiplies it by WT, not by WT")', () => {
    const theta = { ...PER_KG_V, REFWT: { value: 70, unit: 'kg' } };
    const e = refusal(() => model(theta, 'TVCL*exp(ETA_CL)', 'TVV*WT/REFWT', { WT: KG }));
    expect(e.message).toMatch(/TVV is in L\/kg, per kg of body weight, but V's expression divides its product by REFWT, a reference weight, so that TVV is read as V at REFWT; give TVV in L with V = TVV·\(WT\/REFWT\), or keep it per kg with V = TVV·WT/);
    expect(e.message).not.toMatch(/by WT, not by WT/);
  });
});

describe('a divisor of 24 or 60 beside a per-kg θ', () => {
  // 24 and 60 were let through everywhere as day and minute conversions: V = TVV·WT/60 with TVV in
  // L/kg ran as 1.17 L for 70 L (C(12) 6.6e-19). They convert only where the θ's unit says so.
  it('is a reference weight unless the θ is per day (or a duration in minutes)', () => {
    expect(() => model(PER_KG_V, 'TVCL', 'TVV*WT/60', { WT: KG })).toThrow(/divides its product by 60, a reference weight/);
    expect(() => model(PER_KG_V, 'TVCL', 'TVV*WT/24', { WT: KG })).toThrow(/divides its product by 24, a reference weight/);
    expect(() => model(PER_KG_CL, 'TVCL*WT/60', 'TVV*WT', { WT: KG })).toThrow(/divides its product by 60, a reference weight/);
    // L/day/kg with /24: a conversion to L/h/kg, the same model as 0.05 L/h/kg
    const perDay = model({ TVCL: { value: 1.2, unit: 'L/day/kg' }, TVV: { value: 0.7, unit: 'L/kg' } }, 'TVCL*WT/24*exp(ETA_CL)', 'TVV*WT', { WT: KG });
    const perHour = model(PER_KG_CL, 'TVCL*WT*exp(ETA_CL)', 'TVV*WT', { WT: KG });
    expect(c12(perDay, { WT: 70 })).toBeCloseTo(c12(perHour, { WT: 70 }), 12);
    expect(c12(perHour, { WT: 70 })).toBeCloseTo((1000 / 49) * Math.exp(-(3.5 / 49) * 12), 12);
  });
});
