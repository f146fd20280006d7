// A level of DV 1e300 (map-patient.csv's 1.5-h level) made the MAP objective not finite at the start
// point: estimate() returned the prior with "objective is not finite at the start point", and the only
// row named was in a W_LEVEL_UNINFORMATIVE that asked for "a level before the first dose". The message
// now names the level whose squared residual overflows: its row, time and value.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';

const model = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')) as object);
const csv = readFileSync('examples/map-patient.csv', 'utf8');

describe('a level whose squared residual overflows is named', () => {
  it('DV 1e300 at 1.5 h: the message names row 2 (its data row), TIME 1.5, DV 1e+300', () => {
    const fit = estimate(model, readNmtran(csv.replace('27.57698', '1e300')).records, { file: 'p.csv' });
    expect(fit.converged).toBe(false);
    expect(fit.message).toMatch(/objective is not finite at the start point: p\.csv, row 2 \(TIME 1\.5, DV 1e\+300\): a level so large that its squared residual is not finite/);
  });

  it('an ordinary level estimates as before', () => {
    expect(estimate(model, readNmtran(csv).records).converged).toBe(true);
  });
});
