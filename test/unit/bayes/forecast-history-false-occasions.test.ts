// forecast(..., { history: false }) with IOV: the future's records take their occasions from the
// future alone. The history's records (not simulated) were interleaved by time for the NOCB fill, so
// a grid 0–24 h after doses at 0 h (OCC 2) and 12 h (OCC 3) beside a history on OCC 1 ending at
// 23.5 h took occasion 1 from the history's levels at 2, 11 and 23.5 h: auc:0:24 5/50/95 %
// 363.1/405.2/450.9 and C(11) 6.03/6.70/7.41 on κ̂1, where the exact posterior (OCC 2 for 0–12 h, OCC
// 3 for 12–24 h) gives 278.8/419.8/592.8 and 2.00/7.22/14.37, with W_IOV_CARRIED saying the future
// continued occasion 1. The reference is importance sampling on the exact posterior
// (test/oracle/forecast_history_false_occasions.py, 2,000,000 prior draws, ESS 117,639); the
// forecast measured within 1.8 % of it (C(11) 5 %: 1.965 for 2.000; with SIR, C(20) 5 % 4.970 for 4.879).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast, forecastRecords } from '../../../src/bayes/forecast.js';

const exact = JSON.parse(readFileSync(new URL('../../oracle/forecast-history-false-occasions.json', import.meta.url), 'utf8')) as Record<'auc0_24' | 'auc0_12' | 'conc11' | 'conc20', [number, number, number]>;

const model = defineModel({
  dosewise: 2,
  name: 'iov-test',
  structure: { kind: 'linear', compartments: 1, depot: false },
  parameters: { CL: '4*exp(ETA_CL+KAPPA_CL)', V: '30*exp(ETA_V)' },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.1] },
  iov: { etas: ['KAPPA_CL'], diagonal: [0.09], occasion: 'OCC' },
  residual: { model: 'proportional', proportional: 0.1 },
});
const history = readNmtran(['ID,TIME,EVID,AMT,DV,MDV,OCC', '1,0,1,1000,.,1,1', '1,2,0,.,25,0,1', '1,11,0,.,6,0,1', '1,12,1,1000,.,1,1', '1,23.5,0,.,8,0,1'].join('\n')).records;
const fit = estimate(model, history);
const doses = [
  { time: 0, amt: 1000, items: { OCC: 2 } },
  { time: 12, amt: 1000, items: { OCC: 3 } },
];
const filled = parseRegimenJson({ doses, observe: [{ grid: { from: 0, to: 24, step: 0.5 } }] });
const given = parseRegimenJson({
  doses,
  observe: [
    { grid: { from: 0, to: 12, step: 0.5 }, items: { OCC: 2 } },
    { grid: { from: 12.5, to: 24, step: 0.5 }, items: { OCC: 3 } },
  ],
});
const metrics = ['auc:0:24', 'auc:0:12', 'conc@11', 'conc@20'];
const options = { draws: 20000, seed: 3, history: false, metrics };

describe('history: false — the future takes its occasions from the future alone', () => {
  it('samples without OCC are on the future dose before them (0.5–12 h: 2, the trough at 12 h included; then 3)', () => {
    const { records, fromFuture } = forecastRecords(history, filled, false, undefined, 'nocb', undefined, 'OCC');
    expect(fromFuture.every((s) => s === 1)).toBe(true);
    const samples = records.filter((r) => r.EVID === 0);
    expect(samples).toHaveLength(49);
    // the sample at 0 h, before the first dose, has no future dose before it: the history's last occasion
    for (const r of samples) expect([r.TIME, r.items.OCC]).toEqual([r.TIME, r.TIME === 0 ? 1 : r.TIME <= 12 ? 2 : 3]);
  });

  it('a future dose without OCC continues the future dose before it; before any, the occasion the history ends on', () => {
    const h = history.map((r) => (r.TIME >= 12 ? { ...r, items: { ...r.items, OCC: 4 } } : r));
    const future = parseRegimenJson({ doses: [{ time: 0, amt: 1000 }, { time: 6, amt: 1000, items: { OCC: 2 } }, { time: 12, amt: 1000 }], observe: [{ times: [0, 3, 9, 18] }] });
    const { records } = forecastRecords(h, future, false, undefined, 'nocb', undefined, 'OCC');
    expect(records.map((r) => `${r.TIME}:${r.EVID}:${r.items.OCC}`)).toEqual(['0:0:4', '0:1:4', '3:0:4', '6:1:2', '9:0:2', '12:1:2', '18:0:2']);
  });

  it('forecasts what OCC on each observe entry forecasts, and warns of no carried occasion', () => {
    const a = forecast(model, history, fit, filled, options);
    const b = forecast(model, history, fit, given, options);
    for (const m of metrics) for (const k of ['median', 'lower', 'upper', 'mode'] as const) expect(a.metrics[m]?.[k]).toBeCloseTo(b.metrics[m]?.[k] as number, 9);
    expect(a.occasionWarnings).toEqual([]);
    expect(a.warnings.filter((w) => w.includes('continues occasion'))).toEqual([]);
  });

  it('a future whose doses give no OCC does continue occasion 1, and is warned of', () => {
    const f = forecast(model, history, fit, parseRegimenJson({ doses: [{ time: 0, amt: 1000 }], observe: [{ times: [6] }] }), { draws: 50, seed: 1, history: false });
    expect(f.records.find((r) => r.TIME === 6)?.items.OCC).toBe(1);
    expect(f.occasionWarnings.map((w) => w.code)).toEqual(['W_IOV_CARRIED']);
  });

  it('and the exact posterior quantiles within 5 %', () => {
    const f = forecast(model, history, fit, filled, options);
    const pairs: [string, keyof typeof exact][] = [['auc:0:24', 'auc0_24'], ['auc:0:12', 'auc0_12'], ['conc@11', 'conc11'], ['conc@20', 'conc20']];
    for (const [m, key] of pairs) {
      const [median, lower, upper] = exact[key];
      const got = f.metrics[m] as { median: number; lower: number; upper: number };
      expect(Math.abs(got.median / median - 1), `${m} median ${got.median} for ${median}`).toBeLessThan(0.05);
      expect(Math.abs(got.lower / lower - 1), `${m} 5 % ${got.lower} for ${lower}`).toBeLessThan(0.05);
      expect(Math.abs(got.upper / upper - 1), `${m} 95 % ${got.upper} for ${upper}`).toBeLessThan(0.05);
    }
  });
});
