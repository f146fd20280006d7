// A regimen file for population runs (population, pta, band, study) gets the checks a data set
// gets: covariate values in the declared unit (a creatinine in mg/dL, a height in m) and 0/1 flags,
// refused before any subject is simulated, naming the file and the row or JSON place; ADDL copies
// after the regimen's last record are never listed, more than 10^6 before it are refused naming the dose.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { readRegimen } from '../../../src/regimen/file.js';
import { MAX_ADDL_COPIES, regimen } from '../../../src/regimen/builder.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';
import { runStudy, seedKey } from '../../../src/population/study.js';
import { loadModelJson } from '../../../src/cli/model-arg.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-regimen-checks-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};
const quiet = ['--no-progress', '--workers', '0'];

// Colin 2019 reads SCR in mg/dL: 80 is a value in µmol/L (0.9 mg/dL)
const colinCsv = (scr: number, addl = '') =>
  `ID,TIME,EVID,AMT,CMT,RATE,${addl ? 'ADDL,II,' : ''}DV,MDV,WT,PMA,SCR\n1,0,1,1000,1,1000,${addl ? `${addl},` : ''}.,1,70,3000,${scr}\n1,${addl ? 48 : 12},0,.,1,.,${addl ? '.,.,' : ''}.,0,70,3000,${scr}\n`;

