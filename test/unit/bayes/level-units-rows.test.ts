// r4 (a regression hunt on the level-unit check, against f35dfc6 where each chart below ran with
// exit 0 and the same estimate as without its unit column):
// F1 an MDV 1 covariate row (DV '.') with 'mL/min' in UNIT was refused as "a level in mL/min";
// F2 a care-unit column UNIT ('ICU', 'Ward 5B') refused the chart;
// F3 microgram/mL, micrograms/mL, microg/mL, milligram/L, 'mg/L.' refused as "no unit dosewise
//    reads", 'mg per L' read as 'mg' ("a unit of another kind");
// F4 W_LEVEL_AFTER_DOSE on a DATE + clock TIME chart advised "chart the dose at TIME 48" and "an SS
//    dose at TIME -12", which no clock column can hold.
// Each test failed on 1f3ec85 (a refusal, or the hour advice on the clock chart).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { unreadUnitColumns, uncomparedLevelUnits } from '../../../src/bayes/level-units.js';
import { compareUnits, parseCovariateUnit } from '../../../src/model/units.js';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write } = tempFiles('dosewise-level-units-rows-');
const thomson = defineModel(JSON.parse(readFileSync('models/vancomycin_thomson_2009.json', 'utf8')));
const records = (csv: string) => readNmtran(csv).records;

// the chart units/*.csv: two infusions, levels at 11.5 h and 25 h, a CRCL update at 6 h
const H = 'ID,TIME,EVID,AMT,RATE,DV,MDV,CRCL,WT';
const rows = (u: readonly [string, string, string, string, string]) =>
  [`1,0,1,1000,1000,.,1,80,75${u[0]}`, `1,6,0,.,.,.,1,60,75${u[1]}`, `1,11.5,0,.,.,12.1,0,60,75${u[2]}`, `1,12,1,1000,1000,.,1,60,75${u[3]}`, `1,25,0,.,.,30.2,0,60,75${u[4]}`].join('\n');
const plain = `${H}\n${rows(['', '', '', '', ''])}`;

describe('F1: only levels (EVID 0, MDV 0) are judged', () => {
  const base = estimate(thomson, records(plain)).parameters.CL as number;
  const u = rows([',mg', ',mL/min', ',mg/L', ',mg', ',mg/L']);
  it('an MDV 1 covariate row with mL/min in UNIT (EVID 0, and without an EVID column) is not a level', () => {
    expect(estimate(thomson, records(`${H},UNIT\n${u}`)).parameters.CL).toBeCloseTo(base, 8);
    const noEvid = `${H.replace('EVID,', '')},UNIT\n${u.replace(/^(1,[^,]+),[012],/gm, '$1,')}`;
    expect(estimate(thomson, records(noEvid)).parameters.CL).toBeCloseTo(base, 8);
    // a BLQ-flagged level is still a level: its unit is judged
    const blq = `${H},BLQ,UNIT\n${rows([',0,mg', ',0,mL/min', ',1,ng/mL', ',0,mg', ',0,mg/L'])}`;
    expect(() => estimate(thomson, records(blq))).toThrow(/row 3, column UNIT: a level in ng\/mL/);
  });

  it('nor listed as a level unit not compared', () => {
    const noUnit = defineModel({ ...JSON.parse(readFileSync('models/vancomycin_thomson_2009.json', 'utf8')), observe: { compartment: 1, scale: 'V' } });
    expect([...uncomparedLevelUnits(noUnit, records(`${H},UNIT\n${u}`))]).toEqual([['UNIT', ['mg/L']]]);
  });
});

describe('F2: a bare UNIT column holding no unit (a care unit) is not the levels unit', () => {
  const ward = `${H},UNIT\n${rows([',ICU', ',ICU', ',ICU', ',ICU', ',Ward 5B'])}`;
  it('is not refused, the estimate as without it, and said once naming the column and a value', async () => {
    const base = estimate(thomson, records(plain)).parameters.CL as number;
    expect(estimate(thomson, records(ward)).parameters.CL).toBeCloseTo(base, 8);
    const w = unreadUnitColumns(thomson, records(ward));
    expect(w).toHaveLength(1);
    expect(w[0]?.code).toBe('W_UNIT_COLUMN_UNREAD');
    expect(w[0]?.message).toMatch(/^column UNIT \("ICU" on row 3\) holds no unit dosewise reads/);
    // in the API's and the JSON's warnings too, not on stderr alone
    expect(estimate(thomson, records(ward)).warnings.filter((x) => x.code === 'W_UNIT_COLUMN_UNREAD').map((x) => x.message)).toEqual([w[0]?.message]);
    const r = await cli(['estimate', '--model', 'vancomycin_thomson_2009', '--data', write('ward.csv', ward)]);
    expect(r.code, r.err).toBe(0);
    expect(r.err.match(/W_UNIT_COLUMN_UNREAD/g)).toHaveLength(1);
    expect(r.err).toMatch(/warning: .*ward\.csv: W_UNIT_COLUMN_UNREAD: column UNIT \("ICU" on row 3\)/);
  });

  it('an explicit DVUNIT of ICU stays refused; a UNIT column with a unit on some level stays read', () => {
    expect(() => estimate(thomson, records(`${H},DVUNIT\n${rows([',', ',', ',ICU', ',', ',ICU'])}`))).toThrow(/row 3, column DVUNIT: a level in ICU .*"ICU" is no unit dosewise reads/);
    expect(() => estimate(thomson, records(`${H},UNIT\n${rows([',', ',', ',IU/L', ',', ',ng/mL'])}`))).toThrow(/row 3, column UNIT: a level in IU\/L/);
    expect(unreadUnitColumns(thomson, records(`${H},UNIT\n${rows([',', ',', ',mg/L', ',', ',mg/L'])}`))).toEqual([]);
  });

  // r1: every level's cell a lab unit dosewise did not read (micromoles/L; mEq/L, IU/L, a µ mangled
  // by a code page, ng•mL-1) made the column a care unit's, and the levels were fitted as mg/L: CL
  // 2.944 for 2.200 (scipy, the levels converted) with exit 0; a ward '5 North' was read as the unit '5'
  it('a column of lab units dosewise cannot read is judged, never taken for a care unit', () => {
    const all = (c: string) => `${H},UNIT\n${rows([',', ',', `,${c}`, ',', `,${c}`])}`;
    expect(() => estimate(thomson, records(all('micromoles/L')))).toThrow(/row 3, column UNIT: a level in micromoles\/L/);
    for (const c of ['mEq/L', 'IU/L', '\u00c2\u00b5mol/L', '\ufffdmol/L', 'ng\u2022mL-1', 'mg L-1 x'])
      expect(() => estimate(thomson, records(all(c))), c).toThrow(/row 3, column UNIT: a level in/);
    const base = estimate(thomson, records(plain)).parameters.CL as number;
    for (const c of ['5 North', 'CCU', '7B', 'ICU 2']) {
      expect(estimate(thomson, records(all(c))).parameters.CL, c).toBeCloseTo(base, 8);
      expect(unreadUnitColumns(thomson, records(all(c))), c).toHaveLength(1);
    }
  });
});

