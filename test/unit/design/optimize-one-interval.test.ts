// optimize reads a steady-state candidate of a model whose parameters do not change with time from
// one dosing interval (auc24 as AUCτ·24/τ), where a model reading TIME gets the intervals of a whole
// day: the two must agree. The same W-map model written with TIME in CL (× (1 + 0·TIME): the same
// values, but a time-dependent model to the search) gives the same exposures and PTA.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { optimizeRegimen } from '../../../src/design/optimize/optimize.js';

describe('optimize: one interval of a periodic steady state gives the day', () => {
  it('AUC24 and trough of q6h–q24h, against the same model read as time-dependent', () => {
    const file = JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')) as { parameters: Record<string, unknown> };
    const periodic = defineModel(file);
    const timed = defineModel({ ...file, parameters: { ...file.parameters, CL: '4*exp(ETA_CL)*(1 + 0*TIME)' } });
    expect(timed.inputs).toContain('TIME');
    const records = readNmtran(readFileSync('examples/map-patient.csv', 'utf8')).records;
    const opts = { doses: [500, 1000, 1500], intervals: [6, 8, 12, 24], infusions: [1], draws: 300, seed: 2, top: 12, target: 'auc24:400:600,trough:5:20' };
    const a = optimizeRegimen(periodic, records, opts, estimate(periodic, records));
    const b = optimizeRegimen(timed, records, opts, estimate(timed, records));
    expect(a.ranked.length).toBe(12);
    const key = (c: { dose: number; interval: number }): string => `${c.dose}/${c.interval}`;
    const other = new Map(b.ranked.map((c) => [key(c), c]));
    let worst = 0;
    for (const c of a.ranked) {
      const d = other.get(key(c));
      expect(d?.pta).toBe(c.pta);
      for (const m of ['auc24', 'trough'])
        for (const q of ['lo', 'median', 'hi'] as const) worst = Math.max(worst, Math.abs((c.exposure[m]?.[q] as number) / (d?.exposure[m]?.[q] as number) - 1));
    }
    // measured 2026-12-05: 3.9e-15 (the sum of 24/τ identical intervals against one × 24/τ)
    console.info(`largest relative difference ${worst}`);
    expect(worst).toBeLessThan(2e-14);
  });
});
