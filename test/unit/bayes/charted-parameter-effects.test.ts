// A data column named like a parameter that carries a random effect (CL on every record of a TDM
// file, on CL = 4·exp(ETA_CL)) pins the parameter as `--param CL=5` does (the engine reads the column
// for CL), and left ETA_CL read by nothing without a word: ETA_CL 0 with "posterior se (Laplace):
// ETA_CL 0.316228", its prior SD (√0.1) shown as a posterior SE, where --param CL=5 gave
// W_ETA_NOT_ESTIMATED (0b9f8e9). It is now the same case: not estimated, and the warning names the
// column and its first row (and on how many records, where not every one). The reference for
// ETA_V1 is the model without ETA_CL at CL 5: its marginal prior, a closed-form Gaussian marginal
// (test/unit/bayes/overridden-effects.test.ts: -0.233307, SE 0.102798).

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';
import { defineModel } from '../../../src/model/model.js';
import { byId, readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { wMapModel } from './wmap.js';

const { write } = tempFiles('dosewise-charted-parameter-effects-');
const base = wMapModel;
const alone = { ...base, name: 'W-map-V', parameters: { CL: 5, V: '30*exp(ETA_V1)', Q: 6, V2: 50 }, omega: { etas: ['ETA_V1'], diagonal: [0.1] } };
const shared = { ...base, name: 'W-map-shared', parameters: { CL: '4*exp(ETA_CL)', V: '30*exp(ETA_V1)', Q: '6*exp(ETA_CL)', V2: 50 } };

const text = readFileSync('examples/map-patient.csv', 'utf8').trim().split('\n');
/** map-patient.csv with a column CL: 5 on every record, or blank on the first (the dose at 0 h, which nothing reads under NOCB). */
const withColumn = (blankFirst: boolean): string => [`${text[0]},CL`, ...text.slice(1).map((l, i) => `${l},${blankFirst && i === 0 ? '.' : '5'}`)].join('\n') + '\n';
const recordsOf = (csv: string) => byId(readNmtran(csv).records).get(1)!;

describe('a data column of a parameter whose random effect nothing else reads', () => {
  it('estimate(): not estimated, as with overrides; the warning names the column and its first row', () => {
    const ref = estimate(defineModel(alone), recordsOf(readFileSync('examples/map-patient.csv', 'utf8')));
    expect(ref.eta[0]).toBeCloseTo(-0.233307, 5);
    const fit = estimate(defineModel(base), recordsOf(withColumn(false)));
    expect(fit.labels).toEqual(['ETA_V1']);
    expect(fit.eta[0]).toBe(0);
    expect(fit.eta[1]).toBeCloseTo(ref.eta[0] as number, 6);
    expect(Math.sqrt(fit.covarianceAll![0]![0]!)).toBeCloseTo(0.102798, 5);
    expect(fit.warnings.filter((x) => x.code === 'W_ETA_NOT_ESTIMATED').map((x) => x.message)).toEqual([
      "ETA_CL is not estimated: CL (the data's column CL, on every record, from row 1) is given and nothing else reads ETA_CL; it stays 0 and has no posterior (its prior SD, 0.316228, is no SE); to estimate ETA_CL, do not give CL (leave the column CL out of the data)",
    ]);
  });

  it('a column on some records only says so', () => {
    const fit = estimate(defineModel(base), recordsOf(withColumn(true)));
    expect(fit.labels).toEqual(['ETA_V1']);
    expect(fit.eta[1]).toBeCloseTo(-0.233307, 5);
    const [w] = fit.warnings.filter((x) => x.code === 'W_ETA_NOT_ESTIMATED');
    expect(w?.message).toContain("CL (the data's column CL, from row 2, on 7 of the 8 records (the others blank, where nothing reads CL: they take its value)) is given");
  });

  it('an effect another parameter reads is still estimated, without the warning', () => {
    const fit = estimate(defineModel(shared), recordsOf(withColumn(false)));
    expect(fit.labels).toEqual(['ETA_CL', 'ETA_V1']);
    expect(fit.warnings.some((x) => x.code === 'W_ETA_NOT_ESTIMATED')).toBe(false);
  });

  it('forecast(): runs on that fit and says it once', () => {
    const m = defineModel(base);
    const records = recordsOf(withColumn(false));
    const fit = estimate(m, records);
    const rec = { ID: 1, ADDL: 0, II: 0, SS: 0, CMT: 1, DV: NaN, items: { CL: 5 } };
    const future = [{ ...rec, row: 1, TIME: 48, EVID: 1, AMT: 1000, RATE: 1000, MDV: 1 }, { ...rec, row: 2, TIME: 60, EVID: 0, AMT: 0, RATE: 0, MDV: 0 }];
    const f = forecast(m, records, fit, future, { draws: 200, metrics: ['trough'] });
    expect(f.warnings.filter((w) => w.startsWith('W_ETA_NOT_ESTIMATED: ETA_CL is not estimated: CL (the data\'s column CL'))).toHaveLength(1);
  });

  it('the command line: stderr names the column, no ETA_CL in the posterior se line', async () => {
    const model = write('base.json', JSON.stringify(base));
    const data = write('tdm.csv', withColumn(false));
    const r = await cli(['estimate', '--model', model, '--data', data]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`dosewise: warning: ${data}, ID 1, W_ETA_NOT_ESTIMATED: ETA_CL is not estimated: CL (the data's column CL, on every record, from row 1) is given`);
    expect(r.out).toMatch(/ {2}posterior se \(Laplace\): ETA_V1 0\.1027\d+\n/);
    const fc = await cli(['forecast', '--model', model, '--data', data, '--regimen', 'examples/map-future.json', '--metric', 'trough']);
    expect(fc.code, fc.err).toBe(0);
    expect(fc.err).toContain("W_ETA_NOT_ESTIMATED: ETA_CL is not estimated: CL (the data's column CL");
  });
});
