// auc24 after a steady-state (SS = 1) record whose regimen goes on in doses written as records of
// their own (II 0) rather than as its ADDL copies. The profile is the same either way, but:
// - the last dose's own II (0) and the dose times (0, 12, 18 h: gaps 12 and 6) made the interval 0,
//   and without an interval auc24 took the profile's last 24 h before its SS checks ran: 200 mg at
//   0 h, 100 mg q6h SS = 1 at 12 h and 100 mg at 18 h (CL 4, V 40, F 0.8) read 67.95, the first
//   dose's tail plus two steady-state intervals, for F·D/CL·24/τ = 0.8·100/4·4 = 80 (the ADDL 1 form
//   read 80); a forecast read the profile's 16–40 h likewise, and a changed dose after the record
//   (300 mg) went unrefused;
// - where the spacing did give an interval, the record at 18 h (II 0 ≠ 6) counted as a change of
//   regimen and auc24 was refused.
// Now the doses after an SS = 1 record continue its regimen when each is its amount, compartment
// and rate or duration, one at each of its times TIME + k·II (none left out, none doubled), with its
// II or none; τ is then the record's II. Anything else changes the regimen: refused, also without
// an interval. Closed form: at steady state a linear model takes in one interval what one dose puts
// in, AUCτ = F·D/CL, so AUC24 = (24/τ)·F·D/CL.

import { describe, expect, it } from 'vitest';
import { tempFiles } from './temp-files.js';
import { cli } from './cli/run-cli.js';
import { compileTarget } from '../../src/design/targets/targets.js';
import { parseMetric, regimenTimesOf } from '../../src/population/metrics.js';
import { regimen } from '../../src/regimen/builder.js';

const { write } = tempFiles('dosewise-auc24-ss-single-');

// CL 4 L/h, V 40 L (k 0.1/h), F 0.8, no variability: one subject is the closed form's
const fixed = write('m1.json', {
  dosewise: 2,
  name: 'one-cmt fixed, F 0.8',
  structure: '1cmt-iv',
  parameters: { CL: { value: 4, unit: 'L/h' }, V: { value: 40, unit: 'L' }, F1: { value: 0.8 } },
  compartments: { '1': { bioavailability: 'F1' } },
  observe: { compartment: 1, scale: 'V', unit: 'mg/L' },
});
const grid = (from: number, to: number, step = 0.25) => ({ grid: { from, to, step } });
const reg = (name: string, doses: object[], to = 24): string => write(name, { doses, observe: [grid(0, to)] });

async function population(r: string, metrics: string[]): Promise<{ code: number; err: string; m: Record<string, number> }> {
  const x = await cli(['population', '--model', fixed, '--regimen', r, '--n', '1', ...metrics.flatMap((m) => ['--metric', m]), '--workers', '0', '--no-progress', '--json']);
  const m = x.code === 0 ? Object.fromEntries((JSON.parse(x.out).metrics as { name: string; report: { mean: number } }[]).map((y) => [y.name, y.report.mean])) : {};
  return { code: x.code, err: x.err, m };
}

const SS12 = { time: 12, amt: 100, ss: 1 as const, ii: 6 };
const CHANGED = /metric auc24: its 24 h \(0–24 h\) start before the steady-state \(SS = 1\) record at 12 h, and the doses after it change its regimen/;

