// Output edges: a temporary file left by Ctrl-C or SIGTERM early in a run, vpc
// --out - printing the text table instead of the CSV, --out DIR/ written as a file named DIR, and a
// UTF-8 byte-order mark refused at the start of JSON inputs and model texts.

import fs, { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { outputFile } from '../../../src/files.js';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-edges-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const BOM = '\uFEFF';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const noWarnings = (s: string): string => s.replace(/^dosewise: warning: .*\n/gm, '');

/**
 * Fresh instances of files.ts and the table writer: removeTempFiles() is what the SIGTERM, SIGHUP
 * and closed-pipe handlers run on the way out, after which no temporary file may be created, so
 * each test that runs it needs its own module state.
 */
async function fresh(): Promise<{ files: typeof import('../../../src/files.js'); output: typeof import('../../../src/population/output.js') }> {
  vi.resetModules();
  const files = await import('../../../src/files.js');
  const output = await import('../../../src/population/output.js');
  return { files, output };
}

function folder(name: string): string {
  const d = join(tmp, name);
  mkdirSync(d, { recursive: true });
  return d;
}

const VPC = ['vpc', '--model', 'examples/vpc/model.json', '--data', 'examples/vpc/data.csv', '--replicates', '20', '--seed', '3', '--workers', '0', '--no-progress'];

describe('vpc --out -', () => {
  it('prints the same CSV bytes as --out FILE.csv (before: the text table, headed by the model name)', async () => {
    const file = join(tmp, 'vpc.csv');
    const toFile = await cli([...VPC, '--out', file]);
    expect(toFile.code).toBe(0);
    const report = join(tmp, 'vpc-report');
    const dash = await cli([...VPC, '--out', '-', '--report', report]);
    expect(dash.code).toBe(0);
    // the report's path goes to stderr, as with --json: standard output holds the CSV alone
    expect(dash.err).toContain(`report: ${join(report, 'report.html')}`);
    expect(dash.out).toBe(readFileSync(file, 'utf8'));
    // the example has an LLOQ column: the fractions below it are columns of the CSV
    expect(dash.out.split('\n')[0]).toBe('bin,lo,hi,x,n,p,observed,sim_median,sim_lo,sim_hi,blq_observed,blq_sim_median,blq_sim_lo,blq_sim_hi');
    // the CSV alone: no "wrote" line, no table
    expect(dash.out).not.toMatch(/VPC of|wrote/);
  });

  it('with --json is refused before the run: both would go to standard output', async () => {
    const r = await cli([...VPC, '--out', '-', '--json']);
    expect(r.code).toBe(2);
    expect(noWarnings(r.err)).toMatch(/^dosewise: --json with --out -: /);
    expect(r.out).toBe('');
  });
});

describe('an --out path ending in "/" names a folder', () => {
  const data = join(tmp, 's.csv');
  writeFileSync(data, 'ID,TIME,EVID,AMT,CMT\n1,0,1,100,1\n1,5,0,0,1\n');

  it('simulate --out DIR/ is refused, naming --out and the path (before: exit 0, a FILE named DIR)', async () => {
    const out = join(tmp, 'results') + '/';
    const r = await cli(['simulate', '--model', '1cmt-iv', '--data', data, '--out', out]);
    expect(r.code).toBe(1);
    expect(noWarnings(r.err)).toBe(`dosewise: --out ${out}: ends in "/", so it names a folder, but this output is one file: give a file path, or - for standard output\n`);
    expect(existsSync(join(tmp, 'results'))).toBe(false);
  });

  it('simulate --replicates --out DIR/ and vpc --out DIR/ are refused the same way, before any work', async () => {
    const out = join(tmp, 'reps') + '/';
    let r = await cli(['simulate', '--model', 'examples/vpc/model.json', '--data', 'examples/vpc/data.csv', '--replicates', '2', '--workers', '0', '--no-progress', '--out', out]);
    expect(r.code).toBe(1);
    expect(noWarnings(r.err)).toMatch(new RegExp(`^dosewise: --out ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ends in "/", so it names a folder`));
    r = await cli([...VPC, '--out', out]);
    expect(r.code).toBe(1);
    expect(noWarnings(r.err)).toMatch(/--out .*reps\/: ends in "\/", so it names a folder/);
    expect(existsSync(join(tmp, 'reps'))).toBe(false);
  });

  it('a path whose last part is "." or ".." names a folder too; a folder output takes DIR/', async () => {
    expect(() => outputFile(join(tmp, 'nothere') + '/.')).toThrow(/nothere\/\.: ends in "\.", so it names a folder/);
    expect(() => outputFile('x/..')).toThrow(/ends in "\.\."/);
    const dir = join(tmp, 'P') + '/';
    const r = await cli(['population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json', '--n', '20', '--workers', '0', '--no-progress', '--out', dir]);
    expect(r.code).toBe(0);
    expect(statSync(join(tmp, 'P')).isDirectory()).toBe(true);
    expect(readdirSync(join(tmp, 'P')).sort()).toEqual(['subjects.csv', 'summary.json']);
  });
});

describe('a UTF-8 byte-order mark at the start of a JSON input or a model text', () => {
  const withBom = (from: string, name: string): string => {
    const p = join(tmp, name);
    writeFileSync(p, BOM + readFileSync(from, 'utf8'));
    return p;
  };

  it('a model JSON with a BOM gives what the file without it gives (before: exit 1, Unexpected token)', async () => {
    const plain = await cli(['estimate', '--model', 'examples/map-wmap.model.json', '--data', 'examples/map-patient.csv']);
    const bom = await cli(['estimate', '--model', withBom('examples/map-wmap.model.json', 'bom.model.json'), '--data', 'examples/map-patient.csv']);
    expect(plain.code).toBe(0);
    expect(bom.code).toBe(0);
    expect(bom.out).toBe(plain.out);
  });

  it('a model text with a BOM gives what the text without it gives (before: unexpected character at line 1)', async () => {
    const plain = await cli(['simulate', '--model', 'examples/user-models/tmdd.model', '--data', 'examples/map-patient.csv']);
    const bom = await cli(['simulate', '--model', withBom('examples/user-models/tmdd.model', 'bom-tmdd.model'), '--data', 'examples/map-patient.csv']);
    expect(plain.code).toBe(0);
    expect(bom.code).toBe(0);
    expect(bom.out).toBe(plain.out);
  });

  it('regimen, covariates and effects JSON with a BOM are read (before: each refused at line 1, column 1)', async () => {
    const POP = ['population', '--model', 'examples/wb-population.model.json', '--n', '20', '--workers', '0', '--no-progress', '--json'];
    const plain = await cli([...POP, '--regimen', 'examples/wb-regimen.json']);
    const bom = await cli([...POP, '--regimen', withBom('examples/wb-regimen.json', 'bom-regimen.json')]);
    expect(bom.code).toBe(0);
    expect(JSON.parse(bom.out).metrics).toEqual(JSON.parse(plain.out).metrics);
    const cov = ['pta', '--model', 'vancomycin_goti_2018', '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--target', 'auc24:400:600', '--n', '50', '--workers', '0', '--no-progress'];
    const covPlain = await cli([...cov, '--covariates', 'examples/design-vancomycin-covariates.json']);
    const covBom = await cli([...cov, '--covariates', withBom('examples/design-vancomycin-covariates.json', 'bom-cov.json')]);
    expect(covPlain.code).toBe(0);
    expect(covBom.code).toBe(0);
    const untimed = (t: string): string => t.replace(/ in [\d.]+ s/, '');
    expect(untimed(covBom.out)).toBe(untimed(covPlain.out));
    const eff = await cli(['relevance', '--effects', withBom('examples/relevance-effects.json', 'bom-eff.json'), '--band', '0.8:1.25']);
    const effPlain = await cli(['relevance', '--effects', 'examples/relevance-effects.json', '--band', '0.8:1.25']);
    expect(eff.code).toBe(0);
    expect(eff.out).toBe(effPlain.out);
  });

  it('errors after a BOM name the line and column an editor shows', async () => {
    // "CL": 4.5, with the comma missing: line 3, column 3 of the text without the mark, where the
    // scanner meets the next key; with the mark counted as a character, JSON.parse refused line 1
    const bad = join(tmp, 'bad-bom.json');
    writeFileSync(bad, `${BOM}{\n  "doses": [{ "time": 0, "amt": 100 }]\n  "observe": [1]\n}\n`);
    const r = await cli(['population', '--model', 'examples/wb-population.model.json', '--regimen', bad, '--n', '5', '--workers', '0', '--no-progress']);
    expect(r.code).toBe(1);
    expect(noWarnings(r.err)).toMatch(new RegExp(`^dosewise: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, line 3, column 3: not valid JSON`));
    // a model text whose line 2 has an unknown character at column 7 (a "$")
    const text = join(tmp, 'bad-bom.model');
    writeFileSync(text, `${BOM}model "x"\ntheta $ = 1\n`);
    const m = await cli(['simulate', '--model', text, '--data', 'examples/map-patient.csv']);
    expect(m.code).toBe(1);
    // the excerpt shows the line as an editor does, the mark not counted as column 1 of line 1
    expect(noWarnings(m.err)).toBe(`dosewise: ${text}:2:7: unexpected character "$"\n  2 | theta $ = 1\n    |       ^\n`);
  });
});

// Last in this file: fresh() resets the module registry, after which a command's lazily imported
// modules would throw another DosewiseError class than main.ts catches (exit 3 instead of 1).
describe('temporary files on Ctrl-C and SIGTERM', () => {
  it('a cancel right after the table writer is made leaves no file (before: rep.csv.tmp-PID-1, 0 bytes, stayed)', async () => {
    const dir = folder('abort');
    const { output } = await fresh();
    const w = new output.TableWriter(join(dir, 'rep.csv'), 'csv');
    // the temporary file exists from the start: the cleanup below has something to remove (the
    // stream opened it later, on the thread pool, after abort() had removed nothing)
    expect(readdirSync(dir)).toHaveLength(1);
    w.abort();
    await sleep(100);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('SIGTERM before a slow open completes leaves no file (before: the file was created after the cleanup)', async () => {
    const dir = folder('sigterm');
    const { files, output } = await fresh();
    // a busy thread pool: every asynchronous open completes 30 ms late, as it can under load
    // (streams call fs.open on this very object). Before, that open created the file after the
    // cleanup; now the file is created before it, synchronously, and the late open ('r+') fails
    const realOpen = fs.open;
    fs.open = ((...args: Parameters<typeof fs.open>) => void setTimeout(() => (realOpen as (...a: unknown[]) => void)(...args), 30)) as typeof fs.open;
    try {
      new output.TableWriter(join(dir, 'subjects.csv'), 'csv');
      // what main.ts's SIGTERM handler runs before process.exit
      files.removeTempFiles();
      await sleep(150);
    } finally {
      fs.open = realOpen;
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('after the cleanup, no temporary file is created: the writer is refused, naming the path (before: created, and left)', async () => {
    const dir = folder('after');
    const { files, output } = await fresh();
    files.removeTempFiles();
    const target = join(dir, 'rep.csv');
    expect(() => new output.TableWriter(target, 'csv')).toThrow(expect.objectContaining({ code: 'E_IO', message: expect.stringContaining(`${target}: not written: dosewise is stopping`) }));
    expect(() => files.writeFileAtomic(join(dir, 'summary.json'), '{}\n')).toThrow(/dosewise is stopping/);
    await sleep(50);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a table written to the end is still renamed into place, nothing else left', async () => {
    const dir = folder('commit');
    const { output } = await fresh();
    const w = new output.TableWriter(join(dir, 't.csv'), 'csv');
    await w.writeCsv('ID,X\n1,2\n');
    await w.commit();
    expect(readdirSync(dir)).toEqual(['t.csv']);
    expect(readFileSync(join(dir, 't.csv'), 'utf8')).toBe('ID,X\n1,2\n');
    // "ID,X\n1,2\n" is 9 bytes: the stream's 'r+' open of the file created up front loses nothing
    expect(w.record.bytes).toBe(9);
    expect(statSync(join(dir, 't.csv')).size).toBe(9);
  });
});
