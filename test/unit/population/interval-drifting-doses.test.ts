// Doses without II whose times all drift by minutes (an EHR chart) had their interval read from the
// last gaps or the rest of the profile without a word (1-cmt IV, CL 10, V 20; closed forms checked
// against scipy quad):
// - q8h, 0.5-h bags at 6, 14, 22:05, 30, 38:10 and 46 h, grid to 50 h: "trough" 7.843 at 50 h, Cavg
//   21.62 over 46–50 h, pta trough:2:100 100 %; the last whole interval 38.17–46 h gives 1.150, 12.72.
// - q48h, 1-h bags at 0, 48, 98 (2 h late) and 144 h, grid to 192 h: auc24 0.0008 over 168–192 h,
//   where AUCτ·24/48 is 50.0; weekly with a dose a day late: auc24 7e-30 for 14.3.
// - q6h with two doses off (0, 6, 12, 17.5, 23.75, 30 h): the last two gaps' 6.25 h read as τ.
// Each is now warned W_IRREGULAR_DOSE (the numbers are the same: the records state no interval).
// Regular charts, a loading dose (gaps 6, 12, 12 h) and a dose held (chart spacing) say nothing new.

import { describe, expect, it } from 'vitest';
import { IV_MODEL, jsonFiles, populationMetrics } from './metric-run.js';
import { regimenDose } from '../../../src/design/pta/pta.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';
import { judgedDoseWarning, regimenTimesOf } from '../../../src/population/metrics.js';

const { json } = jsonFiles('dosewise-interval-drifting-');
const iv = json('m_iv.json', IV_MODEL);
const bag = (time: number, dur = 1, amt = 1000) => ({ time, amt, cmt: 1, dur });
const grid = (to: number, step = 0.25) => [{ grid: { from: 0, to, step } }];

const A7 = { doses: [6, 14, 22.0833, 30, 38.1667, 46].map((t) => bag(t, 0.5)), observe: grid(50) };
const Q48 = { doses: [0, 48, 98, 144].map((t) => bag(t)), observe: grid(192, 0.5) };
const WEEKLY = { doses: [0, 168, 360, 504].map((t) => bag(t)), observe: grid(672, 1) };
const Q6 = { doses: [0, 6, 12, 17.5, 23.75, 30].map((t) => bag(t, 0.5)), observe: grid(36.25) };

describe('doses without II at drifting times: warned', () => {
  for (const [name, reg, metrics] of [
    ['q8h drifted by minutes, the grid ending 4 h after the last', A7, ['trough', 'cavg']],
    ['q48h with a middle dose 2 h late: auc24', Q48, ['auc24']],
    ['weekly with a dose a day late: auc24', WEEKLY, ['auc24']],
    ['q6h with two doses off, the last two gaps equal', Q6, ['trough']],
  ] as const)
    it(name, async () => {
      const { err } = await populationMetrics(iv, json(`${name.length}.json`, reg), [...metrics]);
      expect(err).toContain('W_IRREGULAR_DOSE');
      expect(err).toContain('their times drift');
    }, 60_000);

  it('regular charts, a loading dose and a held dose say nothing of drift', async () => {
    const regular = { doses: [0, 12, 24, 36, 48].map((t) => bag(t)), observe: grid(60) };
    const load = { doses: [bag(0, 1, 2000), bag(6), bag(18), bag(30)], observe: grid(42) };
    for (const reg of [regular, load]) {
      const { err } = await populationMetrics(iv, json('r.json', reg), ['trough', 'auc24']);
      expect(err).not.toContain('W_IRREGULAR_DOSE');
    }
    const held = { doses: [0, 12, 24, 48, 60].map((t) => bag(t)), observe: grid(96) };
    const { err } = await populationMetrics(iv, json('h.json', held), ['trough']);
    expect(err).not.toContain('their times drift');
  }, 60_000);

  it("pta's per 24 h of the interval before a drifted last one counts the dose the drift put out of it (2043 for 3000)", () => {
    // q8h with the 38:10 dose late, the grid ending 4 h after the last: judged on 38.17–46 h (7.833 h), and the 22-h dose had fallen out of 22.5–46 h
    const a8 = { doses: [6, 14, 22, 30, 38.1667, 46].map((t) => bag(t, 0.5)), observe: grid(50) };
    const d = regimenDose(parseRegimenJson(a8, 'a8.json'), undefined, true);
    expect(d.interval).toBeCloseTo(7.8333, 4);
    expect(d.dailyDose).toBeCloseTo(3000, 9);
    // a regular chart is as before
    expect(regimenDose(parseRegimenJson({ doses: [6, 14, 22, 30, 38, 46].map((t) => bag(t, 0.5)), observe: grid(54) }, 'q8.json'), undefined, true).dailyDose).toBeCloseTo(3000, 9);
  });
});

