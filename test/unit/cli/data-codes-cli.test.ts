// Through the command line: data codes that printed a wrong number with exit 0 (an MDV, BLQ or
// DVID code dosewise does not understand, a BLQ limit of 0, a DUR column the dose ignored) exit 1
// naming file, row, column and value.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-data-codes-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

const model = ['--model', 'examples/map-wmap.model.json'];
const DUR_WHY = "dosewise reads NONMEM's RATE, not DUR: give RATE = AMT/DUR (500) for a 2-h infusion, or RATE = -2 with the duration in the model (got 2)";

describe('data codes dosewise does not understand: exit 1 and the place', () => {
  it('estimate: MDV 2', async () => {
    const f = file('mdv.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,1000,1000,.,1\n1,1.5,0,.,.,27.6,2\n1,11.5,0,.,.,3.4,0\n');
    const r = await cli(['estimate', ...model, '--data', f]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('mdv.csv, row 2, column MDV: MDV must be 0 (a level to use) or 1 (none) (got 2)');
  });

  it('estimate: BLQ -1 (Monolix: above the upper limit)', async () => {
    const f = file('blq.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV,BLQ\n1,0,1,1000,1000,.,1,.\n1,1.5,0,.,.,27.6,0,-1\n1,11.5,0,.,.,3.4,0,0\n');
    const r = await cli(['estimate', ...model, '--data', f]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/blq\.csv, row 2, column BLQ: BLQ must be 0 \(quantified\) or 1 \(below the LLOQ\): only 0 and 1 are understood \(-1, which Monolix uses for above the upper limit, is not\) \(got -1\)/);
  });

  it('estimate: a BLQ row with DV 0 and no LLOQ column', async () => {
    const f = file('lloq.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV,BLQ\n1,0,1,1000,1000,.,1,.\n1,1.5,0,.,.,27.6,0,0\n1,11.5,0,.,.,0,0,1\n');
    const r = await cli(['estimate', ...model, '--data', f]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("lloq.csv, row 3, column DV: a BLQ record's LLOQ must be > 0");
  });

  it('estimate: DVID 2 for a model with one output', async () => {
    const f = file('dvid.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV,DVID\n1,0,1,1000,1000,.,1,.\n1,1.5,0,.,.,27.6,0,1\n1,11.5,0,.,.,3.4,0,2\n');
    const r = await cli(['estimate', ...model, '--data', f]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('dvid.csv, row 3, column DVID: the model has one output (DVID 1)');
  });
});

describe('simulate --replicates: DVID 2 for a model with one output', () => {
  it('is refused (its DV_SIM would be the drug concentration, with the drug residual error)', async () => {
    const f = file('dvid-sim.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV,DVID\n1,0,1,1000,1000,.,1,.\n1,1.5,0,.,.,27.6,0,1\n1,11.5,0,.,.,3.4,0,2\n');
    const r = await cli(['simulate', ...model, '--data', f, '--replicates', '2', '--workers', '0', '--no-progress']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('dvid-sim.csv, row 3, column DVID: the model has one output (DVID 1)');
  });
});

describe('a DUR column (NONMEM has no DUR data item)', () => {
  const H = 'ID,TIME,EVID,AMT,RATE,DUR,DV,MDV';
  const history = `${H}\n1,0,1,1000,.,2,.,1\n1,1.5,0,.,.,.,27.6,0\n1,11.5,0,.,.,.,3.4,0\n`;

  it('estimate refuses it with the message that says what to give', async () => {
    const r = await cli(['estimate', ...model, '--data', file('dur.csv', history)]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`dur.csv, row 1, column DUR: ${DUR_WHY}`);
  });

  it('simulate refuses it', async () => {
    const r = await cli(['simulate', ...model, '--data', file('dur-sim.csv', history)]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`dur-sim.csv, row 1, column DUR: ${DUR_WHY}`);
  });

  it('forecast --regimen FILE.csv refuses it, naming the regimen file', async () => {
    const data = file('hist.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,1000,1000,.,1\n1,1.5,0,.,.,27.6,0\n1,11.5,0,.,.,3.4,0\n');
    const future = file('future.csv', 'ID,TIME,EVID,AMT,DUR\n1,12,1,1000,2\n1,13,0,.,.\n1,24,0,.,.\n');
    const r = await cli(['forecast', ...model, '--data', data, '--regimen', future, '--draws', '20', '--no-progress']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`future.csv, row 1, column DUR: ${DUR_WHY}`);
  });

  it('the same data with RATE = AMT/DUR estimates', async () => {
    const r = await cli(['estimate', ...model, '--data', file('rate.csv', `${H}\n1,0,1,1000,500,2,.,1\n1,1.5,0,.,.,.,27.6,0\n1,11.5,0,.,.,.,3.4,0\n`)]);
    expect(r.code).toBe(0);
  });

  it('a model that reads DUR as a data item still runs', async () => {
    const m = file('reads-dur.json', JSON.stringify({
      dosewise: 2,
      name: 'reads DUR',
      structure: { kind: 'linear', compartments: 2, depot: false },
      parameters: { CL: '4*exp(ETA_CL)*(DUR/2)^0.5', V: '30*exp(ETA_V1)', Q: 6, V2: 50 },
      omega: { etas: ['ETA_CL', 'ETA_V1'], diagonal: [0.1, 0.1] },
      residual: { model: 'proportional', proportional: 0.1 },
    }));
    const d = file('dur-cov.csv', `${H}\n1,0,1,1000,.,2,.,1\n1,1.5,0,.,.,2,27.6,0\n1,11.5,0,.,.,2,3.4,0\n`);
    const r = await cli(['estimate', '--model', m, '--data', d]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });
});
