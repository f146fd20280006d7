// SS=2 onto the undosed state is the steady state exactly: an ID's first dose, a regimen's only
// dose, a dose after an EVID 3 reset, or an EVID 4 dose (which resets first). There current +
// (steady state − undosed) = steady state, bit-identical to SS=1 (mm-iv 50 mg q12h: 50.05077784,
// 37.39544893, 3.292500455 as scipy), yet W_SS2_NONLINEAR said "the result is not the state" in
// simulate, estimate and every population/pta run of a regimen whose one dose at 0 h was SS=2.
// A population's warning named "regimen, row 2", a row a regimen JSON does not have: now `doses.N`.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { builtinModel, defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';
import { simulate } from '../../../src/engine/simulate.js';
import { steadyStateAddBefore } from '../../../src/engine/steady-state-add.js';
import { dataSetWarnings } from '../../../src/cli/data-set-warnings.js';
import { planMetricWarnings } from '../../../src/population/chunk.js';
import { seedKey } from '../../../src/population/study.js';
import { populationPlan } from '../../../src/design/pta/pta-plan.js';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

// test/oracle/ss2_first_dose_mm.py: the periodic state of 50 mg q12h at the dose, 1 h and 6 h after
const REF = (JSON.parse(readFileSync(new URL('../../oracle/ss2-first-dose-mm.json', import.meta.url), 'utf8')) as { amounts: number[] }).amounts;

const MM = { V: 20, VMAX: 21.4, KM: 1.5 };
const HEAD = 'ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS,DV,MDV\n';
const after = (evid: number, ss: number): string => `1,30,${evid},50,1,0,0,12,${ss},.,1\n1,31,0,.,1,.,.,.,.,.,1\n1,36,0,.,1,.,.,.,.,.,1\n`;
const BEFORE = {
  'first record': '',
  'after an EVID 3 reset': '1,0,1,100,1,0,0,0,0,.,1\n1,20,3,.,.,.,.,.,.,.,1\n',
};
const ss2 = (ws: readonly string[]): string[] => ws.filter((w) => w.startsWith('W_SS2_NONLINEAR'));

// a population model of mm-oral (the file mmpop.json, without IIV on KA)
const MM_POP = {
  dosewise: 2,
  name: 'mm-oral population',
  structure: 'mm-oral',
  theta: { TVV: { value: 50, unit: 'L' }, TVVMAX: { value: 50, unit: 'mg/h' }, TVKM: { value: 2, unit: 'mg/L' }, TVKA: { value: 1.2, unit: '1/h' } },
  parameters: { V: { expr: 'TVV', unit: 'L' }, VMAX: { expr: 'TVVMAX * exp(ETA_VMAX)', unit: 'mg/h' }, KM: { expr: 'TVKM * exp(ETA_KM)', unit: 'mg/L' }, KA: { expr: 'TVKA', unit: '1/h' } },
  omega: { etas: ['ETA_VMAX', 'ETA_KM'], diagonal: [0.09, 0.25] },
  residual: { model: 'combined1', additive: 0.5, proportional: 0.1, unit: 'mg/L' },
};
const ONLY_SS2 = { doses: [{ time: 0, amt: 500, cmt: 1, ii: 12, ss: 2, addl: 1 }], observe: [{ grid: { from: 0, to: 24, step: 0.5 } }] };
const SS2_AFTER_DOSE = { doses: [{ time: 0, amt: 500, cmt: 1 }, { time: 24, amt: 500, cmt: 1, ii: 12, ss: 2 }], observe: [{ times: [25, 30, 36] }] };

