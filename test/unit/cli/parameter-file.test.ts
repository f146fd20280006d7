// A record whose covariate the model needs is blank: the refusal names the data file with the row
// and the parameter, as every other data error does ("row 2, parameter WT" named no file).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-param-file-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a parameter refusal of a data set', () => {
  it('names the file, the row and the column (a data column, not a parameter)', async () => {
    const model = join(tmp, 'wt.json');
    writeFileSync(model, JSON.stringify({ dosewise: 2, name: 'wt', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: '0.05*WT', V: 10 } }));
    const data = join(tmp, 'd.csv');
    writeFileSync(data, 'ID,TIME,EVID,AMT,DV,MDV,WT\n1,0,1,100,.,1,70\n1,3,0,.,.,0,.\n1,6,0,.,.,0,140\n');
    const r = await cli(['simulate', '--model', model, '--data', data]);
    expect(r.code).toBe(1);
    // it read "d.csv: row 2, parameter WT: the model reads this data item, but the record has no value … (got NaN)"
    expect(r.err).toMatch(/d\.csv, row 2, column WT: blank, and model wt reads WT with no default: fill in the patient's WT \(NONMEM reads a blank as 0\)\n/);
  });
});

describe('a data column named like a model parameter', () => {
  it('is warned about: it replaces the parameter (and its random effect) on every record', async () => {
    const model = join(tmp, 'v.json');
    writeFileSync(model, JSON.stringify({ dosewise: 2, name: 'v', structure: { kind: 'linear', compartments: 1, depot: false }, theta: { TVV: 10 }, parameters: { CL: 1, V: 'TVV*exp(ETA_V)' }, omega: { etas: ['ETA_V'], diagonal: [0.1] } }));
    const data = join(tmp, 'visit.csv');
    writeFileSync(data, 'ID,TIME,EVID,AMT,DV,MDV,V\n1,0,1,100,.,1,1\n1,3,0,.,.,0,2\n');
    const r = await cli(['simulate', '--model', model, '--data', data]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/warning: .*visit\.csv: column V replaces the model's parameter V on every record that gives it \(and with it the random effect ETA_V\); rename the column/);
  });
});

describe('a data column named like a random effect (an estimation table fed back as data)', () => {
  const model = join(tmp, 'eta.json');
  const data = join(tmp, 'etacol.csv');
  const write = () => {
    writeFileSync(model, JSON.stringify({ dosewise: 2, name: 'eta', structure: { kind: 'linear', compartments: 1, depot: false }, theta: { TVCL: 2, TVV: 10 }, parameters: { CL: 'TVCL*exp(ETA_CL)', V: 'TVV' }, omega: { etas: ['ETA_CL'], matrix: [[0.1]] }, residual: { model: 'proportional', proportional: 0.1 } }));
    writeFileSync(data, 'ID,TIME,EVID,AMT,DV,MDV,ETA_CL\n1,0,1,100,.,1,0.5\n1,2,0,.,6,0,0.5\n');
  };
  it('simulate reads it as the η of each record, and says so (IPRED 5.1712 = 10·exp(−0.2·e^0.5·2), not the typical 6.7032)', async () => {
    write();
    const r = await cli(['simulate', '--model', model, '--data', data, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/warning: .*etacol\.csv: column ETA_CL sets the random effect ETA_CL on every record that gives it \(elsewhere the subject is typical, ETA_CL = 0\)/);
    const rows = JSON.parse(r.out) as { IPRED: number }[];
    expect(rows[1]?.IPRED).toBeCloseTo(10 * Math.exp(-0.2 * Math.exp(0.5) * 2), 12);
  });
  it('estimate, forecast and replicates do not read it, and say so', async () => {
    write();
    const e = await cli(['estimate', '--model', model, '--data', data]);
    expect(e.err).toMatch(/column ETA_CL is not read: the random effect is estimated from the levels/);
    const s = await cli(['simulate', '--model', model, '--data', data, '--replicates', '1', '--effects', 'typical', '--no-epsilon', '--out', join(tmp, 'rep.csv')]);
    expect(s.code, s.err).toBe(0);
    expect(s.err).toMatch(/column ETA_CL is not read: the random effect is drawn \(or fixed by --effects\)/);
  });
});

describe('a level recorded against a compartment without a scale', () => {
  it('is warned about: it predicts that compartment\'s amount, not a concentration', async () => {
    const model = join(tmp, 'iv2.json');
    writeFileSync(model, JSON.stringify({ dosewise: 2, name: 'iv2', structure: { kind: 'linear', compartments: 2, depot: false }, parameters: { CL: 4, V: 40, Q: 5, V2: 60 } }));
    const data = join(tmp, 'cmt2.csv');
    writeFileSync(data, 'ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,1000,1,.,1\n1,2,0,.,2,12,0\n1,6,0,.,2,8,0\n1,8,0,.,1,6,0\n');
    const r = await cli(['simulate', '--model', model, '--data', data]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/warning: .*cmt2\.csv, row 2: 2 levels with CMT 2 \(\w+\) predict the amount in that compartment, not a concentration \(it has no scale S2; the model observes compartment 1\): write CMT 0 or 1/);
    // said once, by simulate() (W_LEVEL_AMOUNT): the command line no longer adds its own copy
    expect(r.err.match(/levels with CMT 2/g)).toHaveLength(1);
    expect(r.err).toMatch(/W_LEVEL_AMOUNT: .*cmt2\.csv, row 2: 2 levels/);
    const e = await cli(['estimate', '--model', 'examples/map-wmap.model.json', '--data', data]);
    expect(e.err).toMatch(/ID 1, W_LEVEL_AMOUNT: row 2: 2 levels with CMT 2/);
    expect(e.err.match(/levels with CMT 2/g)).toHaveLength(1);
    const j = await cli(['estimate', '--model', 'examples/map-wmap.model.json', '--data', data, '--json']);
    expect((JSON.parse(j.out) as { warnings: { code: string }[] }[])[0]?.warnings.filter((w) => w.code === 'W_LEVEL_AMOUNT')).toHaveLength(1);
    const f = await cli(['forecast', '--model', 'examples/map-wmap.model.json', '--data', data, '--regimen', 'examples/map-future.json', '--draws', '50']);
    expect(f.code, f.err).toBe(0);
    expect(f.err.match(/levels with CMT 2/g)).toHaveLength(1);
  });
});

describe('columns the model reads under another name or case', () => {
  it('a covariate without a default in another case is named as a column (it read "row 1, parameter CRCL: no value")', async () => {
    const data = join(tmp, 'crcl.csv');
    writeFileSync(data, 'ID,TIME,EVID,AMT,RATE,DV,MDV,CrCl,WT,DIAL\n1,0,1,1000,1000,.,1,85,72,0\n1,11.5,0,.,.,9.8,0,85,72,0\n');
    for (const cmd of ['estimate', 'simulate']) {
      const r = await cli([cmd, '--model', 'vancomycin_goti_2018', '--data', data]);
      expect(r.code, cmd).toBe(1);
      expect(r.err, cmd).toMatch(/crcl\.csv, row 1, column CrCl: model vancomycin_goti_2018 reads CRCL, and names are case-sensitive/);
    }
  });

  it('estimate warns about a column named like a parameter too (a study-day column DAY replaced the model\'s DAY)', async () => {
    const model = join(tmp, 'v.json');
    const data = join(tmp, 'visit-est.csv');
    writeFileSync(data, 'ID,TIME,EVID,AMT,DV,MDV,V\n1,0,1,100,.,1,1\n1,3,0,.,7,0,2\n');
    const r = await cli(['estimate', '--model', model, '--data', data]);
    expect(r.err).toMatch(/column V replaces the model's parameter V/);
  });
});

describe("a data column named like a model text's equation-level quantity", () => {
  it('is said not to be read (a column C beside C = CENTRAL / V was dropped without a word)', async () => {
    const model = join(tmp, 'loc.model');
    writeFileSync(model, 'model "loc"\ntheta K = 0.1, V = 10\ncompartment CENTRAL\nC = CENTRAL / V\nd/dt(CENTRAL) = -K * C * V\nobserve = CENTRAL / V\nresidual additive 1\n');
    const data = join(tmp, 'loc.csv');
    writeFileSync(data, 'ID,TIME,EVID,AMT,DV,MDV,C\n1,0,1,100,.,1,5\n1,3,0,.,.,0,5\n');
    const r = await cli(['simulate', '--model', model, '--data', data]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/loc\.csv: column C is not read: C is the model text's equation-level quantity/);
  });
});
