// forecast named a refused record of a JSON --regimen by a row of no file: "future regimen, row 2,
// column TIME" for a future dose before the history's end (the file futA1.json on a
// history to 90 h), and a future observation's compartment the model lacks by the history's file,
// "dataB.csv, row 5, column CMT" (row 5 of the sorted future records; dataB.csv's row 5 is a level
// in compartment 1). The README names JSON records by file and `doses.N` / `observe.N`.

import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write } = tempFiles('dosewise-forecast-places-');

const model = write('m.json', {
  dosewise: 2,
  name: '1cmt iv exp error',
  structure: '1cmt-iv',
  theta: { TVCL: 4, TVV: 30 },
  parameters: { CL: 'TVCL * exp(ETA_CL)', V: 'TVV * exp(ETA_V)' },
  omega: { etas: ['ETA_CL', 'ETA_V'], matrix: [[0.15, 0.06], [0.06, 0.1]] },
  residual: { model: 'exponential', exponential: 0.15 },
  observe: { compartment: 1, unit: 'mg/L' },
});
const data = write(
  'd.csv',
  'ID,TIME,EVID,AMT,RATE,CMT,DV,MDV\n' +
    '1,0,1,1000,500,1,.,1\n' +
    '1,1.0,0,.,.,1,2.887292,0\n' +
    '1,12,0,.,.,1,0.969003,0\n' +
    '1,12,1,1000,500,1,.,1\n' +
    '1,13,0,.,.,1,3.153911,0\n' +
    '1,90,0,.,.,1,-1.2,0\n',
);

describe('forecast names a refused record of a JSON regimen by its file and place', () => {
  it('a future dose before the history\'s end: doses.N.time', async () => {
    const fut = write('early.json', { doses: [{ time: 96, amt: 1000, dur: 2 }, { time: 48, amt: 500, addl: 1, ii: 12 }], observe: [{ grid: { from: 48, to: 120, step: 3 } }] });
    const r = await cli(['forecast', '--model', model, '--data', data, '--regimen', fut, '--draws', '50']);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(`${fut}, doses.1.time: a future dose at 48 h is before the last dose or level of the history (90 h)`);
    expect(r.err).not.toMatch(/future regimen, row/);
  });

  it('a future observation in a compartment the model lacks: observe.N.cmt', async () => {
    const fut = write('cmt.json', { doses: [{ time: 96, amt: 1000, dur: 2 }], observe: [{ grid: { from: 96, to: 120, step: 2 } }, { times: [100], cmt: 3 }] });
    const r = await cli(['forecast', '--model', model, '--data', data, '--regimen', fut, '--draws', '50']);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(`${fut}, observe.1.cmt: the model has 1 compartment (got 3)`);
    expect(r.err).not.toMatch(/d\.csv, row|future regimen, row/);
  });
});
