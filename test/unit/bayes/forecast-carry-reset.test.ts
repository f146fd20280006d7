// forecast's merged records (forecastRecords) against the history the estimate was fitted to:
// - a future dose given as a RATE took the previous dose's kept duration ('@dur') and ran as that
//   duration under F instead of F·AMT/RATE;
// - ADDL copies a later SS = 1 dose or EVID 3 reset cancelled still counted as doses of the history,
//   so a future dose after the history was refused as before them;
// - a sample charted ahead with DV '.' and MDV blank counted as a fitted level;
// and advice's W_HOLD_NOT_FALLING on a level already below the hold level.
//
// One-compartment IV model: CL = 4·exp(η) L/h, V = 40 L, F1 0.8, ω² 0.09, proportional error 0.1
// (Var = (0.1·f)²). References: closed-form profiles and the MAP η by scipy 1.x minimize_scalar
// (bounded, xatol 1e-13) of η²/ω² + Σ (y − f)²/Var + ln Var on those profiles (computed when this
// test was written; the test does not call python). Measured: η within 7e-9 of scipy's (the two
// optimisers' tolerances), the forecast levels within 3.1e-9 relative; the ODE effect model's
// response within 2.1e-8.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { regimen } from '../../../src/regimen/builder.js';
import { DURATION_ITEM } from '../../../src/regimen/record.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast, forecastRecords } from '../../../src/bayes/forecast.js';
import { adviseFromState } from '../../../src/design/optimize/advice.js';

const model = defineModel({
  dosewise: 2,
  name: 'f08',
  structure: '1cmt-iv',
  theta: { TVCL: { value: 4, unit: 'L/h' }, TVV: { value: 40, unit: 'L' } },
  parameters: {
    CL: { expr: 'TVCL * exp(ETA_CL)', unit: 'L/h' },
    V: { expr: 'TVV', unit: 'L' },
    F1: { value: 0.8 },
    ALAG: { value: 0 },
  },
  compartments: { '1': { bioavailability: 'F1', lag: 'ALAG' } },
  omega: { etas: ['ETA_CL'], diagonal: [0.09] },
  residual: { model: 'proportional', proportional: 0.1 },
  observe: { compartment: 1, scale: 'V', unit: 'mg/L' },
} as never);

const data = (...rows: string[]) => readNmtran(rows.join('\n'), { file: 'h.csv' }).records;
const rel = (a: number, b: number): number => Math.abs(a / b - 1);

describe('forecast: a dose\'s kept duration is not carried to the next dose', () => {
  // 500 mg at 0 and a level 6.5 at 6 h: MAP η −0.21286430880632637 (OFV −0.156535, as estimate prints)
  const history = data('ID,TIME,EVID,AMT,RATE,DV,MDV', '1,0,1,500,0,.,1', '1,6,0,0,0,6.5,0');
  const future = regimen().dose({ time: 24, amt: 500, dur: 10 }).dose({ time: 48, amt: 500, rate: 50 }).observe({ times: [50, 55, 56, 58] }).records();

  it('500 mg at RATE 50 after 500 mg over 10 h runs F·AMT/RATE = 8 h under F 0.8 (it ran 10 h: 6.7195 at 55 h for 8.0559)', () => {
    const fit = estimate(model, history);
    expect(Math.abs(fit.eta[0]! - -0.21286430880632637)).toBeLessThan(3e-8);
    const f = forecast(model, history, fit, future, { draws: 50 });
    // closed form at the MAP: 10·e^(−kt) + the 10-h infusion at 24 h (F·500/10 = 40 mg/h) + the
    // infusion at 48 h at RATE 50 for 400/50 = 8 h; with dose 2 run over 10 h the values were
    // 3.904393, 6.719459, 7.158371, 7.936602
    const ref = [4.366072157899447, 8.055920480175743, 8.63122486434946, 7.34289563224599];
    ref.forEach((r, j) => expect(rel(f.ipred[j]!, r)).toBeLessThan(1e-8));
    const dose2 = f.records.find((r) => r.EVID === 1 && r.TIME === 48)!;
    expect(dose2.items[DURATION_ITEM]).toBeUndefined();
    // the dose given as a duration keeps its own
    expect(f.records.find((r) => r.EVID === 1 && r.TIME === 24)!.items[DURATION_ITEM]).toBe(10);
  });

  it('nor from a history dose at its time (the NOCB fill of a future dose before records charted ahead)', () => {
    // the history's dose over 10 h at 24 h (built in code: it keeps '@dur'), then an EVID 2 record at 80 h
    // charted ahead: a future dose at 24 h takes the items of the history's records at 24 h
    const built = regimen().dose({ time: 0, amt: 500 }).observe({ times: [6] }).dose({ time: 24, amt: 500, dur: 10 }).records();
    const h = [...built.map((r) => (r.EVID === 0 ? { ...r, DV: 6.5, MDV: 0 } : r)), { ...built[0]!, row: 4, TIME: 80, EVID: 2, AMT: 0, RATE: 0, items: { ...built[0]!.items, TIME: 80, EVID: 2, AMT: 0, RATE: 0 } }];
    const fut = regimen().dose({ time: 24, amt: 500, rate: 50 }).observe({ times: [30] }).records();
    const { records, fromFuture } = forecastRecords(h, fut, true, undefined, 'nocb');
    const given = records.filter((r, i) => fromFuture[i] === 1 && r.EVID === 1);
    expect(given).toHaveLength(1);
    expect(given[0]!.RATE).toBe(50);
    expect(given[0]!.items[DURATION_ITEM]).toBeUndefined();
  });
});

