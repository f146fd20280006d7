// A forecast's future records must not change the course they sample. Observation times inside a
// NOCB history, a metric's samples under a parameter that reads TIME, and a future observation
// after a future dose that gives a covariate all changed predictions (exit 0, no warning). The
// references are piecewise exponentials of a one-compartment infusion at the fit's own η and κ
// (written out here, not through the engine; measured within 7e-16), and as constants the same
// numbers from numpy at this build's MAP point (exact piecewise exponentials, measured within 3e-16;
// checked to 1e-9, so they also fail if the MAP point moves).

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';

const rel = (a: number, b: number): number => Math.abs(a / b - 1);

/** CL = TVCL·CRCL/100·exp(ETA_CL + KAPPA_CL), IOV by OCC; NOCB unless said. */
const modelJson = (timeVarying: 'nocb' | 'locf', cl = 'TVCL * (CRCL/100) * exp(ETA_CL + KAPPA_CL)') => ({
  dosewise: 2,
  name: 'tv test 1cmt',
  structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
  theta: { TVCL: { value: 4, unit: 'L/h' }, TVV: { value: 50, unit: 'L' } },
  covariates: { CRCL: { unit: 'mL/min' }, OCC: { unit: '1, 2, ...' } },
  parameters: { CL: { expr: cl, unit: 'L/h' }, V: { expr: 'TVV * exp(ETA_V)', unit: 'L' } },
  omega: { etas: ['ETA_CL', 'ETA_V'], matrix: [[0.1, 0], [0, 0.05]] },
  iov: { etas: ['KAPPA_CL'], diagonal: [0.04], occasion: 'OCC' },
  residual: { model: 'proportional', proportional: 0.1 },
  observe: { compartment: 1, scale: 'V', unit: 'mg/L' },
  time_varying: timeVarying,
});

// CRCL changes at 8 h (100 → 60) and 48 h (→ 80), the occasion at 8 and 48 h
const historyCsv = `ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS,DV,MDV,CRCL,OCC
1,0,1,1000,1,500,0,0,0,.,1,100,1
1,2,0,0,1,0,0,0,0,17,0,100,1
1,8,0,0,1,0,0,0,0,9,0,60,1
1,24,1,1000,1,500,0,0,0,.,1,60,2
1,26,0,0,1,0,0,0,0,25,0,60,2
1,32,0,0,1,0,0,0,0,18,0,60,2
1,48,1,1000,1,500,0,0,0,.,1,80,3
1,50,0,0,1,0,0,0,0,15,0,80,3
`;

type Segment = readonly [t0: number, t1: number, crcl: number, occ: number, rate: number];

/** Concentrations at the segment ends: A' = R − (CL/V)·A on each segment, in closed form. */
function piecewise(x: Readonly<Record<string, number>>, segments: readonly Segment[], clOf = (crcl: number, occ: number, _t1: number) => 4 * (crcl / 100) * Math.exp((x.ETA_CL as number) + (x[`KAPPA_CL@${occ}`] ?? 0))): Map<number, number> {
  const V = 50 * Math.exp(x.ETA_V as number);
  const out = new Map<number, number>();
  let A = 0;
  for (const [t0, t1, crcl, occ, R] of segments) {
    const k = clOf(crcl, occ, t1) / V;
    const e = Math.exp(-k * (t1 - t0));
    A = A * e + (R ? (R / k) * (1 - e) : 0);
    out.set(t1, A / V);
  }
  return out;
}

const point = (fit: { labels: readonly string[]; x: ArrayLike<number> }): Record<string, number> => Object.fromEntries(fit.labels.map((l, i) => [l, fit.x[i] as number]));
const at = (f: { times: Float64Array; ipred: Float64Array }, t: number): number => f.ipred[[...f.times].indexOf(t)] as number;

// the history as NOCB fits it: each record's values over the interval ending at it
const HISTORY: readonly Segment[] = [
  [0, 2, 100, 1, 500],
  [2, 8, 60, 1, 0],
  [8, 24, 60, 2, 0],
  [24, 26, 60, 2, 500],
  [26, 32, 60, 2, 0],
];

