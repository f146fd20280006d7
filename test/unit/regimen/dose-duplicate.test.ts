// A dose row copied twice in a chart (every cell equal: dupdose.csv's 20:00 dose of 03/04) was given
// twice without a word, while a copied level was warned (W_LEVEL_DUPLICATE): the W-map patient's
// MAP ETA_CL 0.3676 for 0.3077, ETA_V1 -0.1876 for -0.2214 (test/oracle/comment_rows_ward.py, the
// mapref.py). Both doses are still given, as NONMEM gives them; W_DOSE_DUPLICATE names the rows.

import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { simulate } from '../../../src/engine/simulate.js';
import { parsePastedRows } from '../../../src/web/history.js';
import { cli } from '../cli/run-cli.js';

const ref = JSON.parse(readFileSync('test/oracle/comment-rows-ward.json', 'utf8')) as { eta_dose_twice_at_12: number[] };
const wmap = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));

// the chart dupdose.csv
const DUP = `ID,DATE,TIME,EVID,AMT,RATE,DV,MDV
1,03/04/2026,08:00,1,1000,1000,.,1
1,03/04/2026,09:30,0,0,0,27.57698,0
1,03/04/2026,19:30,0,0,0,3.437169,0
1,03/04/2026,20:00,1,1000,1000,.,1
1,03/04/2026,20:00,1,1000,1000,.,1
1,03/05/2026,08:00,1,1000,1000,.,1
1,03/05/2026,09:00,0,0,0,38.494925,0
1,03/05/2026,20:00,1,1000,1000,.,1
1,03/06/2026,07:30,0,0,0,7.016984,0
`;
const warned = /W_DOSE_DUPLICATE: .*dupdose\.csv, rows 4 and 5 \(ID 1\): dose records with every cell equal \(AMT 1000 at 03\/04\/2026 20:00\), both given/;

describe('W_DOSE_DUPLICATE', () => {
  it('dupdose.csv: warned, naming both rows; both doses given (the MAP of a dose twice at 12 h)', () => {
    const d = readNmtran(DUP, { file: 'dupdose.csv' });
    expect(d.warnings).toEqual([expect.stringMatching(warned)]);
    const fit = estimate(wmap, d.records);
    fit.eta.forEach((e, i) => expect(Math.abs(e - (ref.eta_dose_twice_at_12[i] as number))).toBeLessThan(2e-5));
  });
  it('the browser paste tool says it beside the doses it takes', () => {
    const p = parsePastedRows(DUP.replaceAll(',', '\t'), 'paste');
    expect(p.doses).toHaveLength(5);
    expect(p.warnings).toEqual([expect.stringMatching(/^W_DOSE_DUPLICATE: paste, rows 4 and 5 \(ID 1\)/)]);
  });
  it('not for two doses at one time that differ in a cell, nor for a copied level', () => {
    expect(readNmtran(DUP.replace('1,03/04/2026,20:00,1,1000,1000,.,1\n1,03/04/2026,20:00,1,1000,1000,.,1', '1,03/04/2026,20:00,1,1000,1000,.,1\n1,03/04/2026,20:00,1,500,1000,.,1')).warnings).toBeUndefined();
    expect(readNmtran(DUP.replace('1,03/04/2026,20:00,1,1000,1000,.,1\n', '').replace('1,03/04/2026,09:30,0,0,0,27.57698,0\n', '1,03/04/2026,09:30,0,0,0,27.57698,0\n1,03/04/2026,09:30,0,0,0,27.57698,0\n')).warnings).toBeUndefined();
  });
  it('every data-set command says it on stderr and in its JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-dupdose-'));
    try {
      const f = join(dir, 'dupdose.csv');
      writeFileSync(f, DUP);
      const regimen = join(dir, 'future.json');
      writeFileSync(regimen, JSON.stringify({ doses: [{ time: 60, amt: 1000, dur: 1, ii: 12, addl: 1 }], observe: [{ grid: { from: 60, to: 84, step: 1 } }] }));
      const model = 'examples/map-wmap.model.json';
      const runs = {
        estimate: ['estimate', '--model', model, '--data', f, '--json'],
        forecast: ['forecast', '--model', model, '--data', f, '--regimen', regimen, '--draws', '50', '--json'],
        optimize: ['optimize', '--model', model, '--data', f, '--target', 'trough:5:15', '--doses', '1000,1500', '--intervals', '12,24', '--draws', '50', '--json'],
      };
      for (const [name, args] of Object.entries(runs)) {
        const r = await cli(args);
        expect(r.code, `${name}: ${r.err}`).toBe(0);
        expect(r.err.match(new RegExp(warned, 'g')), name).toHaveLength(1);
        const json = (JSON.parse(r.out) as { warnings: { code: string; message: string }[] }[])[0]?.warnings ?? [];
        expect(json.filter((w) => w.code === 'W_DOSE_DUPLICATE' && /rows 4 and 5/.test(w.message)), name).toHaveLength(1);
      }
      const sim = await cli(['simulate', '--model', model, '--data', f, '--json']);
      expect(sim.code, sim.err).toBe(0);
      expect(sim.err.match(new RegExp(warned, 'g'))).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('W_DOSE_DUPLICATE of a steady-state record', () => {
  // two equal SS 1 rows: the second resets the system before its dose (NONMEM), so one steady state
  // counts; the warning said "both given (2 doses at that time)" beside the right number
  const one = defineModel({
    dosewise: 2, name: 'iv', structure: '1cmt-iv',
    theta: { TVCL: { value: 5, unit: 'L/h' }, TVV: { value: 20, unit: 'L' } },
    parameters: { CL: { expr: 'TVCL', unit: 'L/h' }, V: { expr: 'TVV', unit: 'L' } },
    observe: { compartment: 1, unit: 'mg/L' },
  });
  it('says the last one alone counts, and the level is one steady state', () => {
    const d = readNmtran('ID,TIME,EVID,AMT,CMT,II,SS,DV,MDV\n1,0,1,100,1,12,1,.,1\n1,0,1,100,1,12,1,.,1\n1,5,0,.,1,.,.,.,0\n', { file: 'ss.csv' });
    expect(d.warnings).toEqual([expect.stringMatching(/W_DOSE_DUPLICATE: ss\.csv, rows 1 and 2 .*the last one alone counts \(a steady-state record, SS 1, resets/)]);
    const k = 5 / 20;
    const exact = ((100 / 20) * Math.exp(-k * 5)) / (1 - Math.exp(-k * 12));
    const c = simulate(one, d.records).ipred[2] as number;
    expect(Math.abs(c - exact) / exact).toBeLessThan(1e-12);
  });
});
