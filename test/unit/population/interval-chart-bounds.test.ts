// Charts the first chart-spacing rule misread (1-cmt IV, CL 10, V 20; references by closed-form
// superposition of 1-h or 0.5-h infusions, checked against scipy quad):
// 1. q12h 1000 mg given as two 0.5-h bags back to back: a "q0.5h" grid of dozens of held places,
//    trough 39.44 at the peak for 0.161202 at 72 h; now the spacing is refused (none, as before).
// 2. a dose held, then resumed at half (1000 mg q12h at 0–36 h, 500 mg at 60 h): no interval and
//    no warning, trough 0.000199 at 84 h for 0.080402 at 72 h; now q12h from 60 h, warned.
// 3. 0, 12 and 36 h on a grid to 60 h: the rest of the profile as long as the held gap read as the
//    interval without a word (trough 0.000399 for 0.1608 at 48 h); now warned.
// 4. 800 mg ii 8 at 0 h with levels at 2, 4 and 24 h: read q8h, auc24 235.6 for the one dose's 80.0.
// 5. q12h with two doses 15 min late (0, 12.25, 24, 36.25, 48 h): a "q12.25h" spacing, warned "the
//    dose at 48 h 1 h early"; now no spacing is read into two drifts (none, warned).

import { describe, expect, it } from 'vitest';
import { regimenTimesOf } from '../../../src/population/metrics.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';
import { IV_MODEL, jsonFiles, populationMetrics, rel } from './metric-run.js';

const { json } = jsonFiles('dosewise-interval-chart-bounds-');
const iv = json('m_iv.json', IV_MODEL);
const grid = (to: number, step = 0.25) => [{ grid: { from: 0, to, step } }];
const bag = (time: number, amt = 1000, dur = 1) => ({ time, amt, cmt: 1, dur });
const times = (reg: object) => regimenTimesOf(parseRegimenJson(reg, 'r.json'));

const K = 10 / 20;
/** Concentration at t of infusions (t0, amt, dur) into CL 10, V 20. */
const conc = (doses: readonly { time: number; amt: number; dur: number }[], t: number): number =>
  doses.reduce((s, d) => {
    if (t <= d.time) return s;
    const r = d.amt / d.dur / 10;
    return s + (t <= d.time + d.dur ? r * (1 - Math.exp(-K * (t - d.time))) : r * (1 - Math.exp(-K * d.dur)) * Math.exp(-K * (t - d.time - d.dur)));
  }, 0);

const PAIRS = { doses: [0, 12, 24, 36, 48, 60].flatMap((t) => [bag(t, 500, 0.5), bag(t + 0.5, 500, 0.5)]), observe: grid(72) };
const HELD_HALF = { doses: [bag(0), bag(12), bag(24), bag(36), bag(60, 500)], observe: grid(84) };
const SHORT_HELD = { doses: [bag(0), bag(12), bag(36)], observe: grid(60) };
const SPARSE_II = { doses: [{ time: 0, amt: 800, cmt: 1, ii: 8 }], observe: [{ times: [2, 4, 24] }] };
const TWO_DRIFTS = { doses: [0, 12.25, 24, 36.25, 48].map((t) => bag(t)), observe: grid(72) };

describe('chart spacing: what it is not read into', () => {
  it('two bags back to back q12h are no q0.5h grid of held places', () => {
    const t = times(PAIRS);
    expect(t.tau === 0 || Math.abs(t.tau - 12) < 1e-9 || Math.abs(t.tau - 11.5) < 1e-9).toBe(true);
    expect(t.judged?.text ?? '').not.toMatch(/held/);
  });
  it('a dose held, then resumed at half the amount: q12h from 60 h, warned', () => {
    const t = times(HELD_HALF);
    expect(t).toMatchObject({ tau: 12, lastDose: 60, judged: { code: 'W_IRREGULAR_DOSE' } });
    expect(t.judged?.text).toContain('none given at 48 h (held)');
  });
  it('two doses drifted alike give no invented spacing', () => {
    expect(times(TWO_DRIFTS).tau).toBe(0);
  });
  it('a dose with ii and sparse levels after it is the single dose it is', () => {
    expect(times(SPARSE_II)).toMatchObject({ tau: 0, unrepeated: { ii: 8 } });
  });
});

describe('population against the closed form', () => {
  it('bag pairs: trough 0.161202 at 72 h (it read 39.44)', async () => {
    const { m } = await populationMetrics(iv, json('pairs.json', PAIRS), ['trough']);
    const ref = conc(PAIRS.doses, 72);
    expect(ref).toBeCloseTo(0.161202, 6);
    expect(rel(m.trough!.report.mean, ref)).toBeLessThan(1e-6);
  }, 60_000);
  it('held then half: trough 0.080402 at 72 h (it read 0.000199 at 84 h), W_IRREGULAR_DOSE', async () => {
    const { m, err } = await populationMetrics(iv, json('held_half.json', HELD_HALF), ['trough']);
    const ref = conc(HELD_HALF.doses, 72);
    expect(ref).toBeCloseTo(0.080402, 6);
    expect(rel(m.trough!.report.mean, ref)).toBeLessThan(1e-6);
    expect(err).toContain('W_IRREGULAR_DOSE');
  }, 60_000);
  it('0, 12 and 36 h on a grid to 60 h: the rest read as the interval is warned', async () => {
    const { err } = await populationMetrics(iv, json('short_held.json', SHORT_HELD), ['trough']);
    expect(err).toContain('W_IRREGULAR_DOSE');
  }, 60_000);
  it('800 mg ii 8, levels at 2, 4 and 24 h: auc24 of the one dose, 80·(1 − e^−12), warned W_II_NOT_REPEATED', async () => {
    const { m, err } = await populationMetrics(iv, json('sparse_ii.json', SPARSE_II), ['trough', 'auc24']);
    expect(err).toContain('W_II_NOT_REPEATED');
    // three levels: the AUC is the samples' trapezoids (log-down), not the exact 79.9995; it read AUC(0–8)·3 = 235.6
    expect(m.auc24!.report.mean).toBeLessThan(100);
  }, 60_000);
  it('two doses drifted alike: no interval, the rest of the profile warned', async () => {
    const { err } = await populationMetrics(iv, json('two_drifts.json', TWO_DRIFTS), ['trough']);
    expect(err).toContain('W_IRREGULAR_DOSE');
    expect(err).not.toMatch(/1 h early/);
  }, 60_000);
});
