// A covariate given on a regimen JSON's dose alone: `population` refused it naming rows the JSON does
// not have ("reg_dial.json, row 1, column DIAL: … none on rows 1, 3, 4 and 118 more"), while
// `forecast` carried it to the observations after the dose. Both carry it now (a value written once
// is the subject's); a refusal of a JSON regimen names JSON paths. And a blank on an observation
// before the first dose, where the prediction is 0 whatever the covariate, is no longer refused.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './cli/run-cli.js';
import { defineModel } from '../../src/model/model.js';
import type { ModelFile } from '../../src/model/schema.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { carryRegimenItems, parseRegimenJson } from '../../src/regimen/file.js';
import { simulate } from '../../src/engine/simulate.js';
import { estimate } from '../../src/bayes/estimate.js';
import { forecast } from '../../src/bayes/forecast.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-json-items-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

// one compartment, no random effects: CL = 4 L/h off dialysis, 2 L/h on it (DIAL 1), V = 50 L
const dialJson = (timeVarying: 'nocb' | 'locf' = 'nocb'): ModelFile => ({
  dosewise: 1,
  name: 'dial1',
  structure: { kind: 'linear', compartments: 1, depot: false },
  theta: { TVCL: 4, TVV: 50 },
  covariates: { DIAL: { default: 0, unit: '0/1' } },
  parameters: { CL: { expr: 'TVCL * (1 - 0.5 * DIAL)' }, V: { expr: 'TVV' } },
  residual: { model: 'additive', additive: 0.1 },
  observe: { compartment: 1 },
  time_varying: timeVarying,
});
const dial = defineModel(dialJson());
const modelFile = file('dial1.json', JSON.stringify(dialJson()));
// 1000 mg boluses at 0 and 48 h on dialysis (k = 2/50 per h): C(60) = 20·e^(−0.04·60) + 20·e^(−0.04·12)
// (python3: 20*math.exp(-2.4) + 20*math.exp(-0.48) = 14.190026901911068); off dialysis (k = 0.08) 7.657857719502241 at 12 h
const C60 = 14.190026901911068;
const rel = (a: number, b: number): number => Math.abs(a / b - 1);

async function populationConc60(regimen: unknown): Promise<{ code: number; err: string; mean?: number }> {
  const r = await cli(['population', '--model', modelFile, '--regimen', file(`r${Math.random().toString(36).slice(2)}.json`, JSON.stringify(regimen)), '--n', '1', '--metric', 'conc@60', '--workers', '0', '--no-progress', '--json']);
  if (r.code !== 0) return { code: r.code, err: r.err };
  return { code: 0, err: r.err, mean: (JSON.parse(r.out) as { metrics: { report: { mean: number } }[] }).metrics[0]?.report.mean };
}

