// simulate, estimate and forecast name the data file in a refusal of a data set's steady states
// ("ss3mm.csv, row 1, column SS: SS 3 … "); `simulate --replicates` and `vpc` said "row 1, column SS"
// alone, as simulateReplicates() judged the steady states without the file (its warnings are
// file-less: the command line puts the file before each one). The same holds for SS in a model whose
// equations read t and never repeat (Claret), which simulate refuses as "cl.csv, row 1 (ID 1, TIME 0)".

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ss-file-'));
const file = (name: string, text: string): string => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
const mm = file(
  'mm.model.json',
  JSON.stringify({
    dosewise: 2,
    name: 'mmtest',
    structure: { kind: 'michaelis-menten', depot: false },
    parameters: { V: '20*exp(ETA_V)', VMAX: '21.4*exp(ETA_VM)', KM: 1.5 },
    omega: { etas: ['ETA_V', 'ETA_VM'], diagonal: [0.1, 0.1] },
    residual: { model: 'proportional', proportional: 0.1 },
  }),
);
const ss3 = file('ss3mm.csv', ['ID,TIME,AMT,EVID,MDV,CMT,II,SS,DV', '1,0,100,1,1,1,12,3,.', '1,10,.,0,0,1,.,.,2.1', '1,12,100,1,1,1,.,.,.', '1,13,.,0,0,1,.,.,6', ''].join('\n'));
const claret = file(
  'cl.model.json',
  JSON.stringify({
    dosewise: 2,
    name: 'cl',
    structure: { kind: 'claret' },
    parameters: { BASE: '50*exp(ETA_B)', KG: 0.01, KS0: 0.02, GAMMA: 0.1, DOSE: 1 },
    omega: { etas: ['ETA_B'], diagonal: [0.1] },
    residual: { model: 'proportional', proportional: 0.1 },
  }),
);
const ss1 = file('cl.csv', ['ID,TIME,AMT,EVID,MDV,CMT,II,SS,DV', '1,0,100,1,1,1,12,1,.', '1,10,.,0,0,1,.,.,40', ''].join('\n'));
const quiet = ['--no-progress', '--workers', '0'];

describe('a refusal of the steady states names the data file in every command', () => {
  it('SS 3 in a Michaelis–Menten model: simulate, simulate --replicates and vpc alike', async () => {
    const one = await cli(['simulate', '--model', mm, '--data', ss3]);
    expect(one.code).not.toBe(0);
    expect(one.err).toMatch(/^dosewise: \S*ss3mm\.csv, row 1, column SS: SS 3 \(NONMEM/);
    for (const args of [
      ['simulate', '--model', mm, '--data', ss3, '--replicates', '3', ...quiet],
      ['vpc', '--model', mm, '--data', ss3, '--replicates', '3', ...quiet],
    ]) {
      const r = await cli(args);
      expect(r.code, args[0]).not.toBe(0);
      // the same words as simulate's, the file first
      expect(r.err, args.join(' ')).toBe(one.err);
    }
  });

  it('SS 1 in a model whose equations read t (Claret): simulate --replicates as simulate', async () => {
    const one = await cli(['simulate', '--model', claret, '--data', ss1]);
    expect(one.code).not.toBe(0);
    expect(one.err).toMatch(/^dosewise: \S*cl\.csv, row 1 \(ID 1, TIME 0\): SS=1 with model cl \(claret\)/);
    const r = await cli(['simulate', '--model', claret, '--data', ss1, '--replicates', '3', ...quiet]);
    expect(r.code).not.toBe(0);
    expect(r.err).toBe(one.err);
  });
});
