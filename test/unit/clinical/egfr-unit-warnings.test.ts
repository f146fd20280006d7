// Inputs of the eGFR equations in a likely other unit, which went through without a word:
// - `calc egfr-schwartz scrMgDl=0.3 ageYears=3 heightCm=37` printed 50.9 for 129.4 (37 in = 94 cm):
//   Schwartz reads no weight, so no BMI told the height in inches;
// - egfrBedsideSchwartz({ scrMgDl: 30, heightCm: 110, ageYears: 5 }) returned 1.51 where the CLI
//   refused "above 5 mg/dL at ageYears 5";
// - `calc egfr scrMgDl=2.0 ageYears=60 sex=male cystatinCMgL=0.25` (mg/dL) printed 100.7 for 28.5.
// References by hand from the published equations (python3, printed digits):
//   Schwartz 2009: 0.413·H/SCr;  0.413·37/0.3 = 50.9367, 0.413·94/0.3 = 129.4067, 0.413·110/30 = 1.514333
//   CKD-EPI 2021 cr (M): 142·(2/0.9)^−1.2·0.9938^60 = 37.50446
//   CKD-EPI 2012 cys (M): 133·(0.25/0.8)^−0.499·0.996^60 = 186.8451  (ratio 4.982)
//   CKD-EPI 2021 cr-cys (M): 135·(2/0.9)^−0.544·(0.25/0.8)^−0.323·0.9961^60 = 100.6981;
//     with 2.5 mg/L: 135·(2/0.9)^−0.544·(2.5/0.8)^−0.778·0.9961^60 = 28.50129
import { describe, expect, it } from 'vitest';
import { egfrBedsideSchwartz, egfrBedsideSchwartzWithWarnings, egfrCkdEpi2021CrCys, egfrCkdEpi2021CrCysWithWarnings } from '../../../src/clinical/index.js';
import { calc } from '../../../src/cli/calc.js';

describe('bedside Schwartz: a height no child of the age has', () => {
  it('heightCm 37 at 3 years: W_HEIGHT_UNIT naming 94 cm, in the API and the CLI', () => {
    const r = egfrBedsideSchwartzWithWarnings({ scrMgDl: 0.3, heightCm: 37, ageYears: 3 });
    expect(r.value).toBeCloseTo(50.9367, 4);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^W_HEIGHT_UNIT: heightCm 37 at ageYears 3: outside the heights growth charts give for that age \(\d+(\.\d+)?–\d+(\.\d+)? cm\): a height in inches\? 37 in is 93\.98 cm/);
    const cli = calc('egfr-schwartz', ['scrMgDl=0.3', 'ageYears=3', 'heightCm=37']);
    expect(cli.warnings).toEqual(r.warnings);
    expect(egfrBedsideSchwartz({ scrMgDl: 0.3, heightCm: 94, ageYears: 3 })).toBeCloseTo(129.4067, 4);
  });

  it('heights that fit the age are not warned; one too tall for it is, without an inches reading', () => {
    for (const [h, age] of [[94, 3], [75, 1], [65, 1], [150, 12], [190, 17], [125, 17]] as const) expect(egfrBedsideSchwartzWithWarnings({ scrMgDl: 0.5, heightCm: h, ageYears: age }).warnings).toEqual([]);
    expect(calc('egfr-schwartz', ['scrMgDl=0.3', 'ageYears=3', 'heightCm=94']).warnings).toBeUndefined();
    expect(egfrBedsideSchwartzWithWarnings({ scrMgDl: 0.5, heightCm: 200, ageYears: 3 }).warnings).toEqual([expect.stringMatching(/^W_HEIGHT_FOR_AGE: heightCm 200 at ageYears 3: .*check the height and the age$/)]);
  });
});

