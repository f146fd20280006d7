// Regressions in the dosing interval judged for doses written as records (cases, 1-cmt
// IV, CL 10, V 20, 1-h infusions of 1000 mg unless said), each wrong with exit 0 and a warning that
// described a reading the records do not hold:
// 1. a last dose with an II of its own, at most half the dose before it (1000 mg q12h to 48 h, then
//    500 mg ii 8 at 56 h): W_EXTRA_DOSE, judged on 48–60 h, trough 4.551, auctau 141.2, cmax 39.44,
//    pta trough:0.5:1 0 %; q24h, then 500 mg ii 12 at 60 h: 48–72 h, cmax 39.35. Its own II's interval now.
// 2. a last dose without II half an interval early read as "early" (W_IRREGULAR_DOSE): q24h, then
//    12 h later, 48–60 h (W_EARLIER_INTERVAL). Only a dose within a quarter of the spacing, at about
//    the regular amount, is read so now. A last gap of whole intervals (q12h, then 24 h later) is a
//    held dose of the spacing the other gaps share (chart-spacing.ts), warned: read as a change to
//    q24h it would be as much a guess (72–96 h, trough 0.000399), and one without a word.
// 3. a dose with II in the first quarter of the previous dose's interval, starting a series of its
//    own (q48h to 96 h, then q24h from 104 h): folded into the 96-h dose, 96–128 h, cavg 6.25, no warning.
//
// References: closed-form superposition (below; AUC by mass balance, exact for infusions), checked
// against the `python3 ref.py FILE T0 T1` (scipy quad): ii_change 56–64 trough
// 0.615903478, auctau 51.15044697, cmax 20.39592204; q24_to_q12 60–72 trough 0.1612005168;
// q48_to_q24 104–128 auctau 102.3755371, cavg 4.26564738.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { IV_MODEL, jsonFiles, populationMetrics, rel } from './metric-run.js';
import { regimenTimesOf } from '../../../src/population/metrics.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';

const { dir, json } = jsonFiles('dosewise-interval-regressions-');
const iv = json('m_iv.json', IV_MODEL);
const grid = (to: number) => [{ grid: { from: 0, to, step: 0.05 } }];
const bag = (time: number, more: object = {}) => ({ time, amt: 1000, cmt: 1, dur: 1, ...more });

interface Dose {
  time: number;
  amt: number;
  dur: number;
  ii?: number;
  addl?: number;
}
const CL = 10;
const V = 20;
const K = CL / V;
const given = (doses: readonly Dose[]): { t: number; amt: number; dur: number }[] =>
  doses.flatMap((d) => Array.from({ length: (d.addl ?? 0) + 1 }, (_, j) => ({ t: d.time + j * (d.ii ?? 0), amt: d.amt, dur: d.dur })));
/** The concentration at t: each infusion's closed form, summed. */
const conc = (doses: readonly Dose[], t: number): number =>
  given(doses).reduce((s, d) => {
    if (t <= d.t) return s;
    const R = d.amt / d.dur;
    return s + (t <= d.t + d.dur ? (R / CL) * (1 - Math.exp(-K * (t - d.t))) : (R / CL) * (1 - Math.exp(-K * d.dur)) * Math.exp(-K * (t - d.t - d.dur)));
  }, 0);
/** AUC over [a, b] by mass balance: (infused − (A(b) − A(a))) / CL. */
const auc = (doses: readonly Dose[], a: number, b: number): number => {
  const infused = given(doses).reduce((s, d) => s + (d.amt / d.dur) * Math.max(0, Math.min(b, d.t + d.dur) - Math.max(a, d.t)), 0);
  return (infused - V * (conc(doses, b) - conc(doses, a))) / CL;
};

const IIC = { doses: [bag(0, { ii: 12, addl: 4 }), bag(56, { amt: 500, ii: 8 })], observe: grid(64) };
const IIC_SS = { doses: [bag(0, { ii: 24, addl: 2 }), bag(60, { amt: 500, ii: 12 })], observe: grid(72) };
const Q12_Q24 = { doses: [0, 12, 24, 36, 48, 72].map((t) => bag(t)), observe: grid(96) };
const Q12_Q24_1500 = { doses: [...[0, 12, 24, 36].map((t) => bag(t)), bag(60, { amt: 1500, dur: 1.5 })], observe: grid(84) };
const Q24_Q12 = { doses: [0, 24, 48, 60].map((t) => bag(t)), observe: grid(72) };
const Q48_Q24 = { doses: [bag(0, { ii: 48, addl: 2 }), bag(104, { ii: 24, addl: 3 })], observe: grid(128) };

