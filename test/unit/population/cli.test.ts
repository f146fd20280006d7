// dosewise population / merge through the CLI: shard outputs merged equal one run's outputs,
// CSV and Arrow tables, atomic files, errors for bad arguments.

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/main.js';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-pop-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const quiet = () => undefined;
const base = ['node', 'dosewise', 'population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json',
  '--n', '3000', '--seed', 'shards', '--metric', 'auc24', '--metric', 'cmax', '--window', 'auc24=150:250', '--workers', '0', '--chunk-size', '700', '--no-progress'];

describe('population CLI', () => {
  it('2 shards merged = 1 run (summary and subject table)', async () => {
    expect(await run([...base, '--out', join(tmp, 'one')], quiet)).toBe(0);
    expect(await run([...base, '--shard', '1/2', '--out', join(tmp, 's1')], quiet)).toBe(0);
    expect(await run([...base, '--shard', '2/2', '--out', join(tmp, 's2')], quiet)).toBe(0);
    expect(await run(['node', 'dosewise', 'merge', join(tmp, 's2'), join(tmp, 's1'), '--out', join(tmp, 'merged')], quiet)).toBe(0);
    const one = JSON.parse(readFileSync(join(tmp, 'one', 'summary.json'), 'utf8'));
    const merged = JSON.parse(readFileSync(join(tmp, 'merged', 'summary.json'), 'utf8'));
    expect(merged.count).toBe(3000);
    for (let j = 0; j < 2; j++) {
      const a = one.metrics[j].report;
      const b = merged.metrics[j].report;
      expect([b.n, b.mean, b.sd, b.fracBelow, b.fracIn, b.fracAbove, b.p05, b.p50, b.p95]).toEqual([a.n, a.mean, a.sd, a.fracBelow, a.fracIn, a.fracAbove, a.p05, a.p50, a.p95]);
    }
    expect(readFileSync(join(tmp, 'merged', 'subjects.csv'), 'utf8')).toBe(readFileSync(join(tmp, 'one', 'subjects.csv'), 'utf8'));
    // nothing temporary left behind
    expect(readdirSync(join(tmp, 'one')).sort()).toEqual(['subjects.csv', 'summary.json']);
  }, 60_000);

  it('every subject failing is an error (exit 1), not a table of blanks with exit 0; so is a PTA with no subject left', async () => {
    // CL = 0 below age 40: no steady state for anybody aged 18–39
    const model = join(tmp, 'young.model.json');
    writeFileSync(model, JSON.stringify({ dosewise: 2, name: 'no-cl-young', structure: '1cmt-iv', theta: { TVCL: 5, TVV: 50 }, parameters: { CL: 'TVCL*max(AGE-40,0)/40*exp(ETA_CL)', V: 'TVV' }, omega: { etas: ['ETA_CL'], diagonal: [0.09] }, residual: { model: 'proportional', proportional: 0.1 }, covariates: { AGE: { unit: 'years' } } }));
    const cov = join(tmp, 'young.cov.json');
    writeFileSync(cov, JSON.stringify({ covariates: { AGE: { dist: 'uniform', lower: 18, upper: 39 } } }));
    const reg = join(tmp, 'ss.json');
    writeFileSync(reg, JSON.stringify({ doses: [{ time: 0, amt: 1000, dur: 1, ii: 12, ss: 1, addl: 1 }], observe: [{ grid: { from: 0, to: 24, step: 1 } }] }));
    let out = '';
    const err: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
    try {
      expect(await run(['node', 'dosewise', 'population', '--model', model, '--regimen', reg, '--covariates', cov, '--n', '20', '--metric', 'auc24', '--window', 'auc24=300:500', '--workers', '0', '--no-progress'], (s) => (out += s))).toBe(1);
      expect(out).not.toMatch(/NaN/);
      expect(await run(['node', 'dosewise', 'pta', '--model', model, '--regimens', reg, '--covariates', cov, '--n', '20', '--target', 'auc24:300:500', '--workers', '0', '--no-progress'], quiet)).toBe(1);
    } finally {
      process.stderr.write = write;
    }
    expect(err.join('')).toMatch(/every simulation failed \(20 of 20 subjects\)/);
    expect(err.join('')).toMatch(/every simulation of ss failed \(20 subjects\)/);
  }, 60_000);

  it('shards with no subject, first or later, write a table of no row (the CSV header, the Arrow schema); merged, the single run', async () => {
    const two = ['node', 'dosewise', 'population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json', '--n', '2', '--metric', 'auc24', '--workers', '0', '--no-progress'];
    for (const format of ['csv', 'arrow']) {
      // 2 subjects over 5 shards: three are empty, among them shards after a full one (a later empty
      // shard wrote a blank line after its header, which merge read as a row; in Arrow it crashed)
      const shards = [1, 2, 3, 4, 5];
      for (const i of shards) expect(await run([...two, '--shard', `${i}/5`, '--format', format, '--out', join(tmp, `e${format}${i}`)], quiet)).toBe(0);
      expect(await run([...two, '--format', format, '--out', join(tmp, `e${format}one`)], quiet)).toBe(0);
      const empty = readFileSync(join(tmp, `e${format}1`, `subjects.${format}`));
      if (format === 'csv') expect(empty.toString()).toBe('ID,ETA_CL,ETA_V,ETA_KA,CL,V,KA,auc24,STATUS\n');
      else expect(tableFromIPC(empty).numRows).toBe(0);
      for (const i of shards) {
        const t = readFileSync(join(tmp, `e${format}${i}`, `subjects.${format}`));
        if (format === 'csv') expect(t.toString()).not.toMatch(/\n\n/);
      }
      expect(await run(['node', 'dosewise', 'merge', ...shards.map((i) => join(tmp, `e${format}${i}`)), '--out', join(tmp, `e${format}m`)], quiet)).toBe(0);
      const rows = (f: string): unknown => (format === 'csv' ? readFileSync(f, 'utf8') : tableFromIPC(readFileSync(f)).toArray().map((r) => JSON.stringify(r)));
      expect(rows(join(tmp, `e${format}m`, `subjects.${format}`))).toEqual(rows(join(tmp, `e${format}one`, `subjects.${format}`)));
    }
  });

  it('Arrow table has the same rows as the CSV', async () => {
    expect(await run([...base, '--format', 'arrow', '--out', join(tmp, 'arrow')], quiet)).toBe(0);
    const t = tableFromIPC(readFileSync(join(tmp, 'arrow', 'subjects.arrow')));
    expect(t.numRows).toBe(3000);
    const csv = readFileSync(join(tmp, 'one', 'subjects.csv'), 'utf8').trim().split('\n');
    const header = (csv[0] as string).split(',');
    const row7 = (csv[8] as string).split(',').map(Number);
    header.forEach((h, i) => expect(Number(t.getChild(h)!.get(7))).toBe(row7[i]));
  }, 60_000);

  it('bad arguments exit 2 with the option named', async () => {
    const errs: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (errs.push(s), true)) as typeof process.stderr.write;
    try {
      expect(await run([...base.slice(0, 7), '--n', '100', '--shard', '3/2'], quiet)).toBe(2);
      expect(await run([...base.slice(0, 7), '--n', '100', '--metric', 'bogus'], quiet)).toBe(2);
      // the level before an SS=1 dose with nothing before it is the empty state, not a trough
      const fixed = ['node', 'dosewise', 'population', '--model', 'examples/fixed-dose/model.json', '--regimen', 'examples/fixed-dose/regimen.json', '--n', '10', '--workers', '0', '--no-progress'];
      expect(await run([...fixed, '--metric', 'conc@0'], quiet)).toBe(2);
    } finally {
      process.stderr.write = orig;
    }
    expect(errs.join('')).toMatch(/--shard 3\/2/);
    expect(errs.join('')).toMatch(/metric bogus: unknown/);
    expect(errs.join('')).toMatch(/--metric conc@0: at 0 h an SS=1 dose resets the state.*\(conc@24 or trough\)/);
  });

  it('refuses a metric given twice and a second window for one metric (each counted twice / replaced without a word)', async () => {
    const short = [...base.slice(2, 7), '--n', '100', '--workers', '0', '--no-progress'];
    const err = async (args: string[]): Promise<string> => {
      const r = await cli([...short, ...args]);
      expect(r.code).toBe(2);
      return r.err;
    };
    expect(await err(['--metric', 'auc24', '--metric', 'cmax', '--metric', 'auc24'])).toMatch(/--metric auc24: given twice/);
    expect(await err(['--metric', 'auc24', '--metric', 'cmax', '--window', '300:500', '--window', '20:30'])).toMatch(/--window 20:30: auc24 already has the window 300:500 \(a window without METRIC= is the first metric's, auc24\)/);
    expect(await err(['--metric', 'auc24', '--window', 'auc24=1:2', '--window', 'auc24=300:500'])).toMatch(/--window auc24=300:500: auc24 already has the window 1:2;/);
    expect(await err(['--metric', 'tabove:10:6'])).toMatch(/metric tabove:10:6: use tabove:C \(the whole profile\) or tabove:C:T0:T1/);
  });

  it('says a trough window ending off a dose is no trough; refuses an Arrow table without --out', async () => {
    const short = [...base.slice(2, 7), '--n', '20', '--workers', '0', '--no-progress'];
    const troughs = await cli([...short, '--metric', 'trough:0:100', '--metric', 'trough:0:96']);
    expect(troughs.code).toBe(0);
    expect(troughs.err).toContain('metric trough:0:100: no dose at 100 h, so it is the level at 100 h, not a trough');
    expect(troughs.err).not.toContain('metric trough:0:96: no dose');
    const arrow = await cli([...short, '--format', 'arrow']);
    expect(arrow.code).toBe(2);
    expect(arrow.err).toContain('--format arrow: the subject table is written to --out DIR');
  });

  it('auc24 is the daily AUC whatever the interval: q48h at steady state gives AUCτ·24/48 (closed form dose/CL/2)', async () => {
    // 1-cmt IV, CL 5 L/h, V 50 L, no variability: at steady state AUCτ = dose/CL whatever the infusion
    const model = join(tmp, 'iv.json');
    writeFileSync(model, JSON.stringify({ dosewise: 2, name: 'iv', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: '5*exp(ETA_CL)', V: 50 }, omega: { etas: ['ETA_CL'], diagonal: [1e-12] } }));
    const daily = async (ii: number, to: number): Promise<number> => {
      const regimen = join(tmp, `r${ii}.json`);
      writeFileSync(regimen, JSON.stringify({ doses: [{ time: 0, amt: 5000, cmt: 1, dur: 1, ii, ss: 1 }], observe: [{ grid: { from: 0, to, step: 0.5 } }] }));
      let out = '';
      expect(await run(['node', 'dosewise', 'population', '--model', model, '--regimen', regimen, '--n', '4', '--metric', 'auc24', '--workers', '0', '--no-progress', '--json'], (x) => void (out += x))).toBe(0);
      return JSON.parse(out).metrics[0].report.mean as number;
    };
    // q48h observed over one interval: the last 24 h of it held 17 % of the daily AUC before
    expect(Math.abs((await daily(48, 48)) / 500 - 1)).toBeLessThan(2e-3);
    // q36h: 24 h would cut an interval; q8h: one SS=1 dose observed over 24 h (its interval × 3)
    expect(Math.abs((await daily(36, 36)) / ((1000 * 24) / 36) - 1)).toBeLessThan(2e-3);
    expect(Math.abs((await daily(8, 24)) / 3000 - 1)).toBeLessThan(2e-3);
  });
});
