// Doses without II have an interval only where their spacing is regular. Infusions at 0, 10 and
// 24 h gave a "q14h" interval [24, 38]: a trough at 38 h, where no dose is, and an AUC24 of
// AUC(24–38)·24/14, exit 0. Irregular doses now have no interval, as a single dose has none: the
// last interval is the rest of the profile and AUC24 its last 24 h.

import { describe, expect, it } from 'vitest';
import { dailyAucWindow, lastInterval, regimenTimesOf } from '../../../src/population/metrics.js';
import { recordFromItems } from '../../../src/regimen/nmtran.js';

const doses = (times: number[], end: number) => [
  ...times.map((t, i) => recordFromItems({ ID: 1, TIME: t, EVID: 1, AMT: 1000, RATE: 1000 }, i + 1)),
  recordFromItems({ ID: 1, TIME: end, EVID: 0 }, times.length + 1),
];

describe('the dosing interval of doses given without II', () => {
  it('irregular (0, 10, 24 h): none; the last interval is [24, 40] and AUC24 the last 24 h', () => {
    const t = regimenTimesOf(doses([0, 10, 24], 40));
    expect(t).toEqual({ end: 40, tau: 0, lastDose: 24 });
    expect(lastInterval(t)).toEqual([24, 40]);
    expect(dailyAucWindow(t)).toEqual({ t0: 16, t1: 40, scale: 1 });
  });

  it('regular (0, 12, 24 h, or a loading dose at 0 then 6, 18, 30 h): the spacing', () => {
    expect(regimenTimesOf(doses([0, 12, 24], 36)).tau).toBe(12);
    const loading = regimenTimesOf(doses([0, 6, 18, 30], 42));
    expect(loading).toEqual({ end: 42, tau: 12, lastDose: 30 });
    expect(dailyAucWindow(loading)).toEqual({ t0: 18, t1: 42, scale: 1 });
  });

  it("a top-up without II inside a q12h order: the last dose's II, whatever the order of the records (it was the 6-h spacing: a trough at 88 h where no dose is due)", () => {
    // 2 mg q12h from 46 h (46, 58, 70, 82) and 1 mg at 76 h, written after the order; profile to 94 h
    const recs = [
      recordFromItems({ ID: 1, TIME: 46, EVID: 1, AMT: 2, ADDL: 3, II: 12 }, 1),
      recordFromItems({ ID: 1, TIME: 76, EVID: 1, AMT: 1 }, 2),
      recordFromItems({ ID: 1, TIME: 94, EVID: 0 }, 3),
    ];
    const t = regimenTimesOf(recs);
    expect(t).toEqual({ end: 94, tau: 12, lastDose: 82 });
    expect(lastInterval(t)).toEqual([82, 94]);
  });

  it('times that differ in the last bit are one dosing event (an ADDL copy and a record charted at the same minute)', () => {
    const recs = [
      recordFromItems({ ID: 1, TIME: 61 / 60, EVID: 1, AMT: 1000, ADDL: 1, II: 12 }, 1),
      recordFromItems({ ID: 1, TIME: 781 / 60, EVID: 1, AMT: 250 }, 2),
      recordFromItems({ ID: 1, TIME: 61 / 60 + 24, EVID: 0 }, 3),
    ];
    const t = regimenTimesOf(recs);
    expect(t.tau).toBe(12);
    expect(t.lastDose).toBeCloseTo(61 / 60 + 12, 12);
  });

  it('two doses (0, 12 h): their spacing, as before; two doses at one time count once', () => {
    expect(regimenTimesOf(doses([0, 12], 24)).tau).toBe(12);
    expect(regimenTimesOf(doses([0, 12, 12], 24)).tau).toBe(12);
  });
});
