// Which dosing interval the interval metrics judge where the records do not state it (a tester's
// cases, CL 10, V 20, 1-h infusions of 1000 mg unless said):
// 1. doses without II, the last off the regular spacing: 0, 24, 48, 71 h had no interval (auc24 78.69
//    on 72–96 h, PTA 0 %, 2000 per 24 h; with ii 24: 100.00 on 71–95 h); q12h with the last at 59 h
//    a "trough" 13 h after it (0.0979 for 0.1615 at 71 h), pta trough:0.1:1 0 % for 100 %, 3000 per
//    24 h. The last dose now starts an interval of the regular spacing, as with II, warned
//    W_IRREGULAR_DOSE; late (61 h) on a grid to 72 h, the interval before it (W_EARLIER_INTERVAL).
// 2. q12h 1-h bags without II with a 250-mg bolus 1 min (15, 30 min) in: trough refused as "an
//    infusion of 1 h, still running when the next dose would be due by the 12-h spacing", auc24
//    labelled "1000 continuous over 1 h". The bolus is part of the dose, as with II (1250 q12h).
// 3. 6000 mg over 24 h, ii 24, with a 1000-mg bolus at 60 h: judged 60–72 h (auctau 399.75, "1000").
//    The bag's interval 48–72 h now, W_EXTRA_DOSE.
// 4. q12h, then 500 mg over 0.5 h at 60 h and at 60.75 h (a pause), no II: judged 60.75–72 h
//    (auctau 88.92). One dose: 60–72 h.
// 5. a top-up of 250 mg 4 h (6 h) into q12h 1000 mg, or 500 mg 4 h into an 8-h bag q8h: judged
//    64–72 h (auctau 41.82, cmax 21.30, "250"). Within the regular dose's interval, W_EXTRA_DOSE.
//
// References: test/oracle/interval_judgement.py (python3 scipy, run once): superposition of the
// closed forms, AUCs by scipy.integrate.quad split at the dose and infusion ends.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { IV_MODEL, jsonFiles, populationMetrics, rel } from './metric-run.js';
import { regimenTimesOf } from '../../../src/population/metrics.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';

const { dir, json } = jsonFiles('dosewise-interval-judgement-');
const iv = json('m_iv.json', IV_MODEL);
const grid = (to: number) => [{ grid: { from: 0, to, step: 0.05 } }];
const bag = (time: number, more: object = {}) => ({ time, amt: 1000, cmt: 1, dur: 1, ...more });
const q12 = [0, 12, 24, 36, 48, 60];
const W3 = { doses: [0, 24, 48, 71].map((t) => bag(t)), observe: grid(96) };
const N = { doses: [0, 12, 24, 36, 48, 59].map((t) => bag(t)), observe: grid(72) };
const O = { doses: [0, 12, 24, 36, 48, 61].map((t) => bag(t)), observe: grid(72) };
const U = (lead: number) => ({ doses: q12.flatMap((t) => [bag(t), { time: t + lead, amt: 250, cmt: 1 }]), observe: grid(72) });
const T1 = { doses: [{ time: 0, amt: 6000, cmt: 1, dur: 24, ii: 24, addl: 2 }, { time: 60, amt: 1000, cmt: 1 }], observe: grid(72) };
const V3 = { doses: [...[0, 12, 24, 36, 48].map((t) => bag(t)), { time: 60, amt: 500, cmt: 1, dur: 0.5 }, { time: 60.75, amt: 500, cmt: 1, dur: 0.5 }], observe: grid(72) };
const E = { doses: [bag(0, { ii: 12, addl: 5 }), { time: 64, amt: 250, cmt: 1 }], observe: grid(72) };
const V4 = { doses: [...q12.map((t) => bag(t)), { time: 66, amt: 250, cmt: 1 }], observe: grid(72) };
const T3 = { doses: [{ time: 0, amt: 2000, cmt: 1, dur: 8, ii: 8, addl: 8 }, { time: 68, amt: 500, cmt: 1 }], observe: grid(72) };

// test/oracle/interval_judgement.py
const W3_AUC24 = 100.00051714518932;
const W3_TROUGH = 0.0003985921622900677;
const N_TROUGH = 0.16146071988526373;
const N_AUC24 = 200.20863125974466;
const O_TROUGH = 0.09777365502909346;
const U6_TROUGH = 0.1925228269582169;
const U6_AUC24 = 249.99999999998542;
const T1_AUCTAU = 699.7521247804457;
const V3_AUCTAU = 99.97592700888731;
const E_AUCTAU = 124.54210902778163;
const E_CMAX = 39.444313220582565;
const V4_AUCTAU = 123.7553232908034;
const T3_AUCTAU = 243.2332358381687;