// Late doses whose last two gaps happen to be equal: q12h 1-h bags at 0, 12, 25, 36.5 and 48 h, grid
// to 60 h, read "q11.5h" without a word since 1e90454 (trough 0.2071 at 59.5 h where the 60-h level
// is 0.16132, +28 %; auc24 208.69 for 200.21): two gaps drifted (12, 13 h off 11.5) and two kept,
// and the rule asked for more drifted than kept. At a tie the gaps drift where the drifted ones are
// not one other spacing and do not add up to whole spacings (a late dose and the next on time:
// 12.17 + 11.83 = 24 h, no drift; 12 + 13 = 25 h, not 23). Reference: interval_judgement.py (DT).
describe('late doses, the last two gaps equal', () => {
  const DT = { trough59_5: 0.20713301573723622 };
  it('q12h at 0, 12, 25, 36.5 and 48 h: read on 48–59.5 h as before, and warned that the times drift', async () => {
    const reg = { doses: [0, 12, 25, 36.5, 48].map((t) => bag(t)), observe: grid(60, 0.05) };
    const { m, err } = await populationMetrics(iv, json('dt.json', reg), ['trough']);
    expect([m.trough!.t0, m.trough!.t1]).toEqual([48, 59.5]);
    // measured: 2e-10 (the η of Ω 1e-20)
    expect(Math.abs(m.trough!.report.mean / DT.trough59_5 - 1)).toBeLessThan(1e-8);
    expect(err).toContain('W_IRREGULAR_DOSE');
    expect(err).toContain("their times drift (given at 0 h (doses.0), 12 h (doses.1), 25 h (doses.2), 36.5 h (doses.3), 48 h (doses.4): gaps of 12, 13, 11.5, 11.5 h), so the interval is read as the last gaps' 11.5 h");
  }, 60_000);
  it('q8h boluses at 0, 8, 17, 24.5 and 32 h (a load first, or not): warned', () => {
    for (const first of [1000, 500]) {
      const reg = { doses: [0, 8, 17, 24.5, 32].map((t, i) => ({ time: t, amt: i === 0 ? first : 500, cmt: 1 })), observe: grid(40) };
      const w = judgedDoseWarning(regimenTimesOf(parseRegimenJson(reg, 'd1.json')), 'd1.json', ['trough']);
      expect(w).toContain('their times drift');
    }
  });
  it('a late dose and the next on time (12.17 + 11.83 h), a change of interval (12, 12, 10, 10 h): not drift', () => {
    for (const doses of [
      [0, 12 + 10 / 60, 24, 36, 48],
      [0, 12 + 2 / 60, 24, 36, 48],
      [0, 12, 24, 34, 44],
    ]) {
      const w = judgedDoseWarning(regimenTimesOf(parseRegimenJson({ doses: doses.map((t) => bag(t)), observe: grid(72) }, 'r.json')), 'r.json', ['trough']);
      expect(w ?? '').not.toContain('their times drift');
    }
  });
  // q6h then q8h: the old 6-h gaps are 2 h off 8 h, at the quarter-of-τ limit, and with the 6-h dose
  // 2 min late (6.0333, 5.9667, 6, 6, 8, 8, 8 h) they counted as drifted gaps of q8h (3 for 3 kept),
  // warned since a7f752d; on time, and before it, not: gaps that repeat one another are a regimen
  it('q6h with the 6-h dose 2 min late, then q8h from 24 h: read on 48–56 h, nothing of drift', async () => {
    const chart = { doses: [0, 6 + 2 / 60, 12, 18, 24, 32, 40, 48].map((t) => bag(t, 0.5)), observe: grid(56, 0.1) };
    const t = regimenTimesOf(parseRegimenJson(chart, 'r.json'));
    expect(t).toMatchObject({ tau: 8, lastDose: 48 });
    expect(judgedDoseWarning(t, 'r.json', ['trough']) ?? '').not.toContain('their times drift');
    const { m, err } = await populationMetrics(iv, json('q6q8.json', chart), ['trough', 'auctau']);
    expect([m.trough!.t0, m.trough!.t1]).toEqual([48, 56]);
    expect(err).not.toContain('their times drift');
  }, 60_000);
});

