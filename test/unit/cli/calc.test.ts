// dosewise calc against the published equations written out here, and its refusals.

import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/main.js';
import { calc } from '../../../src/cli/calc.js';

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await run(['node', 'dosewise', 'calc', ...args], (s) => (out += s));
  return { code, out };
}
const json = async (args: string[]): Promise<{ value: number; unit: string; title: string; weightKgUsed?: number }> => {
  const r = await cli([...args, '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.out);
};

describe('dosewise calc', () => {
  it('eGFR: CKD-EPI 2021 creatinine equation (Inker et al. 2021), no race term', async () => {
    // 142 · min(SCr/κ, 1)^α · max(SCr/κ, 1)^−1.200 · 0.9938^age · 1.012 [female]
    const ckd = (scr: number, age: number, female: boolean): number => {
      const k = female ? 0.7 : 0.9;
      const a = female ? -0.241 : -0.302;
      return 142 * Math.min(scr / k, 1) ** a * Math.max(scr / k, 1) ** -1.2 * 0.9938 ** age * (female ? 1.012 : 1);
    };
    expect((await json(['egfr', 'scrMgDl=1.2', 'ageYears=60', 'sex=male'])).value).toBeCloseTo(ckd(1.2, 60, false), 10);
    expect((await json(['egfr', 'scrMgDl=0.6', 'ageYears=35', 'sex=female'])).value).toBeCloseTo(ckd(0.6, 35, true), 10);
    // µmol/L converted at 88.42 µmol/L per mg/dL
    expect((await json(['egfr', 'scrUmolL=106.1', 'ageYears=60', 'sex=male'])).value).toBeCloseTo(ckd(106.1 / 88.42, 60, false), 10);
    const text = await cli(['egfr', 'scrMgDl=1.2', 'ageYears=60', 'sex=male']);
    expect(text.out).toBe(`eGFR, CKD-EPI 2021 creatinine equation (no race coefficient): ${ckd(1.2, 60, false).toPrecision(3)} mL/min/1.73 m²\n`);
  });

  it('CrCL (Cockcroft–Gault) and body size', async () => {
    // (140 − age) · weight / (72 · SCr) · 0.85 [female]
    const r = await json(['crcl', 'scrMgDl=1.1', 'ageYears=72', 'sex=female', 'weightKg=58', 'weightBasis=total']);
    expect(r.value).toBeCloseTo(((140 - 72) * 58) / (72 * 1.1) * 0.85, 10);
    expect(r.weightKgUsed).toBe(58);
    expect((await json(['bsa-mosteller', 'heightCm=170', 'weightKg=70'])).value).toBeCloseTo(Math.sqrt((170 * 70) / 3600), 12);
    expect((await json(['bmi', 'heightCm=180', 'weightKg=81'])).value).toBeCloseTo(81 / 1.8 ** 2, 12);
    // Devine: 50 kg (male) + 2.3 kg per inch over 5 ft
    expect((await json(['ibw', 'heightCm=180', 'sex=male'])).value).toBeCloseTo(50 + 2.3 * (180 / 2.54 - 60), 10);
  });

  it('warns where the Devine IBW is extrapolated below 152.4 cm (5 ft), wherever it is used', () => {
    const short = calc('ibw', ['heightCm=148', 'sex=female']);
    expect(short.value).toBeCloseTo(45.5 + 2.3 * (148 / 2.54 - 60), 10);
    expect(short.warnings).toEqual([expect.stringMatching(/^W_DEVINE_EXTRAPOLATED: heightCm 148: below 152\.4 cm \(60 in\) the Devine ideal body weight is extrapolated/)]);
    expect(calc('abw', ['heightCm=148', 'sex=female', 'weightKg=90']).warnings).toHaveLength(1);
    expect(calc('crcl', ['scrMgDl=1', 'ageYears=50', 'sex=female', 'weightKg=90', 'heightCm=148', 'weightBasis=ideal']).warnings).toHaveLength(1);
    expect(calc('crcl', ['scrMgDl=1', 'ageYears=50', 'sex=female', 'weightKg=90', 'heightCm=148', 'weightBasis=total']).warnings).toBeUndefined();
    expect(calc('ibw', ['heightCm=152.4', 'sex=female']).warnings).toBeUndefined();
    // an adjusted weight above the total weight (a patient under IBW) says so
    const under = calc('abw', ['heightCm=180', 'weightKg=40', 'sex=male']);
    expect(under.value).toBeCloseTo(0.6 * (50 + 2.3 * (180 / 2.54 - 60)) + 0.4 * 40, 10);
    expect(under.warnings).toEqual([expect.stringMatching(/^W_ABOVE_TOTAL_WEIGHT: the adjusted weight 61\.0 kg is above the total weight 40 kg/)]);
  });

  it('crcl on the ideal or adjusted weight of a patient under IBW uses the total weight, says so and labels it (it printed "ideal weight 50.0 kg")', async () => {
    // 50 kg at 170 cm, male: Devine IBW 50 + 2.3·(170/2.54 − 60) = 65.94 kg, AdjBW 0.6·65.94 + 0.4·50 = 59.56 kg
    const ibw = 50 + 2.3 * (170 / 2.54 - 60);
    for (const [basis, formula] of [['ideal', ibw], ['adjusted', 0.6 * ibw + 0.4 * 50]] as const) {
      const args = ['crcl', 'scrMgDl=1', 'ageYears=60', 'sex=male', 'weightKg=50', 'heightCm=170', `weightBasis=${basis}`];
      const r = calc(args[0] as string, args.slice(1));
      expect(r.value).toBeCloseTo((80 * 50) / 72, 10);
      expect(r.warnings).toEqual([`W_ABOVE_TOTAL_WEIGHT: the ${basis} weight ${formula.toPrecision(3)} kg is above the total weight 50 kg (a patient under the ideal weight): Cockcroft–Gault uses the total weight`]);
      expect((await cli(args)).out).toBe('creatinine clearance, Cockcroft–Gault: 55.6 mL/min (total weight 50.0 kg)\n');
    }
    // above IBW the basis's own weight is used and named
    expect((await cli(['crcl', 'scrMgDl=1', 'ageYears=60', 'sex=male', 'weightKg=90', 'heightCm=170', 'weightBasis=ideal'])).out).toBe(`creatinine clearance, Cockcroft–Gault: ${((80 * ibw) / 72).toPrecision(3)} mL/min (ideal weight ${ibw.toPrecision(3)} kg)\n`);
  });

  it('lbw and crcl on the lean weight give way to the total weight where Janmahasatian exceeds it, and say so (lbw was 32.04 kg for 30 kg)', async () => {
    const lbw = calc('lbw', ['heightCm=180', 'weightKg=30', 'sex=male']);
    expect(lbw.value).toBe(30);
    expect(lbw.warnings).toEqual(['W_ABOVE_TOTAL_WEIGHT: the Janmahasatian lean weight 32.0 kg is above the total weight 30 kg (BMI 9.26 kg/m²): the total weight is given']);
    const crcl = calc('crcl', ['scrMgDl=1', 'ageYears=40', 'sex=male', 'weightKg=30', 'heightCm=180', 'weightBasis=lean']);
    expect(crcl.weightKgUsed).toBe(30);
    expect(crcl.value).toBeCloseTo((100 * 30) / 72, 12);
    expect(crcl.warnings).toEqual([expect.stringMatching(/^W_ABOVE_TOTAL_WEIGHT: the Janmahasatian lean weight 32\.0 kg is above the total weight 30 kg .*: Cockcroft–Gault uses the total weight$/)]);
    expect((await json(['lbw', 'heightCm=180', 'weightKg=30', 'sex=male'])).value).toBe(30);
    // an ordinary patient: no warning, the formula's value
    const usual = calc('lbw', ['heightCm=170', 'weightKg=70', 'sex=male']);
    expect(usual.value).toBeCloseTo(54.475, 3);
    expect(usual.warnings).toBeUndefined();
  });

  it('refuses a race input, a bad value, an unknown calculator and a malformed pair, naming them', async () => {
    expect((await cli(['egfr', 'scrMgDl=1.2', 'ageYears=60', 'sex=male', 'race=black'])).code).toBe(1);
    expect((await cli(['egfr', 'scrMgDl=1.2', 'ageYears=60', 'sex=x'])).code).toBe(1);
    expect((await cli(['egfr', 'scrMgDl=-1', 'ageYears=60', 'sex=male'])).code).toBe(1);
    expect((await cli(['nope', 'a=1'])).code).toBe(2);
    expect((await cli(['egfr', 'scrMgDl'])).code).toBe(2);
    // an input the calculator does not read, and a numeral that is not decimal
    expect(() => calc('egfr', ['scrMgDl=1.2', 'ageYears=60', 'sex=male', 'foo=3'])).toThrow(/calc egfr: foo is not one of its inputs/);
    expect((await cli(['egfr', 'scrMgDl=1.2', 'ageYears=60', 'sex=male', 'foo=3'])).code).toBe(2);
    expect((await cli(['egfr', 'scrMgDl=0x10', 'ageYears=60', 'sex=male'])).code).toBe(1);
  });

  it('refuses a creatinine or cystatin C below any measured value, naming the input as given', async () => {
    // a mg/dL value given as µmol/L printed an eGFR of 393.0; a cystatin C of 0.01 mg/L, 449
    expect(() => calc('egfr', ['scrUmolL=1.2', 'ageYears=40', 'sex=male'])).toThrow(
      'clinical input scrUmolL: must be ≥ 8.842 µmol/L (0.1 mg/dL), below any measured creatinine; a mg/dL value? give it as scrMgDl (got 1.2)',
    );
    expect((await cli(['egfr', 'scrUmolL=1.2', 'ageYears=40', 'sex=male'])).code).toBe(1);
    expect(() => calc('egfr', ['scrMgDl=1', 'ageYears=40', 'sex=male', 'cystatinCMgL=0.01'])).toThrow(/clinical input cystatinCMgL: must be ≥ 0\.2 mg\/L.*mg\/dL\?.*\(got 0\.01\)/);
    expect((await cli(['egfr', 'scrMgDl=1', 'ageYears=40', 'sex=male', 'cystatinCMgL=0.01'])).code).toBe(1);
    expect(() => calc('egfr', ['scrMgDl=0.05', 'ageYears=40', 'sex=male'])).toThrow(/clinical input scrMgDl: must be ≥ 0\.1 mg\/dL/);
    expect(() => calc('crcl', ['scrUmolL=5', 'ageYears=40', 'sex=male', 'weightKg=70', 'weightBasis=total'])).toThrow(/scrUmolL: must be ≥ 8\.842/);
    expect(() => calc('egfr-schwartz', ['scrUmolL=3', 'heightCm=120', 'ageYears=8'])).toThrow(/scrUmolL: must be ≥ 8\.842/);
    // the upper limit in µmol/L names scrUmolL too; the limits themselves pass
    expect(() => calc('egfr', ['scrUmolL=5000', 'ageYears=40', 'sex=male'])).toThrow(/clinical input scrUmolL: must be ≤ 3536\.8 µmol\/L \(40 mg\/dL\)/);
    expect(calc('egfr', ['scrUmolL=8.842', 'ageYears=40', 'sex=male']).value).toBeGreaterThan(0);
    expect(calc('egfr', ['scrMgDl=0.1', 'ageYears=40', 'sex=male', 'cystatinCMgL=0.2']).value).toBeGreaterThan(0);
  });
});
