// An input read twice is empty the second time when it is a pipe: forecast read --regimen with
// readRegimenFile and again for its clock (future-clock.ts), and --data in patients() and again
// there, so `cat late_fut.csv | dosewise forecast ... --regimen /dev/stdin` said "/dev/stdin:
// required column ID is missing" (exit 1); --model /dev/stdin was read to tell JSON from a model
// text, then read again. Each is read once now. The pipe is a FIFO whose writer gives the text
// once and then an empty text to any second reader (as a spent pipe does), never blocking it.

import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { parseRegimenText } from '../../../src/cli/io.js';

const FIX = 'test/fixtures/renal-unit';
const tmp = mkdtempSync(join(tmpdir(), 'dosewise-pipe-'));
const writers: ChildProcess[] = [];
afterAll(() => {
  for (const w of writers) w.kill();
  rmSync(tmp, { recursive: true, force: true });
});

let n = 0;
/** A FIFO that gives `file`'s text to its first reader and nothing to a second one. */
function pipeOf(file: string): string {
  const fifo = join(tmp, `pipe${++n}`);
  const copy = join(tmp, `text${n}`);
  writeFileSync(copy, readFileSync(file));
  execFileSync('mkfifo', [fifo]);
  // the second open for writing waits for a second reader; killed after the tests
  writers.push(spawn('sh', ['-c', 'cat "$1" > "$2"; : > "$2"', 'sh', copy, fifo], { stdio: 'ignore' }));
  return fifo;
}

const FORECAST = ['forecast', '--model', 'vancomycin_goti_2018', '--metric', 'auc24', '--draws', '20', '--seed', '1', '--json'];
const auc = (out: string): number => (JSON.parse(out) as { metrics: { auc24: { mode: number } } }[])[0]?.metrics.auc24.mode as number;

// DIAL is not in these files: every run says so (W_COVARIATE_DEFAULT), the rest of stderr is checked
const withoutDefaulted = (err: string): string => err.split('\n').filter((l) => !l.includes('W_COVARIATE_DEFAULT: ')).join('\n');

describe('inputs on a pipe are read once', () => {
  it('forecast --regimen and --data on pipes give what the files give', async () => {
    const file = await cli([...FORECAST, '--data', `${FIX}/late.csv`, '--regimen', `${FIX}/late_fut.csv`]);
    expect(file.code).toBe(0);
    const reg = await cli([...FORECAST, '--data', `${FIX}/late.csv`, '--regimen', pipeOf(`${FIX}/late_fut.csv`)]);
    expect(withoutDefaulted(reg.err)).toBe('');
    expect(reg.code).toBe(0);
    // measured: 654.904 every way (the same records)
    expect(auc(reg.out)).toBe(auc(file.out));
    const data = await cli([...FORECAST, '--data', pipeOf(`${FIX}/late.csv`), '--regimen', pipeOf(`${FIX}/late_fut.csv`)]);
    expect(withoutDefaulted(data.err)).toBe('');
    expect(auc(data.out)).toBe(auc(file.out));
  });

  it('--model on a pipe (JSON, told apart from a model text by its content)', async () => {
    const r = await cli(['simulate', '--model', pipeOf('models/vancomycin_goti_2018.json'), '--data', `${FIX}/late.csv`]);
    expect(withoutDefaulted(r.err)).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('ID,DATE,TIME,EVID,AMT,RATE,II,DV,MDV,WT,CRCL,IPRED,A1,A2');
  });

  // a JSON regimen was told by its .json name alone: /dev/stdin or <(cat fut.json) was read as CSV
  // ("required column ID is missing"); its content tells now, as --model's does
  it('forecast --regimen: a JSON regimen on a pipe (no .json name) gives what the file gives', async () => {
    const args = ['forecast', '--model', 'examples/map-wmap.model.json', '--data', 'examples/map-patient.csv', '--metric', 'auc24', '--draws', '20', '--seed', '1', '--json'];
    const file = await cli([...args, '--regimen', 'examples/map-future.json']);
    expect(file.code, file.err).toBe(0);
    const pipe = await cli([...args, '--regimen', pipeOf('examples/map-future.json')]);
    expect(pipe.code, pipe.err).toBe(0);
    expect(pipe.err).toBe(file.err);
    // the same records: the same forecast to the last bit (AUC24 mode measured 364.753)
    expect(JSON.parse(pipe.out)).toEqual(JSON.parse(file.out));
  });

  it('a regimen text is JSON where it starts with { or [, else CSV, unless its name says', () => {
    const json = readFileSync('examples/map-future.json', 'utf8');
    expect(parseRegimenText(`\n  ${json}`, '/dev/fd/63')).toEqual(parseRegimenText(json, 'examples/map-future.json'));
    const csv = 'ID,TIME,EVID,AMT,DV,MDV\n1,0,1,100,.,1\n';
    expect(parseRegimenText(csv, '/dev/stdin')).toEqual(parseRegimenText(csv, 'r.csv'));
  });
});
