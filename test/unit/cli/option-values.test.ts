// Impossible option values are refused before any work: a usage error (exit 2) or, for a file's
// content, bad input (exit 1), whose message names the option (or file and field) and the value;
// never a stack trace, a crash or a silent 0. The solver options --method, --rtol and --atol are
// accepted by every command that solves, and --rtol/--atol change a population's numbers as the
// tolerance says against the closed form.

import { availableParallelism } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cli } from './run-cli.js';
import { workersArg } from '../../../src/cli/args.js';
import { parseStrata } from '../../../src/design/pta/attainment.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-options-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, content: unknown): string => {
  const f = join(tmp, name);
  writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
};

const sim = ['simulate', '--model', 'test/conformance/dosing-1001.model.json', '--data', 'test/conformance/nmtests/dosing-1001.csv'];
const pop = ['population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json', '--n', '10', '--workers', '0', '--no-progress'];
const map = ['--model', 'examples/map-wmap.model.json', '--data', 'examples/map-patient.csv', '--no-progress'];
const nomo = ['nomogram', '--model', 'vancomycin_goti_2018', '--target', 'auc24=500', '--interval', '12', '--infusion', '1', '--grid', 'CRCL=30:150:60', '--set', 'WT=70'];
const opt = ['optimize', ...map, '--target', 'auc24:400:600', '--doses', '500:1500:500', '--intervals', '12', '--draws', '50'];
const band = ['band', '--model', 'vancomycin_goti_2018', '--covariates', 'examples/design-vancomycin-covariates.json', '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--target', 'auc24:400:600', '--by', 'CRCL', '--doses', '500,1000', '--n', '10', '--workers', '0'];

