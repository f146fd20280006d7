// Which interval the interval metrics are judged on where one dose is written as several records, or
// a dose is given while an infusion runs (cases; each dose's interval had become "up to
// the next dose", and the next record's dose ended it):
// - one dose as two bags (1000 mg over 1 h at 0 h, 500 mg over 0.5 h at 1 h, both II 12 ADDL 6, grid
//   0–72 h): the 61-h bag ended the 60-h dose's interval, judged 61–72 h: auc24 280.31 for 300,
//   auctau 128.475 for 150, cavg 11.68 for 12.5, pta auc24:290:310 0 % for 100 %; on 0–66 h judged
//   "60–61 h", trough 39.5 for 0.2776. So too two boluses 3 min apart and a top-up with II 12.
// - the same bags without II were refused as a continuous infusion ("give dur 24, ii 24").
// - a bolus at 30 h into 250 mg/h over 72 h was judged 30–60 h as "1000 q30h": auc24 680 for 600.01.
// - pta labelled q24h then q12h judged on 24–48 h "500 q12h, per 24 h 2000" (the dose after the grid).
// - refusals: "running up to 72.08333333 h" for a bag that ends at 72 h; a forecast's refusal of its
//   future doses named "row 27" of the merged records and no file; auc24 on a 16.5-h profile "window
//   [-7.5, 16.5] starts before time 0".
//
// References (python3, computed once, not at test time): CL 10, V 20 (k 0.5/h), superposition of the
// closed form R/CL·(1 − e^(−k·s)) during an infusion, R/CL·(1 − e^(−k·d))·e^(−k(s − d)) after it and
// D/V·e^(−k·s) for a bolus; AUCs by scipy.integrate.quad split at the dose and infusion-end times:
// - the two bags q12h (0–72 h, with or without II): AUC(48–72) 299.9999999999791, AUC(60–72)
//   149.99999999999997 (Cavg 12.499999999999998), C(72⁻) 0.27756463619778105, C(60⁻) 0.2775646361977562;
// - 18 g at 250 mg/h from 0 h, 1000 mg bolus at 30 h: AUC(48–72) 600.0123409026955;
// - forecast (map example's MAP: 2-cmt CL 5.440927820968536, V 24.04259152537668, Q 6, V2 50; history
//   1000 mg over 1 h q12h × 4), future 12 g at 250 mg/h from 48 h and 1000 mg at 60 h: AUC(72–96)
//   1051.0417263455404 (it read 870.7 over 48–72 h).

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { IV_MODEL, jsonFiles, populationMetrics, rel } from './metric-run.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';

const { dir, json } = jsonFiles('dosewise-interval-composite-');
const iv = json('m_iv.json', IV_MODEL);
const grid = (to: number, step = 0.05) => [{ grid: { from: 0, to, step } }];
const bagsIi = (to: number) => ({ doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1, ii: 12, addl: 6 }, { time: 1, amt: 500, cmt: 1, dur: 0.5, ii: 12, addl: 6 }], observe: grid(to) });
const bagsNoIi = { doses: [0, 12, 24, 36, 48, 60].flatMap((t) => [{ time: t, amt: 1000, cmt: 1, dur: 1 }, { time: t + 1, amt: 500, cmt: 1, dur: 0.5 }]), observe: grid(72) };
const rebolus = { doses: [{ time: 0, amt: 18000, cmt: 1, rate: 250 }, { time: 30, amt: 1000, cmt: 1 }], observe: grid(72) };

const BAGS_AUC24 = 299.9999999999791;
const BAGS_AUCTAU = 149.99999999999997;
const BAGS_TROUGH72 = 0.27756463619778105;
const BAGS_TROUGH60 = 0.2775646361977562;
const REBOLUS_AUC24 = 600.0123409026955;
const FE_AUC24 = 1051.0417263455404;

const times = (reg: object) => regimenTimesOf(parseRegimenJson(reg, 'r.json'));
const population = (regimen: object, name: string, metrics: string[]) => populationMetrics(iv, json(name, regimen), metrics);

