// `-` as an input is standard input, as it is standard output for outputs: `--data -`,
// `--regimen -` and `--model -` were read as files named "-" ("-: cannot read (no such file,
// ENOENT)") where /dev/stdin worked. Standard input is read by one input only: a command given `-`
// twice is refused naming both, where a second reader would find it spent. The process
// (bin/dosewise.js, dist/: these tests need the build) is given the text on its standard input.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const FIX = 'test/fixtures/renal-unit';
const run = (args: string[], input: string): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, ['bin/dosewise.js', ...args], { input, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const FORECAST = ['forecast', '--model', 'vancomycin_goti_2018', '--metric', 'auc24', '--draws', '20', '--seed', '1', '--json'];
const auc = (out: string): number => (JSON.parse(out) as { metrics: { auc24: { mode: number } } }[])[0]?.metrics.auc24.mode as number;
const data = readFileSync(`${FIX}/late.csv`, 'utf8');
const future = readFileSync(`${FIX}/late_fut.csv`, 'utf8');

describe('- as an input reads standard input', () => {
  it('forecast --data - and --regimen - give what the files give', () => {
    const files = run([...FORECAST, '--data', `${FIX}/late.csv`, '--regimen', `${FIX}/late_fut.csv`], '');
    expect(files.code, files.err).toBe(0);
    const d = run([...FORECAST, '--data', '-', '--regimen', `${FIX}/late_fut.csv`], data);
    expect(d.code, d.err).toBe(0);
    expect(auc(d.out)).toBe(auc(files.out));
    const r = run([...FORECAST, '--data', `${FIX}/late.csv`, '--regimen', '-'], future);
    expect(r.code, r.err).toBe(0);
    expect(auc(r.out)).toBe(auc(files.out));
  });

  it('--model - (JSON, told from a model text by its content)', () => {
    const r = run(['simulate', '--model', '-', '--data', `${FIX}/late.csv`], readFileSync('models/vancomycin_goti_2018.json', 'utf8'));
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n')[0]).toBe('ID,DATE,TIME,EVID,AMT,RATE,II,DV,MDV,WT,CRCL,IPRED,A1,A2');
  });

  it('two inputs from - are refused, naming both', () => {
    const r = run([...FORECAST, '--data', '-', '--regimen', '-'], data);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/^dosewise: -: standard input is read once, and the regimen was read from it: give the data set as a file\n$/);
    expect(r.out).toBe('');
  });
});