const times = (reg: object) => regimenTimesOf(parseRegimenJson(reg, 'r.json'));
const population = (regimen: object, name: string, metrics: string[]) => populationMetrics(iv, json(name, regimen), metrics);

describe('regimenTimesOf: the interval judged, and what was judged', () => {
  it('a last dose without II off the regular spacing starts an interval of it (was none)', () => {
    expect(times(W3)).toMatchObject({ tau: 24, lastDose: 71, judged: { code: 'W_IRREGULAR_DOSE', time: 71, place: 'doses.3' } });
    expect(times(N)).toMatchObject({ tau: 12, lastDose: 59, judged: { code: 'W_IRREGULAR_DOSE' } });
    // late, on a grid to 72 h: the interval before it, up to it
    expect(times(O)).toMatchObject({ tau: 13, lastDose: 48, cutDose: 61 });
    expect(times(O).judged).toBeUndefined();
    // irregular from the start (0, 10, 24 h) still has none
    expect(times({ doses: [0, 10, 24].map((t) => bag(t)), observe: grid(40) })).toMatchObject({ tau: 0, lastDose: 24 });
  });

  it('a bolus within a short bag without II is part of its dose (was a continuous infusion)', () => {
    for (const lead of [1 / 60, 0.25, 0.5]) {
      const t = times(U(lead));
      expect(t).toMatchObject({ tau: 12, lastDose: 60 });
      expect(t.continuous).toBeUndefined();
      expect(t.judged).toBeUndefined();
    }
  });

  it('a dose within a running infusion with II, a paused dose, a top-up: within the regular dose\'s interval', () => {
    expect(times(T1)).toMatchObject({ tau: 24, lastDose: 48, judged: { code: 'W_EXTRA_DOSE', time: 60, place: 'doses.1' } });
    expect(times(V3)).toMatchObject({ tau: 12, lastDose: 60 });
    expect(times(V3).judged).toBeUndefined();
    expect(times(E)).toMatchObject({ tau: 12, lastDose: 60, judged: { code: 'W_EXTRA_DOSE', time: 64 } });
    expect(times(V4)).toMatchObject({ tau: 12, lastDose: 60, judged: { code: 'W_EXTRA_DOSE', time: 66, place: 'doses.6' } });
    expect(times(T3)).toMatchObject({ tau: 8, lastDose: 64, judged: { code: 'W_EXTRA_DOSE', time: 68 } });
  });
});

