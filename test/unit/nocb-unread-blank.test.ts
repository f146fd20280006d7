// Under NOCB a dose at a patient's first time holds its covariates over the interval that ends at
// it — none — so a blank there is read by nothing. For an input with a default such a blank passed;
// for one without it was refused ("row 1, parameter CRCL: the record has no value"), and the
// README's dose() before observe({ items }) failed for such a model in simulate() and estimate().

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { simulate } from '../../src/engine/simulate.js';
import { estimate } from '../../src/bayes/estimate.js';

const model = defineModel(JSON.parse(readFileSync('test/fixtures/nocb/vanc-no-crcl-default.model.json', 'utf8')));
const data = (first: string): string => `ID,TIME,EVID,AMT,RATE,DV,MDV,CRCL,WT\n1,0,1,1000,1000,.,1,${first},80\n1,11.5,0,.,.,26.05,0,42.9,80\n1,12,1,1000,1000,.,1,42.9,80\n1,24,1,1000,1000,.,1,30.0,80\n1,35.5,0,.,.,6.00,0,30.0,80\n1,36,1,1000,1000,.,1,30.0,80\n1,37,0,.,.,10.18,0,30.0,80\n`;

describe('a blank nothing reads, in an input without a default', () => {
  it('simulates and estimates as the same records with any value there', () => {
    const blank = readNmtran(data('')).records;
    const filled = readNmtran(data('42.9')).records;
    const other = readNmtran(data('120')).records;
    expect(Array.from(simulate(model, blank).ipred)).toEqual(Array.from(simulate(model, filled).ipred));
    expect(Array.from(simulate(model, other).ipred)).toEqual(Array.from(simulate(model, filled).ipred));
    const a = estimate(model, blank);
    const b = estimate(model, filled);
    expect(a.eta).toEqual(b.eta);
    expect(a.ofv).toBe(b.ofv);
  });
  it('is still refused where it is read: a blank on a later record', () => {
    const later = readNmtran(data('42.9').replace('1,24,1,1000,1000,.,1,30.0,80', '1,24,1,1000,1000,.,1,,80')).records;
    expect(() => simulate(model, later)).toThrow(/CRCL/);
  });
});
