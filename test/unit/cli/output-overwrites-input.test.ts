// No command may write an output over one of its own inputs. Before, `simulate --data d.csv --out
// d.csv` replaced the data set with the simulated rows, `vpc --model m.json --out m.json` replaced
// the model with the VPC table and `population --regimen DIR/subjects.csv --out DIR` replaced the
// regimen with the subject table, all with exit 0. Every file a command reads is remembered by its
// real path, and an output that leads there is refused (exit 1) before anything is written; the
// input keeps every byte.

import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DosewiseError } from '../../../src/errors.js';
import { commitTemp, createTemp, forgetInputs, outputFile, rememberInput, writeFileAtomic } from '../../../src/files.js';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-ow-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');
const DATA = 'examples/vpc/data.csv';
const MODEL = 'examples/vpc/model.json';
const DATA_SHA = sha(DATA);
const MODEL_SHA = sha(MODEL);
const noWarnings = (s: string): string => s.replace(/^dosewise: (?:warning: )?.*(?:interpreted|compil|warning).*\n/gm, '');
/** A fresh folder with copies of the VPC example's data set and model. */
function folder(name: string): { dir: string; data: string; model: string } {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(DATA, join(dir, 'data.csv'));
  copyFileSync(MODEL, join(dir, 'model.json'));
  return { dir, data: join(dir, 'data.csv'), model: join(dir, 'model.json') };
}
/** No temporary file of a refused output stays in the folder. */
const noTemps = (dir: string): string[] => readdirSync(dir).filter((f) => f.includes('.tmp-'));