const times = (reg: object) => regimenTimesOf(parseRegimenJson(reg, 'r.json'));
const population = (regimen: { doses: Dose[] }, name: string) => populationMetrics(iv, json(name, regimen), ['trough', 'auctau', 'cavg', 'cmax']);

describe('regimenTimesOf: the interval a record states or the spacing bounds', () => {
  it("a last dose's own II starts its interval (was a top-up in the dose before it)", () => {
    expect(times(IIC)).toMatchObject({ tau: 8, lastDose: 56 });
    expect(times(IIC).judged).toBeUndefined();
    expect(times(IIC_SS)).toMatchObject({ tau: 12, lastDose: 60 });
    expect(times(IIC_SS).judged).toBeUndefined();
  });

  it('a last dose without II half an interval early is no irregular dose of the old spacing; a whole interval late is a held dose, warned', () => {
    expect(times(Q12_Q24)).toMatchObject({ tau: 12, lastDose: 72, judged: { code: 'W_IRREGULAR_DOSE', time: 72 } });
    expect(times(Q12_Q24).judged?.text).toContain('none given at 60 h (held)');
    expect(times(Q12_Q24_1500)).toMatchObject({ tau: 12, lastDose: 60, judged: { code: 'W_IRREGULAR_DOSE', time: 60 } });
    expect(times(Q24_Q12)).toMatchObject({ tau: 0, lastDose: 60 });
    expect(times(Q24_Q12).cutDose).toBeUndefined();
    // within a quarter of the spacing it still is (13 h after the last q12h dose, 22 h after the last q24h one), and not at another amount
    expect(times({ doses: [0, 12, 24, 36, 48, 60, 73].map((t) => bag(t)), observe: grid(96) })).toMatchObject({ tau: 12, lastDose: 73, judged: { code: 'W_IRREGULAR_DOSE' } });
    expect(times({ doses: [0, 24, 48, 70].map((t) => bag(t)), observe: grid(96) })).toMatchObject({ tau: 24, lastDose: 70, judged: { code: 'W_IRREGULAR_DOSE' } });
    // at another amount it is still the chart's q12h (warned): a dose held and resumed at half had no interval when the amount was asked to be alike
    expect(times({ doses: [...[0, 12, 24, 36, 48].map((t) => bag(t)), bag(61, { amt: 2500 })], observe: grid(96) })).toMatchObject({ tau: 12, lastDose: 61, judged: { code: 'W_IRREGULAR_DOSE' } });
  });

  it('a dose with II early in the interval before it that starts a series of its own starts its interval', () => {
    expect(times(Q48_Q24)).toMatchObject({ tau: 24, lastDose: 104 });
    expect(times(Q48_Q24).judged).toBeUndefined();
  });
});

