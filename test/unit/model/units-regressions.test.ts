// Regressions of the θ and TMDD/Michaelis–Menten unit checks (commit 786cd62), found by reading
// model files the way papers write them:
// - "L/24h" on a TVCL was read as L/h (the 24 taken for the 1.73 of "per 1.73 m²"): C(24 h) after
//   1000 mg into 58.4 L was 9.08e-19 instead of 1000/58.4·exp(-4.5/58.4·24) = 2.6943;
// - molar units (nM, µM) were "not a unit dosewise understands", and a concentration's volume was
//   compared with V's (KM in µg/mL beside V in L refused, though µg/mL is mg/L);
// - a linear model's KM (a formation rate, 1/h) was refused as "a concentration";
// - a θ converted in its own expression (CL = TVCL·0.06 with TVCL in mL/min) was refused, with a
//   hint that would have converted it twice;
// - a fraction beside the typical value (CL = TVCL·FR, FR in %) was refused as CL's typical value.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { type Ast, parseExpression } from '../../../src/model/expression.js';
import { checkUnits } from '../../../src/model/units.js';
import { DosewiseError } from '../../../src/errors.js';
import { simulate } from '../../../src/engine/simulate.js';
import { regimen } from '../../../src/regimen/builder.js';

type Param = number | string | { value?: number; expr?: string; unit?: string };
type Theta = Record<string, number | { value: number; unit?: string }>;

/** checkUnits as src/model/model.ts calls it, with the structure's kind (model.ts passes it once its call site gives it). */
function check(parameters: Record<string, Param>, theta: Theta | undefined, structure: string): void {
  const expressions = new Map<string, Ast>();
  for (const [n, p] of Object.entries(parameters)) {
    if (typeof p === 'number') expressions.set(n, { k: 'num', v: p });
    else if (typeof p === 'string') expressions.set(n, parseExpression(p, n));
    else if (p.expr !== undefined) expressions.set(n, parseExpression(p.expr, n));
    else expressions.set(n, { k: 'num', v: p.value ?? 0 });
  }
  const units = Object.fromEntries(Object.entries(parameters).map(([n, p]) => [n, typeof p === 'object' ? p.unit : undefined]));
  checkUnits(units, { theta, expressions, structure });
}

function refusal(f: () => void): DosewiseError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DosewiseError);
    return e as DosewiseError;
  }
  throw new Error('not refused');
}

const linear = (theta: Theta, parameters: Record<string, Param>, extra: Record<string, unknown> = {}) => ({
  dosewise: 2,
  name: 't',
  structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
  theta,
  parameters,
  ...(JSON.stringify(parameters).includes('ETA_CL') ? { omega: { etas: ['ETA_CL'], matrix: [[0.1]] } } : {}),
  ...extra,
});

/** C(24 h) after 1000 mg at time 0 (the one-compartment models below). */
function c24(model: ReturnType<typeof defineModel>): number {
  const { ipred } = simulate(model, regimen().dose({ time: 0, amt: 1000, cmt: 1 }).observe({ times: [24] }).records());
  return ipred[ipred.length - 1] as number;
}
// 1000/58.4·exp(-4.5/58.4·24) (python3 math.exp): CL 4.5 L/h = 108 L/day = 75 mL/min, V 58.4 L
const C24 = 2.694261984481737;