describe('a regimen JSON whose dose alone carries a covariate', () => {
  it('population carries it to the records after it, as forecast does: C(60) 14.19003 on dialysis (it refused "row 1, … none on rows 1, 3, 4")', async () => {
    const pop = await populationConc60({ doses: [{ time: 0, amt: 1000, items: { DIAL: 1 } }, { time: 48, amt: 1000 }], observe: [{ grid: { from: 0, to: 60, step: 1 } }] });
    expect(pop.code, pop.err).toBe(0);
    // no "DIAL changes over the records" warning: the level before the dose at 0 h has the dose's DIAL too
    expect(pop.err).not.toMatch(/DIAL changes/);
    expect(rel(pop.mean as number, C60)).toBeLessThan(1e-13);
    // forecast: the same regimen shape as the future of the patient's first dose
    const history = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV,DIAL\n1,0,1,1000,1,.,1,1\n1,6,0,.,1,15,0,1\n').records;
    const fit = estimate(dial, history);
    const f = forecast(dial, history, fit, parseRegimenJson({ doses: [{ time: 48, amt: 1000, items: { DIAL: 1 } }], observe: [{ grid: { from: 48, to: 60, step: 1 } }] }), { draws: 5 });
    expect(rel(f.ipred[12] as number, C60)).toBeLessThan(1e-13);
  });

  it('the records before the time it is first given are not filled (but the levels before the first dose of a linear model), nor is an item given two values', () => {
    const recs = carryRegimenItems(parseRegimenJson({ doses: [{ time: 12, amt: 1000, items: { DIAL: 1 } }, { time: 24, amt: 1000, items: { WT: 80 } }, { time: 36, amt: 1000, items: { WT: 90 } }], observe: [{ times: [6, 12, 30] }] }), dial);
    expect(recs.map((r) => [r.TIME, r.EVID, r.items.DIAL, r.items.WT])).toEqual([
      // before the first dose the level is 0 whatever DIAL: it takes the value, as a data set's blank does
      [6, 0, 1, undefined],
      [12, 0, 1, undefined],
      [12, 1, 1, undefined],
      [24, 1, 1, 80],
      [30, 0, 1, undefined],
      [36, 1, 1, 90],
    ]);
    // after a dose without it, a level before the time it is first given keeps its blank
    const after = carryRegimenItems(parseRegimenJson({ doses: [{ time: 0, amt: 1000 }, { time: 12, amt: 1000, items: { DIAL: 1 } }], observe: [{ times: [6] }] }), dial);
    expect(after.map((r) => [r.TIME, r.items.DIAL])).toEqual([[0, undefined], [6, undefined], [12, 1]]);
  });

  it('a blank that is still refused is named by its JSON path, with the entry that gives the value', async () => {
    const pop = await populationConc60({ doses: [{ time: 0, amt: 1000, items: { DIAL: 1 } }, { time: 48, amt: 1000, items: { DIAL: 0 } }], observe: [{ grid: { from: 0, to: 60, step: 1 } }] });
    expect(pop.code).toBe(1);
    expect(pop.err).toMatch(/^dosewise: \S+\.json, observe\.0\.items\.DIAL: doses\.0\.items\.DIAL is 1, but observe\.0 gives no DIAL, where model dial1 would use its default 0; give DIAL in the items of observe\.0 /);
    expect(pop.err).not.toMatch(/row/);
  });
});

describe('a blank covariate on an observation before the first dose', () => {
  const H = 'ID,TIME,EVID,AMT,CMT,DV,MDV,DIAL';
  const baseline = () => readNmtran([H, '1,0,0,.,1,0,0,', '1,0,1,1000,1,.,1,1', '1,12,0,.,1,12,0,1'].join('\n'), { file: 'b.csv' }).records;

  it('passes where the prediction without drug is 0 whatever it is (linear): the level at 12 h is the closed form on dialysis, under NOCB and LOCF', () => {
    for (const tv of ['nocb', 'locf'] as const) {
      const s = simulate(defineModel(dialJson(tv)), baseline(), { file: 'b.csv' });
      expect(s.ipred[0]).toBe(0);
      // python3: 20*math.exp(-0.04*12) = 12.375667836122817
      expect(rel(s.ipred[2] as number, 12.375667836122817)).toBeLessThan(1e-13);
    }
    expect(() => estimate(dial, baseline(), { file: 'b.csv' })).not.toThrow();
  });

  it('is refused where the prediction without drug reads it (a baseline written with DIAL), and after a dose', () => {
    const pd = defineModel({ dosewise: 'text', text: 'model "pd"\ntheta TVCL = 4, TVV = 50\ncovariate DIAL = 0\ncompartment CENTRAL\nCL = TVCL * (1 - 0.5 * DIAL)\nV = TVV\nd/dt(CENTRAL) = -CL / V * CENTRAL\nobserve = CENTRAL / V + 3 * DIAL\n' });
    expect(() => simulate(pd, baseline(), { file: 'b.csv' })).toThrow(/b\.csv, row 1, column DIAL: ID 1 has DIAL 1 on row 2 but none on row 1, where model pd would use its default 0/);
    const after = readNmtran([H, '1,0,1,1000,1,.,1,1', '1,6,0,.,1,9,0,', '1,12,0,.,1,12,0,1'].join('\n'), { file: 'b.csv' }).records;
    expect(() => simulate(dial, after, { file: 'b.csv' })).toThrow(/b\.csv, row 2, column DIAL: ID 1 has DIAL 1 on row 1 but none on row 2,/);
  });
});
