// Doses without II, a dose held, the last interval running past the grid's end. q12h 1000 mg over
// 1 h at 0, 12 and 24 h, the 36-h dose held, the last at 48:00:10, grid to 60 h: the chart's 12-h
// spacing put the last interval at 48.0028–60.0028 h, 10 s past the grid, so the profile "stopped
// inside it" and the metrics fell back to the gap before it, 24–48.0028 h, across the held dose
// (W_EARLIER_INTERVAL): trough 0.000399 for 0.1610 (−99.75 %), cavg 4.179 for 8.308, pta
// trough:0.1:1 0 % for 100 %. A last interval within a minute of the grid's end (SAME_GAP_HOURS) is
// now the last interval, read up to the grid's end; where the grid ends earlier and the interval
// before the last spans a held dose, the last is still read (up to the grid's end) and warned
// (W_SHORT_INTERVAL), never the held gap.
//
// References: test/oracle/interval_judgement.py (GH, GH5, GH3), superposition of the closed form.

import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { IV_MODEL, jsonFiles, populationMetrics, rel } from './metric-run.js';
import { earlierIntervalWarning, regimenTimesOf } from '../../../src/population/metrics.js';
import { regimenDose } from '../../../src/design/pta/pta.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';

const S = 1 / 3600;
const M = 1 / 60;
const GH = { trough60: 0.16102640781089422, auctauTo60: 99.6787452323576, cavgTo60: 8.308485363197207, auc24_36_60: 100.00035018898917 };
const GH5 = { trough71_9: 0.16214858241134927 };
const GH3 = { trough59_5: 0.20647503203818604 };

const { json } = jsonFiles('dosewise-interval-grid-end-hold-');
const iv = json('m_iv.json', IV_MODEL);
const chart = (times: readonly number[], to: number) => ({ doses: times.map((time) => ({ time, amt: 1000, cmt: 1, dur: 1 })), observe: [{ grid: { from: 0, to, step: 0.05 } }] });
const times = (reg: object) => regimenTimesOf(parseRegimenJson(reg, 'r.json'));

const H1 = chart([0, 12, 24, 48 + 10 * S], 60);
const H5 = chart([0, 12, 24, 36, 60 - 5 * M], 71.9);
const H3 = chart([0, 12, 24, 48], 59.5);