describe('a number in a unit', () => {
  it('refuses TVCL in "L/24h" (it ran as 108 L/h: C(24 h) 9.08e-19 for 2.6943), saying to divide by 24', () => {
    const file = linear({ TVCL: { value: 108, unit: 'L/24h' }, TVV: { value: 58.4, unit: 'L' } }, { CL: { expr: 'TVCL*exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV', unit: 'L' } });
    const e = refusal(() => defineModel(file));
    expect(e.place.path).toBe('theta.TVCL.unit');
    expect(e.message).toMatch(/dosewise runs on hours .*give TVCL per hour: divide it by 24/);
    for (const unit of ['L/24 h', 'L per 24 h', 'L/(24 h)']) expect(() => defineModel(linear({ TVCL: { value: 108, unit }, TVV: 58.4 }, { CL: 'TVCL', V: 'TVV' })), unit).toThrow(/theta\.TVCL\.unit: .*divide it by 24/);
    // as a parameter's unit too
    expect(() => defineModel(linear({}, { CL: { value: 108, unit: 'L/24h' }, V: { value: 58.4, unit: 'L' } }))).toThrow(/parameters\.CL\.unit: dosewise runs on hours .*: give CL per hour: divide a clearance or a rate constant in it by 24/);
    // divided by 24 as the message says, it gives the closed form
    const fixed = defineModel(linear({ TVCL: { value: 108 / 24, unit: 'L/h' }, TVV: { value: 58.4, unit: 'L' } }, { CL: 'TVCL', V: 'TVV' }));
    expect(c24(fixed)).toBeCloseTo(C24, 9);
  });

  it('refuses "per 70 kg" (it was read as per kg), saying to give it per kg or, for a 70 kg patient, in L/h', () => {
    const file = linear({ TVCL: { value: 4.5, unit: 'L/h/70kg' }, TVV: { value: 58.4, unit: 'L/70 kg' } }, { CL: 'TVCL*(WT/70)^0.75*exp(ETA_CL)', V: 'TVV*WT/70' }, { covariates: { WT: { unit: 'kg', default: 70 } } });
    const e = refusal(() => defineModel(file));
    expect(e.place.path).toBe('theta.TVCL.unit');
    expect(e.message).toMatch(/"70 kg" in its unit .*give TVCL per kg \(L\/h\/kg, with CL = TVCL·WT\) or, the typical value of a 70 kg patient read with \(WT\/70\), in L\/h/);
    expect(() => check({ CL: 'TVCL*WT', V: 'TVV' }, { TVCL: { value: 0.06, unit: 'L/h per 70 kg' }, TVV: 50 }, 'linear')).toThrow(/theta\.TVCL\.unit: .*"70 kg" in its unit/);
    // per 1.73 m² of body surface stays a normalisation
    expect(() => check({ CL: 'TVCL*BSA/1.73', V: 'TVV' }, { TVCL: { value: 4.5, unit: 'L/h/1.73 m²' }, TVV: 50 }, 'linear')).not.toThrow();
  });

  it('"L/day per mL/min" is refused as "(L/day)/(mL/min)" is (it was taken as a slope of another dimension and not checked)', () => {
    const file = (unit: string) => linear({ TSLOPE: { value: 1.44, unit }, TVV: { value: 58.4, unit: 'L' } }, { CL: { expr: 'TSLOPE*CRCL*exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV', unit: 'L' } }, { covariates: { CRCL: { unit: 'mL/min', default: 75 } } });
    for (const unit of ['L/day per mL/min', '(L/day)/(mL/min)']) expect(() => defineModel(file(unit)), unit).toThrow(/theta\.TSLOPE\.unit: dosewise runs on hours .*divide it by 24/);
    for (const unit of ['L/h per mL/min', '(L/h)/(mL/min)']) expect(() => defineModel(file(unit)), unit).not.toThrow();
  });
});