/** [what, argv, exit code, stderr must match]. */
const BAD: [string, string[], number, RegExp][] = [
  ['--rtol -1', [...sim, '--rtol', '-1'], 2, /--rtol -1: expected a relative tolerance from 1e-14 to 0\.1/],
  ['--rtol 0 --atol 0', [...sim, '--rtol', '0', '--atol', '0'], 2, /--rtol 0: expected a relative tolerance/],
  ['--atol 0', [...sim, '--atol', '0'], 2, /--atol 0: expected an absolute tolerance > 0/],
  ['population --rtol 2', [...pop, '--rtol', '2'], 2, /--rtol 2: expected a relative tolerance/],
  ['--param FOO=3 (simulate)', [...sim, '--param', 'FOO=3'], 2, /--param FOO=3: model nmtests dosing 1001 has no parameter or data item FOO \(parameters: .*CL.*; data items: .*LAGT/],
  ['--param FOO=3 (estimate)', ['estimate', ...map, '--param', 'FOO=3'], 2, /--param FOO=3: model .* has no parameter or data item FOO/],
  ['nomogram --set FOO=1', [...nomo, '--set', 'FOO=1'], 2, /--set FOO=1: model vancomycin_goti_2018 has no parameter or data item FOO/],
  ['nomogram --grid FOO=1,2', [...nomo, '--grid', 'FOO=1,2'], 2, /--grid FOO=1: model vancomycin_goti_2018 has no parameter or data item FOO/],
  ['--metric conc@1000', [...pop, '--metric', 'conc@1000'], 2, /--metric conc@1000: time 1000 is after the last simulated time 336/],
  ['--metric auc:0:1000', [...pop, '--metric', 'auc:0:1000'], 2, /--metric auc:0:1000: window \[0, 1000\] ends after the last simulated time 336/],
  ['--metric auc:24:12', [...pop, '--metric', 'auc:24:12'], 2, /--metric auc:24:12: window \[24, 12\] is empty/],
  ['--metric cmax:12:12', [...pop, '--metric', 'cmax:12:12'], 2, /--metric cmax:12:12: window \[12, 12\] is empty/],
  ['--metric tabove:-1', [...pop, '--metric', 'tabove:-1'], 2, /--metric tabove:-1: the threshold must be ≥ 0 \(got -1\)/],
  ['--metric tabove:5:-3:10', [...pop, '--metric', 'tabove:5:-3:10'], 2, /--metric tabove:5:-3:10: window \[-3, 10\] starts before time 0/],
  ['--window -5:-1', [...pop, '--window', '-5:-1'], 2, /--window -5:-1: expected LO:HI or METRIC=LO:HI with 0 ≤ LO ≤ HI/],
  ["--seed ''", [...pop, '--seed', ''], 2, /--seed "": expected a non-empty string or number/],
  ["forecast --seed ' '", ['forecast', ...map, '--regimen', 'examples/map-future.json', '--seed', ' '], 2, /--seed " ": expected a non-empty string/],
  ['--top 0', [...opt, '--top', '0'], 2, /--top 0: expected a positive integer/],
  ['optimize --draws 1e9', [...opt, '--draws', '1e9'], 2, /--draws 1e9: expected a positive integer ≤ 1e6/],
  ['optimize --window 48:0', [...opt, '--window', '48:0'], 2, /--window 48:0: expected FROM:TO in hours with 0 ≤ FROM < TO/],
  ['--n 1e20', [...pop.slice(0, 5), '--n', '1e20', '--workers', '0'], 2, /--n 1e20: expected a positive integer ≤ 1e9/],
  ['study --n 1e20', ['study', 'vancomycin', '--n', '1e20'], 2, /--n 1e20: expected a positive integer ≤ 1e9/],
  ['forecast --draws 1e9', ['forecast', ...map, '--regimen', 'examples/map-future.json', '--draws', '1e9'], 2, /--draws 1e9: expected a positive integer ≤ 1e6/],
  ['forecast --level 1', ['forecast', ...map, '--regimen', 'examples/map-future.json', '--level', '1'], 2, /--level 1: expected a credible level in \(0, 1\)/],
  ['band --bands 0', [...band, '--bands', '0'], 2, /--bands 0: expected a positive integer/],
  ['band --bands abc (the text quoted, never NaN)', [...band, '--bands', 'abc'], 2, /--bands abc: expected a positive integer/],
  ['optimize --cmt abc (the text quoted, never NaN)', [...opt, '--cmt', 'abc'], 2, /--cmt abc: expected a positive integer/],
  ['optimize --cmt 1.5', [...opt, '--cmt', '1.5'], 2, /--cmt 1\.5: expected a positive integer/],
  ['optimize --cmt 9 (more than the model has)', [...opt, '--cmt', '9'], 2, /--cmt 9: the model .* has 2 compartments/],
  ['band --doses 0,500', [...band, '--bands', '2', '--doses', '0,500'], 2, /doses: every dose must be a positive number \(got 0\)/],
  ['band --cut-step -5', [...band, '--bands', '2', '--cut-step', '-5'], 2, /--cut-step -5: expected a step > 0/],
  ['--workers -1', [...pop, '--workers', '-1'], 2, /--workers -1: expected auto or an integer ≥ 0/],
  // auto, the default, named among the values (the message read "expected an integer ≥ 0")
  ['--workers abc', [...pop, '--workers', 'abc'], 2, /--workers abc: expected auto or an integer ≥ 0/],
  ['--method euler', [...sim, '--method', 'euler'], 2, /--method.*euler.*Allowed choices are auto, analytic, dopri5, rosenbrock/],
  // decimal numerals only, as calc reads them: Number() read 0x10 as 16 subjects
  ['--n 0x10', [...pop.slice(0, 5), '--n', '0x10', '--workers', '0'], 2, /--n 0x10: expected a positive integer ≤ 1e9/],
  ['--bands 0b10', [...band, '--bands', '0b10'], 2, /--bands 0b10: expected a positive integer/],
  ['simulate --out x.json (the rows are CSV)', [...sim, '--out', join(tmpdir(), 'x.json')], 2, /--out .*x\.json: simulate writes the rows as CSV/],
  // a .tsv name got comma-separated text
  ['simulate --out x.tsv (the rows are CSV, not tab-separated)', [...sim, '--out', join(tmpdir(), 'x.tsv')], 2, /--out .*x\.tsv: simulate writes the rows as CSV/],
  ['vpc --out x.arrow (the table is CSV or JSON)', ['vpc', '--model', 'examples/vpc/model.json', '--data', 'examples/vpc/data.csv', '--replicates', '5', '--out', join(tmpdir(), 'x.arrow')], 2, /--out .*x\.arrow: vpc writes CSV/],
  ['vpc --out x.tsv (comma-separated text under a tab-separated name)', ['vpc', '--model', 'examples/vpc/model.json', '--data', 'examples/vpc/data.csv', '--replicates', '5', '--out', join(tmpdir(), 'x.tsv')], 2, /--out .*x\.tsv: vpc writes CSV/],
  ['nomogram --set WT=0x40', [...nomo, '--grid', 'CRCL=60', '--set', 'WT=0x40'], 2, /--set WT=0x40: expected NAME=NUMBER/],
];

/** The argv with an option that takes one value kept at its last use: a case's value replaces its base's (an option given twice is refused). */
function lastWins(argv: readonly string[]): string[] {
  const collected = new Set(['--metric', '--set', '--grid', '--param', '--window']);
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const later = a.startsWith('--') && !collected.has(a) && argv.indexOf(a, i + 1) > i && !(argv[i + 1] ?? '--').startsWith('--');
    if (later) i++;
    else out.push(a);
  }
  return out;
}

