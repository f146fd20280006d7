// A blank cell of a data item the model reads and has no default for (vancomycin_goti_2018's CRCL,
// `.` or empty on some rows) was refused from the first model evaluation as "row 2, parameter CRCL:
// the model reads this data item, but the record has no value and the model gives no default (got
// NaN)": no file, a data column called a parameter, a blank called NaN. It is refused before any
// evaluation, naming the file, the row, the column, the other blank rows and what to do.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { defineModel } from '../../src/model/model.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { simulate } from '../../src/engine/simulate.js';
import { estimate } from '../../src/bayes/estimate.js';
import { regimen } from '../../src/regimen/builder.js';
import { cli } from './cli/run-cli.js';
import { refused } from './refused.js';
import { tempFiles } from './temp-files.js';

const { write } = tempFiles('dosewise-blank-input-');
// the chart vanc_blank.csv: CRCL `.` on rows 2 and 5, empty on row 4 (rows counted from the header, row 0)
const chart =
  'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL\n1,03/04/2026,08:10,1,1500,1000,.,1,82,85\n1,03/04/2026,20:30,1,1000,1000,.,1,82,.\n' +
  '1,03/05/2026,07:45,0,.,.,14.2,0,82,62\n1,03/05/2026,11:20,1,1000,1000,.,1,82,\n1,03/05/2026,11:50,0,.,.,31.5,0,82,.\n1,03/06/2026,06:40,0,.,.,21.8,0,82,41\n';
const said = /vanc_blank\.csv, row 2, column CRCL: blank \(so are rows 4, 5\), and model vancomycin_goti_2018 reads CRCL with no default: fill in the patient's CRCL \(NONMEM reads a blank as 0\)\n/;

describe('a blank covariate without a default', () => {
  it('estimate, simulate and optimize --from name the file, the row, the column and the other blank rows', async () => {
    const file = write('vanc_blank.csv', chart);
    for (const args of [['estimate'], ['simulate'], ['optimize', '--from', '2026-03-06T08:00', '--target', 'auc24:400:600', '--doses', '1000', '--intervals', '12']]) {
      const r = await cli([args[0] as string, '--model', 'vancomycin_goti_2018', '--data', file, ...args.slice(1)]);
      expect(r.code, args[0]).toBe(1);
      expect(r.err, args[0]).toMatch(said);
      expect(r.err).not.toMatch(/parameter CRCL|NaN/);
    }
  });

  it('the API refuses it as E_RECORD with the place (file, row, column)', () => {
    const model = defineModel(JSON.parse(readFileSync('test/fixtures/nocb/vanc-no-crcl-default.model.json', 'utf8')));
    const records = readNmtran('ID,TIME,EVID,AMT,RATE,DV,MDV,CRCL\n1,0,1,1000,1000,.,1,80\n1,12,1,1000,1000,.,1,.\n1,23.5,0,.,.,12,0,60\n').records;
    const e = refused(() => estimate(model, records, { file: 'c.csv' }), 'E_RECORD', /^c\.csv, row 2, column CRCL: blank, and model vancomycin, 2-cmt reads CRCL with no default/);
    expect(e.place).toEqual({ file: 'c.csv', row: 2, column: 'CRCL' });
    refused(() => simulate(model, records), 'E_RECORD', /^row 2, column CRCL: blank, and model/);
  });

  it('a column not given at all is named as missing (it read "row 1, parameter CRCL: … (got NaN)")', async () => {
    const file = write('nocrcl.csv', chart.split('\n').map((l) => l.split(',').slice(0, 9).join(',')).join('\n'));
    const r = await cli(['estimate', '--model', 'vancomycin_goti_2018', '--data', file]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nocrcl\.csv: no column CRCL: model vancomycin_goti_2018 reads CRCL and gives it no default; add the column with the patient's CRCL on every record\n/);
    const model = defineModel(JSON.parse(readFileSync('test/fixtures/nocb/vanc-no-crcl-default.model.json', 'utf8')));
    refused(() => simulate(model, regimen().dose({ time: 0, amt: 1000, dur: 1 }).observe({ times: [12] }).records()), 'E_CSV_COLUMN_MISSING', /^records: no column CRCL/);
  });

  it('the same data filled in runs', async () => {
    const file = write('vanc_full.csv', chart.replace(/,82,\.?\n/g, ',82,62\n'));
    const r = await cli(['estimate', '--model', 'vancomycin_goti_2018', '--data', file]);
    expect(r.code, r.err).toBe(0);
  });
});
