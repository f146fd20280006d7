// Units of θ that are a structural parameter's typical value, and the units of the TMDD and
// Michaelis–Menten parameters. Before: a TVCL in L/day beside "CL": "TVCL" ran as 2.4 L/h (C(24 h)
// after 10 mg into 1 L: 9.65e-25 instead of 10·exp(-0.1·24) = 0.907), and KON in L/nmol/day, KSYN
// in nmol/L/day or VMAX in mg/day ran as per hour (TMDD C(168 h) 1.41e-6 for 0.427; MM C(12 h)
// 1.7e-16 for 0.0254), while the same day on CL, KEL or KDEG was refused.

import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { type Ast, parseExpression } from '../../../src/model/expression.js';
import { checkUnits } from '../../../src/model/units.js';
import { BUILTIN_STRUCTURES } from '../../../src/model/structure.js';
import { DosewiseError } from '../../../src/errors.js';
import { simulate } from '../../../src/engine/simulate.js';
import { regimen } from '../../../src/regimen/builder.js';

const repo = resolve(import.meta.dirname, '../../..');

type Param = number | string | { value?: number; expr?: string; unit?: string };
interface File {
  theta?: Record<string, number | { value: number; unit?: string }>;
  parameters: Record<string, Param>;
  [k: string]: unknown;
}

/**
 * The unit check as the model loader runs it (src/model/model.ts: parameters' units, θ and the
 * parameters' expressions), called directly so that the θ check is tested on its own.
 */
