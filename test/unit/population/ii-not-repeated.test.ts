// A dose record with II but no ADDL and no SS (a case): 800 mg ii 8 at 0 h, observed
// 0–24 h, was judged a q8h regimen with exit 0 and no word: population auc24 "0–8×3" 3·AUC(0–8),
// pta "800 q8h, per 24 h 2400", PTA 100 % for auc24:300:, where the records give one dose (NONMEM
// gives an II without ADDL or SS no effect). Where no dose follows it and the profile runs past its
// interval's end by more than a grid step, it is now read as without that II (one dose: no interval,
// auc24 the profile's last 24 h), warned W_II_NOT_REPEATED. A record's own II that ends at the
// profile's end (a forecast plan's last dose) keeps its interval (interval-regressions.test.ts).
//
// References: closed forms, 1-cmt IV, CL 10, V 20 (k = 0.5/h): a bolus A at 0 h has
// AUC(0–T) = A/CL·(1 − e^(−kT)); a 1-h infusion A at s, C(t) = A/CL·(1 − e^(−k))·e^(−k(t−s−1)) after it.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { IV_MODEL, jsonFiles, populationMetrics, rel } from './metric-run.js';
import { judgedDoseWarning, regimenTimesOf } from '../../../src/population/metrics.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';

const { dir, json } = jsonFiles('dosewise-ii-not-repeated-');
const iv = json('m_iv.json', IV_MODEL);
const CL = 10;
const K = 0.5;
const grid = (from: number, to: number, step = 0.25) => [{ grid: { from, to, step } }];
const times = (reg: object) => regimenTimesOf(parseRegimenJson(reg, 'r.json'));

const ONE = { doses: [{ time: 0, amt: 800, cmt: 1, ii: 8 }], observe: grid(0, 24) };
// 800/CL·(1 − e^−12): the one dose's AUC over the 24 h; 3·800/CL·(1 − e^−4) the q8h reading's
const ONE_AUC24 = (800 / CL) * (1 - Math.exp(-24 * K));
const Q8_READING = ((3 * 800) / CL) * (1 - Math.exp(-8 * K));

describe('regimenTimesOf: an II that repeats nothing', () => {
  it('one dose with ii 8, no addl, on 0–24 h: no interval, said (was tau 8)', () => {
    const t = times(ONE);
    expect(t).toMatchObject({ tau: 0, lastDose: 0, unrepeated: { time: 0, ii: 8, place: 'doses.0' } });
    const w = judgedDoseWarning(t, 'one.json', ['auc24', 'trough']);
    expect(w).toMatch(/^W_II_NOT_REPEATED: one\.json: the dose at 0 h \(doses\.0\) states ii 8 but no addl or ss/);
    expect(w).toContain("auc24, trough are read as the single dose it is, without a dosing interval: auc24 the profile's last 24 h (0–24 h), the last interval the rest of the profile (0–24 h) (not a q8h interval 0–8 h, auc24 AUC(0–8)·3)");
    expect(judgedDoseWarning(t, 'one.json', [])).toBeUndefined();
  });

  it('kept where the II is repeated, ends with the profile (to a step), or a dose follows', () => {
    // ADDL repeats it
    expect(times({ doses: [{ time: 0, amt: 800, cmt: 1, ii: 8, addl: 2 }], observe: grid(0, 24) })).toMatchObject({ tau: 8, lastDose: 16 });
    expect(times({ doses: [{ time: 0, amt: 800, cmt: 1, ii: 8, addl: 2 }], observe: grid(0, 24) }).unrepeated).toBeUndefined();
    // the profile ends at its interval's end, or one grid step past it
    expect(times({ doses: [{ time: 0, amt: 800, cmt: 1, ii: 8 }], observe: grid(0, 8) })).toMatchObject({ tau: 8, lastDose: 0 });
    expect(times({ doses: [{ time: 0, amt: 800, cmt: 1, ii: 8 }], observe: grid(0, 8.2, 0.2) }).unrepeated).toBeUndefined();
    // SS repeats it
    expect(times({ doses: [{ time: 0, amt: 800, cmt: 1, ii: 8, ss: 1 }], observe: grid(0, 24) })).toMatchObject({ tau: 8 });
    // q12h, then 500 mg ii 8 at 56 h, observed to 64 h: its own interval 56–64 h
    const iic = { doses: [{ time: 0, amt: 1000, cmt: 1, ii: 12, addl: 4 }, { time: 56, amt: 500, cmt: 1, ii: 8 }], observe: grid(0, 64) };
    expect(times(iic)).toMatchObject({ tau: 8, lastDose: 56 });
    expect(times(iic).unrepeated).toBeUndefined();
  });

  it('doses one record each with ii 8, the profile on to 48 h: read as without II (their spacing), said', () => {
    const t = times({ doses: [0, 8, 16].map((time) => ({ time, amt: 800, cmt: 1, ii: 8 })), observe: grid(0, 48) });
    expect(t).toMatchObject({ tau: 8, lastDose: 16, unrepeated: { time: 16, place: 'doses.2' } });
    expect(judgedDoseWarning(t, 'r.json', ['trough'])).toContain('trough is read as without that II: the last interval is 16–24 h, by the spacing of the doses before it');
  });
});

