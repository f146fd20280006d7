// A unit column whose cells are all numbers (a lab's unit codes: 2 for ng/mL) is read as a numeric
// data item, not as text, and level-units.ts judged text cells alone: vancomycin levels in ng/mL
// coded DVUNIT 2 were fitted as mg/L with exit 0 (only W_LEVEL_IMPLAUSIBLE and W_ETA_FAR said),
// where the README refuses a DVUNIT holding no unit. A DVUNIT number is now refused; a bare UNIT
// of numbers (a care unit's code as often as a lab's) is not read, as a bare UNIT of care-unit text.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write } = tempFiles('dosewise-level-unit-codes-');
const thomson = defineModel(JSON.parse(readFileSync('models/vancomycin_thomson_2009.json', 'utf8')));
const records = (csv: string) => readNmtran(csv).records;

// the chart units/code.csv: levels in ng/mL coded 2
const coded = (column: string, a: string, b: string, c: string): string =>
  [`ID,TIME,EVID,AMT,RATE,DV,MDV,CRCL,WT,${column}`, '1,0,1,1000,1000,.,1,80,70,.', `1,1.5,0,.,.,27576.98,0,80,70,${a}`, `1,11.5,0,.,.,3437.169,0,80,70,${b}`, `1,25,0,.,.,38494.93,0,80,70,${c}`].join('\n');

describe('a DVUNIT of numbers (lab unit codes) is refused as no unit', () => {
  const refused = /row 2, column DVUNIT: a level's unit is a number here \(a lab's code for a unit\?\), which dosewise cannot read: write the unit itself, such as mg\/L, in DVUNIT \(got "?2"?\)/;
  it('estimate()', () => {
    expect(() => estimate(thomson, records(coded('DVUNIT', '2', '2', '2')))).toThrow(refused);
    // a number among units (a mixed column holds its numbers as data items too)
    expect(() => estimate(thomson, records(coded('DVUNIT', 'mg/L', '2', 'mg/L')))).toThrow(/row 3, column DVUNIT: a level's unit is a number .*\(got "?2"?\)/);
    // an empty cell or '.' is still no unit given
    expect(estimate(thomson, records(coded('DVUNIT', '.', '.', '.'))).parameters.CL).toBeGreaterThan(0);
  });

  it('the CLI: exit 1 naming the file, row, column and value', async () => {
    const r = await cli(['estimate', '--model', 'vancomycin_thomson_2009', '--data', write('code.csv', coded('DVUNIT', '2', '2', '2'))]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/code\.csv/);
    expect(r.err).toMatch(refused);
  });
});

describe('a bare UNIT of numbers is not read as the levels unit (W_UNIT_COLUMN_UNREAD)', () => {
  const ward = coded('UNIT', '2', '2', '3');
  const said = /^column UNIT \("2" on row 2\) holds no unit dosewise reads on any level, so it is not read as the levels' unit/;
  it('estimate(): fitted as without the column, and said once', () => {
    const base = estimate(thomson, records(coded('NOTE', '.', '.', '.')));
    const e = estimate(thomson, records(ward));
    expect(e.parameters.CL).toBeCloseTo(base.parameters.CL as number, 8);
    const w = e.warnings.filter((x) => x.code === 'W_UNIT_COLUMN_UNREAD');
    expect(w).toHaveLength(1);
    expect(w[0]?.message).toMatch(said);
    // a UNIT column read (a unit on some level) refuses a number beside it
    expect(() => estimate(thomson, records(coded('UNIT', 'mg/L', '2', 'mg/L')))).toThrow(/row 3, column UNIT: a level's unit is a number .*\(got "?2"?\)/);
  });

  it('the CLI: exit 0, the warning once on stderr', async () => {
    const r = await cli(['estimate', '--model', 'vancomycin_thomson_2009', '--data', write('ward.csv', ward)]);
    expect(r.code, r.err).toBe(0);
    expect(r.err.match(/W_UNIT_COLUMN_UNREAD/g)).toHaveLength(1);
    expect(r.err).toMatch(/warning: .*ward\.csv: W_UNIT_COLUMN_UNREAD: column UNIT \("2" on row 2\)/);
  });
});

// The chart u1.csv: a care-unit UNIT of numbers beside a DVUNIT that is read (mg/L on the
// levels). The warning ended "a column of the levels' unit is named DVUNIT", as if there were none.
describe('a bare UNIT of numbers beside a DVUNIT read', () => {
  const both = ['ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DVUNIT,UNIT', '1,0,1,1000,1000,.,1,70,100,.,3', '1,11.5,0,.,.,12,0,70,100,mg/L,3', '1,12,1,1000,1000,.,1,70,100,,3', '1,23.5,0,.,.,14,0,70,100,mg/L,3'].join('\n');
  const said = 'column UNIT ("3" on row 2) holds no unit dosewise reads on any level, so it is not read as the levels\' unit (a care unit?); the levels\' unit is read from DVUNIT';
  it('estimate(): the warning names DVUNIT as the column read', () => {
    const w = estimate(thomson, records(both)).warnings.filter((x) => x.code === 'W_UNIT_COLUMN_UNREAD');
    expect(w.map((x) => x.message)).toEqual([said]);
  });

  it('the CLI: said once on stderr in those words', async () => {
    const r = await cli(['estimate', '--model', 'vancomycin_thomson_2009', '--data', write('u1.csv', both)]);
    expect(r.code, r.err).toBe(0);
    expect(r.err.match(/W_UNIT_COLUMN_UNREAD/g)).toHaveLength(1);
    expect(r.err).toContain(`W_UNIT_COLUMN_UNREAD: ${said}\n`);
    expect(r.err).not.toContain('is named DVUNIT');
  });
});
