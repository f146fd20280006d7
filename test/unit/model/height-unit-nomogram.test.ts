// A height in inches was told on a data set's row (W_HEIGHT_UNIT, a BMI above 80) but not in a
// nomogram's --set/--grid or a population's distributions: McCune 2014, AUC24 20000, q24h, 3-h
// infusion, HT 37 beside WT 14, AGE 3 (BMI 102) gave 48.6 mg for 63.9 at 94 cm (−24 %), without a
// word, as did an adult's 67 cm / 70 kg (BMI 156). The age now tells it too where the BMI cannot.
// Reference (closed form of the model file, CL at TIME 0 and η = 0; dose = AUC24 · CL for q24h):
//   FFM = 42.92·H²·WT/(30.93·H² + WT) (male, H in m), NFM = FFM + 0.509·(WT − FFM),
//   FMAT = 1/(1 + (PMA/45.7)^−2.3), PMA = AGE·52.1775 + 40, CL = 11.4·(NFM/70)^0.75·FMAT;
//   python3: HT 37 → CL 2.432074, 48.64149 mg; HT 94 → CL 3.193918, 63.87836 mg.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { nomogram } from '../../../src/design/nomogram/nomogram.js';
import { patientHeightUnitWarning } from '../../../src/model/covariate-flags.js';
import { typicalSubjectAgeWarnings } from '../../../src/population/covariates/units.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const mccune = defineModel(JSON.parse(readFileSync('models/busulfan_mccune_2014.json', 'utf8')) as never);
const clMale = (ht: number, wt: number, age: number): number => {
  const h2 = (ht / 100) ** 2;
  const ffm = (42.92 * h2 * wt) / (30.93 * h2 + wt);
  const nfm = ffm + 0.509 * (wt - ffm);
  return 11.4 * (nfm / 70) ** 0.75 / (1 + ((age * 52.1775 + 40) / 45.7) ** -2.3);
};
const nomo = (grid: { name: string; values: number[] }[], fixed: Record<string, number>) =>
  nomogram(mccune, { target: { metric: 'auc24', value: 20000 }, intervals: [24], infusion: 3, grid, fixed });

describe('nomogram(): W_HEIGHT_UNIT on a height in inches, as a data set row', () => {
  it('HT 37 fixed beside WT 14 on the grid, AGE 3: warned (BMI 102, 37 in = 93.98 cm); HT 94 is not, and gives the closed form', () => {
    const r = nomo([{ name: 'WT', values: [14] }], { HT: 37, AGE: 3, SEX: 1, TIME: 0 });
    expect(r.cells[0]?.computed).toBeCloseTo(20 * clMale(37, 14, 3), 2);
    expect(20 * clMale(37, 14, 3)).toBeCloseTo(48.64149, 4);
    expect(r.warnings).toContainEqual(expect.stringMatching(/^cell .*HT=37.*: W_HEIGHT_UNIT: HT 37 with WT 14 makes a body-mass index of 102 kg\/m², above 80: a height in inches\? 37 in is 93\.98 cm/));
    const ok = nomo([{ name: 'WT', values: [14] }], { HT: 94, AGE: 3, SEX: 1, TIME: 0 });
    expect(ok.cells[0]?.computed).toBeCloseTo(63.87836, 2);
    expect(ok.warnings).toBeUndefined();
  });

  it('an adult HT 67 on the grid with WT 70 (BMI 156) warns, naming the first cell and how many more', () => {
    const r = nomo([{ name: 'HT', values: [67, 68, 170] }], { WT: 70, AGE: 40, SEX: 1, TIME: 0 });
    const w = (r.warnings ?? []).filter((x) => x.includes('W_HEIGHT_UNIT'));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^cell .*HT=67.*: W_HEIGHT_UNIT: HT 67 with WT 70 makes a body-mass index of 156 kg\/m².* \(and 1 more cell\)$/);
  });

  it('by the age where the BMI stays under 80: HT 30 with WT 5.5 at AGE 1 (BMI 61; 30 in = 76.2 cm)', () => {
    // the median 1-year-old measures 74–75.7 cm (WHO 2006); 30 cm is under any 1-year-old's
    const w = patientHeightUnitWarning(mccune, { HT: 30, WT: 5.5, AGE: 1, SEX: 1, TIME: 0 });
    expect(w).toMatch(/^W_HEIGHT_UNIT: HT 30 with AGE 1 years: outside the heights growth charts give for that age \([\d.]+–[\d.]+ cm\): a height in inches\? 30 in is 76\.2 cm/);
    expect(patientHeightUnitWarning(mccune, { HT: 76, WT: 5.5, AGE: 1, SEX: 1, TIME: 0 })).toBeUndefined();
    expect(patientHeightUnitWarning(mccune, { HT: 76, WT: 9.6, SEX: 1, TIME: 0 })).toBeUndefined();
  });
});

describe('population: the typical subject of distributions in inches', () => {
  it('HT normal(37, 1.5) "cm" beside WT 14 and AGE uniform(2, 4) warns W_HEIGHT_UNIT (bu-inch.json ran without a word)', () => {
    const spec = (ht: number) => ({
      covariates: {
        AGE: { dist: 'uniform', lower: 2, upper: 4, unit: 'years' },
        HT: { dist: 'normal', mean: ht, sd: 1.5, unit: 'cm' },
        WT: { dist: 'normal', mean: 14, sd: 1.5, unit: 'kg' },
        SEX: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5], description: '1 = male, 0 = female' },
      },
    });
    const w = typicalSubjectAgeWarnings(spec(37), mccune).filter((x) => x.includes('W_HEIGHT_UNIT'));
    expect(w).toEqual([expect.stringMatching(/^the typical subject \(every distribution at its median: .*HT 37.*\): W_HEIGHT_UNIT: HT 37 with WT 14 makes a body-mass index of 102 kg\/m²/)]);
    expect(typicalSubjectAgeWarnings(spec(94), mccune)).toEqual([]);
  });
});

describe('simulate(): a height override is judged with the rows', () => {
  it('overrides HT 37 on rows of HT 94, WT 14, AGE 3 warns W_HEIGHT_UNIT (the rows alone do not)', () => {
    const recs = readNmtran('ID,TIME,EVID,AMT,RATE,DV,MDV,AGE,HT,WT,SEX,OCC\n1,0,1,50,16.6666666667,.,1,3,94,14,1,1\n1,4,0,.,.,.,0,3,94,14,1,1\n').records;
    const tall = (o?: Record<string, number>) => (simulate(mccune, recs, { file: 'bu.csv', ...(o ? { overrides: o } : {}) }).warnings ?? []).filter((w) => w.includes('W_HEIGHT_UNIT'));
    expect(tall()).toEqual([]);
    expect(tall({ HT: 37 })).toEqual([expect.stringMatching(/^bu\.csv, row 1 \(and 1 more\): W_HEIGHT_UNIT: HT 37 with WT 14 makes a body-mass index of 102 kg\/m²/)]);
  });
});
