// The creatinine and height plausibility check (src/model/covariate-flags.ts) looked a covariate's
// declared unit up in a table of spellings (mg/dl, µmol/l, umol/l; cm, m), so that
// - SCR 80 (µmol/L typed into Colin 2019's mg/dL) ran under "mg dL-1", "mg.dL-1" or "mg/100mL",
//   which dosewise's own covariate unit reader reads as mg/dL: IPRED(12 h) 13.88 for 5.757, exit 0;
// - HT 1.35 (m typed into McCune 2014's cm) ran under "centimeters", "centimetre": IPRED(6 h)
//   286.44 for 1083.61;
// - and the mg/dL entry began at 0, not at the calculators' 0.1 mg/dL: SCR 0.08 (a value in mmol/L)
//   ran, 3.198 for 5.742, and nomogram --grid SCR=0.05,0.08 gave 1611 and 1580 mg for 928.
// The range is now that of what the unit means (its dimension and size), the calculators' limits
// (src/clinical/validate.ts PLAUSIBLE: 0.1–40 mg/dL at 88.42 µmol/L per mg/dL; 20 cm–3 m).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkModelNames } from '../../../src/cli/args.js';
import { DosewiseError } from '../../../src/errors.js';
import { implausibleValueProblem, refuseFlagItems } from '../../../src/model/covariate-flags.js';
import { defineModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { regimen } from '../../../src/regimen/builder.js';

type File = { covariates: Record<string, { unit?: string; description?: string }> };
const colinFile = JSON.parse(readFileSync('models/vancomycin_colin_2019.json', 'utf8')) as File;
const mccuneFile = JSON.parse(readFileSync('models/busulfan_mccune_2014.json', 'utf8')) as File;

/** The model file with covariate `name` declared in `unit` (description kept). */
function withUnit(file: File, name: string, unit: string): ReturnType<typeof defineModel> {
  const f = structuredClone(file);
  f.covariates[name] = { ...f.covariates[name], unit };
  return defineModel(f);
}

// python3: 80/88.42 = 0.9047726758651888 (80 µmol/L in mg/dL); 0.1·88.42 = 8.842, 40·88.42 = 3536.8 µmol/L
const SCR_80_UMOL_IN_MG_DL = 0.9047726758651888;

describe('a creatinine unit is read for what it means, not how it is spelt', () => {
  // mg% (the laboratory's mg per 100 mL) and spelled decilitres ran unchecked
  for (const unit of ['mg dL-1', 'mg.dL-1', 'mg/100mL', 'mg·dL⁻¹', 'MG/DL', 'mg%', 'mg %', 'mg/decilitre'])
    it(`refuses SCR 80 (µmol/L) under "${unit}", mg/dL (it ran: IPRED(12 h) 13.88 for 5.757)`, () => {
      const m = withUnit(colinFile, 'SCR', unit);
      expect(implausibleValueProblem(m, 'SCR', 80)).toBe(`a serum creatinine in ${unit} is at most 40 (a value in µmol/L?)`);
      expect(() => checkModelNames(m, { SCR: 80 }, 'set')).toThrow(new RegExp(`--set SCR=80: SCR of model .* is in ${unit.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: a serum creatinine`));
      // the same creatinine in mg/dL runs
      expect(implausibleValueProblem(m, 'SCR', SCR_80_UMOL_IN_MG_DL)).toBeUndefined();
    });

  it('refuses SCR 80 under "mg dL-1" in a simulation, naming the row, before any level is computed (13.88 for 5.757)', () => {
    const m = withUnit(colinFile, 'SCR', 'mg dL-1');
    const items = { WT: 70, PMA: 2120, SCR: 80 };
    const records = regimen().dose({ time: 0, amt: 1000, cmt: 1, dur: 1, items }).observe({ times: [12], items }).records();
    let e: unknown;
    try {
      simulate(m, records);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(DosewiseError);
    expect((e as Error).message).toMatch(/row 1, column SCR: SCR of model .* is in mg dL-1: a serum creatinine in mg dL-1 is at most 40 \(a value in µmol\/L\?\) \(got 80\)/);
  });

  it('reads µmol/L however spelt ("µmol L-1", "micromol/L", "umol/L") from 8.842 (0.1 mg/dL × 88.42) to 3536.8 (40 mg/dL)', () => {
    for (const unit of ['µmol L-1', 'micromol/L', 'umol/L', 'μmol/l']) {
      const m = withUnit(colinFile, 'SCR', unit);
      expect(implausibleValueProblem(m, 'SCR', 8.842), unit).toBeUndefined();
      expect(implausibleValueProblem(m, 'SCR', 3536.8), unit).toBeUndefined();
      // 0.9 mg/dL typed as µmol/L is 100 times too low for any patient
      expect(implausibleValueProblem(m, 'SCR', 0.9), unit).toBe(`a serum creatinine in ${unit} is at least 8.842 (a value in mg/dL or mmol/L?)`);
      expect(implausibleValueProblem(m, 'SCR', 8.8), unit).toMatch(/at least 8\.842/);
    }
  });

  it('reads a creatinine in mg/L and mmol/L with the same limits (1–400 mg/L, 0.008842–3.5368 mmol/L)', () => {
    const mgL = withUnit(colinFile, 'SCR', 'mg/L');
    expect(implausibleValueProblem(mgL, 'SCR', 1)).toBeUndefined();
    expect(implausibleValueProblem(mgL, 'SCR', 400)).toBeUndefined();
    expect(implausibleValueProblem(mgL, 'SCR', 0.9)).toBe('a serum creatinine in mg/L is at least 1 (a value in mg/dL or mmol/L?)');
    const mmol = withUnit(colinFile, 'SCR', 'mmol/L');
    expect(implausibleValueProblem(mmol, 'SCR', 0.08)).toBeUndefined();
    expect(implausibleValueProblem(mmol, 'SCR', 80)).toBe('a serum creatinine in mmol/L is at most 3.5368 (a value in µmol/L?)');
  });

  it('leaves a unit it cannot read (mg/U) or of another dimension (g/L/h) unchecked, as before', () => {
    expect(implausibleValueProblem(withUnit(colinFile, 'SCR', 'mg/U'), 'SCR', 80)).toBeUndefined();
    expect(implausibleValueProblem(withUnit(colinFile, 'SCR', 'g/L/h'), 'SCR', 80)).toBeUndefined();
  });
});

describe('a creatinine below 0.1 mg/dL is refused, as the calculators refuse it', () => {
  const colin = defineModel(colinFile);
  it('refuses SCR 0.08 mg/dL, a value in mmol/L (it ran: IPRED(12 h) 3.198 for 5.742)', () => {
    expect(implausibleValueProblem(colin, 'SCR', 0.08)).toBe('a serum creatinine in mg/dL is at least 0.1 (a value in mmol/L?)');
    expect(implausibleValueProblem(colin, 'SCR', 0)).toMatch(/at least 0\.1/);
    expect(() => refuseFlagItems(colin, [{ row: 4, items: { SCR: 0.08 } }], 'colin.csv')).toThrow(/colin\.csv, row 4, column SCR: SCR of model vancomycin_colin_2019 is in mg\/dL: a serum creatinine in mg\/dL is at least 0\.1 \(a value in mmol\/L\?\) \(got 0\.08\)/);
    // 0.1 mg/dL itself (8.842 µmol/L) and a renal failure's 12 mg/dL run
    expect(implausibleValueProblem(colin, 'SCR', 0.1)).toBeUndefined();
    expect(implausibleValueProblem(colin, 'SCR', 12)).toBeUndefined();
  });
  it('refuses --grid SCR=0.05 (it gave 1611 mg for 928 at 0.9)', () => {
    expect(() => checkModelNames(colin, { SCR: 0.05 }, 'grid')).toThrow(/--grid SCR=0\.05: SCR of model vancomycin_colin_2019 is in mg\/dL: a serum creatinine in mg\/dL is at least 0\.1 \(a value in mmol\/L\?\)/);
  });
});

describe('a height unit is read for what it means, not how it is spelt', () => {
  for (const unit of ['centimeters', 'centimetre', 'CM', 'Centimetres'])
    it(`refuses HT 1.35 (m) under "${unit}", cm (it ran: IPRED(6 h) 286.44 for 1083.61)`, () => {
      const m = withUnit(mccuneFile, 'HT', unit);
      expect(implausibleValueProblem(m, 'HT', 1.35)).toBe(`a height in ${unit} is at least 20 (a value in m?)`);
      expect(implausibleValueProblem(m, 'HT', 135)).toBeUndefined();
    });
  // inches and feet were not read: HT 175 (cm) under "in" ran unchecked
  for (const [unit, hi] of [['in', 118.1], ['inches', 118.1], ['ft', 9.8425]] as const)
    it(`refuses HT 175 (cm) under "${unit}"`, () => {
      const m = withUnit(mccuneFile, 'HT', unit);
      expect(implausibleValueProblem(m, 'HT', 175)).toMatch(new RegExp(`^a height in ${unit} is at most ${hi}`));
      expect(implausibleValueProblem(m, 'HT', unit === 'ft' ? 5.9 : 69)).toBeUndefined();
    });
  for (const unit of ['metres', 'meter', 'm'])
    it(`refuses HT 175 (cm) under "${unit}", m`, () => {
      const m = withUnit(mccuneFile, 'HT', unit);
      expect(implausibleValueProblem(m, 'HT', 175)).toBe(`a height in ${unit} is at most 3 (a value in cm?)`);
      expect(implausibleValueProblem(m, 'HT', 1.75)).toBeUndefined();
    });
  it('a height in mm runs from 200 to 3000 mm (20 cm to 3 m)', () => {
    const m = withUnit(mccuneFile, 'HT', 'mm');
    expect(implausibleValueProblem(m, 'HT', 1750)).toBeUndefined();
    expect(implausibleValueProblem(m, 'HT', 175)).toBe('a height in mm is at least 200 (a value in cm?)');
  });
  it('the lower limits are the calculators\': 20 cm and 0.2 m run, 19.9 cm and 0.199 m are refused', () => {
    const cm = withUnit(mccuneFile, 'HT', 'cm');
    const m = withUnit(mccuneFile, 'HT', 'm');
    expect(implausibleValueProblem(cm, 'HT', 20)).toBeUndefined();
    expect(implausibleValueProblem(cm, 'HT', 19.9)).toMatch(/at least 20/);
    expect(implausibleValueProblem(m, 'HT', 0.2)).toBeUndefined();
    expect(implausibleValueProblem(m, 'HT', 0.199)).toMatch(/at least 0\.2/);
  });
});

describe('a body weight in grams', () => {
  const goti = defineModel(JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')));

  it('WT 70000 in a model reading kg is refused as a value in g (levels 0.017 for 6.1, exit 0)', () => {
    expect(implausibleValueProblem(goti, 'WT', 70000)).toBe('a body weight in kg is at most 700 (a value in g?)');
    expect(implausibleValueProblem(goti, 'WT', 0.1)).toBe('a body weight in kg is at least 0.2 (a value in another unit?)');
    for (const wt of [0.4, 3.2, 70, 250]) expect(implausibleValueProblem(goti, 'WT', wt)).toBeUndefined();
    const items = { WT: 70000, CRCL: 80 };
    const records = regimen().dose({ time: 0, amt: 1000, dur: 1, items }).observe({ times: [12], items }).records();
    expect(() => simulate(goti, records)).toThrow(/WT.*a body weight in kg is at most 700 \(a value in g\?\)/);
  });

  it('a neonatal model reading WT in g takes 3200', () => {
    const f = JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')) as File;
    f.covariates.WT = { unit: 'g', description: 'body weight' };
    expect(implausibleValueProblem(defineModel(f), 'WT', 3200)).toBeUndefined();
    expect(implausibleValueProblem(defineModel(f), 'WT', 3.2)).toBe('a body weight in g is at least 200 (a value in kg?)');
  });
});

describe('quantities derived from a weight are no body weight', () => {
  it('an excess weight, a change of weight, a dose not scaled by weight: 0, −5, 20 mg taken', () => {
    const f = JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')) as File;
    f.covariates.EXWT = { unit: 'kg', description: 'excess body weight (total body weight minus ideal body weight)' };
    f.covariates.DWT = { unit: 'kg', description: 'change in body weight since admission' };
    f.covariates.PDOSE = { unit: 'mg', description: 'prednisolone dose (not scaled by body weight)' };
    const m = defineModel({ ...f, parameters: { ...(f as unknown as { parameters: Record<string, string> }).parameters, XW: 'EXWT + DWT + PDOSE' } });
    for (const [n, v] of [['EXWT', 0], ['EXWT', -5], ['DWT', -2], ['PDOSE', 20]] as const) expect(implausibleValueProblem(m, n, v), n).toBeUndefined();
  });
});
