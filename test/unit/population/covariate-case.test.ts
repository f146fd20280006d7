// A sampled covariate named like a model input in another case ("Dial" for DIAL) was never read:
// every subject took DIAL's default (0), and strata on "Dial" reported a split nobody simulated
// (27.7 % in the "Dial ≥ 0.5" stratum against 17.8 % with DIAL sampled). Refused, naming it.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-covcase-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('sampled covariates named in another case than the model reads them', () => {
  it('are refused in population and pta, naming the covariate and the name meant', async () => {
    const cov = JSON.parse(readFileSync('examples/design-vancomycin-covariates.json', 'utf8')) as { covariates: Record<string, unknown> };
    const typo = join(tmp, 'cov.json');
    writeFileSync(typo, JSON.stringify({ ...cov, covariates: { ...cov.covariates, Dial: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5] } } }));
    const pta = await cli(['pta', '--model', 'vancomycin_goti_2018', '--covariates', typo, '--regimens', 'examples/design-vancomycin-q12h-1000.json', '--target', 'auc24:400:600', '--n', '200', '--strata', 'Dial:0.5', '--workers', '0', '--no-progress']);
    expect(pta.code).toBe(1);
    expect(pta.err).toMatch(/covariates\.Dial: model .* reads DIAL, and names are case-sensitive: Dial would not be read/);
    const pop = await cli(['population', '--model', 'vancomycin_goti_2018', '--covariates', typo, '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--n', '20', '--metric', 'auc24', '--workers', '0', '--no-progress']);
    expect(pop.code).toBe(1);
    expect(pop.err).toMatch(/covariates\.Dial: .*name it DIAL/);
  });
});

describe('population with a resampled covariate table', () => {
  it('reads the table the entry names (it looked for a top-level field the schema refuses, and failed)', async () => {
    const table = join(tmp, 'demo.csv');
    writeFileSync(table, 'WT,CRCL\n50,20\n80,120\n');
    const spec = join(tmp, 'res.json');
    writeFileSync(spec, JSON.stringify({ covariates: { obs: { resample: table, columns: ['WT', 'CRCL'] } } }));
    const out = join(tmp, 'res-out');
    const r = await cli(['population', '--model', 'vancomycin_goti_2018', '--covariates', spec, '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--n', '40', '--metric', 'auc24', '--out', out, '--workers', '0', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    const rows = readFileSync(join(out, 'subjects.csv'), 'utf8').trim().split('\n');
    const head = (rows[0] as string).split(',');
    const pairs = new Set(rows.slice(1).map((l) => { const c = l.split(','); return `${c[head.indexOf('WT')]}|${c[head.indexOf('CRCL')]}`; }));
    // every subject is one of the table's rows, both rows drawn
    expect([...pairs].sort()).toEqual(['50|20', '80|120']);
  });
});

describe("a resampled table's path", () => {
  it("is read beside the covariate file, not from the working directory (another folder's demo.csv was resampled)", async () => {
    const study = join(tmp, 'study');
    mkdirSync(study, { recursive: true });
    writeFileSync(join(study, 'demo.csv'), 'WT,CRCL\n50,20\n70,60\n');
    const spec = join(study, 'cov.json');
    writeFileSync(spec, JSON.stringify({ covariates: { obs: { resample: 'demo.csv', columns: ['WT', 'CRCL'] } } }));
    const out = join(tmp, 'beside-out');
    const r = await cli(['population', '--model', 'vancomycin_goti_2018', '--covariates', spec, '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--n', '30', '--metric', 'auc24', '--out', out, '--workers', '0', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    const rows = readFileSync(join(out, 'subjects.csv'), 'utf8').trim().split('\n');
    const wt = (rows[0] as string).split(',').indexOf('WT');
    expect(new Set(rows.slice(1).map((l) => l.split(',')[wt]))).toEqual(new Set(['50', '70']));
    // a path written from the working directory, which the folder does not hold: refused with the path to write
    const cwdSpec = join(study, 'cwd.json');
    writeFileSync(cwdSpec, JSON.stringify({ covariates: { obs: { resample: 'examples/design-vancomycin-covariates.json', columns: ['WT'] } } }));
    const c = await cli(['population', '--model', 'vancomycin_goti_2018', '--covariates', cwdSpec, '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--n', '5', '--workers', '0', '--no-progress']);
    expect(c.code).toBe(1);
    expect(c.err).toMatch(/cwd\.json: resample examples\/design-vancomycin-covariates\.json: a table is read from the covariate file's folder .*write its path relative to that folder: \.\.\//);
  });
});

describe('a covariate sampled and written in the regimen', () => {
  it('is refused: the sampled value replaced the regimen\'s without a word', async () => {
    const regimen = join(tmp, 'crcl30.csv');
    writeFileSync(regimen, 'ID,TIME,EVID,AMT,RATE,II,ADDL,CRCL\n1,0,1,1000,1000,12,7,30\n1,96,0,.,.,.,.,30\n');
    const r = await cli(['population', '--model', 'vancomycin_goti_2018', '--covariates', 'examples/design-vancomycin-covariates.json', '--regimen', regimen, '--n', '20', '--metric', 'auc24', '--workers', '0', '--no-progress']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/crcl30\.csv, row 1, column CRCL: CRCL is also sampled by the covariate file/);
    const p = await cli(['pta', '--model', 'vancomycin_goti_2018', '--covariates', 'examples/design-vancomycin-covariates.json', '--regimens', regimen, '--target', 'auc24:400:600', '--n', '20', '--workers', '0', '--no-progress']);
    expect(p.code).toBe(1);
    expect(p.err).toMatch(/crcl30\.csv, row 1, column CRCL: CRCL is also sampled/);
  });
});

describe('a regimen column named like a model covariate in another case', () => {
  it('is refused in population and pta (wt for WT: every subject took the default WT)', async () => {
    const model = join(tmp, 'wt.json');
    writeFileSync(model, JSON.stringify({ dosewise: 2, name: 'wt', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: '5*(WT/70)^0.75*exp(ETA_CL)', V: 50 }, covariates: { WT: { unit: 'kg', default: 70 } }, omega: { etas: ['ETA_CL'], diagonal: [0.09] } }));
    const regimen = join(tmp, 'wt.csv');
    writeFileSync(regimen, 'ID,TIME,EVID,AMT,RATE,II,ADDL,wt\n1,0,1,1000,1000,12,7,100\n1,96,0,.,.,.,.,100\n');
    const pop = await cli(['population', '--model', model, '--regimen', regimen, '--n', '3', '--metric', 'auc24', '--workers', '0', '--no-progress']);
    expect(pop.code).toBe(1);
    expect(pop.err).toMatch(/wt\.csv, row 1, column wt: model wt reads WT, and names are case-sensitive/);
    const pta = await cli(['pta', '--model', model, '--regimens', regimen, '--target', 'auc24:300:500', '--n', '20', '--workers', '0', '--no-progress']);
    expect(pta.code).toBe(1);
    expect(pta.err).toMatch(/column wt: model wt reads WT/);
  });
});
