// The README's figure for the W-map patient's forecast AUC24 (72–96 h): the metric samples its own
// times inside the window, so a display grid of 12, 4 or 1 h gives the same number, within 2e-4 of
// the exact integral of the MAP curve (SciPy: expm per dose and quad, 364.69525166; the coarse grid
// alone read 473.3).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';

const EXACT = 364.6952516619997;

describe('forecast AUC24 of the W-map patient', () => {
  it('364.753 on grids of 12, 4 and 1 h against 364.695 exact (+1.6e-4)', () => {
    const model = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));
    const records = readNmtran(readFileSync('examples/map-patient.csv', 'utf8')).records;
    const fit = estimate(model, records);
    const values = [12, 4, 1].map((step) => {
      const future = parseRegimenJson({ doses: [{ time: 48, amt: 1000, dur: 1, addl: 3, ii: 12 }], observe: [{ grid: { from: 48, to: 96, step } }] });
      return forecast(model, records, fit, future, { draws: 200, seed: 1, metrics: ['auc24'] }).metrics.auc24?.mode as number;
    });
    for (const v of values) expect(Math.abs(v / (values[0] as number) - 1)).toBeLessThan(1e-12);
    const rel = (values[0] as number) / EXACT - 1;
    expect(rel).toBeGreaterThan(1.5e-4);
    expect(rel).toBeLessThan(1.7e-4);
    expect((values[0] as number).toFixed(3)).toBe('364.753');
  });
});
