// Population mean and SD for finite values of any magnitude. The sums of x² were doubles: below
// about 1e-154 the squares underflowed (values near 1e-162 had SD exactly 0), above 1.3e154 they
// overflowed and the run stopped ("internal error: RangeError: ExactSum: non-finite value Infinity",
// exit 3). Now Σx and Σx² are exact integers times powers of two, so n·Σx² − (Σx)² is exact at any
// scale and the SD is rounded once; the references are exact (closed form, or Python's Fraction).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MetricAggregate, type AggregateJSON } from '../../../src/population/aggregate.js';
import { foldedQuantileWarnings } from '../../../src/population/summary/index.js';
import { cli } from '../cli/run-cli.js';

/** The aggregate of `values` split into `chunks` chunks, merged in order, optionally through JSON. */
function aggregateOf(values: readonly number[], chunks = 1, json = false): MetricAggregate {
  const whole = new MetricAggregate();
  const size = Math.ceil(values.length / chunks);
  for (let i = 0; i < values.length; i += size) {
    const part = new MetricAggregate();
    part.add(Float64Array.from(values.slice(i, i + size)));
    whole.mergeFrom(json ? MetricAggregate.fromJSON(JSON.parse(JSON.stringify(part.toJSON())) as AggregateJSON) : part);
  }
  return whole;
}

