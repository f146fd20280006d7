// Levels a MAP estimate cannot be trusted on are reported with the estimate (warnings), never as a
// silent "converged" at the prior: a level before the first dose, one long after the last dose, and
// an implausible one (|IWRES| > 4). An informative level set (the W-map example patient) gives none.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';

const wmap = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));
const H = 'ID,TIME,EVID,AMT,RATE,DV,MDV';
const patient = (...rows: string[]) => readNmtran([H, ...rows].join('\n')).records;

/** Terminal half-life of the W-map model at its typical values (CL 4, V1 30, Q 6, V2 50), closed form. */
function terminalHalfLife(): number {
  const [k10, k12, k21] = [4 / 30, 6 / 30, 6 / 50];
  const s = k10 + k12 + k21;
  const beta = (s - Math.sqrt(s * s - 4 * k10 * k21)) / 2;
  return Math.log(2) / beta;
}

describe('uninformative levels', () => {
  it('a level before any dose (30 mg/L at t = 0)', () => {
    const fit = estimate(wmap, patient('1,0,0,.,.,30,0', '1,1,1,1000,1000,.,1'));
    expect(fit.warnings).toHaveLength(1);
    expect(fit.warnings[0]).toMatchObject({ code: 'W_LEVEL_UNINFORMATIVE', record: 0, row: 1, time: 0 });
    expect(fit.warnings[0]?.message).toMatch(/^row 1 \(TIME 0, DV 30\): the level carries no information/);
  });

  it('a level 50 half-lives after the last dose', () => {
    const t = 1 + 50 * terminalHalfLife();
    const fit = estimate(wmap, patient('1,0,1,1000,1000,.,1', `1,${t},0,.,.,5,0`));
    // the level pulls η past 4 prior SDs too (W_ETA_FAR, on the estimate)
    expect(fit.warnings.map((w) => [w.code, w.row])).toEqual([['W_LEVEL_UNINFORMATIVE', 2], ['W_ETA_FAR', undefined]]);
  });

  it('on the log scale, a level predicted ≈ 0 but > 0 is said to pull the estimate into the tail, not to carry no information', () => {
    // exponential error: ln f responds to CL however small f is; the level moved η_CL 3.7 SD out
    const expo = defineModel({
      dosewise: 2,
      name: 'expo',
      structure: { kind: 'linear', compartments: 1, depot: false },
      parameters: { CL: '3*exp(ETA_CL)', V: '40*exp(ETA_V)' },
      omega: { etas: ['ETA_CL', 'ETA_V'], matrix: [[0.09, 0.03], [0.03, 0.0625]] },
      residual: { model: 'exponential', exponential: 0.2 },
    });
    const fit = estimate(expo, patient('1,0,1,500,0,.,1', '1,1000,0,.,.,-5,0'));
    expect(fit.warnings.map((w) => w.code)).toEqual(['W_LEVEL_UNINFORMATIVE', 'W_ETA_FAR']);
    expect(fit.warnings[0]?.message).toMatch(/^row 2 \(TIME 1000, DV -5\): .*less than 1e-6 of the measured level.*log scale.*prior's tail/);
    expect(fit.eta[0] as number).toBeLessThan(-3 * 0.3);
  });

  it('among informative levels, only the uninformative one is named', () => {
    const csv = [H, '1,-5,0,.,.,12,0', ...readFileSync('examples/map-patient.csv', 'utf8').trim().split('\n').slice(1)].join('\n');
    const fit = estimate(wmap, readNmtran(csv).records);
    expect(fit.warnings.map((w) => [w.code, w.row])).toEqual([['W_LEVEL_UNINFORMATIVE', 1]]);
  });

  it('additive error: a level whose prediction does not respond to η (sensitivity criterion)', () => {
    const m = defineModel({
      dosewise: 2,
      name: '1-cmt additive',
      structure: { kind: 'linear', compartments: 1, depot: false },
      parameters: { CL: '2*exp(ETA_CL)', V: '20*exp(ETA_V)' },
      omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
      residual: { model: 'additive', additive: 0.5 },
    });
    // t½ = ln 2 · V / CL ≈ 6.9 h: a DV of 0 measured 40 half-lives after the dose
    const fit = estimate(m, patient('1,0,1,100,0,.,1', '1,2,0,.,.,3.9,0', '1,280,0,.,.,0,0'));
    // and the DV of 0 is a measured 0 (no BLQ flag): W_LEVEL_ZERO, a warning on the estimate (no record field), was added since
    expect(fit.warnings.map((w) => [w.code, w.row])).toEqual([['W_LEVEL_UNINFORMATIVE', 3], ['W_LEVEL_ZERO', undefined]]);
  });
});

describe('implausible levels', () => {
  it('|IWRES| > 4 at the estimate is named', () => {
    const lines = readFileSync('examples/map-patient.csv', 'utf8').trim().split('\n');
    // the level at 25 h (row 6) written in µg/L instead of mg/L
    lines[6] = '1,25,0,.,.,38494.925,0';
    const fit = estimate(wmap, readNmtran(lines.join('\n')).records);
    const w = fit.warnings.find((x) => x.row === 6);
    expect(w).toMatchObject({ code: 'W_LEVEL_IMPLAUSIBLE', record: 5, time: 25 });
    expect(w?.message).toMatch(/\|IWRES\| = [\d.]+ > 4/);
  });
});

describe('informative levels give no warning', () => {
  it('the W-map example patient', () => {
    const fit = estimate(wmap, readNmtran(readFileSync('examples/map-patient.csv', 'utf8')).records);
    expect(fit.converged).toBe(true);
    expect(fit.warnings).toEqual([]);
  });

  it('a patient without levels', () => {
    expect(estimate(wmap, patient('1,0,1,1000,1000,.,1')).warnings).toEqual([]);
  });

  it('warnings: false skips the checks', () => {
    expect(estimate(wmap, patient('1,0,0,.,.,30,0', '1,1,1,1000,1000,.,1'), { warnings: false }).warnings).toEqual([]);
  });
});

describe('DV on the wrong scale for exponential error', () => {
  const expo = defineModel({ ...JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')), residual: { model: 'exponential', exponential: 0.1 } });
  const rows = readFileSync('examples/map-patient.csv', 'utf8').trim().split('\n');
  const withDv = (f: (dv: number) => number): string =>
    [rows[0], ...rows.slice(1).map((line) => {
      const cells = line.split(',');
      const h = (rows[0] as string).split(',');
      const i = h.indexOf('DV');
      if (cells[i] !== '.' && cells[i] !== '') cells[i] = String(f(Number(cells[i])));
      return cells.join(',');
    })].join('\n');
  it('concentrations given where logs are expected: one warning that says so; their logs: none', () => {
    const raw = estimate(expo, readNmtran(withDv((c) => c)).records);
    expect(raw.warnings.filter((w) => w.code === 'W_DV_SCALE').map((w) => w.message)).toEqual([expect.stringMatching(/^the 4 levels on the log scale look like concentrations, not their logarithms/)]);
    const logged = estimate(expo, readNmtran(withDv(Math.log)).records);
    expect(logged.warnings.map((w) => w.code)).not.toContain('W_DV_SCALE');
  });

  it('levels of 1–7 mg/L (most within 3 of their logs) are seen too; logs of them are not', () => {
    const one = defineModel({ dosewise: 2, name: 'exp1', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: '5*exp(ETA_CL)', V: '10*exp(ETA_V)' }, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.1] }, residual: { model: 'exponential', exponential: 0.1 } });
    const data = (dvs: number[]) => readNmtran(`ID,TIME,EVID,AMT,DV,MDV\n1,0,1,100,.,1\n${[0.5, 1, 4].map((t, i) => `1,${t},0,.,${dvs[i]},0`).join('\n')}\n`).records;
    const conc = [7, 4.1, 1.2];
    expect(estimate(one, data(conc)).warnings.map((w) => w.code)).toContain('W_DV_SCALE');
    expect(estimate(one, data(conc.map(Math.log))).warnings.map((w) => w.code)).not.toContain('W_DV_SCALE');
  });

  it('logged levels of a patient 2 SD from the typical one are not taken for concentrations (1 in 8 such patients were)', () => {
    const m = defineModel({ dosewise: 2, name: 'expo', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: '5*exp(ETA_CL)', V: '20*exp(ETA_V)' }, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.3, 0.1] }, residual: { model: 'exponential', exponential: 0.2 } });
    const r = readNmtran(`ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,300,600,.,1\n1,6,0,.,.,${Math.log(9.56)},0\n1,12,0,.,.,${Math.log(6.1)},0\n`).records;
    expect(estimate(m, r).warnings.map((w) => w.code)).not.toContain('W_DV_SCALE');
  });

  it('each output with exponential error is looked at (the parent on the log scale, the metabolite not)', () => {
    const pm = JSON.parse(readFileSync('examples/parent-metabolite/model.json', 'utf8')) as { outputs: Record<string, { residual: unknown }> };
    pm.outputs['1']!.residual = { model: 'exponential', exponential: 0.1 };
    const m = defineModel(pm);
    const rows2 = (parent: (c: number) => number) => readNmtran(`ID,TIME,EVID,AMT,CMT,DV,MDV,DVID\n1,0,1,500,1,.,1,.\n1,1,0,.,1,${parent(19.2)},0,1\n1,2,0,.,1,${parent(14.7)},0,1\n1,2,0,.,2,5.1,0,2\n1,4,0,.,1,${parent(9.1)},0,1\n1,4,0,.,2,7.2,0,2\n1,8,0,.,1,${parent(3.2)},0,1\n1,8,0,.,2,6.5,0,2\n`).records;
    expect(estimate(m, rows2((c) => c)).warnings.map((w) => w.code)).toContain('W_DV_SCALE');
    expect(estimate(m, rows2(Math.log)).warnings.map((w) => w.code)).not.toContain('W_DV_SCALE');
  });
});


