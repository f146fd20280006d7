// The steady-state warnings were given by simulate, estimate, forecast, advice and the population
// commands, but not on the paths that simulate a data set's records otherwise: replicates (and the
// VPC built on them), optimize and shrinkage. An SS = 2 dose in a Michaelis–Menten model after an
// earlier dose (its superposition is not the state) came out of simulateReplicates() and vpc() with
// warnings [] ; SS with a lag and SS in a model that reads t alike.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { simulateReplicates } from '../../src/replicate/run.js';
import { vpc } from '../../src/vpc/vpc.js';
import { cli } from './cli/run-cli.js';
import { tempFiles } from './temp-files.js';

const MM = {
  dosewise: 2,
  name: 'mm-pop',
  structure: 'mm-iv',
  parameters: { V: '20*exp(ETA_V)', VMAX: '40*exp(ETA_VMAX)', KM: 2 },
  omega: { etas: ['ETA_V', 'ETA_VMAX'], diagonal: [0.05, 0.05] },
  residual: { model: 'proportional', proportional: 0.1 },
} as const;

// a dose at 0 h, then 100 mg q12h SS=2 at 24 h (row 3): the state before it is not the undosed one
const SS2 = `ID,TIME,EVID,AMT,CMT,II,SS,DV,MDV
1,0,1,100,1,0,0,.,1
1,6,0,.,1,.,.,2.5,0
1,24,1,100,1,12,2,.,1
1,30,0,.,1,.,.,3.1,0
2,0,1,100,1,0,0,.,1
2,6,0,.,1,.,.,2.2,0
2,24,1,100,1,12,2,.,1
2,30,0,.,1,.,.,2.9,0
`;

const ss2 = (w: readonly string[]): string[] => w.filter((x) => x.startsWith('W_SS2_NONLINEAR'));

describe('steady-state warnings on every path that simulates a data set', () => {
  const model = defineModel(MM);
  const records = readNmtran(SS2, { file: 'ss2.csv' }).records;

  it('simulateReplicates() and vpc() say W_SS2_NONLINEAR, naming the record', async () => {
    const r = await simulateReplicates(model, records, { replicates: 3, seed: 1, file: 'ss2.csv' }, () => undefined);
    expect(ss2(r.warnings)).toHaveLength(1);
    // the CLI names the file before each warning of the run
    expect(ss2(r.warnings)[0]).toContain('row 3 (ID 1, TIME 24)');
    const v = await vpc(model, records, { replicates: 20, seed: 1, bins: [0, 12, 40], file: 'ss2.csv' });
    expect(ss2(v.warnings)).toHaveLength(1);
  });

  it('the CLI says it once in shrinkage, simulate --replicates, vpc and optimize, naming the file once', async () => {
    const t = tempFiles('dw-ss-paths-');
    const m = t.write('mm.json', MM);
    const d = t.write('ss2.csv', SS2);
    const s = await cli(['shrinkage', '--model', m, '--data', d]);
    expect(s.code).toBe(0);
    expect(s.err).toContain('W_SS2_NONLINEAR');
    const r = await cli(['simulate', '--model', m, '--data', d, '--replicates', '2', '--seed', '1']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('W_SS2_NONLINEAR');
    const v = await cli(['vpc', '--model', m, '--data', d, '--replicates', '20', '--seed', '1', '--bins', '0,12,40']);
    expect(v.code).toBe(0);
    const o = await cli(['optimize', '--model', m, '--data', d, '--target', 'auc24:400:600', '--doses', '100,200', '--intervals', '12,24', '--draws', '20', '--json']);
    expect(o.code).toBe(0);
    // with --from (advice, patient by patient) it was said once per ID: 2 lines
    const f = await cli(['optimize', '--model', m, '--data', d, '--target', 'auc24:400:600', '--doses', '100,200', '--intervals', '12,24', '--draws', '20', '--from', '40', '--json']);
    expect(f.code, f.err).toBe(0);
    for (const x of [s, r, v, o, f]) {
      const lines = x.err.split('\n').filter((l) => l.includes('W_SS2_NONLINEAR'));
      expect(lines, x.err).toHaveLength(1);
      expect(lines[0]!.split('ss2.csv').length - 1, lines[0]).toBe(1);
    }
  });
});
