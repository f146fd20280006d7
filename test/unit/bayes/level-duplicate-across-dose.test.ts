// The chart gent2.csv: a trough at 08:00, a 400 mg bolus at 08:00, then a level of 19.0 at
// 08:00 drawn right after the push. W_LEVEL_AFTER_DOSE rightly said the 19.0 is fitted after the dose,
// and W_LEVEL_DUPLICATE called the pair "replicates" that "usually mean one of them was charted at the
// wrong time": a false alarm, the two are fitted against different predictions (0.7291 before the dose,
// 19.69 after it). Levels on either side of a dose row at one time are no replicates; true copies (two
// levels with no dose row between them, before or after the dose) are still warned. Failed before the
// fix (the first test: W_LEVEL_DUPLICATE said of rows 3, 5).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';

const gentamicin = defineModel(JSON.parse(readFileSync('models/gentamicin_xuan_2003.json', 'utf8')));
const H = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,WT,ClCr';
const head = ['1,2026-05-10,08:00,1,400,0,.,1,75,80', '1,2026-05-10,09:00,0,.,.,15.0,0,75,80'];
const trough = '1,2026-05-11,08:00,0,.,.,0.7,0,75,80';
const dose = '1,2026-05-11,08:00,1,400,0,.,1,75,80';
const post = '1,2026-05-11,08:00,0,.,.,19.0,0,75,80';
const tail = '1,2026-05-11,14:00,0,.,.,6.0,0,75,80';
const fit = (rows: string[]) => estimate(gentamicin, readNmtran([H, ...head, ...rows, tail].join('\n')).records);
const duplicate = (rows: string[]) => fit(rows).warnings.find((w) => w.code === 'W_LEVEL_DUPLICATE')?.message;

describe('W_LEVEL_DUPLICATE and a dose row between two levels at one time', () => {
  it('gent2.csv: a trough, a bolus and a post-dose level at 08:00 are not called replicates', () => {
    const f = fit([trough, dose, post]);
    expect(f.warnings.map((w) => w.code)).not.toContain('W_LEVEL_DUPLICATE');
    // the level after the dose is still warned as fitted after it
    expect(f.warnings.map((w) => w.code)).toContain('W_LEVEL_AFTER_DOSE');
  });

  it('true copies on one side of the dose are still warned, naming only them', () => {
    expect(duplicate([trough, trough, dose, post])).toMatch(/^rows 3, 4 \(TIME 24, DV 0\.7, 0\.7\): levels of one output at one time/);
    expect(duplicate([trough, dose, post, post])).toMatch(/^rows 5, 6 \(TIME 24, DV 19, 19\): levels of one output at one time/);
    // two levels, then the dose: replicates as before
    expect(duplicate([trough, post, dose])).toMatch(/^rows 3, 4 \(TIME 24, DV 0\.7, 19\)/);
  });
});
