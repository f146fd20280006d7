// Ctrl-C (an AbortSignal) during the banding optimizer: it runs in the engine without returning to
// JavaScript, on the calling thread, so an abort was not heard until it ended (3.9 s at 10⁵
// subjects, 20 bands of 200 doses; minutes for larger programmes) and bandPopulation() then resolved
// with the bands as if never cancelled. With a signal the optimizer now runs on a worker thread that
// an abort ends at once: the call rejects with the signal's reason, as a cancelled population run
// does. These tests need the build (npm run build): the worker is dist/src/design/banding/worker.js.

import { describe, expect, it } from 'vitest';
import { optimizeBandingIntervals, type BandingIntervals } from '../../../src/design/banding/banding.js';
import { optimizeBandingCancellable } from '../../../src/design/banding/banding-off-thread.js';
import { bandPopulation } from '../../../src/design/banding/banding-population.js';
import { regimen } from '../../../src/regimen/builder.js';
import { readFileSync } from 'node:fs';

/** N subjects with a banding value and a dose window of ±20 % around a dose that rises with it (a deterministic LCG). */
function subjects(N: number): Pick<BandingIntervals, 'by' | 'doseLo' | 'doseHi'> {
  let s = 12345;
  const u = (): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const by = new Float64Array(N);
  const doseLo = new Float64Array(N);
  const doseHi = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    by[i] = 20 + 130 * u();
    const dose = 10 * by[i] * Math.exp(0.4 * (u() - 0.5));
    doseLo[i] = 0.8 * dose;
    doseHi[i] = 1.2 * dose;
  }
  return { by, doseLo, doseHi };
}
const doses = Array.from({ length: 200 }, (_, i) => 10 * (i + 1));

describe('cancelling the banding optimizer', () => {
  it('an abort 400 ms into a long optimization rejects within a second with the signal\'s reason', async () => {
    const o = { ...subjects(100_000), bands: 20, doses };
    const controller = new AbortController();
    const reason = new Error('cancelled by the test');
    const t0 = performance.now();
    setTimeout(() => controller.abort(reason), 400);
    await expect(optimizeBandingCancellable(o, controller.signal)).rejects.toBe(reason);
    const ms = performance.now() - t0;
    // measured: ≈ 410 ms (the optimizer alone takes ≈ 4 s here)
    expect(ms).toBeLessThan(1400);
  });

  it('abort() without a reason rejects with an AbortError; an aborted signal rejects before starting', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    await expect(optimizeBandingCancellable({ ...subjects(100_000), bands: 20, doses }, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    await expect(optimizeBandingCancellable({ ...subjects(10), bands: 1, doses }, AbortSignal.abort(new Error('before')))).rejects.toThrow('before');
  });

  it('not aborted, the bands are those of the calling thread, number for number', async () => {
    const o = { ...subjects(5000), bands: 4, doses };
    const here = optimizeBandingIntervals(o);
    const there = await optimizeBandingCancellable(o, new AbortController().signal);
    expect({ ...there, seconds: 0 }).toEqual({ ...here, seconds: 0 });
  });

  it('bandPopulation(): an abort when the population is done rejects (it resolved with the bands)', async () => {
    const model = JSON.parse(readFileSync('examples/fixed-dose/model.json', 'utf8')) as unknown;
    const covariates = JSON.parse(readFileSync('examples/fixed-dose/covariates.json', 'utf8')) as unknown;
    const records = regimen().dose({ time: 0, amt: 2000, cmt: 1, dur: 1, ii: 24, ss: 1 }).observe({ grid: { from: 0, to: 24, step: 0.25 } }).records();
    const controller = new AbortController();
    const reason = new Error('Ctrl-C');
    const run = bandPopulation({ model, covariates, regimen: records, target: 'auc24:400:600', doses: [1000, 1500, 2000], by: 'EGFR', bands: 2, n: 2000, seed: 1, workers: 1, chunkSize: 1000, signal: controller.signal, onProgress: (done, total) => void (done === total && controller.abort(reason)) });
    await expect(run).rejects.toBe(reason);
  });
});