describe('forecast: ADDL copies a reset cancelled are no doses of the history', () => {
  const fut = () => regimen().dose({ time: 48, amt: 800, addl: 3, ii: 12 }).observe({ times: [50, 60] }).records();

  it('500 mg q12h ADDL 10 from 0 h, then 800 mg q12h SS = 1 at 24 h: a future dose at 48 h is after the history (it was refused as before 120 h)', () => {
    const history = data('ID,TIME,EVID,AMT,RATE,ADDL,II,SS,DV,MDV', '1,0,1,500,0,10,12,0,.,1', '1,24,1,800,0,1,12,1,.,1', '1,40,0,0,0,0,0,0,11.2,0');
    const fit = estimate(model, history);
    // MAP of the level 11.2 at 40 h on the SS profile (the copies at 12 and 24 h come before the reset)
    expect(Math.abs(fit.eta[0]! - 0.31014857984524613)).toBeLessThan(3e-8);
    const f = forecast(model, history, fit, fut(), { draws: 50 });
    // F·800/V·(e^(−k(t−24))/(1 − e^(−12k)) + e^(−k(t−36)) + the future's doses): no copy of the first record after 24 h
    expect(rel(f.ipred[0]!, 15.125613837828478)).toBeLessThan(1e-8);
    expect(rel(f.ipred[1]!, 19.868094005713836)).toBeLessThan(1e-8);
  });

  it('the same after an EVID 3 reset at 30 h and a dose at 31 h', () => {
    const history = data('ID,TIME,EVID,AMT,RATE,ADDL,II,SS,DV,MDV', '1,0,1,500,0,10,12,0,.,1', '1,30,3,0,0,0,0,0,.,1', '1,31,1,500,0,0,0,0,.,1', '1,40,0,0,0,0,0,0,6.2,0');
    const fit = estimate(model, history);
    expect(Math.abs(fit.eta[0]! - -0.46316825627220176)).toBeLessThan(3e-8);
    const f = forecast(model, history, fit, fut(), { draws: 50 });
    // 10·e^(−k(t−31)) + 16·e^(−k(t−48))
    expect(rel(f.ipred[0]!, 17.132938217216036)).toBeLessThan(1e-8);
  });

  it('advice from the next dose due (48 h) after that history is ranked (each candidate was refused as before 120 h)', () => {
    const history = data('ID,TIME,EVID,AMT,RATE,ADDL,II,SS,DV,MDV', '1,0,1,500,0,10,12,0,.,1', '1,24,1,800,0,1,12,1,.,1', '1,40,0,0,0,0,0,0,11.2,0');
    const a = adviseFromState(model, history, { from: 48, target: 'trough:2:10', doses: [250, 500, 750, 1000], intervals: [12], draws: 50 });
    // F·800/V·(e^(−24k)/(1 − e^(−12k)) + e^(−12k)) at the MAP η above: the copy at 36 h is the history's
    // last dose (measured 9.3e-9 relative: the level at 48 h moves twice as much as η)
    expect(rel(a.state.mode, 3.8680940057138344)).toBeLessThan(3e-8);
    expect(a.ranked.length).toBeGreaterThan(0);
    expect(a.ranked[0]!.next.time).toBe(48);
  });

  it('copies still given are doses of the history: a future dose among them is refused, naming the last copy', () => {
    const history = data('ID,TIME,EVID,AMT,RATE,ADDL,II,SS,DV,MDV', '1,0,1,500,0,10,12,0,.,1', '1,40,0,0,0,0,0,0,11.2,0');
    const fit = estimate(model, history);
    expect(() => forecast(model, history, fit, fut(), { draws: 50 })).toThrow(/future dose at 48 h is before the last dose or level of the history \(120 h\)/);
  });
});

