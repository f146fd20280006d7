// Two doses without II inside the last interval of a regimen, each at most half its dose (250 mg at
// 52 and 56 h after 1000 mg q12h to 48 h, 1-cmt IV, CL 10, V 20): their equal gaps read as a new
// regimen of 250 mg q4h, the last interval 56–60 h (auctau 26.54), where read as two top-ups of the
// 48-h dose the interval is 48–60 h (auctau 145.64). Which one the chart means, the records do not
// say; the reading is kept (a change of regimen is read from two doses everywhere else) and warned.
//
// References: closed-form superposition of the bags (1-h infusions of 1000 mg, 0.5-h of 250 mg),
// AUC by mass balance, as in interval-regressions.test.ts.

import { describe, expect, it } from 'vitest';
import { IV_MODEL, jsonFiles, populationMetrics, rel } from './metric-run.js';
import { judgedDoseWarning, regimenTimesOf } from '../../../src/population/metrics.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';

const { json } = jsonFiles('dosewise-two-dose-regimen-');
const iv = json('m_iv.json', IV_MODEL);
const grid = (to: number) => [{ grid: { from: 0, to, step: 0.05 } }];
const bag = (time: number, amt = 1000, dur = 1) => ({ time, amt, cmt: 1, dur });
const q12 = [0, 12, 24, 36, 48].map((t) => bag(t));

const CL = 10;
const V = 20;
const K = CL / V;
type Dose = ReturnType<typeof bag>;
const conc = (doses: readonly Dose[], t: number): number =>
  doses.reduce((s, d) => {
    if (t <= d.time) return s;
    const R = d.amt / d.dur;
    return s + (t <= d.time + d.dur ? (R / CL) * (1 - Math.exp(-K * (t - d.time))) : (R / CL) * (1 - Math.exp(-K * d.dur)) * Math.exp(-K * (t - d.time - d.dur)));
  }, 0);
const auc = (doses: readonly Dose[], a: number, b: number): number => {
  const infused = doses.reduce((s, d) => s + (d.amt / d.dur) * Math.max(0, Math.min(b, d.time + d.dur) - Math.max(a, d.time)), 0);
  return (infused - V * (conc(doses, b) - conc(doses, a))) / CL;
};

const times = (reg: object) => regimenTimesOf(parseRegimenJson(reg, 'r.json'));
const TOP_UPS = { doses: [...q12, bag(52, 250, 0.5), bag(56, 250, 0.5)], observe: grid(60) };

describe('two doses at most half the regimen dose inside its interval, read as a new regimen', () => {
  it('keeps the reading (56–60 h) and warns W_IRREGULAR_DOSE naming both doses and the window of the other reading', () => {
    const t = times(TOP_UPS);
    expect(t).toMatchObject({ tau: 4, lastDose: 56, judged: { code: 'W_IRREGULAR_DOSE', time: 56 } });
    const w = judgedDoseWarning(t, 'r.json', ['auctau']) as string;
    expect(w).toMatch(/^W_IRREGULAR_DOSE: r\.json: /);
    expect(w).toContain('52 h');
    expect(w).toContain('56 h');
    expect(w).toContain('48 h');
    expect(w).toContain('auc:48:60');
  });

  it('population: auctau 26.54 on 56–60 h as before, now warned; the other reading is auc:48:60 = 145.64', async () => {
    const { m, err } = await populationMetrics(iv, json('topups.json', TOP_UPS), ['auctau', 'auc:48:60']);
    expect([m.auctau!.t0, m.auctau!.t1]).toEqual([56, 60]);
    // measured: 4.1e-5 (the 0.05-h grid's quadrature of the 0.5-h bag)
    expect(rel(m.auctau!.report.mean, auc(TOP_UPS.doses, 56, 60))).toBeLessThan(1e-4);
    expect(auc(TOP_UPS.doses, 56, 60)).toBeCloseTo(26.54, 2);
    expect(rel(m['auc:48:60']!.report.mean, auc(TOP_UPS.doses, 48, 60))).toBeLessThan(1e-4);
    expect(auc(TOP_UPS.doses, 48, 60)).toBeCloseTo(145.64, 2);
    expect(err).toContain('W_IRREGULAR_DOSE');
    expect(err).toContain('auc:48:60');
  }, 60_000);

  it('says nothing of a change of regimen whose doses reach the next dose due (500 mg q6h from 54 h) or of alike doses (1000 mg q4h)', () => {
    const q6 = times({ doses: [...q12, bag(54, 500), bag(60, 500)], observe: grid(66) });
    expect(q6).toMatchObject({ tau: 6, lastDose: 60 });
    expect(q6.judged).toBeUndefined();
    const alike = times({ doses: [...q12, bag(52), bag(56)], observe: grid(60) });
    expect(alike).toMatchObject({ tau: 4, lastDose: 56 });
    expect(alike.judged).toBeUndefined();
    const q4 = times({ doses: [0, 4, 8, 12, 16].map((t) => bag(t, 250, 0.5)), observe: grid(20) });
    expect(q4.judged).toBeUndefined();
  });
});

// The other reading's window is the regimen's interval of the dose before the two: its spacing where
// a dose was held (q12h, none at 36 h: the gap before the 48-h dose is 24 h, and the advice read
// "48–72 h", refused as past the profile's end at 60 h), the regular gap before a late dose (q8h,
// the last 1000 mg at 16.5 h: "16.5–25 h" for 16.5–24.5 h), and no later than the profile's end.
describe('two doses at most half the regimen dose: the other window is the regimen spacing, up to the profile end', () => {
  const HELD = { doses: [0, 12, 24, 48].map((t) => bag(t)).concat([bag(52, 250, 0.5), bag(56, 250, 0.5)]), observe: grid(60) };
  const LATE = { doses: [0, 8, 16.5].map((t) => bag(t)).concat([bag(18.5, 250, 0.5), bag(20.5, 250, 0.5)]), observe: grid(25) };

  it('q12h with the 36-h dose held: 48–60 h (auc:48:60), not 48–72 h', () => {
    const w = judgedDoseWarning(times(HELD), 'r.json', ['auctau']) as string;
    expect(w).toContain('inside its 12-h spacing');
    expect(w).toContain('that interval is 48–60 h (auc:48:60, cavg:48:60)');
    expect(w).not.toContain('72');
  });

  it('population: the advised auc:48:60 is accepted and reads the closed form (145.32 with 0.5-h bags; 145.84 as boluses)', async () => {
    const { m, err } = await populationMetrics(iv, json('held.json', HELD), ['auctau', 'auc:48:60']);
    expect(err).toContain('auc:48:60');
    // measured: 4.1e-5 (the 0.05-h grid's quadrature of the 0.5-h bags)
    expect(rel(m['auc:48:60']!.report.mean, auc(HELD.doses, 48, 60))).toBeLessThan(1e-4);
    expect(auc(HELD.doses, 48, 60)).toBeCloseTo(145.32, 2);
  }, 60_000);

  it('q8h with the last 1000 mg 30 min late: 16.5–24.5 h, the regular 8 h', () => {
    const t = times(LATE);
    expect(t.judged?.code).toBe('W_IRREGULAR_DOSE');
    const w = judgedDoseWarning(t, 'r.json', ['auctau']) as string;
    expect(w).toContain('inside its 8-h spacing');
    expect(w).toContain('that interval is 16.5–24.5 h (auc:16.5:24.5, cavg:16.5:24.5)');
  });
});
