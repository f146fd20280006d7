// What a forecast says of the values its future regimen gives:
// - a covariate of the future regimen outside the model's stated range (CRCL 1500 under 10–200) was
//   forecast without a word, while the same value in the history was warned about; `estimate` never
//   warned about the history's either;
// - W_IOV_CARRIED said "the future continues occasion 2" of a future whose doses all carry OCC 3 (its
//   observations, without an OCC, are filled with 3, and simulated on it);
// - SCR 212 (µmol/L) or DIAL 2 in the regimen was refused naming the history's file and a row of it
//   ("d15.csv, row 3", a row holding SCR 0.8), not the regimen's file and its record.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { DosewiseError } from '../../../src/errors.js';
import { cli } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-future-checks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const rangedModel = file(
  'ranged.json',
  JSON.stringify({
    dosewise: 2,
    name: 'tv1range',
    structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
    theta: { TVCL: { value: 4, unit: 'L/h' }, TVV: { value: 50, unit: 'L' } },
    covariates: { CRCL: { unit: 'mL/min', range: [10, 200] }, WT: { unit: 'kg', range: [35, 150] } },
    parameters: { CL: { expr: 'TVCL * (CRCL/100) * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV * (WT/70) * exp(ETA_V)', unit: 'L' } },
    omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.1] },
    residual: { model: 'proportional', proportional: 0.1 },
    observe: { compartment: 1, unit: 'mg/L' },
    time_varying: 'nocb',
  }),
);
const inRange = file('in-range.csv', ['ID,TIME,EVID,AMT,RATE,CMT,DV,MDV,CRCL,WT', '1,0,1,1000,1000,1,.,1,140,70', '1,11.5,0,.,.,1,6.1,0,140,70', '1,12,1,1000,1000,1,.,1,140,70', '1,23.5,0,.,.,1,7.0,0,140,70'].join('\n'));
const outOfRange = file('out-of-range.csv', ['ID,TIME,EVID,AMT,RATE,CMT,DV,MDV,CRCL,WT', '1,0,1,1000,1000,1,.,1,140,70', '1,11.5,0,.,.,1,6.1,0,140,70', '1,12,1,1000,1000,1,.,1,400,70', '1,23.5,0,.,.,1,7.0,0,400,70'].join('\n'));