describe('forecast: future observations inside a NOCB history change nothing', () => {
  const model = defineModel(modelJson('nocb'));
  const history = readNmtran(historyCsv).records;
  const fit = estimate(model, history);
  const x = point(fit);
  const dose = { time: 72, amt: 1000, rate: 500 };
  const run = (times: number[]) => forecast(model, history, fit, parseRegimenJson({ doses: [dose], observe: [{ times }] }), { draws: 20, metrics: ['conc@80'] });
  const want = piecewise(x, [...HISTORY, [32, 40, 80, 3, 0], [40, 48, 80, 3, 0], [48, 50, 80, 3, 500], [50, 72, 80, 3, 0], [72, 74, 80, 3, 500], [74, 80, 80, 3, 0]]);

  it('predictions at history times are the estimate\'s IPRED (C(8) read 9.2889 for 10.3186, C(50) 20.4695 for 19.1403: each took CRCL and OCC of the record before it, and ended an interval with them)', () => {
    const f = run([4, 8, 28, 32, 40, 50, 74, 80]);
    // estimate's IPRED rows: 8 h is row 2, 32 h row 5, 50 h row 7
    expect(rel(at(f, 8), fit.ipred[2] as number)).toBeLessThan(1e-13);
    expect(rel(at(f, 32), fit.ipred[5] as number)).toBeLessThan(1e-13);
    expect(rel(at(f, 50), fit.ipred[7] as number)).toBeLessThan(1e-13);
    // 40 h lies in 32–48 h, which the record at 48 h governs (CRCL 80, occasion 3): 10.9942 before
    expect(rel(at(f, 40), want.get(40) as number)).toBeLessThan(1e-13);
    expect(rel(at(f, 40), 6.773318377690989)).toBeLessThan(1e-9);
    expect(rel(at(f, 50), 19.140332687854)).toBeLessThan(1e-9);
  });

  it('adding observe times never changes the other times\' predictions (C(74), C(80) read 18.3452/9.4539 with 40 h asked too, for 18.2466/9.4031)', () => {
    const few = run([74, 80]);
    const many = run([4, 8, 28, 32, 40, 50, 74, 80]);
    for (const t of [74, 80]) {
      expect(rel(at(many, t), at(few, t))).toBeLessThan(1e-14);
      expect(rel(at(few, t), want.get(t) as number)).toBeLessThan(1e-13);
    }
    expect(rel(at(few, 74), 18.24662305972687)).toBeLessThan(1e-9);
    expect(rel(at(few, 80), 9.403115233976727)).toBeLessThan(1e-9);
    expect(rel(many.metrics['conc@80']!.mode, few.metrics['conc@80']!.mode)).toBeLessThan(1e-14);
  });

  it('warns of an observation inside the history that gives another value than the one holding there, naming the place, item and values', () => {
    const future = parseRegimenJson({ doses: [dose], observe: [{ times: [40], items: { CRCL: 60 } }] });
    const f = forecast(model, history, fit, future, { draws: 10 });
    expect(f.warnings.join('\n')).toMatch(/observe\.0\.items\.CRCL: the observation at 40 h lies inside the history[\s\S]*gives CRCL 60, where the history's record at 48 h \(row 7\) gives 80/);
    // the value that holds there: no warning, and the history's prediction
    const same = forecast(model, history, fit, parseRegimenJson({ doses: [dose], observe: [{ times: [40], items: { CRCL: 80 } }] }), { draws: 10 });
    expect(same.warnings.join('\n')).not.toMatch(/inside the history/);
    expect(rel(at(same, 40), want.get(40) as number)).toBeLessThan(1e-13);
  });

  it('says W_IOV_CARRIED as a coded warning too (forecast --json left it out of the per-ID warnings)', () => {
    const f = run([74, 80]);
    expect(f.occasionWarnings.map((w) => w.code)).toEqual(['W_IOV_CARRIED']);
    expect(f.warnings).toContain(f.occasionWarnings[0]!.message);
  });
});

describe('forecast: future observations inside a LOCF history change nothing', () => {
  const model = defineModel(modelJson('locf'));
  const history = readNmtran(historyCsv).records;
  const fit = estimate(model, history);
  it('predictions at history times are the estimate\'s IPRED, and more times change no other', () => {
    const run = (times: number[]) => forecast(model, history, fit, parseRegimenJson({ doses: [{ time: 72, amt: 1000, rate: 500 }], observe: [{ times }] }), { draws: 10 });
    const many = run([4, 8, 28, 32, 40, 50, 74, 80]);
    const few = run([74, 80]);
    expect(rel(at(many, 8), fit.ipred[2] as number)).toBeLessThan(1e-13);
    expect(rel(at(many, 32), fit.ipred[5] as number)).toBeLessThan(1e-13);
    expect(rel(at(many, 50), fit.ipred[7] as number)).toBeLessThan(1e-13);
    for (const t of [74, 80]) expect(rel(at(many, t), at(few, t))).toBeLessThan(1e-14);
  });
});

describe('forecast: a covariate the future regimen gives holds for its later records', () => {
  const model = defineModel(modelJson('nocb'));
  const history = readNmtran(historyCsv).records;
  const fit = estimate(model, history);
  it('observations after a dose with CRCL 50 take 50, as when they repeat it (they took 80 from the history: 20.2555/10.4384 for 21.2387/14.0341)', () => {
    const dose = { time: 72, amt: 1000, rate: 500, items: { CRCL: 50 } };
    const bare = forecast(model, history, fit, parseRegimenJson({ doses: [dose], observe: [{ times: [60, 74, 80] }] }), { draws: 10 });
    const repeated = forecast(model, history, fit, parseRegimenJson({ doses: [dose], observe: [{ times: [74, 80], items: { CRCL: 50 } }] }), { draws: 10 });
    // NOCB: the dose record at 72 h (CRCL 50) governs 50–72 h, and 50 holds after it
    const want = piecewise(point(fit), [...HISTORY, [32, 48, 80, 3, 0], [48, 50, 80, 3, 500], [50, 60, 50, 3, 0], [60, 72, 50, 3, 0], [72, 74, 50, 3, 500], [74, 80, 50, 3, 0]]);
    for (const t of [60, 74, 80]) expect(rel(at(bare, t), want.get(t) as number)).toBeLessThan(1e-13);
    for (const t of [74, 80]) expect(rel(at(bare, t), at(repeated, t))).toBeLessThan(1e-14);
    expect(rel(at(bare, 74), 21.23868619304244)).toBeLessThan(1e-9);
    expect(rel(at(bare, 80), 14.034063406267922)).toBeLessThan(1e-9);
  });
});

describe('forecast: metric samples do not move a CL that reads TIME', () => {
  // CL steps from 4 to 8 L/h at TIME 5, read from the record that governs each interval
  const cl = '(TIME > 5 ? 8 : 4) * (CRCL/100) * exp(ETA_CL + KAPPA_CL)';
  const history = readNmtran(`ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS,DV,MDV,CRCL,OCC
1,0,1,1000,1,0,0,0,0,.,1,100,1
1,1,0,0,1,0,0,0,0,17,0,100,1
`).records;
  const future = readNmtran(`ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS,DV,MDV,CRCL,OCC
1,10,0,0,1,0,0,0,0,.,0,100,1
1,12,0,0,1,0,0,0,0,.,0,100,1
`).records;
  const bolus = (x: Record<string, number>, cls: readonly [number, number, number], t: number): number => {
    // a 1000 mg bolus at 0; CL per interval (0,1], (1,10], (10,12]
    const V = 50 * Math.exp(x.ETA_V as number);
    const e = Math.exp((x.ETA_CL as number) + (x['KAPPA_CL@1'] as number));
    const edges = [0, 1, 10, 12];
    let c = 1000 / V;
    for (let i = 0; i < 3 && edges[i]! < t; i++) c *= Math.exp((-cls[i]! * e * (Math.min(t, edges[i + 1]!) - edges[i]!)) / V);
    return c;
  };

  it('NOCB: IPRED at 10 and 12 h is the same with auc:1:10 as with conc@10 (it read 5.9753/4.4229 for 4.4229/3.2738), and the AUC is the closed form', () => {
    const model = defineModel(modelJson('nocb', cl));
    const fit = estimate(model, history);
    const x = point(fit);
    const point10 = forecast(model, history, fit, future, { draws: 10, metrics: ['conc@10'] });
    const window = forecast(model, history, fit, future, { draws: 10, metrics: ['auc:1:10'] });
    // (0,1] ends at TIME 1 (CL 4), (1,10] at TIME 10 (CL 8)
    const cls = [4, 8, 8] as const;
    for (const [j, t] of [10, 12].entries()) {
      expect(rel(window.ipred[j] as number, point10.ipred[j] as number)).toBeLessThan(1e-14);
      expect(rel(window.ipred[j] as number, bolus(x, cls, t))).toBeLessThan(1e-13);
    }
    expect(rel(window.ipred[0] as number, 4.422891001289414)).toBeLessThan(1e-9);
    // the log-down rule integrates the one exponential of 1–10 h exactly: the grid's AUC is the integral
    const k = (8 * Math.exp((x.ETA_CL as number) + (x['KAPPA_CL@1'] as number))) / (50 * Math.exp(x.ETA_V as number));
    const auc = (bolus(x, cls, 1) * (1 - Math.exp(-9 * k))) / k;
    expect(rel(window.metrics['auc:1:10']!.mode, auc)).toBeLessThan(1e-9);
    expect(rel(window.metrics['auc:1:10']!.mode, 84.448630770267)).toBeLessThan(1e-9);
  });

  it('LOCF: the samples read the TIME of the record before them (CL 4 over 1–10 h, whatever the metric)', () => {
    const model = defineModel(modelJson('locf', cl));
    const fit = estimate(model, history);
    const point10 = forecast(model, history, fit, future, { draws: 10, metrics: ['conc@10'] });
    const window = forecast(model, history, fit, future, { draws: 10, metrics: ['auc:1:10'] });
    // (0,1] starts at TIME 0, (1,10] at TIME 1 (CL 4), (10,12] at TIME 10 (CL 8)
    const cls = [4, 4, 8] as const;
    for (const [j, t] of [10, 12].entries()) {
      expect(rel(window.ipred[j] as number, point10.ipred[j] as number)).toBeLessThan(1e-14);
      expect(rel(window.ipred[j] as number, bolus(point(fit), cls, t))).toBeLessThan(1e-13);
    }
  });

  it('an observation inside the history reads TIME of the record governing it, so the forecast after it is unchanged', () => {
    const model = defineModel(modelJson('nocb', cl));
    const longer = readNmtran(`ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS,DV,MDV,CRCL,OCC
1,0,1,1000,1,0,0,0,0,.,1,100,1
1,1,0,0,1,0,0,0,0,17,0,100,1
1,10,0,0,1,0,0,0,0,4,0,100,1
`).records;
    const fit = estimate(model, longer);
    const obs = (times: number[]) => forecast(model, longer, fit, readNmtran(['ID,TIME,EVID,AMT,CMT,DV,MDV', ...times.map((t) => `1,${t},0,0,1,.,0`)].join('\n')).records, { draws: 10 });
    const with4 = obs([4, 12]);
    const without = obs([12]);
    // 4 h lies in 1–10 h, which the record at 10 h governs: CL 8 there (CL 4 with its own TIME)
    expect(rel(at(with4, 4), bolus(point(fit), [4, 8, 8], 4))).toBeLessThan(1e-13);
    expect(rel(at(with4, 12), at(without, 12))).toBeLessThan(1e-14);
  });
});

describe('forecast: records charted ahead that only schedule (a dialysis session as EVID 2 records)', () => {
  const model = defineModel(modelJson('nocb'));
  // the history's last level is at 50 h; a session with CRCL 20 is charted for 76–80 h, CRCL 80 after it
  const history = readNmtran(`${historyCsv}1,76,2,0,1,0,0,0,0,.,1,80,3
1,80,2,0,1,0,0,0,0,.,1,20,3
1,90,2,0,1,0,0,0,0,.,1,80,3
`).records;
  const fit = estimate(model, history);
  it('a future dose at 72 h before them is forecast with them (it was refused as before the last record of the history, 90 h), and a dose before the last level still is', () => {
    const f = forecast(model, history, fit, parseRegimenJson({ doses: [{ time: 72, amt: 1000, rate: 500 }], observe: [{ times: [74, 76, 80, 90, 96] }] }), { draws: 10 });
    // NOCB: the dose record at 72 h governs 50–72 h (CRCL 80), the record at 80 h the session 76–80 h
    const want = piecewise(point(fit), [...HISTORY, [32, 48, 80, 3, 0], [48, 50, 80, 3, 500], [50, 72, 80, 3, 0], [72, 74, 80, 3, 500], [74, 76, 80, 3, 0], [76, 80, 20, 3, 0], [80, 90, 80, 3, 0], [90, 96, 80, 3, 0]]);
    for (const t of [74, 76, 80, 90, 96]) expect(rel(at(f, t), want.get(t) as number)).toBeLessThan(1e-13);
    expect(() => forecast(model, history, fit, parseRegimenJson({ doses: [{ time: 49, amt: 1000, rate: 500 }], observe: [{ times: [60] }] }), { draws: 10 })).toThrow(/future dose at 49 h is before the last dose or level of the history \(50 h\)/);
  });

  it('a future dose among them takes the values that govern its time under NOCB (at 78 h: CRCL 20 of the record at 80 h; it continued CRCL 80 and moved the session)', () => {
    const f = forecast(model, history, fit, parseRegimenJson({ doses: [{ time: 78, amt: 1000, rate: 500 }], observe: [{ times: [77, 80, 90, 96] }] }), { draws: 10 });
    const want = piecewise(point(fit), [...HISTORY, [32, 48, 80, 3, 0], [48, 50, 80, 3, 500], [50, 76, 80, 3, 0], [76, 77, 20, 3, 0], [77, 78, 20, 3, 0], [78, 80, 20, 3, 500], [80, 90, 80, 3, 0], [90, 96, 80, 3, 0]]);
    for (const t of [77, 80, 90, 96]) expect(rel(at(f, t), want.get(t) as number)).toBeLessThan(1e-13);
  });
});

describe('forecast: a future dose among the history\'s ADDL copies', () => {
  const model = defineModel(modelJson('nocb'));
  const history = readNmtran(`ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS,DV,MDV,CRCL,OCC
1,0,1,1000,1,500,5,12,0,.,1,100,1
1,2,0,0,1,0,0,0,0,17,0,100,1
1,8,0,0,1,0,0,0,0,9,0,100,1
`).records;
  const fit = estimate(model, history);
  it('is refused: the copies run to 60 h (a dose at 12 h was given with the copy there, 2000 mg at once)', () => {
    for (const time of [12, 30])
      expect(() => forecast(model, history, fit, parseRegimenJson({ doses: [{ time, amt: 1000, rate: 500 }], observe: [{ times: [72] }] }), { draws: 10 })).toThrow(
        new RegExp(`future dose at ${time} h is before the last dose or level of the history \\(60 h\\)`),
      );
    expect(() => forecast(model, history, fit, parseRegimenJson({ doses: [{ time: 72, amt: 1000, rate: 500 }], observe: [{ times: [80] }] }), { draws: 10 })).not.toThrow();
  });
});