describe('auc24 after an SS = 1 record continued by doses of their own (II 0)', () => {
  it('regimen times: τ is the record\'s II, as for its ADDL copies (was τ 0, the window 0–24 h)', () => {
    const single = regimen().dose({ time: 0, amt: 200 }).dose(SS12).dose({ time: 18, amt: 100 }).observe(grid(0, 24)).records();
    const addl = regimen().dose({ time: 0, amt: 200 }).dose({ ...SS12, addl: 1 }).observe(grid(0, 24)).records();
    // was { end: 24, tau: 0, lastDose: 18, ssChanged: 12 }, and auc24 over 0–24 h unscaled
    expect(regimenTimesOf(single)).toEqual({ end: 24, tau: 6, lastDose: 18, ssStart: 12 });
    expect(regimenTimesOf(addl)).toEqual(regimenTimesOf(single));
    expect(parseMetric('auc24', regimenTimesOf(single))).toMatchObject({ t0: 18, t1: 24, scale: 4 });
    expect(parseMetric('trough', regimenTimesOf(single))).toMatchObject({ t1: 24 });
  });

  it('population: 200 mg at 0 h, 100 mg q6h SS at 12 h, 100 mg at 18 h gives 0.8·100/4·4 = 80 (was 67.95, the 0–24 h profile)', async () => {
    // 67.95 = (0.8·200/40)(1 − e^−1.2)/0.1 + 2·0.8·100/4: the first dose's 0–12 h and two intervals
    const single = await population(reg('rJ.json', [{ time: 0, amt: 200 }, SS12, { time: 18, amt: 100 }]), ['auc24', 'auctau']);
    expect(single.code, single.err).toBe(0);
    // measured 80 within 2e-15 (log-down exact on one exponential)
    expect(Math.abs(single.m.auc24! / 80 - 1)).toBeLessThan(1e-14);
    expect(Math.abs(single.m.auctau! / 20 - 1)).toBeLessThan(1e-14);
    const addl = await population(reg('rJ2.json', [{ time: 0, amt: 200 }, { ...SS12, addl: 1 }]), ['auc24']);
    expect(Math.abs(addl.m.auc24! / single.m.auc24! - 1)).toBeLessThan(1e-14);
  });

  it('population: 100 mg q6h SS at 12 h, 100 mg at 18 h gives 80 (was refused as a change of regimen)', async () => {
    const r = await population(reg('rE.json', [SS12, { time: 18, amt: 100 }]), ['auc24']);
    expect(r.code, r.err).toBe(0);
    expect(Math.abs(r.m.auc24! / 80 - 1)).toBeLessThan(1e-14);
  });

  it('a changed dose after the record without a dosing interval is refused (300 mg at 18 h read the profile\'s 0–24 h, 86.00)', async () => {
    // doses at 0, 12 and 18 h have no regular spacing: τ 0, and the 0–24 h profile was taken as the
    // daily AUC, 67.95 − 20 + AUC(18–24) of the steady state's carry and 300 mg = 86.00, unrefused
    const r = await population(reg('changed.json', [{ time: 0, amt: 200 }, SS12, { time: 18, amt: 300 }]), ['auc24']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(CHANGED);
    expect(r.err).toMatch(/give auc:T0:T1 or auctau/);
    expect(r.err).not.toMatch(/NaN|at .*\.ts:\d+/);
    // an infusion for the bolus changes it too
    const t = (extra: object) => regimenTimesOf(regimen().dose({ time: 0, amt: 200 }).dose(SS12).dose({ time: 18, amt: 100, ...extra }).observe(grid(0, 24)).records());
    expect(t({ dur: 1 })).toEqual({ end: 24, tau: 0, lastDose: 18, ssChanged: 12 });
    // another interval after it: II 12 at 18 h made τ 12 and the last whole interval 12–24 h, with
    // that dose inside it (auc24 2·AUC(12–24) as if 100 mg q12h were at steady state). The grid
    // ends inside that dose's 18–30 h (cutDose, W_EARLIER_INTERVAL), and the interval judged is the
    // 12-h dose's own, 12–18 h up to the next dose: the q6h steady state, auc24 4·AUCτ
    expect(t({ ii: 12 })).toEqual({ end: 24, tau: 6, lastDose: 12, ssStart: 12, cutDose: 18, cutDue: 30 });
  });

  it('a dose left out, or doubled, is no continuation: refused (a skipped 6-h dose read 4·AUC(12–18) = 60.19 for a steady state\'s 80)', async () => {
    // 100 mg q6h SS at 0 h, none at 6 h, 100 mg (II 6) at 12 h: the interval 12–18 h starts from the
    // steady-state trough decayed 6 h more, AUC(12–18)·4 = 60.19 (closed form), taken as the daily AUC
    const skipped = await population(reg('skipped.json', [{ time: 0, amt: 100, ss: 1, ii: 6 }, { time: 12, amt: 100, ii: 6 }], 18), ['auc24']);
    expect(skipped.code).toBe(2);
    expect(skipped.err).toMatch(/metric auc24: its 24 h \(-6–18 h\) start before the steady-state \(SS = 1\) record at 0 h, and the doses after it change its regimen/);
    // the ADDL copy at 18 h and a record of its own there: 200 mg at 18 h
    const doubled = await population(reg('doubled.json', [{ ...SS12, addl: 1 }, { time: 18, amt: 100, ii: 6 }]), ['auc24']);
    expect(doubled.code).toBe(2);
    expect(doubled.err).toMatch(CHANGED);
  });
});

describe('auc24 after an SS = 1 record whose next dose is late or left out, given on its own record (II 0)', () => {
  // The gap from the record to the late dose was taken as τ, the whole-interval rule then dropped
  // that dose, and the record's regimen "continued" over [record, record + gap): no dose lay there and
  // no copy due in it was checked. Now a copy due and not given is a change, the record's interval is
  // its II, never a gap from it, and 24 h that hold its steady state and the change are refused.
  // References (python3, closed form, one compartment k = CL/V = 0.1/h, C after the SS dose
  // F·D/V/(1 − e^{−kτ}), each later dose adding F·D/V; also scipy.integrate.quad, agreeing to 1e-13):
  // - 1000 mg q12h SS at 0 h, 1000 mg at 14 h, 0–26 h: read AUC(0–14)·24/14 = 369.6443515; steady
  //   state 0.8·1000/4·2 = 400; the 24 h as given, AUC(2–26) = 352.8267010214772
  // - 500 mg q8h SS at 0 h, the 8-h dose left out, 500 mg at 16 h, 0–24 h: read AUC(0–16)·1.5 =
  //   217.3993446; steady state 300; AUC(0–24) = 220.18965179946554
  // - 200 mg at 0 h, 100 mg q6h SS at 12 h, the 18-h dose left out, 100 mg at 24 h, 0–30 h: read
  //   AUC(12–24)·2 = 61.9524654; steady state 80; AUC(6–30) = 55.92858120551701
  const LATE = [{ time: 0, amt: 1000, ii: 12, ss: 1 }, { time: 14, amt: 1000 }];
  const MISSED = [{ time: 0, amt: 500, ii: 8, ss: 1 }, { time: 16, amt: 500 }];
  const MISSED_AFTER_LOAD = [{ time: 0, amt: 200 }, SS12, { time: 24, amt: 100 }];
  const records = (doses: object[], to: number) => doses.reduce((r: ReturnType<typeof regimen>, d) => r.dose(d as never), regimen()).observe(grid(0, to)).records();
  const HOLD = (span: string, at: number) => new RegExp(`metric auc24: its 24 h \\(${span} h\\) start at or after the steady-state \\(SS = 1\\) record at ${at} h, and the doses after it change its regimen inside them`);

  it('regimen times: no interval from the gap to the record, and the change named (were τ 14 and 16, the last dose the record, no change seen)', () => {
    // was { end: 26, tau: 14, lastDose: 0, ssStart: 0 }: auc24 over 0–14 h × 24/14
    expect(regimenTimesOf(records(LATE, 26))).toEqual({ end: 26, tau: 0, lastDose: 14, ssChanged: 0 });
    expect(regimenTimesOf(records(MISSED, 24))).toEqual({ end: 24, tau: 0, lastDose: 16, ssChanged: 0 });
    // was { end: 30, tau: 12, lastDose: 12, ssStart: 12 }: the 12-h spacing of 0, 12 and 24 h
    expect(regimenTimesOf(records(MISSED_AFTER_LOAD, 30))).toEqual({ end: 30, tau: 0, lastDose: 24, ssChanged: 12 });
    // the late dose with the record's II: τ 12 from its own II, the 24 h 2–26 h hold the change too
    expect(regimenTimesOf(records([LATE[0] as object, { time: 14, amt: 1000, ii: 12 }], 26))).toEqual({ end: 26, tau: 12, lastDose: 14, ssChanged: 0 });
    // pta, band, optimize and advice compile their auc24 targets through the same window
    expect(() => compileTarget('auc24:400:600', records(LATE, 26))).toThrow(HOLD('2–26', 0));
    // 24 h after the change are the profile's hours of what follows, as for irregular doses: 16–40 h
    expect(regimenTimesOf(records(LATE, 40))).toEqual({ end: 40, tau: 0, lastDose: 14 });
    expect(parseMetric('auc24', regimenTimesOf(records(LATE, 40)))).toMatchObject({ t0: 16, t1: 40 });
  });

  it('population: a dose 2 h late is refused naming the record (read 369.64 for neither 400 nor 352.83); auc:2:26 gives 352.83', async () => {
    const r = reg('late.json', LATE, 26);
    const refused = await population(r, ['auc24']);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(HOLD('2–26', 0));
    expect(refused.err).toMatch(/give auc:2:26 \(the AUC of those hours as given\) or auctau/);
    expect(refused.err).not.toMatch(/NaN|at .*\.ts:\d+/);
    // the window the refusal points to is the profile's: measured 352.826701021477 (1.5e-15 relative)
    const ok = await population(r, ['auc:2:26']);
    expect(ok.code, ok.err).toBe(0);
    expect(Math.abs(ok.m['auc:2:26']! / 352.8267010214772 - 1)).toBeLessThan(1e-13);
  });

  it('population: a dose left out is refused, with or without a dose before the record (read 217.40 for 300 and 61.95 for 80)', async () => {
    const missed = await population(reg('missed.json', MISSED, 24), ['auc24']);
    expect(missed.code).toBe(2);
    expect(missed.err).toMatch(HOLD('0–24', 0));
    const load = reg('missed-load.json', MISSED_AFTER_LOAD, 30);
    const afterLoad = await population(load, ['auc24']);
    expect(afterLoad.code).toBe(2);
    expect(afterLoad.err).toMatch(/metric auc24: its 24 h \(6–30 h\) start before the steady-state \(SS = 1\) record at 12 h, and the doses after it change its regimen/);
    // measured 220.189651799465 and 55.9285812055170 (below 1e-14 relative)
    const ok = await population(reg('missed-ok.json', MISSED, 24), ['auc:0:24']);
    expect(Math.abs(ok.m['auc:0:24']! / 220.18965179946554 - 1)).toBeLessThan(1e-13);
    const okLoad = await population(load, ['auc:6:30']);
    expect(Math.abs(okLoad.m['auc:6:30']! / 55.92858120551701 - 1)).toBeLessThan(1e-13);
  });
});

describe('forecast: a future SS = 1 record continued by a dose of its own', () => {
  // gentamicin 120 mg/0.5 h q8h SS history, levels at 1.5 and 7.5 h exact for CL 5, V 20 (k 0.25/h):
  // C(1.5) = (240/5)(1 − e^−0.125)e^−0.25/(1 − e^−2) = 5.080064122, C(7.5) = C(1.5)·e^−1.5 (as auc24-ss-reset.test.ts)
  const model = write('mg.json', {
    dosewise: 2,
    name: 'gent broad prior',
    structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
    theta: { TVCL: { value: 3, unit: 'L/h' }, TVV: { value: 15, unit: 'L' } },
    parameters: { CL: { expr: 'TVCL * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV * exp(ETA_V)', unit: 'L' } },
    omega: { etas: ['ETA_CL', 'ETA_V'], matrix: [[4, 0], [0, 4]] },
    residual: { model: 'proportional', proportional: 0.0001 },
    observe: { compartment: 1, unit: 'mg/L' },
  });
  const data = write('pg.csv', 'ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS,DV,MDV\n1,0,1,120,1,240,0,8,1,.,1\n1,1.5,0,0,1,0,0,0,0,5.080064122,0\n1,7.5,0,0,1,0,0,0,0,1.133515521,0\n');
  const future = (name: string, amt: number) =>
    write(name, { doses: [{ time: 24, amt: 160, cmt: 1, dur: 0.5, ii: 8, ss: 1 }, { time: 32, amt, cmt: 1, dur: 0.5 }], observe: [grid(24, 40, 1)] });
  const run = (fut: string, metrics: string[]) => cli(['forecast', '--model', model, '--data', data, '--regimen', fut, '--draws', '100', '--seed', '1', ...metrics.flatMap((m) => ['--metric', m])]);

  it('160 mg q8h SS at 24 h, 160 mg at 32 h: auc24 32–40 × 3 = 3·160/5 = 96 (was 16–40, 64.47, the history\'s tail and two intervals)', async () => {
    // 64.47 = 64 + the SS history's decay over 16–24 h, 0.468 (closed form at CL 5, V 20)
    const r = await run(future('same.json', 160), ['auc24', 'auctau']);
    expect(r.code, r.err).toBe(0);
    const row = (name: string): string[] => (r.out.split('\n').find((l) => l.trim().startsWith(`${name} `)) as string).trim().split(/\s+/);
    expect(row('auc24')[1]).toBe('32-40');
    // MAP: measured 95.9993, the MAP under its prior and the sampled AUC (as the SS-only form's)
    expect(Math.abs(Number(row('auc24')[2]) / 96 - 1)).toBeLessThan(3e-5);
    expect(Math.abs(Number(row('auc24')[2]) - 3 * Number(row('auctau')[2]))).toBeLessThan(1e-3);
  }, 60_000);

  it('300 mg at 32 h changes the regimen: auc24 refused when asked, left out of the defaults and said (printed a daily AUC of 16–40 h)', async () => {
    const fut = future('changed.json', 300);
    const asked = await run(fut, ['auc24']);
    expect(asked.code).toBe(2);
    expect(asked.err).toMatch(/metric auc24: its 24 h \(16–40 h\) start before the steady-state \(SS = 1\) record at 24 h, and the doses after it change its regimen/);
    const defaults = await run(fut, []);
    expect(defaults.code, defaults.err).toBe(0);
    expect(defaults.err).toMatch(/ID 1: auc24 left out of the default metrics: its 24 h \(16–40 h\) start before the steady-state \(SS = 1\) record at 24 h/);
    expect(defaults.out).not.toMatch(/^\s*auc24 /m);
  }, 60_000);
});