describe('population mean and SD at extreme magnitudes', () => {
  // (1 + k/8)·2^s, k = 0..9: mean 1.5625·2^s exactly, SD 2^(s−3)·√(82.5/9) (Python, exact then rounded once)
  const cases: [number, number, string][] = [
    [-1070, 3e-323, 'subnormal values and SD: 0 before'],
    [-1000, 3.5319949062844713e-302, 'squares near 2^-2000: 0 before'],
    [-540, 1.0515212992112176e-163, 'squares near 1e-326: 0 before'],
    [600, 1.5704102851819491e180, 'squares near 1e361: RangeError before'],
    [1020, 4.252176762753532e306, 'values near 1.8e308: RangeError before'],
  ];
  for (const [s, sd, why] of cases) {
    it(`values (1 + k/8)·2^${s}: SD ${sd} (${why}), the same in any chunking and through JSON`, () => {
      const values = Array.from({ length: 10 }, (_, k) => (8 + k) * 2 ** (s - 3));
      const r = aggregateOf(values).report();
      // measured: equal to the correctly rounded exact SD (relative 0); 2 ulps allowed
      if (sd < 2 ** -1022) expect(r.sd).toBe(sd); // a subnormal has no ulps to spare
      else expect(Math.abs(r.sd - sd) / sd).toBeLessThan(5e-16);
      expect(r.mean).toBe(25 * 2 ** (s - 4));
      for (const chunks of [3, 10]) {
        for (const json of [false, true]) {
          const c = aggregateOf(values, chunks, json).report();
          expect([c.sd, c.mean]).toEqual([r.sd, r.mean]);
        }
      }
    });
  }

  it('values from 5e-324 to 1.7e308 of both signs: SD 8.727351641057364e307 (RangeError before)', () => {
    const values = [5e-324, 1e-300, 1.5, 1e200, 1.7e308, -1e308];
    const r = aggregateOf(values).report();
    // Python: Fraction sums, SD rounded once; measured equal
    expect(Math.abs(r.sd - 8.727351641057364e307) / 8.727351641057364e307).toBeLessThan(5e-16);
    expect(Math.abs(r.mean - 1.1666666666666665e307) / 1.1666666666666665e307).toBeLessThan(5e-16);
    expect(aggregateOf(values, 6, true).report().sd).toBe(r.sd);
  });

  it('200 values of both signs with exponents from -1074 to 1000: SD 2.8555e299, any chunking (RangeError before)', () => {
    // (2^20 + m)·2^(e−20), exact doubles; the same list in Python gave the references
    const values = Array.from({ length: 200 }, (_, k) => {
      const x = (2 ** 20 + ((k * 2654435761) % 2 ** 20)) * 2 ** (-1054 + ((k * 7919) % 2055) - 20);
      return k % 3 === 1 ? -x : x;
    });
    const r = aggregateOf(values).report();
    // measured: equal; 2 ulps allowed
    expect(Math.abs(r.sd - 2.8555249653603874e299) / 2.8555249653603874e299).toBeLessThan(5e-16);
    expect(Math.abs(r.mean - 2.0252251164576216e298) / 2.0252251164576216e298).toBeLessThan(5e-16);
    for (const chunks of [7, 200]) expect([aggregateOf(values, chunks, true).report().sd, aggregateOf(values, chunks).report().mean]).toEqual([r.sd, r.mean]);
  });

  it('an SD beyond the largest double (±1.7e308: 2.4e308) is Infinity with a warning naming the metric, not a number', () => {
    const r = aggregateOf([-1.7e308, 1.7e308], 2, true).report();
    expect(r.mean).toBe(0);
    expect(r.sd).toBe(Infinity);
    expect(foldedQuantileWarnings([{ name: 'cmax', report: r }]).join('\n')).toMatch(/^metric cmax: its SD exceeds the largest double \(1\.8e308; values from -1\.700e\+308 to 1\.700e\+308\), so it is not reported \(– in the table, null in JSON\)$/);
  });

  it('reads the exact sums as dosewise wrote them before (lists of doubles); refuses a malformed one by its path', () => {
    const a = aggregateOf([1, 2, 3]).toJSON();
    const legacy = { ...a, sum: [6], sumSq: [14] } as unknown as AggregateJSON;
    expect(MetricAggregate.fromJSON(legacy).report()).toMatchObject({ mean: 2, sd: 1 });
    expect(() => MetricAggregate.fromJSON({ ...a, sum: { m: 'xyz', e: 0 } })).toThrow(/aggregate\.sum: m: expected a hexadecimal integer/);
    expect(() => MetricAggregate.fromJSON({ ...a, sumSq: [1, null] } as unknown as AggregateJSON)).toThrow(/aggregate\.sumSq\.1: expected a finite number/);
    expect(() => MetricAggregate.fromJSON({ ...a, n: 4 })).toThrow(/aggregate\.n: 4 values, but its summary counts 3/);
  });

  describe('the command line (the model: 1-cmt iv, a dose of 1e-160 or 1e160 over 1 h)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dw-extremes-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const put = (name: string, content: unknown): string => {
      writeFileSync(join(dir, name), JSON.stringify(content));
      return join(dir, name);
    };
    const model = put('model.json', {
      dosewise: 2, name: 'covtest', structure: '1cmt-iv',
      theta: { TVCL: { value: 4 }, TVV: { value: 40 } },
      covariates: { A: { default: 1 }, B: { default: 1 }, C: { default: 1 }, D: { default: 0 }, E: { default: 1 } },
      parameters: { CL: { expr: 'TVCL * (A/50) * (B/70)^0.75 * (1 + 0.2*D) * E + 0*C' }, V: { expr: 'TVV * exp(ETA_V)' } },
      omega: { etas: ['ETA_V'], diagonal: [0.04] },
      observe: { compartment: 1 },
    });
    const regimen = (amt: number): string => put(`reg-${amt}.json`, { doses: [{ time: 0, amt, cmt: 1, dur: 1 }], observe: [{ grid: { from: 0, to: 24, step: 0.5 } }] });
    const covariates = put('cov.json', {
      covariates: {
        A: { dist: 'normal', mean: 50, sd: 15, lower: 30, upper: 90 },
        B: { dist: 'lognormal', median: 70, cv: 0.3, lower: 40, upper: 150 },
        C: { dist: 'lognormal', median: 1, sdlog: 0.5 },
        D: { dist: 'categorical', values: [0, 1, 2], p: [0.2, 0.5, 0.3] },
        E: { dist: 'uniform', lower: 0.5, upper: 1.5 },
      },
      correlation: { names: ['B', 'A', 'C'], matrix: [[1, 0.6, -0.4], [0.6, 1, 0.2], [-0.4, 0.2, 1]] },
    });
    const reports = (out: string): Record<string, { mean: number; sd: number }> =>
      Object.fromEntries((JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { metrics: { name: string; report: { mean: number; sd: number } }[] }).metrics.map((m) => [m.name, m.report]));
    // Python on the subjects.csv dosewise wrote: Fraction sums, SD rounded once; measured: equal
    const close = (got: number, want: number) => expect(Math.abs(got - want) / want).toBeLessThan(5e-16);

    it('dose 1e-160, n 2000: cmax SD 4.431e-163 and auc:0:24 SD 7.909e-162 (0 and 8.014e-162 before)', async () => {
      const out = join(dir, 'tiny');
      const r = await cli(['population', '--model', model, '--regimen', regimen(1e-160), '--covariates', covariates, '--n', '2000', '--seed', '3', '--metric', 'cmax', '--metric', 'auc:0:24', '--out', out, '--no-progress', '--workers', '0', '--chunk-size', '300']);
      expect(r.code).toBe(0);
      const m = reports(out);
      close(m.cmax!.sd, 4.431017689829273e-163);
      close(m.cmax!.mean, 2.373187325859061e-162);
      close(m['auc:0:24']!.sd, 7.909496377487693e-162);
      close(m['auc:0:24']!.mean, 1.9949724132338242e-161);
    });

    it('dose 1e160, n 20: runs (exit 3, "internal error: RangeError" before), cmax SD 5.293e157', async () => {
      const out = join(dir, 'huge');
      const r = await cli(['population', '--model', model, '--regimen', regimen(1e160), '--n', '20', '--seed', '3', '--metric', 'cmax', '--out', out, '--no-progress', '--workers', '0', '--chunk-size', '7']);
      expect(r.err).not.toMatch(/internal error|RangeError/);
      expect(r.code).toBe(0);
      const m = reports(out);
      close(m.cmax!.sd, 5.293339509840486e157);
      close(m.cmax!.mean, 2.416076856882552e158);
    });
  });
});
