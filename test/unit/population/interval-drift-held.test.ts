// Doses without II where an earlier dose drifted (15–30 min) or was held, the profile running on
// past the last interval: q12h 1000 mg (1-h bags, CL 10, V 20) with the 36-h dose at 36.25 h on a
// grid to 96 h had no interval and no warning, its trough read at 96 h (9.9e-7 over 60–96 h for
// 0.1612 at 72 h); so did 36 of the 80 charts below (q6h–q24h, the dose at 3τ or 4τ drifted by ±15 or
// ±30 min, or the one at 3τ held). A last dose drifted was already judged (W_IRREGULAR_DOSE). The last
// dose's interval is now the spacing most gaps share, warned naming the dose off it. pta's "per
// 24 h" counted a held dose's empty interval (0, 12, 24, 36, 60 h: 1000 for 2000).
//
// References: the closed form of the 1-cmt model, superposition of the 1-h infusions (C and its
// integral), below.

import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { IV_MODEL, jsonFiles, populationMetrics, rel } from './metric-run.js';
import { judgedDoseWarning, regimenTimesOf } from '../../../src/population/metrics.js';
import { regimenDose } from '../../../src/design/pta/pta.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';

const CL = 10;
const V = 20;
const K = CL / V;
const AMT = 1000;
const DUR = 1;

/** C(t) and ∫0..t C of 1-h infusions of AMT starting at `starts` (1-cmt, CL 10, V 20). */
function conc(starts: readonly number[], t: number): number {
  const r = AMT / DUR / CL;
  return starts.reduce((c, s) => {
    if (t <= s) return c;
    if (t <= s + DUR) return c + r * (1 - Math.exp(-K * (t - s)));
    return c + r * (1 - Math.exp(-K * DUR)) * Math.exp(-K * (t - s - DUR));
  }, 0);
}
function auc(starts: readonly number[], t: number): number {
  const r = AMT / DUR / CL;
  return starts.reduce((a, s) => {
    if (t <= s) return a;
    const u = Math.min(t - s, DUR);
    const during = r * (u - (1 - Math.exp(-K * u)) / K);
    const after = t - s > DUR ? (r * (1 - Math.exp(-K * DUR)) * (1 - Math.exp(-K * (t - s - DUR)))) / K : 0;
    return a + during + after;
  }, 0);
}

const { json } = jsonFiles('dosewise-interval-drift-');
const iv = json('m_iv.json', IV_MODEL);
const chart = (times: readonly number[], to: number, step = 0.05) => ({ doses: times.map((time) => ({ time, amt: AMT, cmt: 1, dur: DUR })), observe: [{ grid: { from: 0, to, step } }] });
const times = (reg: object) => regimenTimesOf(parseRegimenJson(reg, 'r.json'));

// q6h–q24h, doses at 0, τ, …, 5τ, one of the 1st–4th after the first drifted by ±15 or ±30 min or
// held, the grid to 8τ (three intervals past the last)
interface Case {
  name: string;
  tau: number;
  doses: number[];
  /** The last two gaps are equal: read as before (the spacing, no warning). */
  regularEnd: boolean;
}
const cases: Case[] = [];
for (const tau of [6, 8, 12, 24])
  for (const j of [1, 2, 3, 4]) {
    const grid = [0, 1, 2, 3, 4, 5].map((k) => k * tau);
    for (const by of [-0.5, -0.25, 0.25, 0.5]) cases.push({ name: `q${tau}h, dose ${j} ${by > 0 ? '+' : ''}${by * 60} min`, tau, doses: grid.map((t, k) => (k === j ? t + by : t)), regularEnd: j <= 2 });
    cases.push({ name: `q${tau}h, dose ${j} held`, tau, doses: grid.filter((_, k) => k !== j), regularEnd: j <= 2 });
  }

describe('regimenTimesOf: an earlier dose drifted or held', () => {
  it.each(cases)('$name: the last interval is 5τ–6τ', ({ tau, doses, regularEnd }) => {
    const t = times(chart(doses, 8 * tau));
    expect(t).toMatchObject({ tau, lastDose: 5 * tau });
    if (regularEnd) expect(t.judged).toBeUndefined();
    else expect(t.judged?.code).toBe('W_IRREGULAR_DOSE');
  });

  it('names the dose off the spacing, or the dose held', () => {
    const drift = times(chart([0, 12, 24, 36.25, 48, 60], 96));
    expect(drift.judged).toMatchObject({ code: 'W_IRREGULAR_DOSE', time: 36.25, place: 'doses.3' });
    expect(drift.judged?.text).toContain('the dose at 36.25 h (doses.3) 0.25 h late');
    const held = times(chart([0, 12, 24, 48, 60], 96));
    expect(held.judged?.text).toContain('none given at 36 h (held)');
    const heldLast = times(chart([0, 12, 24, 36, 60], 96));
    expect(heldLast).toMatchObject({ tau: 12, lastDose: 60, judged: { code: 'W_IRREGULAR_DOSE', time: 60 } });
    expect(heldLast.judged?.text).toContain('none given at 48 h (held)');
  });

  it('no spacing the gaps share: none, as before (0, 10, 24 h; 0, 12, 24.5, 36.25, 47.5, 60 h: gaps 12, 12.5, 11.75, 11.25, 12.5)', () => {
    expect(times(chart([0, 10, 24], 40))).toMatchObject({ tau: 0, lastDose: 24 });
    expect(times(chart([0, 12, 24.5, 36.25, 47.5, 60], 96))).toMatchObject({ tau: 0, lastDose: 60 });
    // a change of spacing whose new gaps are not yet two: no grid reaches back over it
    expect(times(chart([0, 8, 16, 24, 36, 40], 60))).toMatchObject({ tau: 0, lastDose: 40 });
  });
});