describe('concentrations', () => {
  const tmdd = (units: Record<string, string>) => ({
    dosewise: 2,
    name: 'tmdd',
    structure: 'tmdd',
    covariates: { R0: { unit: 'nmol/L', default: 1 } },
    parameters: {
      V: { value: 3, unit: 'L' },
      KEL: { value: 0.005, unit: '1/h' },
      KON: { value: 0.5, unit: units.KON ?? 'L/nmol/h' },
      KOFF: { value: 0.05, unit: '1/h' },
      KINT: { value: 0.04, unit: '1/h' },
      KDEG: { value: 0.02, unit: '1/h' },
      KSYN: { expr: 'R0 * KDEG', unit: units.KSYN ?? 'nmol/L/h' },
    },
  });
  const mm = (units: Record<string, string | undefined>) => ({
    dosewise: 2,
    name: 'mm',
    structure: { kind: 'michaelis-menten', compartments: 1, depot: false },
    parameters: { V: { value: 50, unit: 'L' }, VMAX: { value: 20, unit: units.VMAX }, KM: { value: 5, unit: units.KM } },
  });

  it('reads molar units (KON in 1/nM/h or nM-1 h-1, KSYN in nM/h were "not a unit dosewise understands")', () => {
    for (const KON of ['1/nM/h', 'nM-1 h-1', '1/(nmol/L)/h', 'L/nmol/h', 'L·nmol⁻¹·h⁻¹']) expect(() => defineModel(tmdd({ KON })), KON).not.toThrow();
    for (const KSYN of ['nM/h', 'pmol/mL/h', 'nmol/L/h']) expect(() => defineModel(tmdd({ KSYN })), KSYN).not.toThrow();
    for (const KM of ['uM', 'µM', 'μM', 'µmol/L', 'nmol/mL']) expect(() => defineModel(mm({ VMAX: 'µmol/h', KM })), KM).not.toThrow();
  });

  it('compares a concentration as one (KM in µg/mL beside V in L was refused: "volume units disagree")', () => {
    for (const KM of ['µg/mL', 'ug/mL', 'mg/L', 'ng/µL']) expect(() => defineModel(mm({ VMAX: 'mg/h', KM })), KM).not.toThrow();
    // KON per nmol/L and KSYN in pmol/mL/h (also nmol/L) agree; KSYN in µmol/L/h is 1000 times KON's
    expect(() => defineModel(tmdd({ KSYN: 'pmol/mL/h' }))).not.toThrow();
    expect(() => defineModel(tmdd({ KSYN: 'µmol/L/h' }))).toThrow(/parameters\.KSYN\.unit: concentration units disagree: KON is in L\/nmol\/h \(concentrations in nmol\/L\) but KSYN in µmol\/L\/h \(in µmol\/L\)/);
    expect(() => defineModel(tmdd({ KSYN: 'mg/L/h' }))).toThrow(/parameters\.KSYN\.unit: concentration units disagree: .*moles.*a mass/);
  });

  it('KM against amount/V: mg/dL is 10 mg/L, and µM beside VMAX in mg/h needs the molar mass (refused, naming KM)', () => {
    expect(() => defineModel(mm({ VMAX: 'mg/h', KM: 'mg/dL' }))).toThrow(/parameters\.KM\.unit: concentration units disagree: KM is in mg\/dL .*amount\/V, is in mg\/L \(VMAX in mg\/h, V in L\): give it in mg\/L: multiply it by 10/);
    expect(() => defineModel(mm({ VMAX: 'mg/h', KM: 'µM' }))).toThrow(/parameters\.KM\.unit: KM is in µM, moles, but .*amount\/V, is in mg\/L .*dosewise does not know the molar mass/);
    expect(() => defineModel(mm({ VMAX: 'nmol/h', KM: 'µM' }))).toThrow(/parameters\.KM\.unit: concentration units disagree: .*give it in nmol\/L: multiply it by 1000/);
    // without VMAX's unit there is no amount to compare with
    expect(() => defineModel(mm({ VMAX: undefined, KM: 'µM' }))).not.toThrow();
  });

  it('checks KM, VMAX, KON, KSYN, KSS and KD only in the structures that read them (a linear model\'s KM in 1/h was refused as "a concentration")', () => {
    const pm = { KA: 'KM * exp(ETA_KP)', CL: 'TVCL * exp(ETA_CL)', V: 'TVV', KM: { value: 0.3, unit: '1/h' } };
    expect(() => check(pm, { TVCL: 2, TVV: 15 }, 'linear')).not.toThrow();
    expect(() => check({ ...pm, KM: { value: 0.3, unit: 'mg/L/h' } }, undefined, 'linear')).not.toThrow();
    expect(() => check({ CL: 2, V: 15, KON: { value: 1, unit: '1/h' }, KSS: { value: 1, unit: '1/h' }, VMAX: { value: 1, unit: 'L' } }, undefined, 'effect')).not.toThrow();
    // a θ named KM that is KA's typical value is checked as KA: 1/h
    expect(() => check({ KA: 'KM * exp(ETA_KP)', CL: 'TVCL', V: 'TVV' }, { KM: { value: 0.3, unit: '1/h' }, TVCL: 2, TVV: 15 }, 'linear')).not.toThrow();
    // where the structure reads them they are checked, as before
    expect(() => check({ V: { value: 50, unit: 'L' }, VMAX: 20, KM: { value: 0.3, unit: '1/h' } }, undefined, 'michaelis-menten')).toThrow(/parameters\.KM\.unit: KM is a concentration/);
    expect(() => check({ V: { value: 3, unit: 'L' }, KSS: { value: 0.3, unit: '1/h' } }, undefined, 'tmdd-qss')).toThrow(/parameters\.KSS\.unit: KSS is a concentration/);
    expect(() => check({ V: { value: 3, unit: 'L' }, KON: { value: 0.3, unit: 'L/nmol/day' } }, undefined, 'tmdd')).toThrow(/parameters\.KON\.unit: dosewise runs on hours/);
    expect(() => check({ V: { value: 3, unit: 'L' }, VMAX: { value: 20, unit: 'mg/day' } }, undefined, 'michaelis-menten')).toThrow(/parameters\.VMAX\.unit: dosewise runs on hours/);
  });
});