describe('population', () => {
  it('0, 24, 48, 71 h without II: auc24 and trough on 71–95 h, 100.0005 (was 78.69 on 72–96 h), warned', async () => {
    const r = await cli(['population', '--model', iv, '--regimen', json('w3.json', W3), '--n', '4', '--seed', '1', '--workers', '0', '--no-progress', '--metric', 'auc24', '--metric', 'trough', '--json']);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as { metrics: { name: string; t0: number; t1: number; report: { mean: number } }[]; warnings: string[] };
    const [auc24, trough] = out.metrics;
    expect([auc24!.t0, auc24!.t1, trough!.t0, trough!.t1]).toEqual([71, 95, 71, 95]);
    // measured: auc24 4.1e-5 (the 0.05-h grid's quadrature), trough below 5e-6
    expect(rel(auc24!.report.mean, W3_AUC24)).toBeLessThan(2e-4);
    expect(rel(trough!.report.mean, W3_TROUGH)).toBeLessThan(5e-6);
    const w = 'W_IRREGULAR_DOSE: ' + join(dir, 'w3.json') + ': the last dose (at 71 h, doses.3) has no II and comes 23 h after the dose before it, 1 h early by the 24-h spacing';
    expect(r.err).toContain(w);
    expect(out.warnings.some((x) => x.startsWith(w) && x.includes('judged on the interval 71–95 h'))).toBe(true);
  }, 60_000);

  it('q12h, the last at 59 h: trough at 71 h 0.1615 (was 0.0979 at 72 h); late at 61 h: 48–61 h, W_EARLIER_INTERVAL', async () => {
    const { m, err } = await population(N, 'n.json', ['trough', 'auc24']);
    expect([m.trough!.t0, m.trough!.t1, m.auc24!.t0, m.auc24!.t1]).toEqual([59, 71, 47, 71]);
    expect(rel(m.trough!.report.mean, N_TROUGH)).toBeLessThan(1e-5);
    // measured 4.1e-5 (the grid's quadrature)
    expect(rel(m.auc24!.report.mean, N_AUC24)).toBeLessThan(2e-4);
    expect(err).toContain('W_IRREGULAR_DOSE');
    const o = await population(O, 'o.json', ['trough']);
    expect([o.m.trough!.t0, o.m.trough!.t1]).toEqual([48, 61]);
    expect(rel(o.m.trough!.report.mean, O_TROUGH)).toBeLessThan(1e-5);
    expect(o.err).toContain('W_EARLIER_INTERVAL');
  }, 60_000);

  it('a bolus 1 min into each 1-h bag, no II: trough 0.1925 on 60–72 h, auc24 250 (trough was refused), no warning', async () => {
    const { m, err } = await population(U(1 / 60), 'u6.json', ['trough', 'auc24']);
    expect([m.trough!.t0, m.trough!.t1]).toEqual([60, 72]);
    // measured: auc24 2.7e-5 (the grid's quadrature)
    expect(rel(m.trough!.report.mean, U6_TROUGH)).toBeLessThan(1e-5);
    expect(rel(m.auc24!.report.mean, U6_AUC24)).toBeLessThan(2e-4);
    expect(err).not.toContain('W_');
  }, 60_000);

  it('a 1000-mg bolus 12 h into a 24-h bag with II: auctau 699.75 and cavg 29.156 on 48–72 h (was 399.75, 33.31 on 60–72 h), W_EXTRA_DOSE', async () => {
    const { m, err } = await population(T1, 't1.json', ['auctau', 'cavg']);
    expect([m.auctau!.t0, m.auctau!.t1]).toEqual([48, 72]);
    expect(rel(m.auctau!.report.mean, T1_AUCTAU)).toBeLessThan(2e-4);
    expect(rel(m.cavg!.report.mean, T1_AUCTAU / 24)).toBeLessThan(2e-4);
    expect(err).toContain('W_EXTRA_DOSE: ' + join(dir, 't1.json') + ': the dose at 60 h (doses.1, AMT 1000) comes 12 h into the 24-h interval of the dose at 48 h (AMT 6000)');
  }, 60_000);

  it('a dose resumed 15 min after a pause: one dose, auctau 99.976 on 60–72 h (was 88.92 on 60.75–72 h)', async () => {
    const { m } = await population(V3, 'v3.json', ['auctau', 'cavg']);
    expect([m.auctau!.t0, m.auctau!.t1]).toEqual([60, 72]);
    expect(rel(m.auctau!.report.mean, V3_AUCTAU)).toBeLessThan(2e-4);
    expect(rel(m.cavg!.report.mean, V3_AUCTAU / 12)).toBeLessThan(2e-4);
  }, 60_000);

  it('top-ups past the first quarter: on the regular dose\'s interval, W_EXTRA_DOSE (E auctau 124.54 for 41.82, cmax 39.44 for 21.30)', async () => {
    const e = await population(E, 'e.json', ['auctau', 'cmax']);
    expect([e.m.auctau!.t0, e.m.auctau!.t1]).toEqual([60, 72]);
    expect(rel(e.m.auctau!.report.mean, E_AUCTAU)).toBeLessThan(2e-4);
    // the grid's maximum (0.05 h): measured −1.6e-4
    expect(rel(e.m.cmax!.report.mean, E_CMAX)).toBeLessThan(1e-3);
    expect(e.err).toContain('the dose at 64 h (doses.1, AMT 250) comes 4 h into the 12-h interval of the dose at 60 h (AMT 1000), at most half of it');
    const v4 = await population(V4, 'v4.json', ['auctau']);
    expect([v4.m.auctau!.t0, v4.m.auctau!.t1]).toEqual([60, 72]);
    expect(rel(v4.m.auctau!.report.mean, V4_AUCTAU)).toBeLessThan(2e-4);
    expect(v4.err).toContain('W_EXTRA_DOSE');
    const t3 = await population(T3, 't3.json', ['auctau']);
    expect([t3.m.auctau!.t0, t3.m.auctau!.t1]).toEqual([64, 72]);
    expect(rel(t3.m.auctau!.report.mean, T3_AUCTAU)).toBeLessThan(2e-4);
    expect(t3.err).toContain("given while that dose's infusion runs");
  }, 120_000);
});