function check(file: File): void {
  const expressions = new Map<string, Ast>();
  for (const [n, p] of Object.entries(file.parameters)) {
    const path = `parameters.${n}`;
    if (typeof p === 'number') expressions.set(n, { k: 'num', v: p });
    else if (typeof p === 'string') expressions.set(n, parseExpression(p, path));
    else if (p.expr !== undefined) expressions.set(n, parseExpression(p.expr, `${path}.expr`));
    else expressions.set(n, { k: 'num', v: p.value ?? 0 });
  }
  const units = Object.fromEntries(Object.entries(file.parameters).map(([n, p]) => [n, typeof p === 'object' ? p.unit : undefined]));
  const st = file.structure as string | { kind: string } | undefined;
  const structure = typeof st === 'string' ? BUILTIN_STRUCTURES[st.toLowerCase()]?.kind : st?.kind;
  checkUnits(units, { theta: file.theta, expressions, structure });
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

const oneCmt = (theta: File['theta'], parameters: File['parameters'], extra: Partial<File> = {}): File => ({
  dosewise: 2,
  name: 't',
  structure: { kind: 'linear', compartments: 1, depot: false },
  theta,
  parameters,
  ...extra,
});

describe('θ units: a typical value is checked as its parameter', () => {
  it('refuses a TVCL in L/day behind "CL": "TVCL" (it ran as 2.4 L/h), saying to divide by 24', () => {
    const e = refusal(() => check(oneCmt({ TVCL: { value: 2.4, unit: 'L/day' }, TVV: { value: 1, unit: 'L' } }, { CL: 'TVCL', V: 'TVV' })));
    expect(e.place.path).toBe('theta.TVCL.unit');
    expect(e.message).toMatch(/dosewise runs on hours .*TVCL is the typical value of CL.*give TVCL per hour: divide it by 24, and the data's times in hours \(got "L\/day"\)/);
    // as a parameter the same unit was already refused, with the same conversion
    expect(() => defineModel(oneCmt(undefined, { CL: { value: 2.4, unit: 'L/day' }, V: { value: 1, unit: 'L' } }))).toThrow(/divide a clearance or a rate constant in it by 24/);
  });

  it('the hint for a TVCL in mL/min behind "CL": "TVCL" is the whole conversion to L/h, 0.06 (it said "multiply it by 60", which gives mL/h)', () => {
    const e = refusal(() => check(oneCmt({ TVCL: { value: 83.3, unit: 'mL/min' }, TVV: { value: 50, unit: 'L' } }, { CL: { expr: 'TVCL', unit: 'L/h' }, V: 'TVV' })));
    expect(e.message).toMatch(/give TVCL per hour, in CL's units: multiply it by 0\.06, and the data's times in hours \(got "mL\/min"\)/);
    // mL/day to L/h is 1/24000: the shorter of the two numbers
    expect(() => check(oneCmt({ TVCL: { value: 120000, unit: 'mL/day' }, TVV: { value: 50, unit: 'L' } }, { CL: { expr: 'TVCL', unit: 'L/h' }, V: 'TVV' }))).toThrow(/in CL's units: divide it by 24000,/);
    // 83.3 mL/min × 0.06 = 4.998 L/h loads
    expect(() => check(oneCmt({ TVCL: { value: 4.998, unit: 'L/h' }, TVV: { value: 50, unit: 'L' } }, { CL: { expr: 'TVCL', unit: 'L/h' }, V: 'TVV' }))).not.toThrow();
  });

  it('the conversion the message gives is the right one: TVCL 2.4 L/day / 24 = 0.1 L/h gives C(24 h) = 10·exp(-0.1·24)', () => {
    const model = defineModel(oneCmt({ TVCL: { value: 2.4 / 24, unit: 'L/h' }, TVV: { value: 1, unit: 'L' } }, { CL: 'TVCL', V: 'TVV' }));
    const { ipred } = simulate(model, regimen().dose({ time: 0, amt: 10, cmt: 1 }).observe({ times: [24] }).records());
    // closed form 10·exp(-2.4) = 0.9071795328941251 (python3 math.exp); 9.65e-25 when read as 2.4 L/h
    // one prediction per record: the dose's (10 at time 0), then the observation's
    expect(ipred[ipred.length - 1]).toBeCloseTo(0.9071795328941251, 9);
  });

  it('refuses per-kg typical values in a time other than the hour (mL/min/kg, L/day/kg behind CL = TVCL*WT)', () => {
    const file = (unit: string): File =>
      oneCmt({ TVCL: { value: 0.05, unit }, TVV: { value: 0.6, unit: 'L/kg' } }, { CL: { expr: 'TVCL * WT', unit: 'L/h' }, V: { expr: 'TVV * WT', unit: 'L' } }, { covariates: { WT: { unit: 'kg' } } });
    expect(() => check(file('mL/min/kg'))).toThrow(/theta\.TVCL\.unit: dosewise runs on hours .*per hour, in CL.s units: multiply it by 0\.06,/);
    expect(() => check(file('L/day/kg'))).toThrow(/theta\.TVCL\.unit: dosewise runs on hours .*divide it by 24/);
    expect(() => check(file('L/h/kg'))).not.toThrow();
    // per kg^0.75 times WT (kg^1) is not L/h: refused, as TVCL·WT^0.75 would read it
    expect(() => check(file('L/h/kg^0.75'))).toThrow(/TVCL is in L\/h\/kg\^0\.75, per kg\^0\.75 of body weight, but CL's expression multiplies it by WT, not by WT\^0\.75/);
    expect(() => check(file('L/h per kg'))).not.toThrow();
    expect(() => check(file('L·h⁻¹·kg⁻¹'))).not.toThrow();
    expect(() => check(file('mL·min⁻¹·kg⁻¹'))).toThrow(/multiply it by 0\.06,/);
    // per kg in mL/h beside V in L/kg and CL in L/h: 1000 times off, as mixed volumes on parameters
    expect(() => check(file('mL/h/kg'))).toThrow(/theta\.TVCL\.unit: volume units disagree/);
  });

  it('checks a θ that is a factor of a product with covariate effects and η (CL = TVCL*(WT/70)^0.75*exp(ETA_CL))', () => {
    const file = (unit: string): File => oneCmt({ TVCL: { value: 5, unit }, TVV: { value: 50, unit: 'L' } }, { CL: 'TVCL * (WT/70)^0.75 * exp(ETA_CL)', V: 'TVV * exp(ETA_V)' });
    expect(() => check(file('L/h'))).not.toThrow();
    expect(() => check(file('L/hour'))).not.toThrow();
    expect(() => check(file('L/day'))).toThrow(/theta\.TVCL\.unit: dosewise runs on hours/);
    expect(() => check(file('L/week'))).toThrow(/divide it by 168/);
    expect(() => check(file('1/h'))).toThrow(/theta\.TVCL\.unit: TVCL is the typical value of CL .*a clearance \(volume\/time\)/);
    expect(() => check(file('banana'))).toThrow(/theta\.TVCL\.unit: TVCL is the typical value of CL .*not a unit dosewise understands .*\(got "banana"\)/);
  });

  it('per m² of body surface is allowed, in hours', () => {
    const file = (unit: string): File => oneCmt({ TVCL: { value: 5, unit }, TVV: { value: 50, unit: 'L' } }, { CL: 'TVCL * BSA', V: 'TVV' });
    expect(() => check(file('L/h/m2'))).not.toThrow();
    expect(() => check(file('L/h/1.73 m²'))).not.toThrow();
    expect(() => check(file('L/day/m²'))).toThrow(/divide it by 24/);
  });

  it('a slope against a covariate keeps its rate part in hours: (L/h)/(mL/min) loads, (L/day)/(mL/min) is refused', () => {
    const file = (unit: string): File => oneCmt({ TVCL_CLCR: { value: 0.047, unit }, TVV: { value: 20, unit: 'L' } }, { CL: { expr: 'TVCL_CLCR * CLCR * exp(ETA_CL)', unit: 'L/h' }, V: 'TVV' });
    expect(() => check(file('(L/h)/(mL/min)'))).not.toThrow();
    expect(() => check(file('(L/h)/(L/h)'))).not.toThrow();
    expect(() => check(file('(L/day)/(mL/min)'))).toThrow(/theta\.TVCL_CLCR\.unit: dosewise runs on hours .*divide it by 24/);
  });

  it('does not check θ that are not a typical value: a TM50 in weeks, an age slope in 1/year, an exponent', () => {
    const file: File = oneCmt(
      {
        TVCL: { value: 3, unit: 'L/h' },
        TVV: { value: 20, unit: 'L' },
        TM50: { value: 45.7, unit: 'weeks PMA' },
        HILL: 2.3,
        AGE_CL: { value: -0.01, unit: '1/year' },
        MAT50: { value: 0.89, unit: 'years' },
        EXPO: { value: 0.65, unit: 'dL/mg' },
      },
      {
        FMAT: '1 / (1 + (PMA / TM50)^(-HILL))',
        CL: { expr: 'TVCL * FMAT * (1 + AGE_CL * (AGE - 40)) * exp(-EXPO * (SCR - 1)) * (PMA / (PMA + MAT50))', unit: 'L/h' },
        V: { expr: 'TVV * exp(ETA_V)', unit: 'L' },
      },
    );
    expect(() => check(file)).not.toThrow();
    expect(() => defineModel(file)).not.toThrow();
  });

  it('a θ in the denominator or beside another variable of another dimension is not checked (K = TVCL/TVV)', () => {
    const file: File = {
      dosewise: 2,
      name: 'micro',
      structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'micro' },
      theta: { TVCL: { value: 5, unit: 'L/h' }, TVV: { value: 50, unit: 'L' } },
      parameters: { K: { expr: 'TVCL / TVV', unit: '1/h' }, V: 'TVV' },
    };
    expect(() => check(file)).not.toThrow();
  });

  it('every example, library and test model file (dosewise 2) still passes the check', () => {
    const files = ['examples', 'models', 'test'].flatMap((d) =>
      readdirSync(resolve(repo, d), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.json'))
        .map((f) => `${d}/${f}`),
    );
    // model files, and models inside fixtures (test/oracle/map-fixtures.json)
    const models = (v: unknown): object[] =>
      typeof v !== 'object' || v === null ? [] : 'parameters' in v && 'structure' in v && (v as { dosewise?: unknown }).dosewise === 2 ? [v] : Object.values(v).flatMap(models);
    let n = 0;
    for (const f of files) {
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(resolve(repo, f), 'utf8'));
      } catch {
        continue;
      }
      for (const file of models(json)) {
        n++;
        expect(() => check(file as File), f).not.toThrow();
        // test fixtures include models refused on purpose for other reasons
        if (!f.startsWith('test/')) expect(() => defineModel(file), f).not.toThrow();
      }
    }
    expect(n).toBeGreaterThan(30);
  });
});

describe('units of TMDD and Michaelis–Menten parameters', () => {
  const tmdd = (units: Record<string, string>): File => ({
    dosewise: 2,
    name: 'tmdd',
    structure: 'tmdd',
    parameters: Object.fromEntries(
      Object.entries({ V: 3, KEL: 0.005, KON: 0.5, KOFF: 0.05, KINT: 0.04, KDEG: 0.02, KSYN: 0.02 }).map(([n, v]) => [n, { value: v, unit: units[n] ?? { V: 'L', KON: 'L/nmol/h', KSYN: 'nmol/L/h' }[n] ?? '1/h' }]),
    ),
  });
  const mm = (units: Record<string, string>): File => ({
    dosewise: 2,
    name: 'mm',
    structure: { kind: 'michaelis-menten', compartments: 1, depot: false },
    parameters: Object.fromEntries(Object.entries({ V: 20, VMAX: 20, KM: 1.5, CL: 0.5 }).map(([n, v]) => [n, { value: v, unit: units[n] ?? { V: 'L', VMAX: 'mg/h', KM: 'mg/L', CL: 'L/h' }[n] }])),
  });

  it('per-hour units load', () => {
    expect(() => defineModel(tmdd({}))).not.toThrow();
    expect(() => defineModel(mm({}))).not.toThrow();
    // amounts in nmol or µmol as well as mg
    expect(() => defineModel(mm({ VMAX: 'nmol/h', KM: 'nmol/L' }))).not.toThrow();
    expect(() => defineModel(tmdd({ KON: 'L/mg/h', KSYN: 'mg/L/h' }))).not.toThrow();
  });

  it('refuses KON in L/nmol/day and KSYN in nmol/L/day (they ran per hour: C(168 h) 1.41e-6 for 0.427)', () => {
    const e = refusal(() => defineModel(tmdd({ KON: 'L/nmol/day' })));
    expect(e.place.path).toBe('parameters.KON.unit');
    // KEL in 1/h comes first: the two disagree, and the message says which way to convert
    expect(e.message).toMatch(/time units disagree: KEL is in 1\/h but KON in L\/nmol\/day; use one time unit, the hour .*give KON per hour: divide a clearance or a rate constant in it by 24/);
    const alone = tmdd({ KON: 'L/nmol/day' });
    alone.parameters = { KON: alone.parameters.KON as Param, ...alone.parameters };
    expect(() => defineModel(alone)).toThrow(/parameters\.KON\.unit: dosewise runs on hours .*give KON per hour: divide a clearance or a rate constant in it by 24/);
    expect(() => defineModel(tmdd({ KSYN: 'nmol/L/day' }))).toThrow(/parameters\.KSYN\.unit: time units disagree.*give KSYN per hour: divide .* by 24/);
    expect(() => defineModel(tmdd({ KSYN: 'nmol/L/min' }))).toThrow(/parameters\.KSYN\.unit: .*multiply .* by 60/);
  });

  it('refuses VMAX in mg/day beside CL in L/h (it ran per hour: C(12 h) 1.7e-16 for 0.0254)', () => {
    expect(() => defineModel(mm({ VMAX: 'mg/day' }))).toThrow(/parameters\.VMAX\.unit: dosewise runs on hours .*give VMAX per hour: divide .* by 24/);
  });

  it('refuses a wrong dimension, naming the parameter: a rate on KSS or KM, a concentration on KSYN or VMAX', () => {
    const qss: File = {
      dosewise: 2,
      name: 'qss',
      structure: 'tmdd-qss',
      parameters: { V: { value: 3, unit: 'L' }, KEL: { value: 0.005, unit: '1/h' }, KSS: { value: 0.5, unit: 'nmol/L/h' }, KINT: { value: 0.04, unit: '1/h' }, KDEG: { value: 0.02, unit: '1/h' }, KSYN: { value: 0.1, unit: 'nmol/L/h' } },
    };
    expect(() => defineModel(qss)).toThrow(/parameters\.KSS\.unit: KSS is a concentration/);
    expect(() => defineModel(mm({ KM: 'mg/L/h' }))).toThrow(/parameters\.KM\.unit: KM is a concentration/);
    expect(() => defineModel(mm({ VMAX: 'mg/L' }))).toThrow(/parameters\.VMAX\.unit: VMAX is a maximal elimination rate/);
    expect(() => defineModel(tmdd({ KSYN: '1/h' }))).toThrow(/parameters\.KSYN\.unit: KSYN is a synthesis rate/);
    expect(() => defineModel(tmdd({ KON: '1/h' }))).toThrow(/parameters\.KON\.unit: KON is a second-order rate constant/);
    // a KM in mg/mL beside VMAX in mg/h and V in L is 1000 times off: C = amount/V is in mg/L
    expect(() => defineModel(mm({ KM: 'mg/mL' }))).toThrow(/parameters\.KM\.unit: concentration units disagree: .*amount\/V, is in mg\/L .*multiply it by 1000/);
  });
});