describe('covariates of the future regimen outside the model\'s ranges', () => {
  it('a future dose\'s CRCL 1500 (range 10–200) is warned about, naming the regimen file and doses.1.items.CRCL (it was forecast on CL ≈ 60 L/h without a word)', async () => {
    const regimen = file('fut.json', JSON.stringify({ doses: [{ time: 24, amt: 1000, dur: 1 }, { time: 36, amt: 1000, dur: 1, items: { CRCL: 1500 } }], observe: [{ times: [30, 47.5] }] }));
    const r = await cli(['forecast', '--model', rangedModel, '--data', inRange, '--regimen', regimen, '--draws', '20']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`dosewise: ${regimen}, doses.1.items.CRCL: CRCL 1500 lies outside 10–200, the range the model was built on: an extrapolation`);
    // said once for the regimen (the same for every ID), not for the history's values it carries
    expect(r.err.match(/lies outside/g)?.length).toBe(1);
  });

  it('in a regimen CSV the warning names the row, and counts the other records', async () => {
    const regimen = file('fut.csv', ['ID,TIME,EVID,AMT,RATE,CMT,MDV,CRCL', '1,24,1,1000,1000,1,1,140', '1,30,0,.,.,1,1,.', '1,36,1,1000,1000,1,1,5', '1,48,1,1000,1000,1,1,5', '1,59.5,0,.,.,1,1,.'].join('\n'));
    const r = await cli(['forecast', '--model', rangedModel, '--data', inRange, '--regimen', regimen, '--draws', '20']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`dosewise: ${regimen}, row 3: CRCL 5 (and 1 more record) lies outside 10–200`);
  });

  it('the report says it beside the forecast', async () => {
    const regimen = file('fut-report.json', JSON.stringify({ doses: [{ time: 24, amt: 1000, dur: 1, items: { CRCL: 1500 } }], observe: [{ times: [30, 35.5] }] }));
    const out = join(dir, 'report');
    const r = await cli(['forecast', '--model', rangedModel, '--data', inRange, '--regimen', regimen, '--draws', '20', '--report', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('doses.0.items.CRCL: CRCL 1500 lies outside 10–200');
  });

  it('estimate warns of the history\'s CRCL 400 as forecast does (it said nothing)', async () => {
    const r = await cli(['estimate', '--model', rangedModel, '--data', outOfRange]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`dosewise: ${outOfRange}, ID 1: CRCL 400 (row 3 and 1 more) lies outside 10–200, the range the model was built on: an extrapolation`);
    const ok = await cli(['estimate', '--model', rangedModel, '--data', inRange]);
    expect(ok.err).not.toContain('lies outside');
  });
});

describe('W_IOV_CARRIED and a future in a new occasion', () => {
  const model = defineModel({
    dosewise: 2,
    name: 'tv1iov',
    structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
    theta: { TVCL: { value: 4, unit: 'L/h' }, TVV: { value: 50, unit: 'L' } },
    covariates: { CRCL: { unit: 'mL/min' }, WT: { unit: 'kg' } },
    parameters: { CL: { expr: 'TVCL * (CRCL/100) * exp(ETA_CL + KAPPA_CL)', unit: 'L/h' }, V: { expr: 'TVV * (WT/70) * exp(ETA_V)', unit: 'L' } },
    omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.1] },
    residual: { model: 'proportional', proportional: 0.1 },
    observe: { compartment: 1, unit: 'mg/L' },
    time_varying: 'nocb',
    iov: { etas: ['KAPPA_CL'], diagonal: [0.05], occasion: 'OCC' },
  });
  const history = readNmtran(
    ['ID,TIME,EVID,AMT,RATE,CMT,DV,MDV,CRCL,WT,OCC', '1,0,1,1000,1000,1,.,1,140,70,1', '1,11.5,0,.,.,1,6.1,0,140,70,1', '1,12,1,1000,1000,1,.,1,140,70,1', '1,23.5,0,.,.,1,7.0,0,140,70,1', '1,24,1,1000,1000,1,.,1,140,70,2', '1,35.5,0,.,.,1,9.5,0,40,70,2', '1,36,1,1000,1000,1,.,1,40,75,2', '1,48,1,1000,1000,1,.,1,40,75,2', '1,59.5,0,.,.,1,22.0,0,40,75,2'].join('\n'),
  ).records;
  const fit = estimate(model, history);
  const observe = [{ times: [66, 71.5, 78, 83.5] }];
  const run = (doseItems: (Record<string, number> | undefined)[]) =>
    forecast(model, history, fit, parseRegimenJson({ doses: doseItems.map((items, i) => ({ time: 60 + 12 * i, amt: 1000, dur: 1, ...(items ? { items } : {}) })), observe }), { draws: 200, seed: 1 });

  it('every future dose in OCC 3, the observations without one: not warned (it said "continues occasion 2"), and as OCC on every record', () => {
    const f = run([{ OCC: 3 }, { OCC: 3 }]);
    expect(f.occasionWarnings).toEqual([]);
    expect(f.warnings.join('\n')).not.toMatch(/continues occasion/);
    // the same future with OCC 3 written on every record (a CSV's rows): the same numbers
    const csv = readNmtran(['ID,TIME,EVID,AMT,RATE,CMT,MDV,OCC', '1,60,1,1000,1000,1,1,3', '1,66,0,.,.,1,1,3', '1,71.5,0,.,.,1,1,3', '1,72,1,1000,1000,1,1,3', '1,78,0,.,.,1,1,3', '1,83.5,0,.,.,1,1,3'].join('\n')).records;
    const g = forecast(model, history, fit, csv, { draws: 200, seed: 1 });
    expect(g.occasionWarnings).toEqual([]);
    for (let j = 0; j < 4; j++) expect(Math.abs((f.ipred[j] as number) / (g.ipred[j] as number) - 1)).toBeLessThan(1e-14);
  });

  it('still warned where the future does continue occasion 2: no OCC at all, or a first dose without one', () => {
    for (const items of [[undefined, undefined], [undefined, { OCC: 3 }]]) {
      const f = run(items);
      expect(f.occasionWarnings.map((w) => w.code)).toEqual(['W_IOV_CARRIED']);
      expect(f.occasionWarnings[0]?.message).toMatch(/continues occasion 2 of the history/);
    }
  });
});