describe('an output that is an input of the same command is refused, the input unchanged', () => {
  it('simulate --out = --data (was: the data set replaced by the simulated rows, exit 0)', async () => {
    const f = folder('sim');
    const r = await cli(['simulate', '--model', f.model, '--data', f.data, '--out', f.data]);
    expect(r.code).toBe(1);
    expect(noWarnings(r.err)).toBe(`dosewise: --out ${f.data}: is the input file ${f.data} (read as the data set): writing would overwrite it; give another path\n`);
    expect(sha(f.data)).toBe(DATA_SHA);
    expect(noTemps(f.dir)).toEqual([]);
  });

  it('simulate --replicates 2 --out = --data (was: replaced by the replicate table)', async () => {
    const f = folder('rep');
    const r = await cli(['simulate', '--model', f.model, '--data', f.data, '--replicates', '2', '--seed', '1', '--out', f.data]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`--out ${f.data}: is the input file ${f.data} (read as the data set): writing would overwrite it`);
    expect(sha(f.data)).toBe(DATA_SHA);
    expect(noTemps(f.dir)).toEqual([]);
  });

  it('simulate --out = --model (was: a model file not named .json replaced by CSV rows)', async () => {
    // a .json --out is refused by simulate as the wrong format; a model file of another name (JSON
    // by its content) was not
    const f = folder('simmodel');
    const model = join(f.dir, 'model.dat');
    copyFileSync(MODEL, model);
    const r = await cli(['simulate', '--model', model, '--data', f.data, '--out', model]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`--out ${model}: is the input file ${model} (read as the model): writing would overwrite it`);
    expect(sha(model)).toBe(MODEL_SHA);
  });

  it('vpc --out = --data and --out = --model (was: the VPC table written over them)', async () => {
    const f = folder('vpc');
    for (const target of [f.data, f.model]) {
      const r = await cli(['vpc', '--model', f.model, '--data', f.data, '--replicates', '5', '--seed', '1', '--no-progress', '--out', target]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`--out ${target}: is the input file ${target} (read as the ${target === f.data ? 'data set' : 'model'}): writing would overwrite it`);
    }
    expect(sha(f.data)).toBe(DATA_SHA);
    expect(sha(f.model)).toBe(MODEL_SHA);
    expect(noTemps(f.dir)).toEqual([]);
  });

  it('an output path that leads to the input through a symbolic link or "..", is refused too', async () => {
    const f = folder('link');
    symlinkSync('data.csv', join(f.dir, 'alias.csv'));
    mkdirSync(join(f.dir, 'sub'));
    for (const out of [join(f.dir, 'alias.csv'), join(f.dir, 'sub', '..', 'data.csv')]) {
      const r = await cli(['simulate', '--model', f.model, '--data', f.data, '--out', out]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`--out ${out}: is the input file ${f.data} (read as the data set)`);
    }
    expect(sha(f.data)).toBe(DATA_SHA);
  });

  it('population --regimen DIR/subjects.csv --out DIR (was: the regimen replaced by the subject table)', async () => {
    const dir = join(tmp, 'pop');
    mkdirSync(dir);
    const regimen = join(dir, 'subjects.csv');
    const rows = ['ID,TIME,AMT,CMT,EVID,MDV,II,ADDL', '1,0,500,1,1,1,12,27', ...[1, 2, 3, 4, 6, 12, 24, 48, 100, 200, 300, 324, 336].map((t) => `1,${t},0,2,0,0,0,0`)];
    writeFileSync(regimen, rows.join('\n') + '\n');
    const before = sha(regimen);
    const r = await cli(['population', '--model', 'examples/wb-population.model.json', '--regimen', regimen, '--n', '10', '--metric', 'trough', '--workers', '0', '--no-progress', '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`dosewise: --out ${dir}: its subjects.csv is the input file ${regimen} (read as the regimen): writing it would overwrite that input; give another folder\n`);
    expect(sha(regimen)).toBe(before);
    // refused before the run: no summary.json and no temporary file were written
    expect(readdirSync(dir)).toEqual(['subjects.csv']);
  });

  it('population --covariates DIR/summary.json --out DIR (was: the covariates replaced by the summary)', async () => {
    const dir = join(tmp, 'cv');
    mkdirSync(dir);
    const cov = join(dir, 'summary.json');
    copyFileSync('examples/design-vancomycin-covariates.json', cov);
    const before = sha(cov);
    const r = await cli(['population', '--model', 'vancomycin_goti_2018', '--covariates', cov, '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--n', '10', '--metric', 'auc24', '--workers', '0', '--no-progress', '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`--out ${dir}: its summary.json is the input file ${cov} (read as the covariates): writing it would overwrite that input; give another folder`);
    expect(sha(cov)).toBe(before);
    expect(readdirSync(dir)).toEqual(['summary.json']);
  });

  it('--report DIR whose report.html is an input is refused before the run', async () => {
    const f = folder('report');
    const data = join(f.dir, 'report.html');
    copyFileSync(DATA, data);
    const r = await cli(['vpc', '--model', f.model, '--data', data, '--replicates', '5', '--seed', '1', '--no-progress', '--report', f.dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`--report ${f.dir}: its report.html is the input file ${data} (read as the data set): writing it would overwrite that input; give another folder`);
    expect(sha(data)).toBe(DATA_SHA);
  });

  it('the inputs are one run\'s: a later run in the same process may write over an earlier run\'s input', async () => {
    const f = folder('scope');
    const other = join(f.dir, 'other.csv');
    copyFileSync(DATA, other);
    expect((await cli(['simulate', '--model', f.model, '--data', other, '--out', join(f.dir, 'a.csv')])).code).toBe(0);
    // other.csv was the input of the run before, not of this one
    const r = await cli(['simulate', '--model', f.model, '--data', f.data, '--out', other]);
    expect(r.code).toBe(0);
    expect(readFileSync(other, 'utf8')).toBe(readFileSync(join(f.dir, 'a.csv'), 'utf8'));
    expect(sha(f.data)).toBe(DATA_SHA);
  });
});

describe('files.ts: the check at commit time is the last guard', () => {
  it('commitTemp refuses a target that is a remembered input, removes the temporary file, keeps the input', () => {
    const f = folder('commit');
    forgetInputs();
    // the output path was checked before the input was read: only the commit can catch it
    const target = outputFile(f.data);
    rememberInput(f.data, 'the data set');
    const t = createTemp(target, f.data);
    writeFileSync(t, 'not the data\n');
    expect(() => commitTemp(t, target, f.data, '--out')).toThrow(DosewiseError);
    expect(() => commitTemp(t, target, f.data, '--out')).toThrow(`--out ${f.data}: is the input file ${f.data} (read as the data set): writing would overwrite it; give another path`);
    expect(sha(f.data)).toBe(DATA_SHA);
    expect(noTemps(f.dir)).toEqual([]);
    expect(() => writeFileAtomic(f.data, 'x')).toThrow(/is the input file/);
    forgetInputs();
    expect(() => outputFile(f.data)).not.toThrow();
  });
});
