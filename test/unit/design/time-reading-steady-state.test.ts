// Steady states on a clock of their own from 0 (optimize without --from, nomogram, relevance --model,
// compareStrategies) read a model that changes with the time at the first hours of that clock. A
// model text whose equations read t (CL × 0.5 before 36 h, CL 5, V 50) was neither refused nor
// warned: optimize ranked 500 mg q12h first at PTA 100 %, auc24 400.0, where after 36 h AUC24 =
// 2·500/5 = 200 (outside auc24:300:500); nomogram gave WT 70 → 500 mg for 400·5·12/24 = 1000. Both
// are refused now, as a model reading TIME in its parameters is. A model whose TIME is read by a
// derived value for the report alone (DAY = floor(TIME/24)+1) changes no exposure: optimize refused
// it as changing with time, and runs it now with the numbers of the same model without DAY.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { optimizeRegimen } from '../../../src/design/optimize/optimize.js';
import { nomogram } from '../../../src/design/nomogram/nomogram.js';
import { compareStrategies } from '../../../src/design/strategies/strategies.js';
import { parametersFreeOfTime, parametersReadTime, timeReadBy } from '../../../src/model/time-free.js';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write: file } = tempFiles('dosewise-timesteady-');

/** The model: CL 5·(WT/70)^0.75, halved before 36 h through t in the equation. */
const stepT = `model "cl steps with t"
theta TVCL = 5, TVV = 50
covariate WT = 70
eta ETA_CL ~ 0.00000001
residual proportional 0.1
compartment CENTRAL
CL = TVCL * (WT/70)^0.75 * exp(ETA_CL)
V = TVV
d/dt(CENTRAL) = -(CL * (t > 36 ? 1 : 0.5) / V) * CENTRAL
observe = CENTRAL / V
`;
/** The rewrite the refusal asks for: the step on the record time TIME, in a parameter. */
const stepTIME = `model "cl steps with TIME"
theta TVCL = 5, TVV = 50
covariate WT = 70
covariate TIME
eta ETA_CL ~ 0.00000001
residual proportional 0.1
compartment CENTRAL
CL = TVCL * (WT/70)^0.75 * (TIME > 36 ? 1 : 0.5) * exp(ETA_CL)
V = TVV
d/dt(CENTRAL) = -(CL / V) * CENTRAL
observe = CENTRAL / V
`;
const noDay = {
  dosewise: 2,
  name: 'no DAY',
  structure: '1cmt-iv',
  parameters: { CL: '5*exp(ETA_CL)', V: '50*exp(ETA_V)' },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [1e-8, 1e-8] },
  residual: { model: 'proportional', proportional: 0.1 },
};
const withDay = { ...noDay, name: 'report DAY', parameters: { ...noDay.parameters, DAY: 'floor(TIME/24)+1' } };
const empty = readNmtran('ID,TIME,EVID,AMT,DV,MDV\n1,0,2,.,.,1\n').records;
const nomogramArgs = (model: string): string[] => ['nomogram', '--model', model, '--target', 'auc24=400', '--interval', '12', '--grid', 'WT=50:90:20'];

describe('a model text whose equations read t (CL × 0.5 before 36 h)', () => {
  const model = defineModel({ dosewise: 'text', text: stepT, file: 'tvar.model' });

  it('is not free of the time, and reads t, not TIME', () => {
    expect(parametersFreeOfTime(model)).toBe(false);
    expect(timeReadBy(model)).toBe('the time t in its equations');
  });

  it('optimize refuses it, naming the model and t (500 mg q12h ranked first at auc24 400.0, PTA 100 %, for 200 after 36 h)', () => {
    expect(() => optimizeRegimen(model, empty, { doses: [500, 1000, 2000], intervals: [12, 24], target: 'auc24:300:500', draws: 50 })).toThrow(
      /model: reads the time t in its equations \(they change with time\), so a steady state of each candidate has no one time to read them at: rank regimens from the patient's current state instead \(adviseFromState; on the command line, optimize from a start time\).*\(got "cl steps with t"\)/,
    );
  });

  it('optimize on the command line refuses it pointing to --from', async () => {
    const data = file('empty.csv', 'ID,TIME,EVID,AMT,DV,MDV\n1,0,2,.,.,1\n');
    const r = await cli(['optimize', '--model', file('tvar-opt.model', stepT), '--data', data, '--target', 'auc24:300:500', '--doses', '500,1000,2000', '--intervals', '12,24', '--draws', '50']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/reads the time t in its equations \(they change with time\), .*give --from \(a time, next-dose or now\) to rank regimens from the patient's current state/);
  });

  it('nomogram refuses it, saying to read TIME instead (WT 70 → 500 mg, for 400·5·12/24 = 1000 after 36 h)', async () => {
    const r = await cli(nomogramArgs(file('tvarwt.model', stepT)));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/model cl steps with t's equations change with time \(it reads t\), so a steady state has no one time to read them at: .*declare covariate TIME in the model text and write TIME where it reads t.*then give it with --set TIME=<h>/);
    expect(() => nomogram(model, { target: { metric: 'auc24', value: 400 }, intervals: [12], grid: [{ name: 'WT', values: [70] }] })).toThrow(/it reads t\).*then give the time in fixed/);
  });

  it('the rewrite it asks for, with --set TIME=100, gives the doses after 36 h', async () => {
    const r = await cli([...nomogramArgs(file('tvartime.model', stepTIME)), '--set', 'TIME=100', '--json']);
    expect(r.code).toBe(0);
    const cells = (JSON.parse(r.out) as { cells: { dose: number }[] }).cells;
    // closed form: dose = AUC24·CL·τ/24 = 400·5·(WT/70)^0.75·12/24, WT 50, 70, 90
    const ref = [50, 70, 90].map((wt) => (400 * 5 * (wt / 70) ** 0.75 * 12) / 24);
    expect(ref[1]).toBe(1000);
    // measured: within 6e-15 of each
    cells.forEach((c, i) => expect(Math.abs(c.dose / (ref[i] as number) - 1)).toBeLessThan(1e-12));
  });

  it('relevance --model refuses it the same way', async () => {
    const effects = file('effects.json', '[{"label":"inhibitor","on":"CL","ratio":0.5}]');
    const r = await cli(['relevance', '--effects', effects, '--model', file('tvarwt2.model', stepT), '--dose', '500', '--interval', '12', '--set', 'WT=70']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/model cl steps with t's equations change with time \(it reads t\).*--set TIME=<h>, the time on the model's clock \(h\) whose parameters the ratios are for/);
  });
});

