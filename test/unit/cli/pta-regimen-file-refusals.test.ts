// A regimen file pta cannot use is refused naming the file and the field: {"doses": []} read
// "dosewise: regimen: no dose records" (no file), and {"observe": [{"times": []}]} read "window
// [0, 12] ends after the last simulated time 0" (neither file nor field). A fu given as a
// percentage (fu=50%/) is read as fu 0.5, the same PTA as fu=0.5/.

import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write } = tempFiles('dosewise-pta-regimen-');
const model = write('m1.json', {
  dosewise: 2,
  name: 'probe 1cmt iv',
  structure: '1cmt-iv',
  theta: { TVCL: { value: 10, unit: 'L/h' }, TVV: { value: 20, unit: 'L' } },
  parameters: { CL: { expr: 'TVCL * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV * exp(ETA_V)', unit: 'L' } },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
  residual: { model: 'proportional', proportional: 0.1 },
  observe: { compartment: 1, unit: 'mg/L' },
});
const good = write('good.json', { doses: [{ time: 0, amt: 1000, cmt: 1, ii: 12, ss: 1 }], observe: [{ grid: { from: 0, to: 12, step: 0.5 } }] });
const base = ['pta', '--model', model, '--target', 'trough:1:', '--n', '10', '--seed', '1'];

describe('pta: a regimen file without doses or observation times', () => {
  it('refuses "doses": [] naming the file and the field', async () => {
    const bad = write('bad4.json', { doses: [], observe: [{ times: [1, 2] }] });
    const r = await cli([...base, '--regimens', `${good},${bad}`]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad4\.json, doses: is an empty list: a PTA compares regimens by their doses/);
    expect(r.out).toBe('');
  });

  it('refuses a CSV regimen with no dose record naming the file', async () => {
    const bad = write('nodose.csv', 'ID,TIME,EVID,AMT,DV\n1,1,0,0,.\n1,2,0,0,.\n');
    const r = await cli([...base, '--regimens', `${good},${bad}`]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nodose\.csv: no record is a dose \(EVID 1 or 4\)/);
  });

  it('refuses "times": [] naming the file and observe.0.times', async () => {
    const bad = write('bad3.json', { doses: [{ time: 0, amt: 1000, cmt: 1, ii: 12, ss: 1 }], observe: [{ times: [] }] });
    const r = await cli([...base, '--regimens', `${good},${bad}`]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad3\.json, observe\.0\.times: is an empty list: give at least one observation time/);
    expect(r.err).not.toMatch(/window/);
    // an empty times beside a grid observes the grid: still read
    const both = write('both.json', { doses: [{ time: 0, amt: 1000, cmt: 1, ii: 12, ss: 1 }], observe: [{ times: [], grid: { from: 0, to: 12, step: 0.5 } }] });
    expect((await cli([...base, '--regimens', both, '--json'])).code).toBe(0);
  });

  it('reads fu=50%/ as fu=0.5/', async () => {
    const run = (target: string) => cli(['pta', '--model', model, '--target', target, '--n', '10', '--seed', '1', '--regimens', good, '--json']);
    const pc = await run('fu=50%/trough:1:');
    const dec = await run('fu=0.5/trough:1:');
    expect(pc.code).toBe(0);
    const cells = (s: string): unknown => (JSON.parse(s) as { regimens: { cells: unknown }[] }).regimens.map((g) => g.cells);
    expect(cells(pc.out)).toEqual(cells(dec.out));
  });
});