describe('one dose written as several records is one dose', () => {
  it('regimenTimesOf: the 60-h dose keeps 60–72 h (two bags, two boluses 3 min apart, a top-up with II 12)', () => {
    // was { tau: 11, lastDose: 61 }
    expect(times(bagsIi(72))).toMatchObject({ tau: 12, lastDose: 60 });
    // was { tau: 1, lastDose: 60 } ("60–61 h")
    expect(times(bagsIi(66))).toMatchObject({ tau: 12, lastDose: 48, cutDose: 60, cutDue: 72 });
    const twoBoluses = { doses: [{ time: 0, amt: 1000, cmt: 1, ii: 12, addl: 6 }, { time: 0.05, amt: 500, cmt: 1, ii: 12, addl: 6 }], observe: grid(72) };
    expect(times(twoBoluses)).toMatchObject({ tau: 12, lastDose: 60 });
    expect(times(twoBoluses).cutDose).toBeUndefined();
    const topUp = { doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1, ii: 12, addl: 5 }, { time: 61, amt: 250, cmt: 1, ii: 12 }], observe: grid(72) };
    expect(times(topUp)).toMatchObject({ tau: 12, lastDose: 60 });
    // a next dose that starts a regimen of its own still ends the interval early: q24h, then q12h from 36 h
    const change = { doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1, ii: 24, addl: 1 }, { time: 36, amt: 500, cmt: 1, dur: 1, ii: 12, addl: 2 }], observe: grid(72) };
    expect(times(change)).toMatchObject({ tau: 12, lastDose: 60 });
    expect(regimenTimesOf(parseRegimenJson(change, 'c.json'), 40)).toMatchObject({ tau: 12, lastDose: 24, cutDose: 36 });
  });

  it('a next dose given early starts its interval (it was read as a top-up: trough 22.28 mid-infusion for 0.1613)', () => {
    // one record per q12h dose, each with II, the last 30 min early; ADDL q12h, then a dose at 46 h with II
    const q = (t: number) => ({ time: t, amt: 1000, cmt: 1, dur: 1, ii: 12 });
    expect(times({ doses: [0, 12, 24, 36, 48, 59.5].map(q), observe: grid(72) })).toMatchObject({ tau: 12, lastDose: 59.5 });
    expect(times({ doses: [{ ...q(0), addl: 3 }, q(46)], observe: grid(72) })).toMatchObject({ tau: 12, lastDose: 46 });
    // 24-h bags, then a 3000-mg bag over 24 h at 48 h: a continuous run, not a composite dose judged on 24–48 h (trough 25, auc24 600)
    const bags = { doses: [{ time: 0, amt: 6000, cmt: 1, dur: 24 }, { time: 24, amt: 6000, cmt: 1, dur: 24 }, { time: 48, amt: 3000, cmt: 1, dur: 24 }], observe: grid(80) };
    expect(times(bags)).toMatchObject({ tau: 0, lastDose: 48, continuous: { time: 48 } });
  });

  it('population, two bags q12h (II): auc24 48–72 h 300, auctau and cavg 60–72 h (was 61–72 h: 280.31, 128.475, 11.68)', async () => {
    const { m } = await population(bagsIi(72), 'bags72.json', ['auc24', 'auctau', 'cavg', 'trough']);
    expect([m.auc24!.t0, m.auc24!.t1, m.auctau!.t0, m.cavg!.t0, m.trough!.t1]).toEqual([48, 72, 60, 60, 72]);
    // measured: auc24, auctau and cavg −3.65e-5 (the metric grid's quadrature), trough −2.2e-10
    expect(rel(m.auc24!.report.mean, BAGS_AUC24)).toBeLessThan(2e-4);
    expect(rel(m.auctau!.report.mean, BAGS_AUCTAU)).toBeLessThan(2e-4);
    expect(rel(m.cavg!.report.mean, BAGS_AUCTAU / 12)).toBeLessThan(2e-4);
    expect(rel(m.trough!.report.mean, BAGS_TROUGH72)).toBeLessThan(1e-9);
  }, 60_000);

  it('population, the grid to 66 h: trough at 60 h (0.2776), not "60–61 h" (39.5)', async () => {
    const { m, err } = await population(bagsIi(66), 'bags66.json', ['trough']);
    expect([m.trough!.t0, m.trough!.t1]).toEqual([48, 60]);
    expect(rel(m.trough!.report.mean, BAGS_TROUGH60)).toBeLessThan(1e-9);
    expect(err).toContain('inside the interval of the dose at 60 h (60–72 h), so trough is judged on the interval 48–60 h');
  }, 60_000);

  it('population, the same bags without II: one composite dose every 12 h, not refused as a continuous infusion', async () => {
    expect(times(bagsNoIi)).toMatchObject({ tau: 12, lastDose: 60 });
    expect(times(bagsNoIi).continuous).toBeUndefined();
    const { m } = await population(bagsNoIi, 'bags_noii.json', ['auc24', 'trough']);
    expect(rel(m.auc24!.report.mean, BAGS_AUC24)).toBeLessThan(2e-4);
    expect(rel(m.trough!.report.mean, BAGS_TROUGH72)).toBeLessThan(1e-9);
  }, 60_000);

  it('pta: "1500 q12h, per 24 h 3000", auc24:290:310 100 % (was 0 % on 61–72 h)', async () => {
    const r = await cli(['pta', '--model', iv, '--regimens', json('bags.json', bagsIi(72)), '--target', 'auc24:290:310', '--n', '20', '--seed', '1', '--workers', '0', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^bags\s+1500 q12h\s+3000\s+100\.0 \[/m);
  }, 60_000);
});