describe('a model whose TIME only a value for the report reads (DAY = floor(TIME/24)+1)', () => {
  const day = defineModel(withDay);
  const plain = defineModel(noDay);

  it('is free of the time; busulfan, whose CL steps with TIME, is not', () => {
    expect(day.inputs).toContain('TIME');
    expect(parametersReadTime(day)).toBe(false);
    expect(parametersFreeOfTime(day)).toBe(true);
    const busulfan = defineModel(JSON.parse(readFileSync('models/busulfan_mccune_2014.json', 'utf8')));
    expect(parametersReadTime(busulfan)).toBe(true);
    expect(timeReadBy(busulfan)).toBe('TIME in its parameters');
  });

  it('optimize ranks it as the model without DAY (it was refused as reading TIME in its parameters)', () => {
    const o = { doses: [500, 1000, 2000], intervals: [12, 24], target: 'auc24:300:500', draws: 50 };
    const a = optimizeRegimen(day, empty, o).ranked;
    const b = optimizeRegimen(plain, empty, o).ranked;
    expect(a.map((c) => [c.dose, c.interval, c.pta, c.exposure.auc24?.median])).toEqual(b.map((c) => [c.dose, c.interval, c.pta, c.exposure.auc24?.median]));
    // closed form: AUC24 = (24/τ)·dose/CL, CL 5: 400 for 1000 mg q12h and 2000 mg q24h (both
    // attain), 200 for 500 mg q12h (outside); measured 2.6e-6 high each
    for (const [dose, tau, auc] of [[1000, 12, 400], [2000, 24, 400], [500, 12, 200]] as const) {
      const c = a.find((x) => x.dose === dose && x.interval === tau);
      expect(Math.abs((c?.exposure.auc24?.median as number) / auc - 1)).toBeLessThan(1e-5);
      expect(c?.pta).toBe(auc === 400 ? 1 : 0);
    }
  });

  it('compareStrategies gives it the exposures of the model without DAY', async () => {
    const o = { n: 200, seed: 3, workers: 0, interval: 12, doses: [500, 1000, 2000], bands: 2, bandBy: 'CL', tdm: [], window: { lo: 300, hi: 500 } } as const;
    const a = await compareStrategies({ ...o, model: withDay });
    const b = await compareStrategies({ ...o, model: noDay });
    expect(Array.from(a.subjects.exposure)).toEqual(Array.from(b.subjects.exposure));
    // closed form: AUC24 per unit dose 24/(τ·CL), from each subject's own CL (5 typically); measured within 1.6e-15
    const cl = a.subjects.columns.CL as Float64Array;
    const worst = Math.max(...Array.from(a.subjects.exposure, (x, i) => Math.abs(x / (24 / (12 * (cl[i] as number))) - 1)));
    expect(worst).toBeLessThan(1e-12);
  });

  it('nomogram asks for the time without saying the parameters change with it', async () => {
    const model = file('daywt.json', JSON.stringify({ ...withDay, covariates: { WT: { unit: 'kg', default: 70 } }, parameters: { ...withDay.parameters, CL: '5*(WT/70)^0.75*exp(ETA_CL)' } }));
    const r = await cli(nomogramArgs(model));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/model report DAY reads TIME in a value for the report alone \(no exposure changes with it\), which needs a time all the same: give it with --set TIME=<h>/);
  });
});

describe('a model text with a local reading t that nothing uses (left from an edit)', () => {
  const unused = defineModel({ dosewise: 'text', text: stepTIME.replace('covariate TIME\n', '').replace(' * (TIME > 36 ? 1 : 0.5)', '').replace('V = TVV\n', 'V = TVV\nLATE = t > 36 ? 1 : 0.5\n'), file: 'unused.model' });

  it('is free of the time, linear, and optimize ranks it (it was refused as reading t)', () => {
    expect(timeReadBy(unused)).toBeUndefined();
    expect(unused.kernel?.linear).toBe(true);
    const ranked = optimizeRegimen(unused, empty, { doses: [500, 1000], intervals: [12], target: 'auc24:300:500', draws: 20 }).ranked;
    // closed form: AUC24 = (24/τ)·dose/CL at CL 5: 400 for 1000 mg q12h, 200 for 500
    for (const [dose, auc] of [[1000, 400], [500, 200]] as const) {
      const c = ranked.find((x) => x.dose === dose);
      expect(Math.abs((c?.exposure.auc24?.median as number) / auc - 1)).toBeLessThan(1e-5);
    }
  });
});