describe('a θ converted in its own expression', () => {
  const theta = (TVCL: string, cl: number, TVV = 'L', v = 58.4): Theta => ({ TVCL: { value: cl, unit: TVCL }, TVV: { value: v, unit: TVV } });
  const params = (CL: string, V = 'TVV'): Record<string, Param> => ({ CL: { expr: CL, unit: 'L/h' }, V: { expr: V, unit: 'L' } });

  it('loads the four conversions (all were refused, told to convert once more) and runs them as CL 4.5 L/h, V 58.4 L', () => {
    const cases: [string, ReturnType<typeof linear>][] = [
      ['75 mL/min × 0.06', linear(theta('mL/min', 75), params('TVCL*0.06*exp(ETA_CL)'))],
      ['108 L/day / 24', linear(theta('L/day', 108), params('TVCL/24*exp(ETA_CL)'))],
      ['58400 mL / 1000', linear(theta('L/h', 4.5, 'mL', 58400), params('TVCL*exp(ETA_CL)', 'TVV/1000'))],
      ['75 mL/min without units on CL and V: × 60 / 1000', linear(theta('mL/min', 75), { CL: 'TVCL*60/1000*exp(ETA_CL)', V: 'TVV' })],
    ];
    for (const [what, file] of cases) expect(c24(defineModel(file)), what).toBeCloseTo(C24, 9);
    // mL/min/kg · WT · 60/1000: 1.0714 mL/min/kg × 70 kg = 75 mL/min
    const perKg = linear({ TVCL: { value: 75 / 70, unit: 'mL/min/kg' }, TVV: { value: 58.4 / 70, unit: 'L/kg' } }, params('TVCL*WT*60/1000*exp(ETA_CL)', 'TVV*WT'), { covariates: { WT: { unit: 'kg', default: 70 } } });
    expect(c24(defineModel(perKg))).toBeCloseTo(C24, 9);
  });

  it('still refuses the θ where the numbers do not convert it, and alone (the original findings)', () => {
    expect(() => defineModel(linear(theta('L/day', 108), params('TVCL*exp(ETA_CL)')))).toThrow(/theta\.TVCL\.unit: dosewise runs on hours .*divide it by 24/);
    expect(() => defineModel(linear(theta('L/day', 108), params('TVCL*2*exp(ETA_CL)')))).toThrow(/theta\.TVCL\.unit: .*a value in L\/day is 0\.0416667 L\/h, and the numbers of CL's expression \(2\) do not give that factor/);
    // with no other volume to compare with, the hour alone
    expect(() => check({ CL: 'TVCL*2', V: 'TVV' }, { TVCL: { value: 108, unit: 'L/day' }, TVV: 58.4 }, 'linear')).toThrow(/theta\.TVCL\.unit: dosewise runs on hours .*\(the numbers of its expression, 2, do not convert it\); give TVCL per hour: divide it by 24/);
    // the hint is the whole conversion, once: not "multiply it by 60" where the expression already does
    expect(() => defineModel(linear(theta('mL/min', 75), params('TVCL*60*exp(ETA_CL)')))).toThrow(
      /theta\.TVCL\.unit: TVCL is the typical value of CL .*: a value in mL\/min is 0\.06 L\/h, and the numbers of CL's expression \(60\) do not give that factor; give TVCL in L\/h \(as CL is in L\/h\), or multiply it by 0\.06 in CL's expression, not both/,
    );
    expect(() => defineModel(linear(theta('L/h', 4.5, 'mL', 58400), params('TVCL')))).toThrow(/theta\.TVV\.unit: volume units disagree/);
    expect(() => check({ CL: { expr: 'TVCL * WT', unit: 'L/h' }, V: 'TVV' }, { TVCL: { value: 1, unit: 'mL/min/kg' }, TVV: 50 }, 'linear')).toThrow(/theta\.TVCL\.unit: dosewise runs on hours .*multiply it by 0\.06,/);
    // a normalisation beside a covariate is not a conversion: TVCL in L/h with CL = TVCL·WT/70
    expect(() => check(params('TVCL*WT/70'), theta('L/h', 4.5), 'linear')).not.toThrow();
  });
});

describe('a fraction beside the typical value', () => {
  it('loads CL = TVCL·FR with FR in %, ratio, fraction, fold (they were refused as CL\'s typical value)', () => {
    for (const unit of ['%', 'ratio', 'fraction', 'fold', 'unitless', '-', '1', '1/year']) {
      const file = linear({ TVCL: { value: 4.5, unit: 'L/h' }, TVV: { value: 58.4, unit: 'L' }, FR: { value: 0.5, unit } }, { CL: { expr: 'TVCL*FR*exp(ETA_CL)', unit: 'L/h' }, V: 'TVV' });
      expect(() => defineModel(file), unit).not.toThrow();
    }
  });

  it('still refuses an unreadable unit alone in its product, or the only factor with a unit', () => {
    expect(() => check({ CL: 'TVCL*exp(ETA_CL)', V: 'TVV' }, { TVCL: { value: 4.5, unit: 'banana' }, TVV: 50 }, 'linear')).toThrow(/theta\.TVCL\.unit: TVCL is the typical value of CL .*not a unit dosewise understands/);
    expect(() => check({ CL: 'TVCL*FR', V: 'TVV' }, { TVCL: { value: 4.5, unit: 'banana' }, FR: 0.5, TVV: 50 }, 'linear')).toThrow(/theta\.TVCL\.unit: .*not a unit dosewise understands/);
    expect(() => check({ CL: 'TVCL*FR', V: 'TVV' }, { TVCL: 4.5, FR: { value: 0.5, unit: '%' }, TVV: 50 }, 'linear')).toThrow(/theta\.FR\.unit: FR is the typical value of CL/);
  });
});

describe('"/h" is a rate constant per hour', () => {
  it('KA in "/h" loads as 1/h does (it was "not a unit dosewise understands"); "/day" is refused as 1/day is', () => {
    const m = (ka: string) => ({ dosewise: 2, name: 'ka', structure: '1cmt-oral', parameters: { CL: 5, V: 50, KA: { value: 1, unit: ka } } });
    expect(() => defineModel(m('/h'))).not.toThrow();
    expect(() => defineModel(m('/day'))).toThrow(/dosewise runs on hours/);
  });
});