describe('BLQ levels far below the prediction', () => {
  // parent–metabolite (examples of the README's outputs): the metabolite flagged BLQ at 1.0 while the
  // estimate predicts it at 13: it added ~40 to the OFV and had no IWRES, so nothing was said
  const model = defineModel({
    dosewise: 2,
    name: 'parent-metabolite',
    structure: '1cmt-oral',
    parameters: { KA: '0.3*exp(ETA_KP)', S1: '20*exp(ETA_VP)', CL: '2*exp(ETA_CL)', V: 15 },
    omega: { etas: ['ETA_KP', 'ETA_VP', 'ETA_CL'], matrix: [[0.09, 0.03, -0.02], [0.03, 0.04, 0.01], [-0.02, 0.01, 0.09]] },
    outputs: {
      '1': { compartment: 1, name: 'parent', unit: 'mg/L', residual: { model: 'proportional', proportional: 0.1 } },
      '2': { compartment: 2, name: 'metabolite', unit: 'mg/L', residual: { model: 'combined1', additive: 0.3, proportional: 0.12 } },
    },
    observe: { compartment: 2, unit: 'mg/L' },
  });
  const rows = (blqAt3: string) => readNmtran(['ID,TIME,EVID,AMT,CMT,DV,MDV,DVID,BLQ,LLOQ', '2,0,1,500,1,.,1,.,0,.', blqAt3, '2,8,0,.,1,3.0,0,1,0,.'].join('\n')).records;

  it('is implausible, naming the row and how far above its limit it is predicted', () => {
    const fit = estimate(model, rows('2,3,0,.,2,1.0,0,2,1,1.0'));
    const w = fit.warnings.find((x) => x.code === 'W_LEVEL_IMPLAUSIBLE');
    expect(w).toMatchObject({ row: 2, time: 3 });
    const f = fit.ipred[1] as number;
    const sd = 0.3 + 0.12 * f; // combined1: SD = a + b·f
    expect(w?.message).toContain(`${Number(((f - 1) / sd).toPrecision(4))} residual SDs above`);
  });

  it('a BLQ level the estimate predicts near its limit is not', () => {
    const fit = estimate(model, rows('2,3,0,.,2,1.0,0,2,1,40'));
    expect(fit.warnings.filter((x) => x.code === 'W_LEVEL_IMPLAUSIBLE')).toEqual([]);
  });
});
