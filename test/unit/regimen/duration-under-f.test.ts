// A dose given as a duration keeps that duration under bioavailability F: F·AMT enters over `dur`
// hours at F·AMT/dur, NONMEM's rule for a modelled duration (RATE = −2, D1). The builder used to turn
// the duration into a fixed RATE = AMT/dur, which NONMEM's rule for a RATE in the data runs over
// F·AMT/RATE: with F 0.8 a 10-h input into the depot ran 8 h, while everything that takes a duration
// (regimen JSON `dur`, --infusion of nomogram, optimize, advice) shows and means 10 h. A RATE given
// as a rate keeps NONMEM's rule.
//
// References are closed forms of a 1-compartment model with first-order absorption and a zero-order
// input of rate R into the depot over [0, T]: the central amount per unit rate after u h is
// H(u) = ka/(ka−k)·((1 − e^(−ku))/k − (1 − e^(−ka·u))/ka) (for ka = k: (1 − e^(−ku)(1 + ku))/k), and
// the input is R·(H(t) − H(t − T)). The values were computed with python3 when this test was
// written, and agree with scipy's solve_ivp (DOP853, rtol 1e-12) to 1e-13.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';
import { regimen } from '../../../src/regimen/builder.js';
import { readNmtran, recordFromItems } from '../../../src/regimen/nmtran.js';
import { DURATION_ITEM, durationItems } from '../../../src/regimen/record.js';
import { nomogram } from '../../../src/design/nomogram/nomogram.js';
import { populationPlan } from '../../../src/design/pta/pta-plan.js';
import { runStudy, seedKey } from '../../../src/population/study.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';
import { adviseFromState } from '../../../src/design/optimize/advice.js';

/** m1.json: KA = k = 0.1/h (CL 5, V 50), lag 0.5 h, F 0.8. */
const m1 = {
  dosewise: 2, name: 'oral1',
  structure: { kind: 'linear', compartments: 1, depot: true, parameterization: 'clearance' },
  theta: { TVCL: { value: 5, unit: 'L/h' }, TVV: { value: 50, unit: 'L' }, TVKA: { value: 0.1, unit: '1/h' } },
  parameters: { CL: { expr: 'TVCL', unit: 'L/h' }, V: { expr: 'TVV', unit: 'L' }, KA: { expr: 'TVKA', unit: '1/h' }, ALAG: 'LAGV', F1: 'FV' },
  covariates: { LAGV: { default: 0.5 }, FV: { default: 0.8 } },
  compartments: { '1': { lag: 'ALAG', bioavailability: 'F1' } },
  observe: { compartment: 2, scale: 'V' },
} as const;

/**
 * 100 mg over 10 h into the depot from 0.5 h (lag): R = 0.8·100/10 = 8 mg/h, ka = k = 0.1:
 * C(t) = R·(G(t − 0.5) − G(t − 10.5))/V, G(u) = (1 − e^(−0.1u)(1 + 0.1u))/0.1. Over 8 h (the bug:
 * RATE 10 for F·AMT = 80) the same formula gives 0.15088, 0.54112, 0.44349.
 */
const REF_10H = [0.12070268823748584, 0.49447218995816344, 0.46356467055320605];
const REG_DUR = { doses: [{ time: 0, amt: 100, cmt: 1, dur: 10 }], observe: [{ times: [5, 12, 24] }] };