describe('population', () => {
  // measured (0.05-h grid): trough and cmax below 1e-9, auctau and cavg up to 4e-5 (quadrature)
  const check = (m: Awaited<ReturnType<typeof population>>['m'], doses: Dose[], t0: number, t1: number, cmaxAt: number) => {
    for (const k of ['trough', 'auctau', 'cavg', 'cmax']) expect([k, m[k]!.t0, m[k]!.t1]).toEqual([k, t0, t1]);
    expect(rel(m.trough!.report.mean, conc(doses, t1))).toBeLessThan(1e-6);
    expect(rel(m.auctau!.report.mean, auc(doses, t0, t1))).toBeLessThan(2e-4);
    expect(rel(m.cavg!.report.mean, auc(doses, t0, t1) / (t1 - t0))).toBeLessThan(2e-4);
    expect(rel(m.cmax!.report.mean, conc(doses, cmaxAt))).toBeLessThan(1e-6);
  };

  it('1000 mg q12h, then 500 mg ii 8 at 56 h: 56–64 h, trough 0.6159, cmax 20.40 (was 48–60 h, 4.551, 39.44, W_EXTRA_DOSE)', async () => {
    const { m, err } = await population(IIC, 'iic.json');
    check(m, IIC.doses, 56, 64, 57);
    expect(conc(IIC.doses, 64)).toBeCloseTo(0.615903478, 8);
    expect(err).not.toContain('W_EXTRA_DOSE');
    const s = await population(IIC_SS, 'iic_ss.json');
    check(s.m, IIC_SS.doses, 60, 72, 61);
  }, 60_000);

  it('q12h, then a dose 24 h later: a held dose, 72–84 h, warned (was "12 h late"); 1500 mg: 60–72 h, warned', async () => {
    const { m, err } = await population(Q12_Q24, 'q12_q24.json');
    check(m, Q12_Q24.doses, 72, 84, 73);
    expect(err).toContain('W_IRREGULAR_DOSE');
    expect(err).toContain('none given at 60 h (held)');
    const r = await population(Q12_Q24_1500, 'q12_q24_1500.json');
    check(r.m, Q12_Q24_1500.doses, 60, 72, 61.5);
    expect(r.err).toContain('W_IRREGULAR_DOSE');
  }, 60_000);

  it('q24h, then a dose 12 h later: 60–72 h, trough 0.1612 (was 48–60 h, W_EARLIER_INTERVAL)', async () => {
    const { m, err } = await population(Q24_Q12, 'q24_q12.json');
    check(m, Q24_Q12.doses, 60, 72, 61);
    expect(err).not.toContain('W_EARLIER_INTERVAL');
  }, 60_000);

  it('q48h to 96 h, then q24h from 104 h: 104–128 h, cavg 4.27 (was 96–128 h, 6.25, no warning)', async () => {
    const { m } = await population(Q48_Q24, 'q48_q24.json');
    check(m, Q48_Q24.doses, 104, 128, 105);
    expect(auc(Q48_Q24.doses, 104, 128)).toBeCloseTo(102.3755371, 6);
  }, 60_000);
});

describe('pta and forecast', () => {
  it('pta trough:0.5:1 on the 500 mg ii 8 dose: 100 % "500 q8h" (was 0 %); 1500 mg a q12h interval late: a held dose, "1500 q12h", per 24 h 3000, warned', async () => {
    const a = await cli(['pta', '--model', iv, '--regimens', json('iic.json', IIC), '--target', 'trough:0.5:1', '--n', '20', '--seed', '1', '--workers', '0', '--no-progress']);
    expect(a.code, a.err).toBe(0);
    expect(a.out).toMatch(/^iic\s+500 q8h\s+1500\s+100\.0 \[/m);
    // the held reading's trough at 72 h: 100·(1 − e^−0.75)·e^−5.25 = 0.2770
    const b = await cli(['pta', '--model', iv, '--regimens', json('r1500.json', Q12_Q24_1500), '--target', 'trough:0.25:0.3', '--n', '20', '--seed', '1', '--workers', '0', '--no-progress']);
    expect(b.code, b.err).toBe(0);
    // per 24 h: the regimen judged, 1500 q12h, 1500 × 24/12 (the held place at 48 h counts as the
    // regimen's dose; it read 2500, the 1000 at 36 h and the 1500 at 60 h, since 28c6483 3000)
    expect(b.out).toMatch(/^r1500\s+1500 q12h\s+3000\s+100\.0 \[/m);
    expect(b.err).toContain('W_IRREGULAR_DOSE');
  }, 60_000);

  it('forecast of 1000 mg at 48 h, then 500 mg ii 8 at 56 h after a q12h history: trough at 64 h (was 48–60 h, W_EXTRA_DOSE)', async () => {
    const history = join(dir, 'h.csv');
    writeFileSync(history, ['ID,TIME,EVID,AMT,CMT,RATE,DV,MDV', ...[0, 12, 24, 36].map((t) => `1,${t},1,1000,1,1000,.,1`), '1,40,0,.,1,.,20,0'].join('\n') + '\n');
    const plan = { doses: [bag(48), bag(56, { amt: 500, ii: 8 })], observe: [{ grid: { from: 48, to: 64, step: 0.25 } }] };
    const r = await cli(['forecast', '--model', iv, '--data', history, '--regimen', json('fut.json', plan), '--metric', 'trough', '--metric', 'cmax', '--draws', '50', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toContain('W_EXTRA_DOSE');
    const all = [...[0, 12, 24, 36, 48].map((t) => bag(t)), bag(56, { amt: 500 })];
    const f = (JSON.parse(r.out) as { metrics: Record<string, { pred: number }> }[])[0]!.metrics;
    expect(rel(f.trough!.pred, conc(all, 64))).toBeLessThan(1e-6);
    expect(rel(f.cmax!.pred, conc(all, 57))).toBeLessThan(1e-6);
  }, 60_000);
});
