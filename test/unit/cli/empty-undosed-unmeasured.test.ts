// Data sets that say less than the user thinks. A dose column named DOSE (not AMT) made every
// prediction 0, exit 0; levels in a column named CONC made every MAP estimate the prior mode, said
// only in the table's header line; a header with nothing under it printed the header alone.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-undosed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('a data set without a dose', () => {
  it('simulate warns: a dose column named DOSE is not AMT', async () => {
    const data = file('dose.csv', 'ID,TIME,DOSE,DV\n1,0,100,.\n1,2,.,.\n');
    const r = await cli(['simulate', '--model', '1cmt-iv', '--data', data]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/warning: .*dose\.csv: no record is a dose \(EVID 1 or 4 with an amount in AMT; the data have no AMT column\): every prediction is the model without drug/);
  });
  it('says nothing when a record is a dose', async () => {
    const data = file('dosed.csv', 'ID,TIME,AMT,DV\n1,0,100,.\n1,2,.,.\n');
    const r = await cli(['simulate', '--model', '1cmt-iv', '--data', data]);
    expect(r.err).not.toMatch(/no record is a dose/);
  });
});

describe('a data set without a level', () => {
  it('estimate warns on standard error: levels in a column named CONC are not DV', async () => {
    const data = file('conc.csv', 'ID,TIME,EVID,AMT,CONC,MDV\n1,0,1,100,.,1\n1,2,0,.,5,0\n');
    const r = await cli(['estimate', '--model', 'examples/map-wmap.model.json', '--data', data]);
    expect(r.err).toMatch(/warning: .*conc\.csv: no record is a level \(an observation record, EVID 0, with MDV 0 and a value in DV; the data have no DV column\): every estimate is the prior mode/);
  });
});

describe('a header with nothing under it', () => {
  it('simulate and estimate refuse it', async () => {
    const data = file('empty.csv', 'ID,TIME,EVID,AMT,DV,MDV\n');
    for (const cmd of ['simulate', 'estimate']) {
      const r = await cli([cmd, '--model', '1cmt-iv', '--data', data]);
      expect(r.code, cmd).toBe(1);
      expect(r.err, cmd).toMatch(/empty\.csv.*the data set has no records \(a header and nothing under it\)/);
    }
  });
});

describe('a steady-state constant infusion (SS 1, AMT 0, RATE > 0)', () => {
  it('starts at its steady state and stops at its record, as in NONMEM, and simulate says so (CL 5, V 50, RATE 50: 10, then 10·e^−0.5 = 6.0653 at 5 h)', async () => {
    const data = file('ssinf.csv', 'ID,TIME,EVID,AMT,RATE,SS,DV,MDV\n1,0,1,0,50,1,.,1\n1,5,0,.,.,.,.,0\n');
    const r = await cli(['simulate', '--model', '1cmt-iv', '--data', data, '--param', 'CL=5', '--param', 'V=50', '--json']);
    expect(r.code, r.err).toBe(0);
    const rows = JSON.parse(r.out) as { IPRED: number }[];
    expect(rows[0]?.IPRED).toBeCloseTo(10, 12);
    expect(rows[1]?.IPRED).toBeCloseTo(10 * Math.exp(-0.5), 12);
    expect(r.err).toMatch(/warning: .*ssinf\.csv, row 1: a steady-state infusion \(SS 1, AMT 0, RATE 50\) starts at the infusion's steady state and stops at its record, as in NONMEM/);
  });
});

describe('no false alarms', () => {
  it('BLQ levels are levels: no "prior mode" warning for a data set of BLQ rows', async () => {
    const data = file('blq-only.csv', 'ID,TIME,EVID,AMT,DV,MDV,BLQ,LLOQ\n1,0,1,1000,.,1,0,.\n1,12,0,.,.,0,1,0.5\n1,24,0,.,.,0,1,0.5\n');
    const r = await cli(['estimate', '--model', 'examples/map-wmap.model.json', '--data', data]);
    expect(r.err).not.toMatch(/no record is a level/);
  });
  it('Claret reads its exposure from DOSE: no "no dose" warning', async () => {
    const data = file('claret.csv', 'ID,TIME,EVID,DOSE,DV,MDV\n1,0,2,100,.,1\n1,24,0,100,.,0\n');
    const r = await cli(['simulate', '--model', 'claret', '--data', data]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/no record is a dose/);
  });
});

describe('a JSON regimen without doses', () => {
  // refused ("doses: Too small"), though the same regimen as a CSV ran: Claret's drug enters through
  // its DOSE parameter, and any dose record would add to the tumour size
  it('runs for Claret in population, with no "no dose" warning', async () => {
    const reg = file('obs-only.json', JSON.stringify({ doses: [], observe: [{ times: [3, 10] }] }));
    const r = await cli(['population', '--model', 'claret', '--regimen', reg, '--n', '20', '--metric', 'conc@3', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/no record is a dose/);
  });
  it('warns for a PK model in population and pta: every prediction is the model without drug', async () => {
    const reg = file('obs-only-pk.json', JSON.stringify({ doses: [], observe: [{ times: [3, 10] }] }));
    const r = await cli(['population', '--model', '1cmt-iv', '--regimen', reg, '--n', '20', '--metric', 'conc@3', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/warning: .*obs-only-pk\.json: no record is a dose/);
  });
});
