// AGE 30 (months, the model reading years) with WT 12 kg and HT 88 cm: W_AGE_UNIT rightly said
// "AGE in months? 30 months is 2.5 years, where WT 12 kg and HT 88 cm fit", then W_HEIGHT_UNIT said
// "a height in inches? 88 in is 223.5 cm" (a 12-kg body 223.5 cm tall, BMI 12/2.235² = 2.4). The
// height advice is not given where the age's warning stands; HT 37 beside WT 14 and AGE 3 (37 in is
// 94 cm, which fits 3 years) still gets it.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-age-months-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const csv = (name: string, age: number, wt: number, ht: number): string => {
  const p = join(tmp, name);
  writeFileSync(p, `ID,TIME,EVID,AMT,RATE,CMT,DV,MDV,AGE,WT,HT,SEX,OCC,REGI,T_CL_EFF\n1,0,1,20,10,1,.,1,${age},${wt},${ht},1,1,0,0\n1,4,0,0,0,1,.,0,${age},${wt},${ht},1,1,0,0\n`);
  return p;
};

for (const model of ['busulfan_shukla_2020', 'busulfan_mccune_2014'])
  it(`${model}: AGE 30 (months) with WT 12, HT 88: W_AGE_UNIT alone, no "88 in is 223.5 cm"`, async () => {
    const r = await cli(['simulate', '--model', model, '--data', csv('bu_30mo.csv', 30, 12, 88)]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/W_AGE_UNIT: AGE 30 years .*AGE in months\? 30 months is 2\.5 years/);
    expect(r.err).not.toMatch(/W_HEIGHT_UNIT/);
  });

it('HT 37 (inches) beside WT 14 and AGE 3 keeps its W_HEIGHT_UNIT ("37 in is 93.98 cm")', async () => {
  const r = await cli(['simulate', '--model', 'busulfan_shukla_2020', '--data', csv('bu_ht37.csv', 3, 14, 37)]);
  expect(r.err).toMatch(/W_HEIGHT_UNIT: HT 37 .*37 in is 93\.98 cm/);
  expect(r.err).not.toMatch(/W_AGE_UNIT/);
});