describe('a duration given as a duration keeps it under F (regimen JSON, builder, population)', () => {
  it('regimen JSON "dur": 10 into a depot with F 0.8 enters over 10 h (was 8 h: 0.151, 0.541, 0.443 at 5, 12, 24 h)', () => {
    const model = defineModel(m1);
    const c = simulate(model, parseRegimenJson(REG_DUR)).ipred;
    // record 0 is the dose, 1..3 the levels
    for (const [i, ref] of REF_10H.entries()) expect(Math.abs((c[i + 1] as number) / ref - 1)).toBeLessThan(1e-14);
  });

  it('population (runStudy) of that regimen reads the same levels as the 10-h input (was 0.151, 0.541, 0.443)', async () => {
    const records = parseRegimenJson(REG_DUR);
    const times = regimenTimesOf(records);
    const metrics = ['conc@5', 'conc@12', 'conc@24'].map((m) => parseMetric(m, times));
    const plan = populationPlan({ model: m1, records, key: seedKey(1), metrics, table: false });
    const got: number[] = [];
    await runStudy(plan, { n: 2, workers: 0, onChunk: (ch) => {
        got.push(...Array.from(ch.metrics.subarray(0, 3)));
      } });
    // no random effects: every subject is the typical one
    for (const [i, ref] of REF_10H.entries()) expect(Math.abs((got[i] as number) / ref - 1)).toBeLessThan(1e-14);
  });

  it('the record still says RATE = AMT/dur (as NM-TRAN writes it), with the duration kept as an item no column can name', () => {
    const [dose] = regimen().dose({ time: 0, amt: 100, dur: 10 }).records();
    expect(dose?.RATE).toBe(10);
    expect(dose?.items[DURATION_ITEM]).toBe(10);
    // given by hand, it would make a RATE a duration without the record saying so
    expect(() => regimen().dose({ time: 0, amt: 100, items: { [DURATION_ITEM]: 5 } })).toThrow(/dose\.items\.@dur.*engine's own items/);
    expect(() => parseRegimenJson({ doses: [{ time: 0, amt: 100, rate: 10, items: { '@dur': 5 } }], observe: [{ times: [1] }] }, 'r.json')).toThrow(/r\.json.*doses\.0\.items\.@dur.*engine's own items/s);
  });

  it('a RATE given as a rate keeps NONMEM\'s rule: RATE 10 with F 0.8 runs 80 mg over 8 h', () => {
    const model = defineModel(m1);
    const viaRate = simulate(model, regimen().dose({ time: 0, amt: 100, rate: 10 }).observe({ times: [5, 12, 24] }).records()).ipred;
    const csv = simulate(model, readNmtran('ID,TIME,EVID,AMT,CMT,RATE,MDV\n1,0,1,100,1,10,1\n1,5,0,0,0,0,0\n1,12,0,0,0,0,0\n1,24,0,0,0,0,0\n').records).ipred;
    // a kept duration carried onto a dose whose RATE is not AMT/dur (a forecast fills a future
    // record's items from the record before) leaves its RATE a rate
    const carried = readNmtran('ID,TIME,EVID,AMT,CMT,RATE,MDV\n1,0,1,100,1,10,1\n1,5,0,0,0,0,0\n1,12,0,0,0,0,0\n1,24,0,0,0,0,0\n').records.map((r) => ({ ...r, items: { ...r.items, [DURATION_ITEM]: 4 } }));
    const viaCarried = simulate(model, carried).ipred;
    const ref8 = [0.1508783602968573, 0.5411197339105979, 0.44349127967220703];
    for (const [i, ref] of ref8.entries()) {
      expect(Math.abs((viaRate[i + 1] as number) / ref - 1)).toBeLessThan(1e-14);
      expect(Math.abs((csv[i + 1] as number) / ref - 1)).toBeLessThan(1e-14);
      expect(Math.abs((viaCarried[i + 1] as number) / ref - 1)).toBeLessThan(1e-14);
    }
  });

  it('with F = 1 a dose given as a duration is the fixed-RATE dose it was, bit for bit (ADDL, SS, the batched path)', () => {
    const model = defineModel({ ...m1, covariates: { LAGV: { default: 0.5 }, FV: { default: 1 } } });
    const obs = { grid: { from: 0, to: 96, step: 0.7 } };
    const dur = regimen().dose({ time: 0, amt: 300, dur: 2.3, ss: 1, ii: 12, addl: 3 }).dose({ time: 60, amt: 70, dur: 7 }).observe(obs).records();
    const rate = regimen().dose({ time: 0, amt: 300, rate: 300 / 2.3, ss: 1, ii: 12, addl: 3 }).dose({ time: 60, amt: 70, rate: 10 }).observe(obs).records();
    const a = simulate(model, dur).ipred;
    const b = simulate(model, rate).ipred;
    expect(Array.from(a)).toEqual(Array.from(b));
    // 40 subjects of one design: the batched path that compiles a design once
    const many = (recs: typeof dur) => Array.from({ length: 40 }, (_, s) => recs.map((r) => ({ ...r, ID: s + 1, items: { ...r.items, ID: s + 1 } }))).flat();
    expect(Array.from(simulate(model, many(dur)).ipred)).toEqual(Array.from(simulate(model, many(rate)).ipred));
  });

  it('subjects alike but for how their dose was given (a duration, a rate) do not share a compiled design', () => {
    const model = defineModel(m1);
    const obs = { times: [5, 12, 24] };
    const byDur = regimen().dose({ time: 0, amt: 100, dur: 10 }).observe(obs).records();
    const byRate = regimen().dose({ time: 0, amt: 100, rate: 10 }).observe(obs).records();
    const recs = Array.from({ length: 64 }, (_, s) => (s % 2 === 0 ? byDur : byRate).map((r) => ({ ...r, ID: s + 1, items: { ...r.items, ID: s + 1 } }))).flat();
    const c = simulate(model, recs).ipred;
    const ref8 = [0.1508783602968573, 0.5411197339105979, 0.44349127967220703];
    for (let s = 0; s < 64; s++)
      for (let j = 0; j < 3; j++) {
        const ref = (s % 2 === 0 ? REF_10H : ref8)[j] as number;
        expect(Math.abs((c[4 * s + 1 + j] as number) / ref - 1)).toBeLessThan(1e-14);
      }
  });
});

/** mf08.json: CL 5 (at WT 70), V 50, KA 1, F1 0.8. */
const mf08 = {
  dosewise: 2, name: 'ddfc',
  structure: { kind: 'linear', compartments: 1, depot: true, parameterization: 'clearance' },
  theta: { TVCL: { value: 5, unit: 'L/h' }, TVV: { value: 50, unit: 'L' }, TVKA: { value: 1, unit: '1/h' } },
  covariates: { WT: { unit: 'kg', default: 70 } },
  parameters: { CL: { expr: 'TVCL*(WT/70)', unit: 'L/h' }, V: { expr: 'TVV', unit: 'L' }, KA: { expr: 'TVKA', unit: '1/h' }, F1: '0.8' },
  compartments: { '1': { bioavailability: 'F1' } },
  observe: { compartment: 2, scale: 'V' },
} as const;

describe('nomogram --infusion into a depot with F 0.8', () => {
  it('the dose for a steady-state cmax of 5 is the one for a 10-h input: 349.337 (was 325.75, which gives 4.662 over 10 h)', () => {
    // closed form: the steady state of inputs of 0.8·D/10 mg/h over [0, 10] every 12 h, the sum of
    // R·(H(θ + nτ) − H(θ + nτ − 10)) over n, maximised over θ (at 10.111 h): 0.0143128 mg/L per mg
    const n = nomogram(defineModel(mf08), { target: { metric: 'cmax', value: 5 }, intervals: [12], infusion: 10, grid: [{ name: 'WT', values: [70] }] });
    const dose = n.cells[0]?.computed as number;
    expect(Math.abs(dose / 349.3367900119019 - 1)).toBeLessThan(1e-5);
  });
});

/** mest0.json: KA 0.8, CL 5, V 50, lag 0.75 h, F 0.8, η of variance 1e-8. */
const mest0 = {
  dosewise: 2, name: 'oralest',
  structure: { kind: 'linear', compartments: 1, depot: true, parameterization: 'clearance' },
  theta: { TVCL: { value: 5, unit: 'L/h' }, TVV: { value: 50, unit: 'L' }, TVKA: { value: 0.8, unit: '1/h' } },
  parameters: { CL: { expr: 'TVCL*exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV*exp(ETA_V)', unit: 'L' }, KA: { expr: 'TVKA*exp(ETA_KA)', unit: '1/h' }, ALAG: '0.75', F1: '0.8' },
  omega: { etas: ['ETA_CL', 'ETA_V', 'ETA_KA'], matrix: [[1e-8, 0, 0], [0, 1e-8, 0], [0, 0, 1e-8]] },
  residual: { model: 'combined', additive: 0.1, proportional: 0.15 },
  compartments: { '1': { lag: 'ALAG', bioavailability: 'F1' } },
  observe: { compartment: 2, scale: 'V' },
} as const;

/**
 * 100 mg orally at 0, then 500 mg over 10 h into the depot at 24, 36, 48 and 60 h (lag 0.75): the
 * level at 72 h, R = 0.8·500/10, is 6.8196679 (over 8 h, the bug: 6.3490020).
 */
const TROUGH_10H = 6.819667851082305;
const HISTORY = 'ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS,DV,MDV\n1,0,1,100,1,0,0,0,0,.,1\n1,1,0,0,2,0,0,0,0,.,1\n';

describe('optimize --from with --infusions 10 into a depot with F 0.8', () => {
  it('records built as the advice builds them, with the duration kept (durationItems), run the 10-h input', () => {
    const model = defineModel(mest0);
    const rec = (o: Record<string, number>) => ({ ID: 1, EVID: 0, AMT: 0, CMT: 0, RATE: 0, ADDL: 0, II: 0, SS: 0, MDV: 0, ...o });
    const future = [24, 36, 48, 60].map((t) => rec({ TIME: t, EVID: 1, AMT: 500, CMT: 1, MDV: 1, ...durationItems(500, 10) }));
    const items = [rec({ TIME: 0, EVID: 1, AMT: 100, CMT: 1, MDV: 1 }), ...future, rec({ TIME: 72 })];
    const recs = items.map((it, i) => recordFromItems(it, i + 1));
    const c = simulate(model, recs).ipred;
    expect(Math.abs((c[5] as number) / TROUGH_10H - 1)).toBeLessThan(1e-14);
  });

  // advice built its future doses as RATE = AMT/dur and ranked an 8-h input (trough 6.349) shown as "over 10 h"
  it('advises 500 over 10 h with the trough of a 10-h input: 6.8197 (was 6.349, the 8-h input)', () => {
    const model = defineModel(mest0);
    const r = adviseFromState(model, readNmtran(HISTORY).records, { from: 24, target: 'trough:0:100', doses: [500], intervals: [12], infusions: [10], draws: 50, top: 1, loading: false });
    const best = r.ranked[0];
    expect(best?.maintenance.duration).toBe(10);
    // measured 4.2e-15
    expect(Math.abs((best?.exposure['trough']?.mode as number) / TROUGH_10H - 1)).toBeLessThan(1e-13);
  });
});