describe('population: the last interval of a drifted or held chart against the closed form', () => {
  // measured over the 80 cases: trough 4.6e-10 (the closed form at a grid point), auctau 4.4e-5
  // (the 0.05-h grid's quadrature)
  it('all cases: trough and auctau on 5τ–6τ', async () => {
    for (const c of cases) {
      const { m, err } = await populationMetrics(iv, json('c.json', chart(c.doses, 8 * c.tau)), ['trough', 'auctau']);
      const last = 5 * c.tau;
      expect([m.trough!.t0, m.trough!.t1], c.name).toEqual([last, last + c.tau]);
      expect(rel(m.trough!.report.mean, conc(c.doses, last + c.tau)), c.name).toBeLessThan(5e-9);
      expect(rel(m.auctau!.report.mean, auc(c.doses, last + c.tau) - auc(c.doses, last)), c.name).toBeLessThan(2e-4);
      expect(err.includes('W_IRREGULAR_DOSE'), c.name).toBe(!c.regularEnd);
    }
  }, 240_000);

  it('q12h, the 36-h dose at 36.25 h, grid to 96 h: trough 0.1612 at 72 h (was 9.9e-7 at 96 h), warned naming it', async () => {
    const doses = [0, 12, 24, 36.25, 48, 60];
    const { m, err } = await populationMetrics(iv, json('d.json', chart(doses, 96)), ['trough']);
    expect([m.trough!.t0, m.trough!.t1]).toEqual([60, 72]);
    expect(conc(doses, 72)).toBeCloseTo(0.1612, 4);
    expect(rel(m.trough!.report.mean, conc(doses, 72))).toBeLessThan(5e-9);
    expect(err).toContain('W_IRREGULAR_DOSE');
    expect(err).toContain('the dose at 36.25 h (doses.3) 0.25 h late');
    expect(err).toContain('judged on the interval 60–72 h');
  }, 60_000);
});

describe('no regular spacing, the rest of the profile longer than any gap', () => {
  const irregular = chart([0, 10, 24], 40);
  it('the interval metrics are read over it as before, now warned naming the doses; auc24 alone is not', async () => {
    const t = times(irregular);
    const w = judgedDoseWarning(t, 'r.json', ['trough', 'auc24']);
    expect(w).toMatch(/^W_IRREGULAR_DOSE: r\.json: the doses have no II and no regular spacing \(given at 0 h \(doses\.0\), 10 h \(doses\.1\), 24 h \(doses\.2\): gaps of 10, 14 h\)/);
    expect(w).toContain('so trough is judged on 24–40 h');
    expect(judgedDoseWarning(t, 'r.json', ['auc24'])).toBeUndefined();
    // a rest no longer than the longest gap (24–36 h) is said too: it is no interval the records state
    expect(judgedDoseWarning(times(chart([0, 10, 24], 36)), 'r.json', ['trough'])).toContain('the rest of the profile after it (24–36 h, 12 h) is read as its interval');
    const { err } = await populationMetrics(iv, json('i.json', irregular), ['trough']);
    expect(err).toContain('W_IRREGULAR_DOSE');
  }, 60_000);
});

describe("pta's per 24 h over a held or drifted dose", () => {
  const dose = (doses: number[]) => regimenDose(parseRegimenJson(chart(doses, 96), 'r.json'));
  it('q12h with the 48-h dose held: 2000 (was 1000); drifted 15 min early: 2000', () => {
    expect(dose([0, 12, 24, 36, 60])).toEqual({ dose: 1000, interval: 12, dailyDose: 2000 });
    expect(dose([0, 12, 24, 36, 47.75, 60])).toEqual({ dose: 1000, interval: 12, dailyDose: 2000 });
    expect(dose([0, 12, 24, 36.25, 48, 60])).toEqual({ dose: 1000, interval: 12, dailyDose: 2000 });
    expect(dose([0, 6, 12, 18, 30])).toEqual({ dose: 1000, interval: 6, dailyDose: 4000 });
  });

  it('the pta line: "1000 q12h, per 24 h 2000"', async () => {
    const r = await cli(['pta', '--model', iv, '--regimens', json('held.json', chart([0, 12, 24, 36, 60], 72)), '--target', 'trough:0.1:1', '--n', '4', '--seed', '1', '--workers', '0', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^held\s+1000 q12h\s+2000\s/m);
    expect(r.err).toContain('W_IRREGULAR_DOSE');
  }, 60_000);
});
