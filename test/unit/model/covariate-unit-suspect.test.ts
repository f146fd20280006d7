// Values inside a covariate's plausible range that are more likely in another unit
// (src/model/covariate-flags.ts suspectUnitProblem; limits in src/clinical/validate.ts PLAUSIBLE):
// - SCR 30 µmol/L in Colin 2019's mg/dL ran a 42-week neonate at CL 1.15e-9 L/h (IPRED 12.159 for 4.483);
// - a 450-g infant as WT 450 kg gave a level of 0.0236 for 15.45, CW 800 (g) one of 0.0331 for 32.40;
// - HT 67 (inches) in busulfan's cm gave 3892 for 1686, calc bsa-mosteller heightCm=70 1.25 m² for 1.99;
// - FPNA = 0.3 + 0.7·PNA^h/(T50^h + PNA^h) is 0.3 at PNA 0, which was refused as a power of PNA.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calc } from '../../../src/cli/calc.js';
import { checkModelNames } from '../../../src/cli/args.js';
import { implausibleValueProblem, suspectUnitProblem, suspectUnitWarnings } from '../../../src/model/covariate-flags.js';
import { defineModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';

type File = { covariates: Record<string, { unit?: string; description?: string }> };
const read = (f: string): File => JSON.parse(readFileSync(f, 'utf8')) as File;
const colin = defineModel(read('models/vancomycin_colin_2019.json'));
const busulfan = defineModel(read('models/busulfan_shukla_2020.json'));
const goti = defineModel(read('models/vancomycin_goti_2018.json'));
const csv = (lines: string[]) => readNmtran(lines.join('\n')).records;

/** A one-compartment model with a weight covariate `name` described as `description`, and PMA in weeks. */
function weightModel(name: string, description: string): ReturnType<typeof defineModel> {
  return defineModel({
    dosewise: 2,
    name: 'w',
    structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
    theta: { TVCL: { value: 0.1, unit: 'L/h' }, TVV: { value: 0.6, unit: 'L' } },
    covariates: { [name]: { unit: 'kg', description }, PMA: { unit: 'weeks', description: 'postmenstrual age' } },
    parameters: { CL: { expr: `TVCL * ${name}`, unit: 'L/h' }, V: { expr: `TVV * ${name}`, unit: 'L' } },
    residual: { model: 'proportional', proportional: 0.1, unit: 'mg/L' },
    observe: { compartment: 1, scale: 'V', unit: 'mg/L' },
  });
}

describe('a creatinine in µmol/L read as mg/dL', () => {
  // python3: 30/88.42 = 0.33929 mg/dL
  it('a 42-week neonate (Colin 2019) with SCR 30 is refused, naming row, value and the mg/dL it would be', () => {
    const rows = csv(['ID,TIME,EVID,AMT,RATE,DV,MDV,WT,PMA,SCR', '1,0,1,50,50,.,1,3.5,42,30', '1,12,0,.,.,.,0,3.5,42,30']);
    expect(() => simulate(colin, rows, { file: 'colin_30.csv' })).toThrow(/colin_30\.csv.*row 1.*SCR.*above 5 mg\/dL with PMA 42 weeks \(a neonate or child\).*in µmol\/L it is 0\.339 mg\/dL/);
    expect(() => checkModelNames(colin, { WT: 3.5, PMA: 42, SCR: 30 }, 'set')).toThrow(/--set SCR=30: .*PMA 42 weeks.*0\.339 mg\/dL/);
  });

  it('an adult-aged SCR 30 is warned (W_SCR_UNIT), 12 and 5 mg/dL pass without a word', () => {
    expect(suspectUnitProblem(colin, 'SCR', 30, { PMA: 2000 })).toEqual({ warning: 'W_SCR_UNIT: SCR 30 read as 30 mg/dL; in µmol/L it is 0.339 mg/dL. If it is in µmol/L, convert it to mg/dL' });
    expect(suspectUnitProblem(colin, 'SCR', 12, { PMA: 2000 })).toBeUndefined();
    expect(suspectUnitProblem(colin, 'SCR', 5, { PMA: 42 })).toBeUndefined();
    const rows = csv(['ID,TIME,EVID,AMT,RATE,DV,MDV,WT,PMA,SCR', '1,0,1,1000,1000,.,1,70,2000,30', '1,12,0,.,.,.,0,70,2000,30']);
    expect(simulate(colin, rows, { file: 'a.csv' }).warnings).toContain('a.csv, row 1 (and 1 more): W_SCR_UNIT: SCR 30 read as 30 mg/dL; in µmol/L it is 0.339 mg/dL. If it is in µmol/L, convert it to mg/dL');
  });

  it('calc: a child\'s scrMgDl 30 is refused, an adult\'s warned (Schwartz 0.413·100/30 = 1.38 was printed)', () => {
    expect(() => calc('egfr-schwartz', ['scrMgDl=30', 'heightCm=100', 'ageYears=4'])).toThrow(/scrMgDl.*above 5 mg\/dL at ageYears 4.*0\.3393 mg\/dL/);
    const r = calc('crcl', ['scrMgDl=30', 'ageYears=60', 'sex=male', 'weightKg=70', 'weightBasis=total']);
    // Cockcroft–Gault (140 − 60)·70/(72·30) = 2.5926 mL/min, computed as given
    expect(r.value).toBeCloseTo((80 * 70) / (72 * 30), 10);
    expect(r.warnings).toEqual(['W_SCR_UNIT: scrMgDl 30 read as 30 mg/dL; in µmol/L it is 0.3393 mg/dL; if it is in µmol/L, give it as scrUmolL']);
  });
});

describe('a body weight in grams', () => {
  it('a 24-week infant at WT 450 (grams) is refused; an adult WT 450 warned (W_WEIGHT_UNIT)', () => {
    const m = weightModel('WT', 'body weight');
    const rows = (wt: number, pma: number) => csv(['ID,TIME,EVID,AMT,RATE,DV,MDV,WT,PMA', `1,0,1,6,6,.,1,${wt},${pma}`, `1,1,0,.,.,.,0,${wt},${pma}`]);
    expect(() => simulate(m, rows(450, 24), { file: 'elbw_g.csv' })).toThrow(/elbw_g\.csv.*row 1.*WT.*PMA 24 weeks.*in grams it is 0\.45 kg/);
    expect(simulate(m, rows(450, 2000)).warnings.join('\n')).toMatch(/row 1 \(and 1 more\): W_WEIGHT_UNIT: WT 450 read as 450 kg; in grams it is 0\.45 kg/);
    expect(simulate(m, rows(250, 2000)).warnings).toEqual([]);
  });

  // CW 800 (grams) ran: 0.0331 for 32.40
  for (const [name, description] of [['CW', 'weight'], ['CURWT', 'current weight'], ['WTCUR', 'current weight'], ['DW', 'daily weight'], ['WGHT', 'current weight'], ['CWT', 'current body weight'], ['BWG', 'birth weight'], ['FFM', 'fat-free mass'], ['W2', 'working weight'], ['WT', 'body weight at the time of each dose'], ['WT', 'total body weight, updated per visit']])
    it(`${name} "${description}" is a body weight: 0.1 and 70000 refused, 800 for a 26-week infant refused`, () => {
      const m = weightModel(name, description);
      expect(implausibleValueProblem(m, name, 70000)).toMatch(/a body weight in kg is at most 700 \(a value in g\?\)/);
      expect(implausibleValueProblem(m, name, 0.1)).toMatch(/at least 0\.2/);
      expect(suspectUnitProblem(m, name, 800, { PMA: 26 })?.refuse).toMatch(/in grams it is 0\.8 kg/);
    });

  for (const description of ['weight change since birth', 'excess weight over ideal', 'weight gain', 'percent of ideal weight'])
    it(`"${description}" (a change or a difference, may be ≤ 0) is not held to 0.2–700 kg`, () => {
      expect(implausibleValueProblem(weightModel('DWT', description), 'DWT', -3)).toBeUndefined();
    });
});

describe('a covariate of another name whose description mentions a weight', () => {
  // gentamicin_xuan_2003 with DWT (kg) or PDOSE (mg, g) beside WT: any "… weight" description was
  // taken for a body weight and DWT −3, PDOSE 20 mg and a 150-g graft were refused (0.2–700 kg)
  const xuan = (name: string, unit: string, description: string) => {
    const f = read('models/gentamicin_xuan_2003.json') as File & { parameters: Record<string, { expr: string; unit: string }> };
    f.covariates[name] = { unit, description };
    f.parameters.CL = { expr: `TVCL_CLCR * ClCr * (1 + 0.001 * ${name}) * exp(ETA_CL)`, unit: 'L/h' };
    return defineModel(f as never);
  };
  const rows = (name: string, v: number) => csv([`ID,TIME,EVID,AMT,RATE,DV,MDV,WT,ClCr,${name}`, `1,0,1,400,800,.,1,80,60,${v}`, `1,1,0,.,.,.,1,80,60,${v}`]);
  const changes = ['delta weight (kg) from admission', 'weight above ideal body weight', 'weight lost since admission', 'weight variation from baseline', 'Weight over IBW', 'weight deviation from dry weight', 'fluid weight removed by ultrafiltration', 'dry weight minus current weight', 'interdialytic weight gain', 'body weight difference'];
  for (const d of changes)
    it(`DWT "${d}" −3 kg runs`, () => {
      const m = xuan('DWT', 'kg', d);
      expect(implausibleValueProblem(m, 'DWT', -3)).toBeUndefined();
      expect(() => simulate(m, rows('DWT', -3))).not.toThrow();
    });
  for (const d of ['weight-based prednisolone dose', 'daily dose by weight', 'prednisolone dose adjusted for weight', 'Weight-adjusted dose of prednisolone', 'prednisolone dose (not scaled by body weight)'])
    it(`PDOSE "${d}" 20 mg runs`, () => expect(() => simulate(xuan('PDOSE', 'mg', d), rows('PDOSE', 20))).not.toThrow());
  for (const d of ['liver graft weight', 'kidney weight', 'donor organ weight (graft)'])
    it(`PDOSE "${d}" 150 g runs`, () => expect(() => simulate(xuan('PDOSE', 'g', d), rows('PDOSE', 150))).not.toThrow());
  for (const d of ['actual body weight', 'admission weight', 'dry weight', 'weight of the patient', "the patient's birth weight"])
    it(`W2 "${d}" names a body weight: 70000 kg refused`, () => {
      expect(implausibleValueProblem(xuan('W2', 'kg', d), 'W2', 70000)).toMatch(/a body weight in kg is at most 700 \(a value in g\?\)/);
    });
  it('a weight name is exempt only by a change, difference or ratio: BW "body weight at the time of each dose" or "weight over the admission value" 70000 refused', () => {
    expect(implausibleValueProblem(xuan('BW', 'kg', 'body weight at the time of each dose'), 'BW', 70000)).toMatch(/at most 700/);
    expect(implausibleValueProblem(xuan('BW', 'kg', 'weight over the admission value'), 'BW', 70000)).toMatch(/at most 700/);
    expect(implausibleValueProblem(xuan('BW', 'kg', 'body weight change'), 'BW', -3)).toBeUndefined();
  });
});

describe('a height in inches', () => {
  it('busulfan HT 67 with WT 70 is warned (BMI 70/0.67² = 155.9), HT 170 is not', () => {
    const rows = (ht: number) => csv(['ID,TIME,EVID,AMT,RATE,DV,MDV,AGE,WT,HT,SEX,REGI,OCC', `1,0,1,250,83.333,.,1,30,70,${ht},1,0,1`, `1,6,0,.,.,.,0,30,70,${ht},1,0,1`]);
    expect(suspectUnitWarnings(busulfan, rows(67), 'bu_67.csv')).toEqual(['bu_67.csv, row 1 (and 1 more): W_HEIGHT_UNIT: HT 67 with WT 70 makes a body-mass index of 156 kg/m², above 80: a height in inches? 67 in is 170.2 cm; give the height in its declared unit']);
    expect(suspectUnitWarnings(busulfan, rows(170), 'bu_170.csv')).toEqual([]);
  });

  it('calc bsa-mosteller heightCm=70 weightKg=80: √(70·80/3600) = 1.2472 is given with W_HEIGHT_UNIT (BMI 163)', () => {
    const r = calc('bsa-mosteller', ['heightCm=70', 'weightKg=80']);
    expect(r.value).toBeCloseTo(Math.sqrt((70 * 80) / 3600), 10);
    expect((r.warnings as string[])[0]).toMatch(/^W_HEIGHT_UNIT: heightCm 70 with weightKg 80 makes a body-mass index of 163 kg\/m²/);
    expect(calc('bsa-mosteller', ['heightCm=178', 'weightKg=80']).warnings).toBeUndefined();
  });
});

describe('a power of a data item inside a sum', () => {
  const pna = defineModel(JSON.parse(readFileSync('test/unit/model/fixtures/pna-sigmoid.json', 'utf8')));
  it('PNA 0 runs: FPNA = 0.3, CL = 6.4·(0.8/70)^0.75·FMAT·0.3', () => {
    const v = pna.evaluate({ WT: 0.8, PMA: 26, PNA: 0 }).values;
    expect(v.FPNA).toBe(0.3);
    // python3: f = 26**3.4/(47.7**3.4 + 26**3.4); 6.4*(0.8/70)**0.75*f*0.3 = 0.007564879783889446
    expect(Math.abs((v.CL as number) / 0.007564879783889446 - 1)).toBeLessThan(1e-12);
  });
  it('PNA −1 still refused (FPNA NaN, so CL: FPNA is checked where CL uses it), and a power that is a factor (Goti CRCL 0) too', () => {
    expect(() => pna.evaluate({ WT: 0.8, PMA: 26, PNA: -1 }, undefined, 2)).toThrow(/row 2, parameter CL: its expression takes a power of PNA/);
    expect(() => goti.evaluate({ CRCL: 0, WT: 70 }, undefined, 1)).toThrow(/parameter CL: its expression takes a power of CRCL/);
  });
});
