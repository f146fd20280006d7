// W_HEIGHT_UNIT warned super-obese adults: busulfan HT 170 cm with WT 250 (BMI 86.5) as "170 in is
// 431.8 cm", and tacrolimus HT 1.7 in its metres with WT 240 as "1.7 in is 4.318 cm". A height is
// suspected of being in inches only where the model's unit is cm and the value read as inches is a
// possible height (18–96 in, 45.7–243.8 cm); several rows are counted ("(and N more)").

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calc } from '../../../src/cli/calc.js';
import { suspectUnitWarnings } from '../../../src/model/covariate-flags.js';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const model = (f: string) => defineModel(JSON.parse(readFileSync(`models/${f}.json`, 'utf8')) as never);
const csv = (lines: string[]) => readNmtran(lines.join('\n')).records;
const busulfan = model('busulfan_shukla_2020');
const bu = (rows: [number, number][]) =>
  csv(['ID,TIME,EVID,AMT,RATE,DV,MDV,AGE,WT,HT,SEX,REGI,OCC', ...rows.flatMap(([wt, ht], i) => [`${i + 1},0,1,300,100,.,1,45,${wt},${ht},1,0,1`, `${i + 1},6,0,.,.,.,1,45,${wt},${ht},1,0,1`])]);

describe('W_HEIGHT_UNIT only for a height possible in inches, in cm', () => {
  it('busulfan HT 170 cm, WT 250 (BMI 250/1.7² = 86.5 > 80; 170 in = 431.8 cm is no height) is not warned', () => {
    expect(suspectUnitWarnings(busulfan, bu([[250, 170]]), 'bu.csv')).toEqual([]);
  });

  it('tacrolimus HT 1.7 m, WT 240 (BMI 240/1.7² = 83.0; a height in metres is not suspected) is not warned', () => {
    const tac = model('tacrolimus_storset_2014');
    const rows = csv(['ID,TIME,EVID,AMT,CMT,DV,MDV,WT,HT,FEMALE,OCC', '1,0,1,5,1,.,1,240,1.70,0,1', '1,12,0,.,2,.,1,240,1.70,0,1']);
    expect(suspectUnitWarnings(tac, rows, 'tac.csv').filter((w) => w.includes('W_HEIGHT_UNIT'))).toEqual([]);
  });

  it('HT 67 with WT 70 (BMI 70/0.67² = 155.9) is still warned, naming the first row and how many more', () => {
    const w = suspectUnitWarnings(busulfan, bu([[70, 67], [70, 170], [80, 70], [60, 65]]), 'bu.csv');
    // rows 1, 5 and 7 are the doses of IDs 1, 3 and 4; rows 2, 6 and 8 their observations: 6 rows
    expect(w).toEqual(['bu.csv, row 1 (and 5 more): W_HEIGHT_UNIT: HT 67 with WT 70 makes a body-mass index of 156 kg/m², above 80: a height in inches? 67 in is 170.2 cm; give the height in its declared unit']);
  });

  it('calc: heightCm 170 with weightKg 250 is not warned, heightCm 70 with weightKg 80 is', () => {
    expect(calc('bmi', ['heightCm=170', 'weightKg=250']).warnings).toBeUndefined();
    // 80 / 0.7² = 163.3
    expect((calc('bmi', ['heightCm=70', 'weightKg=80']).warnings as string[])[0]).toMatch(/^W_HEIGHT_UNIT: heightCm 70 with weightKg 80 makes a body-mass index of 163 kg\/m²/);
  });
});
