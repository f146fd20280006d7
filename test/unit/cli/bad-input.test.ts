// Through the command line: input that would give a wrong number exits non-zero with a message that
// names the place (file, row, column, JSON path, option), and levels the estimate cannot be trusted
// on are reported on stderr and in the --json output's `warnings`.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-bad-input-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

const model = ['--model', 'examples/map-wmap.model.json'];
const H = 'ID,TIME,EVID,AMT,RATE,DV,MDV';

describe('refused input: exit 1 and the place', () => {
  it('estimate: a dose record without AMT', async () => {
    const f = file('noamt.csv', 'ID,TIME,EVID,RATE,DV,MDV\n1,0,1,1000,.,1\n1,1.5,0,.,27.57698,0\n1,11.5,0,.,3.437169,0\n');
    const r = await cli(['estimate', ...model, '--data', f]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/noamt\.csv, row 1, column AMT: a dose record \(EVID 1\) needs an amount > 0, and the data have no AMT column/);
  });

  it('optimize: a blank AMT', async () => {
    const f = file('blank.csv', `${H}\n1,0,1,,1000,.,1\n1,1.5,0,.,.,27.57698,0\n`);
    const r = await cli(['optimize', ...model, '--data', f, '--target', 'auc24:400:600', '--doses', '500,1000', '--intervals', '12', '--draws', '50', '--no-progress']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/blank\.csv, row 1, column AMT: /);
  });

  it('simulate: AMT = 0 on a dose record', async () => {
    const f = file('zero.csv', `${H}\n1,0,1,0,0,.,1\n1,1,0,.,.,.,0\n`);
    const r = await cli(['simulate', ...model, '--data', f]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/zero\.csv, row 1, column AMT: .*AMT = 0 is allowed only for a steady-state constant infusion/);
  });

  it('estimate: DV = 1e400', async () => {
    const f = file('inf.csv', `${H}\n1,0,1,1000,1000,.,1\n1,1.5,0,.,.,1e400,0\n1,11.5,0,.,.,3.437169,0\n`);
    const r = await cli(['estimate', ...model, '--data', f]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/inf\.csv, row 2, column DV: the number is too large .*\(got "1e400"\)/);
  });

  it('a semicolon-separated file', async () => {
    const f = file('semi.csv', 'ID;TIME;EVID;AMT;RATE;DV;MDV\n1;0;1;1000;1000;.;1\n1;1,5;0;.;.;27,5;0\n');
    const r = await cli(['estimate', ...model, '--data', f]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('semi.csv, header, column *: looks like a semicolon-separated file; dosewise reads comma-separated CSV');
  });

  it('a decimal comma', async () => {
    const f = file('comma.csv', `${H}\n1,0,1,1000,1000,.,1\n1,1.5,0,.,.,"27,5",0\n`);
    const r = await cli(['estimate', ...model, '--data', f]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/comma\.csv, row 2, column DV: decimal comma.*\(got "27,5"\)/);
  });

  it('regimen JSON: the JSON path of a record the validation refuses', async () => {
    const f = file('reg.json', '{ "doses": [{ "time": 0, "amt": 1000, "addl": 3 }], "observe": [{ "times": [1, 2] }] }');
    const r = await cli(['population', '--model', 'examples/wb-population.model.json', '--regimen', f, '--n', '5', '--workers', '0', '--no-progress']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/reg\.json, doses\.0\.ii: II must be > 0 when ADDL > 0/);
  });

  it('a covariate specification names its file', async () => {
    const f = file('cov.json', '{ "covariates": { "WT": { "dist": "normal", "mean": 70, "sd": "x" } } }');
    const r = await cli(['pta', '--model', 'vancomycin_goti_2018', '--covariates', f, '--regimen', 'examples/design-vancomycin-q12h-750.json', '--target', 'auc24:400:600', '--n', '50', '--workers', '0', '--no-progress']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cov\.json, covariates\.WT\.sd: .*\(got "x"\)/);
  });

  it('optimize --cmt 9 names the option', async () => {
    const r = await cli(['optimize', ...model, '--data', 'examples/map-patient.csv', '--target', 'auc24:400:600', '--doses', '500,1000', '--intervals', '12', '--cmt', '9', '--draws', '50', '--no-progress']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--cmt 9: the model W-map has 2 compartments/);
  });
});

describe('level warnings', () => {
  it('a level before any dose: stderr and --json warnings, exit 0', async () => {
    const f = file('early.csv', `${H}\n1,0,0,.,.,30,0\n1,1,1,1000,1000,.,1\n`);
    const r = await cli(['estimate', ...model, '--data', f, '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^dosewise: warning: .*early\.csv, ID 1, W_LEVEL_UNINFORMATIVE: row 1 \(TIME 0, DV 30\): the level carries no information about the parameters/m);
    const [fit] = JSON.parse(r.out) as { warnings: { code: string; record: number; row: number }[] }[];
    expect(fit?.warnings).toEqual([expect.objectContaining({ code: 'W_LEVEL_UNINFORMATIVE', record: 0, row: 1 })]);
  });

  it('text output points to the warnings', async () => {
    const f = file('early2.csv', `${H}\n1,0,0,.,.,30,0\n1,1,1,1000,1000,.,1\n`);
    const r = await cli(['estimate', ...model, '--data', f]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ID 1: .* 1 warning \(stderr\)$/m);
    expect(r.err).toContain('the level carries no information');
  });

  it('the W-map example patient: no warning', async () => {
    const r = await cli(['estimate', ...model, '--data', 'examples/map-patient.csv', '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect((JSON.parse(r.out) as { warnings: unknown[] }[])[0]?.warnings).toEqual([]);
  });
});
