// W_EARLIER_INTERVAL said "auc24, trough are judged on the interval 36–48 h" of a q12h regimen
// whose grid ends before the next interval is whole, while the auc24 it prints is over 24–48 h (the
// daily AUC: the 24 h that end with the interval judged). The daily AUC is now named with its own
// 24 h where they are not the interval (q12h); with a q24h interval they are the same, said as before.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { earlierIntervalWarning, regimenTimesOf } from '../../../src/population/metrics.js';

const reg = (doses: object[], to: number) => parseRegimenJson({ doses, observe: [{ grid: { from: 0, to, step: 1 } }] });

describe('W_EARLIER_INTERVAL names the daily AUC’s own 24 h', () => {
  it('q12h, the grid ending at 50 h inside the 48-h dose’s interval: trough on 36–48 h, auc24 on 24–48 h', () => {
    const t = regimenTimesOf(reg([{ time: 0, amt: 500, ii: 12, addl: 4 }], 50));
    const w = earlierIntervalWarning(t, 'r.json', ['trough', 'auc24']) as string;
    expect(w).toMatch(/so trough is judged on the interval 36–48 h, the last one the profile holds whole, and auc24 on the 24 h that end with it, 24–48 h; to judge the dose at 48 h, observe up to 60 h/);
    // a target clause of the daily AUC, alone
    expect(earlierIntervalWarning(t, 'r.json', ['auc24:400:600']) as string).toMatch(/so auc24:400:600 is judged on 24–48 h, the 24 h that end with the interval 36–48 h, the last one the profile holds whole;/);
  });

  it('q24h: the daily AUC’s 24 h are the interval, said as before', () => {
    const t = regimenTimesOf(reg([{ time: 0, amt: 500, ii: 24, addl: 2 }], 50));
    expect(earlierIntervalWarning(t, 'r.json', ['trough', 'auc24']) as string).toMatch(/so trough, auc24 are judged on the interval 24–48 h, the last one the profile holds whole;/);
  });

  it('forecast, the grid ending at the plan’s first dose: auc24 on 24–48 h of the history', () => {
    const model = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')) as object);
    const history = readNmtran(readFileSync('examples/map-patient.csv', 'utf8')).records;
    const fit = estimate(model, history);
    const f = forecast(model, history, fit, parseRegimenJson({ doses: [{ time: 48, amt: 1000, dur: 1, addl: 3, ii: 12 }], observe: [{ grid: { from: 24, to: 48, step: 1 } }] }), { draws: 10, metrics: ['auc24', 'cmax', 'trough'] });
    const w = f.warnings.find((x) => x.startsWith('W_EARLIER_INTERVAL')) as string;
    expect(w).toMatch(/so cmax, trough are judged on the interval 36–48 h of the history, not on the future regimen, and auc24 on the 24 h that end with it, 24–48 h; to judge the dose at 48 h, observe up to 60 h/);
  });
});