describe('impossible option values: a clear error naming the option and the value', () => {
  for (const [what, argv, code, message] of BAD) {
    it(what, async () => {
      const r = await cli(lastWins(argv));
      expect(r.err).toMatch(message);
      expect(r.code).toBe(code);
      expect(r.err).not.toMatch(/internal error|\n\s+at /);
      expect(r.out).toBe('');
    });
  }

  it('pta --strata with a non-numeric cut point quotes the text, never NaN', () => {
    expect(() => parseStrata('CRCL:30,abc')).toThrow(/strata CRCL:30,abc: cut points must be numbers \(got "abc"\)/);
    expect(() => parseStrata('CRCL:30,,60')).toThrow(/cut points must be numbers \(got ""\)/);
  });

  it('an observe grid of 1e12 points: exit 1 naming the file and field, at once', async () => {
    const f = file('huge-grid.json', { doses: [{ time: 0, amt: 500 }], observe: [{ grid: { from: 0, to: 1e12, step: 1 } }] });
    const t0 = performance.now();
    const r = await cli([...pop.slice(0, 3), '--regimen', f, '--n', '10', '--workers', '0']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/huge-grid\.json, observe\.0\.grid\.to: more than 100,000 observation times .* \(got 1000000000000\)/);
    expect(r.err).not.toMatch(/internal error|\n\s+at /);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('a model expression nested 20,000 deep: exit 1 naming the parameter, no stack overflow', async () => {
    const model = file('deep.model.json', {
      dosewise: 2,
      name: 'deep',
      structure: '1cmt-iv',
      parameters: { CL: { expr: '('.repeat(20_000) + '2' + ')'.repeat(20_000) }, V: 20 },
    });
    const r = await cli(['simulate', '--model', model, '--data', 'test/conformance/nmtests/dosing-1001.csv']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/model parameters\.CL\.expr: expression .* nested more than 500 levels deep/);
    expect(r.err.length).toBeLessThan(500);
    expect(r.err).not.toMatch(/internal error|\n\s+at /);
  });
});

describe('--workers above the core count', () => {
  it('is lowered to the number of cores, said on stderr', () => {
    const cores = availableParallelism();
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(workersArg(String(cores))).toBe(cores);
      expect(write).not.toHaveBeenCalled();
      expect(workersArg('1000')).toBe(cores);
      expect(String(write.mock.calls[0]?.[0])).toMatch(new RegExp(`--workers 1000: this machine has ${cores} cores?; using ${cores} worker threads`));
    } finally {
      write.mockRestore();
    }
  });
});

describe('--method, --rtol and --atol on every command that solves', () => {
  it('every solving command lists them in --help', async () => {
    for (const c of ['simulate', 'population', 'estimate', 'forecast', 'optimize', 'pta', 'band', 'nomogram', 'relevance']) {
      const h = (await cli([c, '--help'])).out;
      for (const o of ['--method <method>', '--rtol <x>', '--atol <x>']) expect(h, `${c} ${o}`).toContain(o);
    }
  });

  // one compartment, IV bolus: C(t) = D/V·exp(−CL/V·t), the closed form the ODE solver is judged against
  const D = 100;
  const CL = 2;
  const V = 20;
  const T = [1, 6, 12, 24];
  const exact = T.map((t) => (D / V) * Math.exp((-CL / V) * t));
  const model = file('onecmt.model.json', { dosewise: 2, name: 'onecmt', structure: '1cmt-iv', parameters: { CL, V } });
  const regimen = file('bolus.json', { doses: [{ time: 0, amt: D }], observe: [{ times: T }] });
  const conc = async (extra: string[]): Promise<number[]> => {
    const r = await cli(['population', '--model', model, '--regimen', regimen, '--n', '2', '--workers', '0', '--no-progress', '--json', ...T.map((t) => ['--metric', `conc@${t}`]).flat(), ...extra]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    return (JSON.parse(r.out) as { metrics: { report: { mean: number } }[] }).metrics.map((m) => m.report.mean);
  };
  const relErr = (xs: number[]): number => Math.max(...xs.map((x, i) => Math.abs(x / (exact[i] as number) - 1)));

  it('population --rtol 1e-6 --atol 1e-9 --method dopri5 is accepted; the error follows the tolerance', async () => {
    const loose = relErr(await conc(['--method', 'dopri5', '--rtol', '1e-6', '--atol', '1e-9']));
    const byDefault = relErr(await conc(['--method', 'dopri5']));
    const tight = relErr(await conc(['--method', 'dopri5', '--rtol', '1e-12', '--atol', '1e-15']));
    const analytic = relErr(await conc(['--method', 'analytic']));
    // largest relative error of the four concentrations, measured: 3.5e-7 (rtol 1e-6), 3.7e-9 (the model's 1e-8), 3.7e-13 (1e-12), 1.1e-16 (analytic)
    expect(loose).toBeGreaterThan(1e-7);
    expect(loose).toBeLessThan(1e-6);
    expect(byDefault).toBeLessThan(loose / 10);
    expect(tight).toBeLessThan(2e-12);
    expect(tight).toBeLessThan(byDefault / 10);
    expect(analytic).toBeLessThan(1e-15);
  });
});
