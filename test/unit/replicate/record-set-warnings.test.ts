// simulateReplicates() and vpc() say what the records as a whole say, as simulate() does (one
// function each): replicates of WT 300 under a model built on 40–150, or of an SS 1, AMT 0, RATE 100
// infusion that stops at its record (as in NONMEM), returned warnings without either. The command
// line prints each once: the steady-state infusion before the run, naming the file, as before.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulateReplicates } from '../../../src/replicate/run.js';
import { vpc } from '../../../src/vpc/vpc.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-rep-warn-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const wtModel = { dosewise: 2, name: 'wtmodel', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: '5*(WT/70)^0.75*exp(ETA_CL)', V: '50*(WT/70)*exp(ETA_V)' }, covariates: { WT: { unit: 'kg', range: [40, 150] } }, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] }, residual: { model: 'proportional', proportional: 0.15 } };
const rows = (id: number, wt: number): string[] => [`${id},0,1,1000,1000,0,.,1,${wt}`, `${id},2,0,.,.,0,15,0,${wt}`, `${id},10,0,.,.,0,6,0,${wt}`, `${id},12,1,0,100,1,.,1,${wt}`, `${id},20,0,.,.,0,18,0,${wt}`];
const text = ['ID,TIME,EVID,AMT,RATE,SS,DV,MDV,WT', ...rows(1, 300), ...[2, 3, 4, 5, 6].flatMap((i) => rows(i, 70))].join('\n') + '\n';
const ss = /^W_SS_INFUSION: row 4: 6 steady-state infusions \(SS 1, AMT 0, RATE 100\) start at the infusion's steady state/;
const range = /^W_COVARIATE_RANGE: WT 300 \(row 1 and 4 more\) lies outside 40–150, the range the model was built on/;

describe('replicates and vpc: the records’ steady-state infusions and covariate ranges', () => {
  const model = defineModel(wtModel);
  const records = readNmtran(text).records;

  it('simulateReplicates() and vpc() return both', async () => {
    const run = await simulateReplicates(model, records, { replicates: 2, seed: 1, workers: 0 }, () => {});
    expect(run.warnings.filter((w) => ss.test(w))).toHaveLength(1);
    expect(run.warnings.filter((w) => range.test(w))).toHaveLength(1);
    const v = await vpc(model, records, { replicates: 5, seed: 1, workers: 0, bins: 2 });
    expect(v.warnings.filter((w) => ss.test(w))).toHaveLength(1);
    expect(v.warnings.filter((w) => range.test(w))).toHaveLength(1);
  });

  it('CLI simulate --replicates and vpc print each once', async () => {
    const data = join(tmp, 'd.csv');
    const m = join(tmp, 'm.json');
    writeFileSync(data, text);
    writeFileSync(m, JSON.stringify(wtModel));
    for (const args of [['simulate', '--model', m, '--data', data, '--replicates', '2', '--out', join(tmp, 'r.csv')], ['vpc', '--model', m, '--data', data, '--replicates', '5', '--bins', '2', '--out', join(tmp, 'v.csv')]]) {
      const r = await cli([...args, '--no-progress']);
      expect(r.code, r.err).toBe(0);
      const lines = r.err.split('\n');
      expect(lines.filter((l) => l.includes('steady-state infusion')), r.err).toHaveLength(1);
      expect(lines.filter((l) => l.includes('lies outside 40–150')), r.err).toEqual([`dosewise: warning: ${data}: W_COVARIATE_RANGE: WT 300 (row 1 and 4 more) lies outside 40–150, the range the model was built on: an extrapolation`]);
    }
  });
});