describe('pta', () => {
  it('q12h, the last at 59 h: trough:0.1:1 100 % (was 0 %), "1000 q12h, per 24 h 2000" (was 3000), warned in --json too', async () => {
    const r = await cli(['pta', '--model', iv, '--regimens', json('n.json', N), '--target', 'trough:0.1:1', '--n', '20', '--seed', '1', '--workers', '0', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^n\s+1000 q12h\s+2000\s+100\.0 \[/m);
    expect(r.err).toContain('W_IRREGULAR_DOSE');
    const j = await cli(['pta', '--model', iv, '--regimens', json('n.json', N), '--target', 'trough:0.1:1', '--n', '4', '--seed', '1', '--workers', '0', '--no-progress', '--json']);
    expect((JSON.parse(j.out) as { warnings: string[] }).warnings.some((w) => w.startsWith('W_IRREGULAR_DOSE'))).toBe(true);
  }, 60_000);

  it('a bolus 12 h into a 24-h bag with II: cavg:20:30 100 % on 48–72 h (was 0 % on 60–72 h)', async () => {
    const r = await cli(['pta', '--model', iv, '--regimens', json('t1.json', T1), '--target', 'cavg:20:30', '--n', '20', '--seed', '1', '--workers', '0', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^t1\s+7000 q24h\s+7000\s+100\.0 \[/m);
    expect(r.err).toContain('W_EXTRA_DOSE');
  }, 60_000);
});

describe('a change to half the dose at a shorter interval is a new regimen, not a top-up', () => {
  // 1000 mg over 1 h q12h to 48 h, then 500 mg over 0.5 h q8h (56, 64, 72) or q6h (54, 60, 66), no
  // II: the first half dose was folded into the 48-h dose as a top-up, leaving no interval (q8h:
  // trough 72–96 h 0.00018, auc24 51.06, pta trough:0.3:2 0 %; q6h judged 66–78 h as "6 h early",
  // trough 0.0741). References (python3, superposition of the infusion closed form, quad):
  // C(80) 0.5299205177791912, AUC(56–80) 151.3224128882573; q6h C(72) 1.4883868765524082,
  // AUC(66–72) 50.00824203930961.
  const q8 = { doses: [...[0, 12, 24, 36, 48].map((t) => bag(t)), ...[56, 64, 72].map((time) => ({ time, amt: 500, cmt: 1, dur: 0.5 }))], observe: grid(96) };
  const q6 = { doses: [...[0, 12, 24, 36, 48].map((t) => bag(t)), ...[54, 60, 66].map((time) => ({ time, amt: 500, cmt: 1, dur: 0.5 }))], observe: grid(78) };
  it('q8h: judged 72–80 h', async () => {
    const { m } = await populationMetrics(iv, json('q8.json', q8), ['trough', 'auc24']);
    expect([m.trough!.t0, m.trough!.t1, m.auc24!.t0, m.auc24!.t1]).toEqual([72, 80, 56, 80]);
    expect(rel(m.trough!.report.mean, 0.5299205177791912)).toBeLessThan(1e-5);
    expect(rel(m.auc24!.report.mean, 151.3224128882573)).toBeLessThan(2e-4);
  }, 60_000);
  it('q6h: judged 66–72 h', async () => {
    const { m } = await populationMetrics(iv, json('q6.json', q6), ['trough', 'auctau']);
    expect([m.trough!.t0, m.trough!.t1]).toEqual([66, 72]);
    expect(rel(m.trough!.report.mean, 1.4883868765524082)).toBeLessThan(1e-5);
    expect(rel(m.auctau!.report.mean, 50.00824203930961)).toBeLessThan(2e-4);
  }, 60_000);
});

describe('two top-ups in one interval, the second smaller than half the first', () => {
  // 1000 mg over 1 h q12h to 48 h, then boluses of 250 mg at 52 h and 50 mg at 53 h, grid to 60 h:
  // the 250-mg top-up was taken for the start of a regimen because the dose after it (50 mg) is
  // "less than twice" it, with no "more than half": judged 52–60 h without a word, auctau 46.67 for
  // 129.39. Both are top-ups within 48–60 h (W_EXTRA_DOSE). test/oracle/interval_judgement.py (TT).
  const TT = { doses: [...[0, 12, 24, 36, 48].map((t) => bag(t)), { time: 52, amt: 250, cmt: 1 }, { time: 53, amt: 50, cmt: 1 }], observe: grid(60) };
  it('judged on 48–60 h, warned', async () => {
    const { m, err } = await population(TT, 'tt.json', ['trough', 'auctau']);
    expect([m.trough!.t0, m.trough!.t1, m.auctau!.t0, m.auctau!.t1]).toEqual([48, 60, 48, 60]);
    expect(rel(m.trough!.report.mean, 0.4656404494255364)).toBeLessThan(1e-9);
    expect(rel(m.auctau!.report.mean, 129.39112211065793)).toBeLessThan(1e-4);
    expect(err).toContain('W_EXTRA_DOSE');
  }, 60_000);
});