describe('SS=2 onto the undosed state: the steady state exactly, no W_SS2_NONLINEAR', () => {
  const model = builtinModel('mm-iv', MM);

  for (const [label, pre] of Object.entries(BEFORE))
    for (const evid of [1, 4])
      it(`mm-iv, ${label}, EVID ${evid}: as SS=1 and scipy`, () => {
        const s2 = simulate(model, readNmtran(HEAD + pre + after(evid, 2)).records, { file: 'd.csv' });
        const s1 = simulate(model, readNmtran(HEAD + pre + after(evid, 1)).records, { file: 'd.csv' });
        expect(ss2(s2.warnings)).toEqual([]);
        const a = Array.from(s2.amounts as Float64Array).slice(-3);
        expect(a).toEqual(Array.from(s1.amounts as Float64Array).slice(-3));
        // measured ≤ 1.1e-9 (the engine's rtol 1e-8 against scipy's 1e-12)
        a.forEach((v, j) => expect(Math.abs(v - (REF[j] as number)), `${j}`).toBeLessThan(3e-9));
      });

  it('EVID 4 SS=2 after a dose: the reset empties what came before', () => {
    const s = simulate(model, readNmtran(HEAD + '1,0,1,100,1,0,0,0,0,.,1\n' + after(4, 2)).records, { file: 'd.csv' });
    expect(ss2(s.warnings)).toEqual([]);
    Array.from(s.amounts as Float64Array)
      .slice(-3)
      .forEach((v, j) => expect(Math.abs(v - (REF[j] as number))).toBeLessThan(3e-9));
  });

  it('an earlier dose still on board is warned, and blamed for a negative state; the first dose is not', () => {
    const onBoard = readNmtran(HEAD + '1,0,1,100,1,0,0,0,0,.,1\n' + after(1, 2)).records;
    const w = ss2(simulate(model, onBoard, { file: 'd.csv' }).warnings);
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('d.csv, row 2 (ID 1, TIME 30)');
    expect(steadyStateAddBefore(model, onBoard, 0, 3)?.row).toBe(2);
    // an earlier SS=1 dose is a dose too
    expect(ss2(simulate(model, readNmtran(HEAD + '1,0,1,100,1,0,0,12,1,.,1\n' + after(1, 2)).records).warnings)).toHaveLength(1);
    expect(steadyStateAddBefore(model, readNmtran(HEAD + after(1, 2)).records, 0, 2)).toBeUndefined();
  });

  it('a second ID whose first dose is SS=2 is not warned; one with a dose before is', () => {
    const two = readNmtran(HEAD + '1,0,1,100,1,0,0,0,0,.,1\n1,5,0,.,1,.,.,.,.,.,1\n' + after(1, 2).replaceAll(/^1,/gm, '2,')).records;
    expect(ss2(simulate(model, two).warnings)).toEqual([]);
    const w = ss2(simulate(model, readNmtran(HEAD + after(1, 2) + '2,0,1,100,1,0,0,0,0,.,1\n2,30,1,50,1,0,0,12,2,.,1\n2,31,0,.,1,.,.,.,.,.,1\n').records).warnings);
    expect(w).toEqual([expect.stringContaining('row 5 (ID 2, TIME 30):')]);
  });

  it('estimate (the data set warnings): an ID whose one dose is SS=2', () => {
    const m = builtinModel('mm-oral', { V: 50, VMAX: 50, KM: 2, KA: 1.2 });
    const records = readNmtran('ID,TIME,EVID,AMT,CMT,II,SS,DV,MDV\n1,0,1,500,1,12,2,.,1\n1,11.5,0,.,2,.,.,5,0\n').records;
    expect(ss2(dataSetWarnings(m, [[1, records]], 'mmss2.csv'))).toEqual([]);
  });

  it('a population or pta plan whose one dose at 0 h is SS=2', () => {
    const records = parseRegimenJson(ONLY_SS2, 'reg.json');
    expect(ss2(planMetricWarnings(populationPlan({ model: MM_POP, records, key: seedKey(1), metrics: [], table: false })))).toEqual([]);
  });

  it('population on the command line: no warning', async () => {
    const f = tempFiles('dw-ss2-first');
    const r = await cli(['population', '--model', f.write('mm.json', MM_POP), '--regimen', f.write('reg.json', ONLY_SS2), '--n', '20', '--metric', 'auc24', '--workers', '0']);
    expect(r.code).toBe(0);
    expect(r.err).not.toMatch(/W_SS2_NONLINEAR/);
  });
});

describe("a population's W_SS2_NONLINEAR names the regimen JSON's place", () => {
  it('pta and band plans (populationPlan): doses.1, not row 2', () => {
    const records = parseRegimenJson(SS2_AFTER_DOSE, 'reg.json');
    const w = ss2(planMetricWarnings(populationPlan({ model: MM_POP, records, key: seedKey(1), metrics: [], table: false })));
    expect(w).toEqual([expect.stringMatching(/^W_SS2_NONLINEAR: regimen, doses\.1 \(ID 1, TIME 24\): SS=2 with model/)]);
  });

  it('population and pta on the command line', async () => {
    const f = tempFiles('dw-ss2-place');
    const model = f.write('mm.json', MM_POP);
    const reg = f.write('reg.json', SS2_AFTER_DOSE);
    const p = await cli(['population', '--model', model, '--regimen', reg, '--n', '20', '--metric', 'conc@30', '--workers', '0']);
    expect(p.code).toBe(0);
    expect(p.err).toMatch(/W_SS2_NONLINEAR: regimen, doses\.1 \(ID 1, TIME 24\)/);
    expect(p.err).not.toMatch(/row 2/);
    const t = await cli(['pta', '--model', model, '--regimen', reg, '--n', '20', '--target', 'trough:1:20', '--workers', '0']);
    expect(t.err).toMatch(/regimen reg: W_SS2_NONLINEAR: regimen, doses\.1 \(ID 1, TIME 24\)/);
  });
});

describe('a model text affine in its states whose rates read t', () => {
  const DRIFT = (cl: string): string => `model "1cmt, CL drifting with t"
theta TVCL = 5, V = 50, KM = 2
compartment CENT
CL = ${cl}
d/dt(CENT) = -CL / V * CENT
observe = CENT / V
`;
  const data = readNmtran(`${HEAD}1,0,1,100,1,0,0,0,0,.,1\n1,30,1,50,1,0,0,12,2,.,1\n1,31,0,.,1,.,.,.,.,.,1\n`).records;
  const run = (cl: string): readonly string[] => simulate(defineModel({ dosewise: 'text', text: DRIFT(cl) }), data, { file: 'd.csv' }).warnings;

  it('CL drifting with t (also by a step on t): superposition holds, only the time warning', () => {
    for (const cl of ['TVCL * (1 + 0.001 * t)', 'if(t > 20, TVCL * 1.2, TVCL)']) {
      const w = run(cl);
      expect(ss2(w), cl).toEqual([]);
      expect(w.some((x) => /\bt\b/.test(x) && !x.startsWith('W_SS2')), cl).toBe(true);
    }
  });

  it('saturable and reading t: still warned, as not linear in its states', () => {
    const w = ss2(run('TVCL * (1 + 0.001 * t) / (1 + CENT / V / KM)'));
    expect(w).toEqual([expect.stringContaining('d.csv, row 2 (ID 1, TIME 30)')]);
    expect(w[0]).toContain('a model text whose equations are not linear in its states');
  });
});
