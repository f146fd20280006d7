// One quantile definition (type 7) for every interval dosewise reports from draws or subjects:
// src/stats/quantile.ts against numpy.quantile (test/oracle/generate_quantile.py), and the same
// posterior draws giving the same 90 % interval through optimize and through forecast.

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantileScaled, quantileSorted, quantiles } from '../../../src/stats/quantile.js';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { regimen } from '../../../src/regimen/builder.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { optimizeRegimen } from '../../../src/design/optimize/optimize.js';

interface Fixture {
  readonly name: string;
  readonly x: number[];
  readonly p: number[];
  readonly q: number[];
}
const fixtures = (JSON.parse(readFileSync('test/oracle/quantile-fixtures.json', 'utf8')) as { cases: Fixture[] }).cases;

/** |got − want| relative to the spread of the sample (type 7 interpolates inside it). */
function relToRange(got: number, want: number, x: readonly number[]): number {
  const range = Math.max(...x) - Math.min(...x) || Math.abs(want) || 1;
  return Math.abs(got - want) / range;
}

describe('type-7 quantiles vs numpy.quantile (method "linear")', () => {
  for (const c of fixtures) {
    it(`${c.name}: quantileSorted and quantiles (selection) equal numpy`, () => {
      const sorted = Float64Array.from(c.x).sort();
      const bySelection = new Float64Array(c.p.length);
      quantiles(Float64Array.from(c.x), c.x.length, c.p, bySelection);
      let worst = 0;
      c.p.forEach((p, i) => {
        const want = c.q[i] as number;
        worst = Math.max(worst, relToRange(quantileSorted(sorted, p), want, c.x), relToRange(bySelection[i] as number, want, c.x));
        // both routes compute the same interpolation from the same order statistics
        expect(bySelection[i]).toBe(quantileSorted(sorted, p));
      });
      console.info(`${c.name}: largest difference from numpy ${worst.toExponential(2)} of the range`);
      // measured: at most 2.1e-16 of the sample range (one rounding of the interpolation)
      expect(worst).toBeLessThan(5e-16);
    });
  }

  it('no values, or p outside [0, 1]: NaN', () => {
    expect(quantileSorted(new Float64Array(0), 0.5)).toBeNaN();
    expect(quantileSorted([1, 2], 1.5)).toBeNaN();
    expect(quantileSorted([1, 2], Number.NaN)).toBeNaN();
    const out = new Float64Array(2);
    quantiles(new Float64Array(0), 0, [0.05, 0.95], out);
    expect(Array.from(out)).toEqual([NaN, NaN]);
  });

  it('selection gives the sorted-array answer for any probabilities, ascending or not (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 1000 }).map((k) => k / 1000), { minLength: 1, maxLength: 6 }),
        (xs, ps) => {
          const sorted = Float64Array.from(xs).sort();
          const out = new Float64Array(ps.length);
          quantiles(Float64Array.from(xs), xs.length, ps, out);
          ps.forEach((p, i) => expect(out[i]).toBe(quantileSorted(sorted, p)));
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it('ascending values read scaled give the quantiles of the scaled values, bit for bit (fast-check)', () => {
    // optimize sorts a unit dose's exposures once and reads every dose's quantiles from them scaled
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 80 }),
        fc.double({ min: 1e-3, max: 1e5, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 1000 }).map((k) => k / 1000), { minLength: 1, maxLength: 4 }),
        (xs, scale, ps) => {
          const sorted = Float64Array.from(xs).sort();
          const out = new Float64Array(ps.length);
          quantiles(Float64Array.from(xs, (x) => x * scale), xs.length, ps, out);
          ps.forEach((p, i) => expect(Object.is(quantileScaled(sorted, sorted.length, p, scale), out[i])).toBe(true));
        },
      ),
      { numRuns: 500, seed: 11 },
    );
  });
});

describe('optimize and forecast report the same interval from the same draws', () => {
  it('the 90 % AUC24 interval of one regimen, 400 posterior draws', () => {
    const model = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));
    const history = readNmtran(readFileSync('examples/map-patient.csv', 'utf8')).records;
    const fit = estimate(model, history);
    const draws = 400;
    const seed = 5;
    // one candidate: 1250 mg over 1 h q12h at steady state, on the Laplace draws forecast takes by default
    const opt = optimizeRegimen(model, history, { doses: [1250], intervals: [12], infusions: [1], target: 'auc24:400:600', draws, seed, sir: false }, fit);
    const got = opt.ranked[0]?.exposure['auc24'];
    // the same steady-state regimen and observation grid that optimize simulates (SS = 1 dose at 0,
    // a second dose at 12 h, 49 points over 0-24 h), forecast alone without the history
    const future = regimen().dose({ time: 0, amt: 1250, dur: 1, ss: 1, ii: 12, addl: 1 }).observe({ grid: { from: 0, to: 24, step: 0.5 } }).records();
    const fc90 = forecast(model, history, fit, future, { draws, seed, metrics: ['auc24'], history: false }).metrics['auc24'];
    expect(got).toBeDefined();
    expect(fc90).toBeDefined();
    console.info(`optimize ${got?.lo} – ${got?.hi}, forecast ${fc90?.lower} – ${fc90?.upper}`);
    // the same draws: the intervals differ only by the AUC's sampling, 24 points per interval in
    // optimize (linear-up/log-down within ~0.1 % of the exact AUC), every 0.1 h in forecast
    const rel = (a: number | undefined, b: number | undefined): number => Math.abs((a as number) / (b as number) - 1);
    console.info(`relative differences: ${rel(got?.lo, fc90?.lower)}, ${rel(got?.hi, fc90?.upper)}, ${rel(got?.median, fc90?.median)}`);
    // measured: 8.9e-4, 7.2e-4 and 1.1e-3
    expect(rel(got?.lo, fc90?.lower)).toBeLessThan(2e-3);
    expect(rel(got?.hi, fc90?.upper)).toBeLessThan(2e-3);
    expect(rel(got?.median, fc90?.median)).toBeLessThan(2e-3);
  });
});

describe('quantiles with a NaN among the values', () => {
  it('are all NaN, as numpy.quantile gives (the selection gave [NaN, 2.5, 2.25] for [1, NaN, 3, 2])', () => {
    const out = new Float64Array(3);
    quantiles(Float64Array.from([1, NaN, 3, 2]), 4, [0.25, 0.5, 0.75], out);
    expect([...out].every(Number.isNaN)).toBe(true);
  });
});