describe('F3: the model unit however spelt passes', () => {
  const unit = (c: string) => `${H},DVUNIT\n${rows([',', ',', `,${c}`, ',', `,${c}`])}`;
  it('spelled masses, per and a trailing period', () => {
    const base = estimate(thomson, records(plain)).parameters.CL as number;
    for (const u of ['microgram/mL', 'micrograms/mL', 'microg/mL', 'milligram/L', 'milligrams/L', 'mg/L.', 'mg per L', 'mg per litre', 'mcg/mL', 'mg/Litre'])
      expect(estimate(thomson, records(unit(u))).parameters.CL, u).toBeCloseTo(base, 8);
    // read, so of one kind with a factor (closed form: 1 ng/mL = 1e-6 mg / 1e-3 L)
    expect(() => estimate(thomson, records(unit('nanograms/mL')))).toThrow(/a level in nanograms\/mL .*\(1 nanograms\/mL = 0\.001 mg\/L\)/);
    expect(() => estimate(thomson, records(unit('microgram per L')))).toThrow(/\(1 microgram per L = 0\.001 mg\/L\)/);
    expect(compareUnits('picograms/mL', 'ng/L')).toEqual({ same: true });
    expect(compareUnits('grams per decilitre', 'mg/L')).toEqual({ same: false, factor: 10000 });
    // the cases read right before stay so (units1.txt)
    for (const u of ['mg/dL', 'ng/mL', 'µmol/L', 'kg/m3', 'mg%']) expect(() => estimate(thomson, records(unit(u))), u).toThrow(/column DVUNIT: a level in/);
    expect(parseCovariateUnit('mL/min per 1.73 m2')).toEqual(parseCovariateUnit('mL/min/1.73 m2'));
  });
});

describe('F4: W_LEVEL_AFTER_DOSE advice on a clock-time chart', () => {
  const gent = defineModel({ dosewise: 2, name: 'gent1', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: '4*exp(ETA_CL)', V: '20*exp(ETA_V)' }, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.1] }, residual: { model: 'combined', additive: 0.1, proportional: 0.1 }, observe: { compartment: 1, scale: 'V', unit: 'mg/L' } });
  const advice = (csv: string) => estimate(gent, records(csv)).warnings.find((w) => w.code === 'W_LEVEL_AFTER_DOSE')?.message ?? '';
  it('an ADDL copy at the level: the dose charted at the level date and clock time, not at TIME 48', () => {
    const m = advice('ID,DATE,TIME,EVID,AMT,RATE,II,ADDL,DV,MDV\n1,03/04/2026,08:00,1,400,0,24,2,.,1\n1,03/06/2026,08:00,0,.,.,.,.,0.4,0\n1,03/06/2026,09:00,0,.,.,.,.,19,0\n');
    expect(m).toMatch(/end row 1's copies before it \(ADDL 1\) and chart the dose as a row of its own at the level's date and clock time, after the level's \(ADDL 0\)$/);
    expect(m).not.toMatch(/at TIME/);
  });

  it('an SS dose: one interval before the dose in words, not at TIME -12; hour charts keep hours', () => {
    const m = advice('ID,DATE,TIME,EVID,AMT,RATE,II,SS,DV,MDV\n1,03/06/2026,08:00,1,400,0,12,1,.,1\n1,03/06/2026,08:00,0,.,.,.,0,2.1,0\n1,03/06/2026,09:00,0,.,.,.,0,17.5,0\n');
    expect(m).toMatch(/chart the steady state as an SS dose dated one interval \(12 h\) before this dose \(II 12\), then the level, then this dose without SS$/);
    expect(m).not.toMatch(/TIME -12/);
    expect(advice('ID,TIME,EVID,AMT,RATE,II,SS,DV,MDV\n1,0,1,400,0,12,1,.,1\n1,0,0,.,.,.,0,2.1,0\n1,1,0,.,.,.,0,17.5,0\n')).toMatch(/as an SS dose at TIME -12 \(II 12\)/);
  });
});