describe('a held dose and a last interval past the grid end', () => {
  it('a last interval 10 s past the grid end is the last interval, read up to the grid end (not 24–48 h across the hold)', async () => {
    const t = times(H1);
    expect(t).toMatchObject({ tau: 12, lastDose: 48 + 10 * S });
    expect(t.cutDose).toBeUndefined();
    const { m, err } = await populationMetrics(iv, json('h1.json', H1), ['trough', 'auctau', 'cavg', 'auc24']);
    expect([m.trough!.t0, m.trough!.t1]).toEqual([48 + 10 * S, 60]);
    // measured: trough 2.3e-10; auctau, cavg and auc24 4.1e-5 (the 0.05-h grid's trapezoids)
    expect(rel(m.trough!.report.mean, GH.trough60)).toBeLessThan(1e-8);
    expect(rel(m.auctau!.report.mean, GH.auctauTo60)).toBeLessThan(1e-4);
    expect(rel(m.cavg!.report.mean, GH.cavgTo60)).toBeLessThan(1e-4);
    expect([m.auc24!.t0, m.auc24!.t1]).toEqual([36, 60]);
    expect(rel(m.auc24!.report.mean, GH.auc24_36_60)).toBeLessThan(1e-4);
    expect(err).not.toContain('W_EARLIER_INTERVAL');
    expect(err).not.toContain('W_SHORT_INTERVAL');
    // the held dose is still said
    expect(err).toContain('none given at 36 h (held)');
  }, 60_000);

  it("pta: trough:0.1:1 met, per 24 h 2000", async () => {
    const d = regimenDose(parseRegimenJson(H1, 'h1.json'), undefined, true);
    expect(d.interval).toBe(12);
    expect(d.dailyDose).toBeCloseTo(2000, 9);
    const r = await cli(['pta', '--model', iv, '--regimen', json('h1p.json', H1), '--target', 'trough:0.1:1', '--n', '4', '--seed', '1', '--workers', '0', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^h1p\s+1000 q12h\s+2000\s+100\.0 \[/m);
    expect(r.err).not.toContain('W_EARLIER_INTERVAL');
  }, 60_000);

  it('held, the last dose 5 min early, its interval a minute past the grid end: the last interval', async () => {
    const t = times(H5);
    expect(t).toMatchObject({ tau: 12, lastDose: 60 - 5 * M });
    expect(t.cutDose).toBeUndefined();
    const { m, err } = await populationMetrics(iv, json('h5.json', H5), ['trough']);
    expect([m.trough!.t0, m.trough!.t1]).toEqual([60 - 5 * M, 71.9]);
    // measured: 2.3e-10
    expect(rel(m.trough!.report.mean, GH5.trough71_9)).toBeLessThan(1e-8);
    expect(err).not.toContain('W_EARLIER_INTERVAL');
  }, 60_000);

  it('the grid ending 30 min before the last interval does, the interval before it a held gap: the last read up to the grid end, warned', async () => {
    const t = times(H3);
    expect(t).toMatchObject({ tau: 12, lastDose: 48 });
    expect(t.cutDose).toBeUndefined();
    const w = earlierIntervalWarning(t, 'h3.json', ['trough']);
    expect(w).toBe(
      'W_SHORT_INTERVAL: h3.json: the observation grid ends at 59.5 h, inside the interval of the dose at 48 h (48–60 h), and the interval before it (24–48 h) spans a held dose (none given at 36 h), no interval of the regimen, ' +
        'so trough is judged on 48–59.5 h, the part of the last interval the profile holds (0.5 h short of it); to judge the whole interval, observe up to 60 h (add the time 60 to "observe", or a grid step that ends on it)',
    );
    const { m, err } = await populationMetrics(iv, json('h3.json', H3), ['trough']);
    expect([m.trough!.t0, m.trough!.t1]).toEqual([48, 59.5]);
    // measured: 2.2e-10
    expect(rel(m.trough!.report.mean, GH3.trough59_5)).toBeLessThan(1e-8);
    expect(err).toContain(`dosewise: warning: W_SHORT_INTERVAL: ${json('h3.json', H3)}: the observation grid ends at 59.5 h`);
    expect(err).not.toContain('W_EARLIER_INTERVAL');
  }, 60_000);

  it('a regular chart whose grid ends inside its last interval still falls back to the one before it', () => {
    const t = times(chart([0, 12, 24, 36, 48], 59.5));
    expect(t).toMatchObject({ tau: 12, lastDose: 36, cutDose: 48 });
  });

  // 1000/500 mg alternating q6h boluses, the 18-h 500 mg charted 5 s early: the 500 mg at most half
  // the 12-h dose and 5 s inside its interval was read a top-up of it, the 18-h place "held", and the
  // grid ending at 29.75 h was warned W_SHORT_INTERVAL "spans a held dose (none given at 18 h)" and
  // W_IRREGULAR_DOSE "(none given at 18 h (held))", read on 24–29.75 h. Within a minute of its place
  // the dose is that place's: the chart is regular, read as on time (18–24 h, W_EARLIER_INTERVAL)
  it('alternating 1000/500 mg q6h, the 18-h dose 5 s early, grid to 29.75 h: no held dose, the interval before (18–24 h)', async () => {
    const ALT = {
      doses: [0, 6, 12, 18 - 5 * S, 24].map((time, i) => ({ time, amt: i % 2 ? 500 : 1000, cmt: 1 })),
      observe: [{ grid: { from: 0, to: 29.991667, step: 0.25 } }],
    };
    const { m, err } = await populationMetrics(iv, json('alt.json', ALT), ['trough', 'auctau', 'auc24']);
    expect(err).not.toContain('held');
    expect(err).not.toContain('W_SHORT_INTERVAL');
    expect(err).not.toContain('W_IRREGULAR_DOSE');
    expect(err).toContain('W_EARLIER_INTERVAL');
    expect(m.trough!.t0).toBeCloseTo(18 - 5 * S, 9);
    expect(m.trough!.t1).toBe(24);
    // closed form: boluses, C(t) = Σ amt/V·exp(−CL/V·(t − tᵢ)) just before the 24-h dose; measured 1e-10
    const trough24 = ALT.doses.slice(0, 4).reduce((c, d) => c + (d.amt / 20) * Math.exp((-10 / 20) * (24 - d.time)), 0);
    expect(rel(m.trough!.report.mean, trough24)).toBeLessThan(1e-6);
    // auc24 is the day 0–24 h (a τ 5 s off 6 h divides 24 h, as charted), not one 500-mg interval
    // × 24/6.0014 (209.46): Σ amt/CL·(1 − exp(−CL/V·(24 − tᵢ))) = 297.26; measured 1e-5 (0.25-h grid)
    expect([m.auc24!.t0, m.auc24!.t1]).toEqual([0, 24]);
    const auc24 = ALT.doses.slice(0, 4).reduce((a, d) => a + (d.amt / 10) * (1 - Math.exp((-10 / 20) * (24 - d.time))), 0);
    expect(rel(m.auc24!.report.mean, auc24)).toBeLessThan(1e-4);
  }, 60_000);

  // τ within a minute of 24 h but not 24 h: the window b − 24 started after the interval's own bolus
  // (q24h, the last dose 30 s late: 48.0083–72.0083 h, 99.584 for 100); the whole interval, scaled
  it('q24h boluses, the last 30 s late: auc24 is the interval 48–72.0083 h × 24/24.0083 (D/CL = 100)', async () => {
    const LATE = { doses: [0, 24, 48, 72 + 30 * S].map((time) => ({ time, amt: 1000, cmt: 1 })), observe: [{ grid: { from: 0, to: 90, step: 0.05 } }] };
    const { m } = await populationMetrics(iv, json('late30s.json', LATE), ['auc24']);
    expect(m.auc24!.t0).toBe(48);
    expect(m.auc24!.t1).toBeCloseTo(72 + 30 * S, 9);
    // closed form: Σ amt/CL·(e^(−k(48 − tᵢ)) − e^(−k(b − tᵢ))) over doses before 48 h and the 48-h one, × 24/24.0083; measured 4e-11 (boluses: the log-down rule is exact)
    const b = 72 + 30 * S;
    const auc = [0, 24, 48].reduce((a, ti) => a + (1000 / 10) * (Math.exp(-0.5 * (48 - ti)) - Math.exp(-0.5 * (b - ti))), 0) * (24 / (b - 48));
    expect(rel(m.auc24!.report.mean, auc)).toBeLessThan(1e-9);
    expect(auc).toBeCloseTo(99.965, 3);
  }, 60_000);

  // the same dose 6 or 30 min early was read a top-up too, the 18-h place "held": about the amount of
  // the dose a place before (the 6-h 500 mg), within a quarter before its place and no other dose near
  // it, it is that place's dose given early (17.9–24 h, 17.5–24 h, as 18.1 h and 18.5 h late read)
  it('alternating 1000/500 mg q6h, the 18-h dose 6 or 30 min early: no held dose; a 250-mg top-up of 1000 mg q12h stays one', () => {
    for (const t18 of [17.9, 17.5]) {
      const t = times({ doses: [0, 6, 12, t18, 24].map((time, i) => ({ time, amt: i % 2 ? 500 : 1000, cmt: 1 })), observe: [{ grid: { from: 0, to: 29.75, step: 0.25 } }] });
      expect(t).toMatchObject({ lastDose: t18, cutDose: 24 });
      expect(t.tau).toBeCloseTo(24 - t18, 9);
      expect(t.short).toBeUndefined();
    }
    const topUp = times({ doses: [0, 12, 24, 36, 46, 48].map((time) => ({ time, amt: time === 46 ? 250 : 1000, cmt: 1 })), observe: [{ grid: { from: 0, to: 60, step: 0.25 } }] });
    expect(topUp).toMatchObject({ tau: 12, lastDose: 48 });
  });
});