describe('a dose given while an infusion runs is an extra dose within it', () => {
  it('regimenTimesOf: the continuous infusion, naming the extra dose (a bolus at 30 h, a load 1 min after the start)', () => {
    expect(times(rebolus)).toMatchObject({ tau: 0, continuous: { time: 0, amt: 18000, duration: 72, place: 'doses.0', extra: { time: 30, place: 'doses.1' } } });
    const load = { doses: [{ time: 0, amt: 18000, cmt: 1, rate: 250 }, { time: 1 / 60, amt: 2000, cmt: 1 }], observe: grid(72) };
    expect(parseMetric('auc24', times(load))).toMatchObject({ t0: 48, t1: 72 });
  });

  it('population: auc24 48–72 h, 600.01 (was 30–60 h as "1000 q30h", 680), said; trough refused naming both', async () => {
    const { m, err } = await population(rebolus, 'rebolus.json', ['auc24']);
    expect([m.auc24!.t0, m.auc24!.t1]).toEqual([48, 72]);
    // measured +1.0e-9
    expect(rel(m.auc24!.report.mean, REBOLUS_AUC24)).toBeLessThan(1e-8);
    expect(err).toContain('W_DOSE_IN_INFUSION: ');
    expect(err).toContain('the dose at 30 h (doses.1) is given while the infusion of doses.0 (AMT 18000 from 0 h, 72 h) runs');
    const t = await cli(['population', '--model', iv, '--regimen', join(dir, 'rebolus.json'), '--n', '4', '--workers', '0', '--no-progress', '--metric', 'trough']);
    expect(t.code).toBe(2);
    expect(t.err).toContain('the last dose (doses.0: AMT 18000 at 0 h) is an infusion of 72 h, running past the dose at 30 h (doses.1), an extra dose within it: a continuous infusion');
    expect(t.err).toContain('e.g. cavg:48:72)');
  }, 60_000);

  it('pta: "18000 continuous over 72 h, per 24 h 6000", auc24:550:650 100 % (was "1000 q30h", 0 %)', async () => {
    const r = await cli(['pta', '--model', iv, '--regimens', join(dir, 'rebolus.json'), '--target', 'auc24:550:650', '--n', '20', '--seed', '1', '--workers', '0', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^rebolus\s+18000 continuous over 72 h\s+6000\s+100\.0 \[/m);
    expect(r.err).toContain('W_DOSE_IN_INFUSION');
  }, 60_000);
});

describe('pta labels the interval judged', () => {
  it('q24h then q12h from 48 h judged on 24–48 h: "1000 q24h, 1000"; the mirror on 36–48 h: "500 q12h, 1000"', async () => {
    const p1 = json('p1.json', { doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1, ii: 24, addl: 2 }, { time: 48, amt: 500, cmt: 1, dur: 1, ii: 12, addl: 1 }], observe: grid(56) });
    const p2 = json('p2.json', { doses: [{ time: 0, amt: 500, cmt: 1, dur: 1, ii: 12, addl: 3 }, { time: 48, amt: 1000, cmt: 1, dur: 1, ii: 24, addl: 1 }], observe: grid(60) });
    const r = await cli(['pta', '--model', iv, '--regimens', `${p1},${p2}`, '--target', 'auc24:1:1e9', '--n', '4', '--seed', '1', '--workers', '0', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    // were "500 q12h  2000" and "1000 q24h  1000"
    expect(r.out).toMatch(/^p1\s+1000 q24h\s+1000\s/m);
    expect(r.out).toMatch(/^p2\s+500 q12h\s+1000\s/m);
  }, 60_000);
});

describe('refusal texts', () => {
  it('a bag hung 5 min after the one before it ends: "running up to 72 h", hours to 2 decimals', async () => {
    const reg = json('fh.json', { doses: [{ time: 48, amt: 6000, cmt: 1, rate: 250 }, { time: 72.0833333333, amt: 3000, cmt: 1, rate: 125 }], observe: [{ grid: { from: 48, to: 96.0833333333, step: 0.25 } }] });
    const r = await cli(['population', '--model', iv, '--regimen', reg, '--n', '4', '--workers', '0', '--no-progress', '--metric', 'trough']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('the last dose (doses.1: AMT 3000 at 72.08 h) is an infusion of 24 h that continues the infusion before it (doses.0, running up to 72 h)');
    expect(r.err).not.toContain('72.08333333');
  }, 60_000);

  it('auc24 on a profile shorter than 24 h: says so (was "window [-7.5, 16.5] starts before time 0")', () => {
    const t = times({ doses: [{ time: 0, amt: 2000, cmt: 1, dur: 0.5 }, { time: 0.5, amt: 4000, cmt: 1, rate: 250 }], observe: grid(16.5) });
    expect(() => parseMetric('auc24', t)).toThrow('the profile ends at 16.5 h, before 24 h (shorter than a daily AUC\'s 24 h)');
  });
});

describe('forecast: a future regimen with a dose during its infusion', () => {
  const model = join(import.meta.dirname, '../../../examples/map-wmap.model.json');
  const data = join(import.meta.dirname, '../../../examples/map-patient.csv');
  const plan = (name: string, doses: object[], to = 96) => json(name, { doses, observe: [{ grid: { from: 48, to, step: 0.5 } }] });
  const run = (regimen: string, more: string[]) => cli(['forecast', '--model', model, '--data', data, '--regimen', regimen, '--draws', '20', '--seed', '1', ...more]);

  it('auc24 the infusion\'s last 24 h, 1051.04 (was 48–72 h, 870.7), said', async () => {
    const fe = plan('fut_fe.json', [{ time: 48, amt: 12000, rate: 250 }, { time: 60, amt: 1000 }]);
    const r = await run(fe, ['--metric', 'auc24', '--json']);
    expect(r.code, r.err).toBe(0);
    const [f] = JSON.parse(r.out) as { metrics: Record<string, { mode: number }> }[];
    // measured −1.4e-8
    expect(rel(f!.metrics.auc24!.mode, FE_AUC24)).toBeLessThan(1e-7);
    expect(r.err).toContain(`W_DOSE_IN_INFUSION: ${fe}, ID 1: the dose at 60 h (doses.1) is given while the infusion of doses.0`);
  }, 120_000);

  it('an asked trough is refused naming the future file and doses.N (was "row 27", "row 4" of no file)', async () => {
    const ff = plan('fut_ff.json', [{ time: 48, amt: 12000, rate: 250 }, { time: 60, amt: 1000, dur: 0.5 }]);
    const a = await run(ff, ['--metric', 'trough']);
    expect(a.code).toBe(2);
    expect(a.err).toContain(`metric trough: ${ff}, ID 1: the last dose (doses.0: AMT 12000 at 48 h) is an infusion of 48 h`);
    expect(a.err).toContain('running past the dose at 60 h (doses.1), an extra dose within it');
    // the continuous infusion's window, not the 0.5-h bag's (cavg:60:60.5)
    expect(a.err).toContain('e.g. cavg:72:96)');
    const fd = plan('fut_fd.json', [{ time: 48, amt: 2000, dur: 0.5 }, { time: 48.5, amt: 12000, rate: 250 }], 96.5);
    const b = await run(fd, ['--metric', 'trough']);
    expect(b.code).toBe(2);
    expect(b.err).toContain(`metric trough: ${fd}, ID 1: the last dose (doses.1: AMT 12000 at 48.5 h) is an infusion of 48 h`);
  }, 120_000);
});