describe('population, pta and forecast', () => {
  it(`population auc24 of 800 mg ii 8 on 0–24 h: ${ONE_AUC24.toFixed(3)} (was 3·AUC(0–8) = ${Q8_READING.toFixed(3)}), warned`, async () => {
    const { m, err } = await populationMetrics(iv, json('one.json', ONE), ['auc24']);
    // measured 3.9e-11
    expect(rel(m.auc24!.report.mean, ONE_AUC24)).toBeLessThan(1e-9);
    expect([m.auc24!.t0, m.auc24!.t1]).toEqual([0, 24]);
    expect(err).toContain('W_II_NOT_REPEATED');
  }, 60_000);

  it('pta auc24:70:100: "800", per 24 h 800, PTA 100 % (was "800 q8h", 2400, 0 %), warned', async () => {
    const r = await cli(['pta', '--model', iv, '--regimens', json('one.json', ONE), '--target', 'auc24:70:100', '--n', '10', '--seed', '1', '--workers', '0', '--no-progress', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('W_II_NOT_REPEATED');
    const out = JSON.parse(r.out) as { regimens: { dose: number; interval: number; dailyDose: number; overall: { pta: number } }[]; warnings: string[] };
    expect(out.regimens[0]).toMatchObject({ dose: 800, interval: 0, dailyDose: 800 });
    expect(out.regimens[0]!.overall.pta).toBe(1);
    expect(out.warnings.some((w) => w.startsWith('W_II_NOT_REPEATED'))).toBe(true);
  }, 60_000);

  it('forecast of one 1-h bag with ii 8 at 24 h, observed to 48 h: trough at 48 h (was 32 h), warned', async () => {
    const history = join(dir, 'h.csv');
    writeFileSync(history, ['ID,TIME,EVID,AMT,CMT,RATE,DV,MDV', '1,0,1,1000,1,1000,.,1', '1,4,0,.,1,.,30,0'].join('\n') + '\n');
    const plan = { doses: [{ time: 24, amt: 1000, cmt: 1, dur: 1, ii: 8 }], observe: grid(24, 48) };
    const r = await cli(['forecast', '--model', iv, '--data', history, '--regimen', json('fut.json', plan), '--metric', 'trough', '--draws', '50', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('W_II_NOT_REPEATED');
    // read as without the II: the 24-h spacing of the two doses, trough at 48 h
    const bag = (s: number, t: number) => ((1000 / CL) * (1 - Math.exp(-K)) * Math.exp(-K * (t - s - 1)));
    const f = (JSON.parse(r.out) as { metrics: Record<string, { pred: number }> }[])[0]!.metrics;
    // measured 5.1e-15
    expect(rel(f.trough!.pred, bag(0, 48) + bag(24, 48))).toBeLessThan(1e-12);
  }, 60_000);

  it('forecast after irregular doses (0, 10 h): one dose, said once as W_II_NOT_REPEATED (not W_NO_INTERVAL "no II")', async () => {
    const history = join(dir, 'h2.csv');
    writeFileSync(history, ['ID,TIME,EVID,AMT,CMT,RATE,DV,MDV', '1,0,1,1000,1,1000,.,1', '1,4,0,.,1,.,30,0', '1,10,1,1000,1,1000,.,1'].join('\n') + '\n');
    const plan = { doses: [{ time: 24, amt: 1000, cmt: 1, dur: 1, ii: 8 }], observe: grid(24, 48) };
    const r = await cli(['forecast', '--model', iv, '--data', history, '--regimen', json('fut2.json', plan), '--metric', 'trough', '--draws', '50', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.err.match(/W_II_NOT_REPEATED/g)).toHaveLength(1);
    expect(r.err).toContain('trough is read as the single dose it is');
    expect(r.err).not.toContain('W_NO_INTERVAL');
  }, 60_000);
});