describe('bedside Schwartz in the API refuses a child creatinine above 5 mg/dL as the CLI does', () => {
  it('scrMgDl 30 at 5 years is refused (it returned 1.514), naming the µmol/L reading and no CLI input', () => {
    expect(0.413 * 110 / 30).toBeCloseTo(1.514333, 6);
    let msg = '';
    try {
      egfrBedsideSchwartz({ scrMgDl: 30, heightCm: 110, ageYears: 5 });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/scrMgDl: is above 5 mg\/dL at ageYears 5 \(a child\): a value in another unit\? scrMgDl 30 read as 30 mg\/dL; in µmol\/L it is 0\.3393 mg\/dL; convert µmol\/L with scrMgDlFromUmolL/);
    expect(msg).not.toMatch(/scrUmolL|--/);
    expect(() => calc('egfr-schwartz', ['scrMgDl=30', 'ageYears=5', 'heightCm=110'])).toThrow(/give µmol\/L as scrUmolL/);
  });

  it('a confirmed child creatinine above 5 mg/dL, and one given in µmol/L on the command line, run', () => {
    expect(egfrBedsideSchwartz({ scrMgDl: 6, heightCm: 110, ageYears: 5, scrAboveChildMaxConfirmed: true })).toBeCloseTo((0.413 * 110) / 6, 12);
    expect(() => egfrBedsideSchwartz({ scrMgDl: 6, heightCm: 110, ageYears: 5, scrAboveChildMaxConfirmed: 'yes' } as never)).toThrow(/scrAboveChildMaxConfirmed: must be true or false/);
    expect(calc('egfr-schwartz', ['scrUmolL=600', 'ageYears=12', 'heightCm=150']).value).toBeCloseTo(9.129365, 5);
    expect(egfrBedsideSchwartz({ scrMgDl: 5, heightCm: 110, ageYears: 5 })).toBeCloseTo((0.413 * 110) / 5, 12);
  });
});

describe('CKD-EPI 2021 creatinine–cystatin C: a cystatin C in mg/dL', () => {
  it('0.25 beside SCr 2.0 at 60, male: W_CYSTATIN_UNIT naming 2.5 mg/L and its eGFR 28.50 (given 100.7)', () => {
    const input = { scrMgDl: 2, cystatinCMgL: 0.25, ageYears: 60, sex: 'male' } as const;
    const r = egfrCkdEpi2021CrCysWithWarnings(input);
    expect(r.value).toBeCloseTo(100.6981, 3);
    expect(egfrCkdEpi2021CrCys({ ...input, cystatinCMgL: 2.5 })).toBeCloseTo(28.50129, 4);
    expect(r.warnings).toEqual([
      'W_CYSTATIN_UNIT: cystatinCMgL 0.25 beside scrMgDl 2: the cystatin C alone gives an eGFR 4.982 times the creatinine\'s (CKD-EPI 2012 cystatin 186.8, 2021 creatinine 37.5 mL/min/1.73 m²): a value in mg/dL? 0.25 mg/dL is 2.5 mg/L (cystatinCMgLFromMgDl), where the creatinine–cystatin C eGFR is 28.5; give cystatin C in mg/L',
    ]);
    expect(calc('egfr', ['scrMgDl=2.0', 'ageYears=60', 'sex=male', 'cystatinCMgL=0.25']).warnings).toEqual(r.warnings);
  });

  it('real discordant patients are not warned: a muscular man, severe CKD, a 3-fold gap the ×10 reading widens', () => {
    // ratios (cys/cr eGFR): 2.13, 3.01 with ×10 at 0.18, ~1 at 2.5 mg/L, cystatin giving the lower eGFR
    for (const [scr, cys, age] of [[1.5, 0.6, 30], [2, 0.6, 30], [2, 2.5, 60], [0.7, 2, 70], [1, 0.9, 50]] as const)
      expect(egfrCkdEpi2021CrCysWithWarnings({ scrMgDl: scr, cystatinCMgL: cys, ageYears: age, sex: 'male' }).warnings).toEqual([]);
    expect(calc('egfr', ['scrMgDl=2.0', 'ageYears=60', 'sex=male', 'cystatinCMgL=2.5']).warnings).toBeUndefined();
  });

  // a sarcopenic patient's low creatinine keeps the ratio near 2×: 0.6 mg/dL with 0.2 (2.0 mg/L) at
  // 80 years, female, read 153.9 for 48.2 without a word
  it('below 0.4 mg/L, whatever the creatinine: the sarcopenic elderly', () => {
    for (const [scr, cys, age, sex, right] of [[0.6, 0.2, 80, 'female', 48.2], [0.7, 0.25, 85, 'female', 38.4], [0.8, 0.3, 75, 'male', 36.6]] as const) {
      const r = egfrCkdEpi2021CrCysWithWarnings({ scrMgDl: scr, cystatinCMgL: cys, ageYears: age, sex });
      expect(r.warnings, `${scr} ${cys}`).toHaveLength(1);
      expect(r.warnings[0]).toMatch(new RegExp(`^W_CYSTATIN_UNIT: cystatinCMgL ${cys}: below the cystatin C of any adult .* is ${cys * 10} mg/L`));
      expect(egfrCkdEpi2021CrCys({ scrMgDl: scr, cystatinCMgL: cys * 10, ageYears: age, sex })).toBeCloseTo(right, 1);
    }
    // the lowest real adult values are not
    expect(egfrCkdEpi2021CrCysWithWarnings({ scrMgDl: 0.6, cystatinCMgL: 0.5, ageYears: 25, sex: 'female' }).warnings).toEqual([]);
  });
});