describe('covariate values of a regimen are checked as a data set’s', () => {
  it('population refuses SCR 80 into a model reading mg/dL, naming the file and row (it ran: conc@12 median 16.200 for 6.265 at SCR 0.9)', async () => {
    const reg = file('colin_reg.csv', colinCsv(80));
    const r = await cli(['population', '--model', 'vancomycin_colin_2019', '--regimen', reg, '--n', '5', '--metric', 'conc@12', ...quiet]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    // the same words simulate uses for the same file
    expect(r.err).toContain(`${reg}, row 1, column SCR: SCR of model vancomycin_colin_2019 is in mg/dL: a serum creatinine in mg/dL is at most 40 (a value in µmol/L?) (got 80)`);
    const sim = await cli(['simulate', '--model', 'vancomycin_colin_2019', '--data', reg]);
    expect(sim.err).toContain(`${reg}, row 1, column SCR: SCR of model vancomycin_colin_2019 is in mg/dL`);
    // the value in mg/dL still runs
    const ok = await cli(['population', '--model', 'vancomycin_colin_2019', '--regimen', file('colin_reg09.csv', colinCsv(0.9)), '--n', '5', '--metric', 'conc@12', ...quiet]);
    expect(ok.code).toBe(0);
  }, 60_000);

  it('pta refuses it before the first regimen is simulated (PTA was 5.0 % for 48.0 %), naming the second file', async () => {
    const good = file('colin48_09.csv', colinCsv(0.9, '3,12'));
    const bad = file('colin48_80.csv', colinCsv(80, '3,12'));
    const r = await cli(['pta', '--model', 'vancomycin_colin_2019', '--regimens', `${good},${bad}`, '--target', 'auc24:400:600', '--n', '200', ...quiet]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${bad}, row 1, column SCR: SCR of model vancomycin_colin_2019 is in mg/dL: a serum creatinine in mg/dL is at most 40 (a value in µmol/L?) (got 80)`);
  }, 60_000);

  it('a height in cm into a model reading m is refused (tacrolimus HT 175 ran: fat-free mass 104 kg for a 75-kg man)', async () => {
    const reg = file('tac_reg.csv', 'ID,TIME,EVID,AMT,CMT,RATE,DV,MDV,WT,HT,FEMALE,OCC\n1,0,1,5,1,0,.,1,75,175,0,1\n1,12,0,.,2,.,.,0,75,175,0,1\n');
    const r = await cli(['population', '--model', 'tacrolimus_storset_2014', '--regimen', reg, '--n', '5', '--metric', 'conc@12', ...quiet]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${reg}, row 1, column HT: HT of model tacrolimus_storset_2014 is in m: a height in m is at most 3 (a value in cm?) (got 175)`);
  }, 60_000);

  it('a regimen JSON names the place of the value: observe.0.items.SCR, a 0/1 flag at 2 as doses.0.items.CANC', async () => {
    const obs = file('colin_obs.json', JSON.stringify({ doses: [{ time: 0, amt: 1000, dur: 1, items: { WT: 70, PMA: 3000, SCR: 0.9 } }], observe: [{ times: [12], items: { WT: 70, PMA: 3000, SCR: 80 } }] }));
    const r = await cli(['population', '--model', 'vancomycin_colin_2019', '--regimen', obs, '--n', '5', '--metric', 'conc@12', ...quiet]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${obs}, observe.0.items.SCR: SCR of model vancomycin_colin_2019 is in mg/dL: a serum creatinine in mg/dL is at most 40 (a value in µmol/L?) (got 80)`);
    const flag = file('colin_flag.json', JSON.stringify({ doses: [{ time: 0, amt: 1000, dur: 1, items: { WT: 70, PMA: 3000, SCR: 0.9, CANC: 2 } }], observe: [{ times: [12], items: { WT: 70, PMA: 3000, SCR: 0.9, CANC: 1 } }] }));
    const f = await cli(['population', '--model', 'vancomycin_colin_2019', '--regimen', flag, '--n', '5', '--metric', 'conc@12', ...quiet]);
    expect(f.code).toBe(1);
    expect(f.err).toContain(`${flag}, doses.0.items.CANC: CANC is a 0/1 flag of model vancomycin_colin_2019 (unit "0/1"): 0 or 1 (got 2)`);
  }, 60_000);

  it('band (through the population run) refuses it too', async () => {
    const reg = file('colin_band.csv', 'ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,DV,MDV,PMA,SCR\n1,0,1,1000,1,1000,3,12,.,1,3000,80\n1,48,0,.,1,.,.,.,.,0,3000,80\n');
    const cov = file('wt.json', JSON.stringify({ covariates: { WT: { dist: 'lognormal', median: 70, cv: 0.2, lower: 40, upper: 150, unit: 'kg' } } }));
    const r = await cli(['band', '--model', 'vancomycin_colin_2019', '--regimen', reg, '--covariates', cov, '--target', 'auc24:400:600', '--by', 'WT', '--bands', '2', '--doses', '500,1000,1500', '--n', '50', ...quiet]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/row 1, column SCR: SCR of model vancomycin_colin_2019 is in mg\/dL: .* at most 40 .*\(got 80\)/);
  }, 60_000);

  it('runStudy refuses it before any subject, unless the population samples the covariate (its value on the records is not read)', async () => {
    const { json } = await loadModelJson('vancomycin_colin_2019');
    const records = readRegimen(colinCsv(80, '3,12'), 'r.csv');
    const metrics = [parseMetric('auc24', regimenTimesOf(records))];
    const plan = { model: json, regimen: records.map((r) => r.items), key: seedKey(1), metrics, table: false, profiles: false } as const;
    await expect(runStudy(plan, { n: 20, workers: 0 })).rejects.toThrow(/^regimen, row 1, column SCR: SCR of model vancomycin_colin_2019 is in mg\/dL: .* \(got 80\)$/);
    const covariates = { covariates: { SCR: { dist: 'lognormal', median: 0.9, sdlog: 0.3, lower: 0.3, upper: 5, unit: 'mg/dL' } } };
    const res = await runStudy({ ...plan, covariates }, { n: 20, workers: 0 });
    expect(res.count).toBe(20);
    expect(res.failed).toBe(0);
  }, 60_000);
});

describe('ADDL copies of a regimen file', () => {
  it('ADDL 1e9 q1h before levels at 1.5 and 2.5 h: the level of the 3 doses before it (population crashed: 2.5 GB, "invalid size")', async () => {
    const model = file('iv.model.json', JSON.stringify({ dosewise: 2, name: 'iv1', structure: '1cmt-iv', theta: { TVCL: 5, TVV: 50 }, parameters: { CL: 'TVCL', V: 'TVV' }, residual: { model: 'proportional', proportional: 0.1 } }));
    const reg = file('addl1e9.json', JSON.stringify({ doses: [{ time: 0, amt: 100, addl: 1e9, ii: 1 }], observe: [{ times: [1.5, 2.5] }] }));
    const t = performance.now();
    const r = await cli(['population', '--model', model, '--regimen', reg, '--n', '3', '--metric', 'conc@2.5', '--json', ...quiet]);
    expect(r.code).toBe(0);
    // every copy was listed to find a trough's dose (whatever the metric): now none is
    expect(performance.now() - t).toBeLessThan(10_000);
    // doses at 0, 1 and 2 h (copies from 3 h on come after the last record): 100/50·Σ e^{−0.1(2.5−j)} = 5.181476367994353 (measured 5.181476367994352)
    const want = 2 * (Math.exp(-0.25) + Math.exp(-0.15) + Math.exp(-0.05));
    expect(Math.abs(want - 5.181476367994353)).toBeLessThan(1e-14);
    const got = JSON.parse(r.out).metrics[0].report.mean as number;
    expect(Math.abs(got - want)).toBeLessThan(1e-12);
  }, 60_000);

  it('more than 10^6 copies before the last record are refused naming the file and doses.0 (JSON) or the row (CSV), before any subject', async () => {
    // 5e6 copies q0.001h before a level at 4000 h: 4,000,001 are due before it (⌊4000/0.001⌋ + 1)
    const json = file('addl5e6.json', JSON.stringify({ doses: [{ time: 0, amt: 100, addl: 5e6, ii: 0.001 }], observe: [{ times: [4000] }] }));
    const why = "4000001 additional doses fall before the regimen's last record (at 4000 h; at most 1,000,000)";
    const r = await cli(['population', '--model', 'examples/wb-population.model.json', '--regimen', json, '--n', '5', '--metric', 'cmax', ...quiet]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${json}, doses.0.addl: ${why}`);
    expect(r.err).toContain('(got 5000000)');
    const csv = file('addl5e6.csv', 'ID,TIME,EVID,AMT,CMT,ADDL,II,DV,MDV\n1,0,1,100,1,5000000,0.001,.,1\n1,4000,0,.,2,.,.,.,0\n');
    const c = await cli(['population', '--model', 'examples/wb-population.model.json', '--regimen', csv, '--n', '5', '--metric', 'cmax', ...quiet]);
    expect(c.code).toBe(1);
    expect(c.err).toContain(`${csv}, row 1, column ADDL: ${why}`);
    // the second dose of a JSON is named by its own place
    const second = file('addl2.json', JSON.stringify({ doses: [{ time: 0, amt: 100 }, { time: 1, amt: 100, addl: 2e6, ii: 0.001 }], observe: [{ grid: { from: 0, to: 3000, step: 1 } }] }));
    expect(() => readRegimen(JSON.stringify({ doses: [{ time: 0, amt: 100 }, { time: 1, amt: 100, addl: 2e6, ii: 0.001 }], observe: [{ grid: { from: 0, to: 3000, step: 1 } }] }), second)).toThrow(
      `${second}, doses.1.addl: 2000000 additional doses fall before the regimen's last record (at 3000 h; at most 1,000,000)`,
    );
  }, 60_000);

  it('the builder refuses them naming the dose; exactly 10^6 and copies after the last record pass', () => {
    expect(() => regimen().dose({ time: 0, amt: 100, addl: 5e6, ii: 0.001 }).observe({ times: [4000] }).records()).toThrow(
      /^dose\.addl: the dose at 0 h: 4000001 additional doses fall before the regimen's last record \(at 4000 h; at most 1,000,000\).* \(got 5000000\)$/,
    );
    // ⌊(1e6 − 1)·1 / 1⌋ + 1 = 10^6 copies due: the engine's limit, allowed
    expect(regimen().dose({ time: 0, amt: 100, addl: 2e9, ii: 1 }).observe({ times: [MAX_ADDL_COPIES - 1] }).records()).toHaveLength(2);
    expect(() => regimen().dose({ time: 0, amt: 100, addl: 2e9, ii: 1 }).observe({ times: [MAX_ADDL_COPIES] }).records()).toThrow(/1000001 additional doses/);
    const recs = regimen().dose({ time: 0, amt: 100, addl: 1e9, ii: 1 }).observe({ times: [1.5, 2.5] }).records();
    expect(recs.map((r) => [r.TIME, r.EVID, r.ADDL])).toEqual([[0, 1, 1e9], [1.5, 0, 0], [2.5, 0, 0]]);
  });
});