describe('doses charted seconds off', () => {
  it('q12h with the second dose 1 s late: its reading (48–60 h) is right and says nothing of drift', async () => {
    const reg = { doses: [0, 12 + 1 / 3600, 24, 36, 48].map((t) => bag(t)), observe: grid(60) };
    const { m, err } = await populationMetrics(iv, json('s1.json', reg), ['trough']);
    expect([m.trough!.t0, m.trough!.t1]).toEqual([48, 60]);
    expect(err).not.toContain('their times drift');
  }, 60_000);
  it('q24h with the third dose 1 s late, grid to 100 h: read on its spacing, 72–96 h, without a word (it had no interval, warned)', async () => {
    const reg = { doses: [0, 24, 48 + 1 / 3600, 72].map((t) => bag(t)), observe: grid(100) };
    const { m, err } = await populationMetrics(iv, json('s2.json', reg), ['trough']);
    expect([m.trough!.t0, m.trough!.t1]).toEqual([72, 96]);
    expect(err).not.toContain('W_');
  }, 60_000);
  it('q12h boluses with the 12-h and 48-h doses charted 30 s late, grid to 60 h: the 12-h spacing, 48.0083–60 h (was "q12.0083h", 36–48.0083 h, W_EARLIER_INTERVAL)', async () => {
    const reg = { doses: [0, 12 + 30 / 3600, 24, 36, 48 + 30 / 3600].map((time) => ({ time, amt: 1000, cmt: 1 })), observe: grid(60, 0.05) };
    const t = regimenTimesOf(parseRegimenJson(reg, 'j3.json'));
    expect(t).toMatchObject({ tau: 12, lastDose: 48 + 30 / 3600 });
    expect(t.cutDose).toBeUndefined();
    const { m, err } = await populationMetrics(iv, json('j3.json', reg), ['trough']);
    expect([m.trough!.t0, m.trough!.t1]).toEqual([48 + 30 / 3600, 60]);
    // interval_judgement.py (J3); measured 2e-10
    expect(Math.abs(m.trough!.report.mean / 0.1247630668966601 - 1)).toBeLessThan(1e-8);
    expect(err).not.toContain('W_');
  }, 60_000);
  it('a warning gives gaps and times seconds off to the second (24.0003), not "24"', () => {
    const w = judgedDoseWarning(regimenTimesOf(parseRegimenJson({ doses: [0, 10, 24 + 1 / 3600].map((t) => bag(t)), observe: grid(40) }, 'r.json')), 'r.json', ['trough']);
    expect(w).toContain('24.0003 h (doses.2)');
    expect(w).toContain('gaps of 10, 14.0003 h');
  });
  it('a dose 1 s or 10 min off a chart is said in seconds or minutes, not "0 h late"', () => {
    const at = (late: number) => regimenTimesOf(parseRegimenJson({ doses: [0, 12, 24 + late, 36, 48].map((t) => bag(t)), observe: grid(96) }, 'r.json')).judged?.text ?? '';
    expect(at(10 / 60)).toContain('(doses.2) 10 min late');
    expect(at(-10 / 60)).toContain('(doses.2) 10 min early');
  });
});
