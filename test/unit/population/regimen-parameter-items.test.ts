// A regimen item named like a model parameter (`"items": {"CL": 5}` on W-b's doses) was ignored
// without a word by population, pta and band: auc24 mean 208.151, sd 67.301 in the report (205.066,
// 65.826 at --n 200, seed 1), identical to the run without it, exit 0. Each subject's parameters come from the model and its drawn random
// effects; the user meant to pin CL (which would take away CL's variability) or to give a covariate,
// and neither happened. Refused now before any subject is simulated, naming the file, the JSON
// place or row, the parameter and its random effect, in population, pta, band and runStudy() alike.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { readRegimen } from '../../../src/regimen/file.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';
import { runStudy, seedKey } from '../../../src/population/study.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-regimen-parameter-items-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};
const quiet = ['--no-progress', '--workers', '0'];
const model = 'examples/wb-population.model.json';
const wb = JSON.parse(readFileSync('examples/wb-regimen.json', 'utf8')) as { doses: Record<string, unknown>[]; observe: unknown[] };
const why = "CL is a parameter of model W-b one-compartment oral with IIV, which each virtual subject takes from the model (TVCL * exp(ETA_CL), ETA_CL drawn from its variance), not from the regimen's items: the item was not read; to give every subject CL = 5, write it in the model's parameters (and without ETA_CL, whose variability would go); a covariate goes under the name the model reads";

describe('a regimen item named like a parameter', () => {
  it('population refuses it, naming the JSON place (it was ignored: the same auc24 as without it)', async () => {
    const reg = file('wb-cl.json', JSON.stringify({ ...wb, doses: [{ ...wb.doses[0], items: { CL: 5 } }] }));
    const r = await cli(['population', '--model', model, '--regimen', reg, '--n', '20', '--metric', 'auc24', ...quiet]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(`${reg}, doses.0.items.CL: ${why}`);
    // the regimen without it still runs
    const ok = await cli(['population', '--model', model, '--regimen', 'examples/wb-regimen.json', '--n', '20', '--metric', 'auc24', ...quiet]);
    expect(ok.code, ok.err).toBe(0);
  }, 60_000);

  it('a regimen CSV names the row; a blank column passes', async () => {
    const csv = file('wb-v.csv', 'ID,TIME,EVID,AMT,CMT,DV,MDV,V\n1,0,1,500,1,.,1,.\n1,12,0,.,2,.,0,40\n');
    const r = await cli(['population', '--model', model, '--regimen', csv, '--n', '5', '--metric', 'conc@12', ...quiet]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${csv}, row 2, column V: V is a parameter of model W-b one-compartment oral with IIV`);
    const blank = file('wb-blank.csv', 'ID,TIME,EVID,AMT,CMT,DV,MDV,V\n1,0,1,500,1,.,1,.\n1,12,0,.,2,.,0,.\n');
    const b = await cli(['population', '--model', model, '--regimen', blank, '--n', '5', '--metric', 'conc@12', ...quiet]);
    expect(b.code, b.err).toBe(0);
  }, 60_000);

  it('pta and band refuse it too', async () => {
    const good = file('wb12.json', JSON.stringify({ doses: [{ time: 0, amt: 500, cmt: 1, addl: 13, ii: 12 }], observe: [{ grid: { from: 0, to: 168, step: 1 } }] }));
    const bad = file('wb12-cl.json', JSON.stringify({ doses: [{ time: 0, amt: 500, cmt: 1, addl: 13, ii: 12, items: { CL: 5 } }], observe: [{ grid: { from: 0, to: 168, step: 1 } }] }));
    const p = await cli(['pta', '--model', model, '--regimens', `${good},${bad}`, '--target', 'auc24:150:250', '--n', '50', ...quiet]);
    expect(p.code).toBe(1);
    expect(p.err).toContain(`${bad}, doses.0.items.CL: ${why}`);
    const b = await cli(['band', '--model', model, '--regimen', bad, '--target', 'auc24:150:250', '--by', 'ETA_CL', '--bands', '2', '--doses', '250,500', '--n', '50', ...quiet]);
    expect(b.code).toBe(1);
    expect(b.err).toContain('items.CL: CL is a parameter of model W-b');
  }, 60_000);

  it('runStudy() refuses it before any subject', async () => {
    const json = JSON.parse(readFileSync(model, 'utf8')) as unknown;
    const records = readRegimen('ID,TIME,EVID,AMT,CMT,ADDL,II,DV,MDV,KA\n1,0,1,500,1,3,12,.,1,2\n1,48,0,.,2,.,.,.,0,2\n', 'r.csv');
    const metrics = [parseMetric('auc24', regimenTimesOf(records))];
    const plan = { model: json, regimen: records.map((r) => r.items), key: seedKey(1), metrics, table: false, profiles: false } as const;
    await expect(runStudy(plan, { n: 20, workers: 0 })).rejects.toThrow(/^regimen, row 1, column KA: KA is a parameter of model W-b/);
  }, 60_000);
});
