// tacrolimus_storset_2014 has between-occasion variability (iov: κ KAPPA_F, KAPPA_KA; occasion
// column OCC). --set OCC=1 was refused as "has no parameter or data item OCC", though the model
// declares OCC: it is the records' occasion column, read from each record, not a setting, and is
// now refused saying so. The refusal of an unknown name listed the κ as data items; they are
// random effects, listed apart as the η are (CLI and the library's overrides).

import { describe, expect, it } from 'vitest';
import { loadModel } from '../../../src/cli/model-arg.js';
import { simulate } from '../../../src/engine/simulate.js';
import { regimen } from '../../../src/regimen/builder.js';
import { cli } from './run-cli.js';

const nomo = ['nomogram', '--model', 'tacrolimus_storset_2014', '--target', 'trough=8', '--interval', '12', '--grid', 'WT=60,80', '--set', 'HT=1.7', '--set', 'FEMALE=0'];
const PARAMS = 'BMI, FFM, TVCL, CYP_CL, CL, TVV, V, TVQ, Q, TVV2, V2, TVKA, KA, PRED_EMAX, PRED50, FIRSTDAY_F, CYP_F, F1, TLAG';

// the model's W_MODEL_APPROXIMATION (plasma, not whole blood) comes first: the refusal is the rest
const refusal = (err: string): string => err.split('\n').filter((l) => !l.includes('W_MODEL_APPROXIMATION')).join('\n');

describe('the occasion column and the κ of a model with IOV', () => {
  it('--set OCC=1: the occasion column, read from the records', async () => {
    const r = await cli([...nomo, '--set', 'OCC=1']);
    expect(r.code).toBe(2);
    expect(refusal(r.err)).toBe("dosewise: --set OCC=1: OCC is the data column that numbers the occasions of model tacrolimus_storset_2014's between-occasion variability (κ: KAPPA_F, KAPPA_KA): it is read from each record, not set\n");
  });

  it('an unknown name lists the κ apart from the data items', async () => {
    const r = await cli([...nomo, '--set', 'FOO=1']);
    expect(r.code).toBe(2);
    expect(refusal(r.err)).toBe(
      `dosewise: --set FOO=1: model tacrolimus_storset_2014 has no parameter or data item FOO (parameters: ${PARAMS}; data items: CYP3A5, FEMALE, FirstDay, HT, PredDose, WT; η: ETA_CL, ETA_V, ETA_Q, ETA_F; κ: KAPPA_F, KAPPA_KA)\n`,
    );
  });

  it('a κ can still be set (a what-if)', async () => {
    const r = await cli([...nomo, '--set', 'KAPPA_F=0.1']);
    expect(r.code, r.err).toBe(0);
  });

  it('the library: overrides.OCC and an unknown override, the same words', async () => {
    const model = await loadModel('tacrolimus_storset_2014');
    const items = { WT: 70, HT: 1.7, FEMALE: 0, OCC: 1 };
    const records = regimen().dose({ time: 0, amt: 5, items }).observe({ times: [12], items }).records();
    expect(() => simulate(model, records, { overrides: { OCC: 1 } })).toThrow(expect.objectContaining({ code: 'E_PARAMETER', message: expect.stringContaining('OCC is the data column that numbers the occasions') }));
    expect(() => simulate(model, records, { overrides: { FOO: 1 } })).toThrow(/data items: CYP3A5, FEMALE, FirstDay, HT, PredDose, WT; η: ETA_CL, ETA_V, ETA_Q, ETA_F; κ: KAPPA_F, KAPPA_KA\)/);
  });
});