describe('forecast: only the levels the estimate fits bound the future', () => {
  it('a sample charted ahead at 80 h with DV \'.\' and MDV blank is no level: a future dose at 48 h is forecast (it was refused as before 80 h)', () => {
    const history = data('ID,TIME,EVID,AMT,RATE,DV,MDV', '1,0,1,500,0,.,1', '1,6,0,0,0,6.5,0', '1,80,0,0,0,.,');
    expect(history[2]!.MDV).toBe(0);
    const fit = estimate(model, history);
    expect(Math.abs(fit.eta[0]! - -0.21286430880632637)).toBeLessThan(3e-8);
    const f = forecast(model, history, fit, regimen().dose({ time: 48, amt: 800, addl: 3, ii: 12 }).observe({ times: [50] }).records(), { draws: 50 });
    // 10·e^(−50k) + 16·e^(−2k)
    expect(rel(f.ipred[0]!, 13.787520557129033)).toBeLessThan(1e-8);
  });

  it('a BLQ level at 80 h is fitted (M3): a future dose at 48 h is still refused', () => {
    const history = data('ID,TIME,EVID,AMT,RATE,DV,MDV,BLQ,LLOQ', '1,0,1,500,0,.,1,0,.', '1,6,0,0,0,6.5,0,0,.', '1,80,0,0,0,.,0,1,0.5');
    const fit = estimate(model, history);
    expect(() => forecast(model, history, fit, regimen().dose({ time: 48, amt: 800 }).observe({ times: [50] }).records(), { draws: 50 })).toThrow(/future dose at 48 h is before the last dose or level of the history \(80 h\)/);
  });
});

describe('advice: W_HOLD_NOT_FALLING on a level below the hold level at the start', () => {
  // inhibited Emax response (E0 100, EMAX −80, EC50 5, KE0 2/h), 600 mg at 0 and a response of 45 at
  // 8 h: MAP η −0.6882345780624769; the response at 12 h is 49.80757496051302 (closed-form effect
  // compartment, and solve_ivp LSODA at rtol = atol = 1e-12), below the trough ceiling 60, and it
  // rises back to 100 without more doses
  const emax = defineModel({
    dosewise: 2,
    name: 'inhib',
    structure: { kind: 'effect', compartments: 1, depot: false, parameterization: 'clearance' },
    theta: { TVCL: { value: 4, unit: 'L/h' } },
    covariates: { WT: { unit: 'kg' } },
    parameters: { CL: { expr: 'TVCL*(WT/70)*exp(ETA_CL)', unit: 'L/h' }, V: { value: 40, unit: 'L' }, KE0: { value: 2, unit: '1/h' }, E0: 100, EMAX: -80, EC50: 5 },
    omega: { etas: ['ETA_CL'], diagonal: [0.09] },
    residual: { model: 'additive', additive: 1 },
  } as never);
  const history = data('ID,TIME,EVID,AMT,RATE,DV,MDV,WT', '1,0,1,600,0,.,1,70', '1,8,0,0,0,45,0,70');

  it('says the level is below the ceiling and rises above it (it said 49.81 "does not fall below" 60)', () => {
    const a = adviseFromState(emax, history, { from: 12, target: 'trough:40:60', doses: [100, 200, 300, 400, 500], intervals: [12], draws: 50 });
    expect(rel(a.state.mode, 49.80757496051302)).toBeLessThan(1e-7);
    expect(a.hold).toBeUndefined();
    const w = a.warnings.find((x) => x.code === 'W_HOLD_NOT_FALLING')!;
    expect(w.message).toBe('the predicted level 49.81 at 12 h is below the trough ceiling 60 but rises above it without more doses (to its no-drug level 100): no hold');
    expect(w.message).not.toContain('does not fall below');
  });
});