describe('a refused value of the future regimen is named by the regimen and its record', () => {
  const colinHistory = file('colin.csv', ['ID,TIME,EVID,AMT,RATE,CMT,DV,MDV,WT,PMA,SCR', '1,0,1,1000,1000,1,.,1,70,3420,0.8', '1,11.5,0,.,.,1,8.0,0,70,3420,0.8', '1,12,1,1000,1000,1,.,1,70,3420,0.8'].join('\n'));

  it('SCR 212 (µmol/L) in a regimen JSON: doses.0.items.SCR of the regimen file (it named the history\'s file, row 3, which holds 0.8)', async () => {
    const regimen = file('scr.json', JSON.stringify({ doses: [{ time: 24, amt: 1000, dur: 1, items: { SCR: 212 } }], observe: [{ times: [25, 30, 35.5] }] }));
    const r = await cli(['forecast', '--model', 'vancomycin_colin_2019', '--data', colinHistory, '--regimen', regimen, '--draws', '20']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`dosewise: ${regimen}, doses.0.items.SCR: SCR of model vancomycin_colin_2019 is in mg/dL: a serum creatinine in mg/dL is at most 40 (a value in µmol/L?) (got 212)\n`);
  });

  it('in a regimen CSV: its own row', async () => {
    const regimen = file('scr.csv', ['ID,TIME,EVID,AMT,RATE,CMT,MDV,SCR', '1,24,1,1000,1000,1,1,0.8', '1,30,0,.,.,1,1,.', '1,36,1,1000,1000,1,1,212', '1,40,0,.,.,1,1,.'].join('\n'));
    const r = await cli(['forecast', '--model', 'vancomycin_colin_2019', '--data', colinHistory, '--regimen', regimen, '--draws', '20']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^dosewise: ${regimen.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, row 3, column SCR: .*\\(got 212\\)\\n$`));
  });

  it('DIAL 2 of Goti\'s model, through the API: "future regimen, doses.0.items.DIAL" (it was "row 8" of the history)', () => {
    const model = defineModel(JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')));
    const history = readNmtran(['ID,TIME,EVID,AMT,RATE,CMT,DV,MDV,CRCL,WT,DIAL', '1,0,1,1500,1000,1,.,1,150,80,0', '1,11.5,0,.,.,1,8.5,0,150,80,0', '1,12,1,1500,1000,1,.,1,150,80,0', '1,24,1,1000,1000,1,.,1,20,80,0', '1,35.5,0,.,.,1,21.0,0,20,80,0', '1,36,1,1000,1000,1,.,1,20,80,0', '1,48,2,.,.,1,.,1,20,78,1', '1,59.5,0,.,.,1,18.0,0,20,78,1'].join('\n'), { file: 'd13.csv' }).records;
    const fit = estimate(model, history, { file: 'd13.csv' });
    const future = parseRegimenJson({ doses: [{ time: 72, amt: 1000, dur: 1, items: { DIAL: 2 } }], observe: [{ times: [80] }] });
    let err: unknown;
    try {
      forecast(model, history, fit, future, { draws: 20, file: 'd13.csv' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DosewiseError);
    expect((err as Error).message).toBe('future regimen, doses.0.items.DIAL: DIAL is a 0/1 flag of model vancomycin_goti_2018 (unit "0/1"): 0 or 1 (got 2)');
  });
});
