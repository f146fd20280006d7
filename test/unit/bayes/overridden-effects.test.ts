// `estimate --param CL=5` on a model with CL = 4·exp(ETA_CL) pinned CL and so left ETA_CL read by
// nothing, without a word: ETA_CL was reported 0 with "posterior se (Laplace): ETA_CL 0.316228",
// which is only its prior SD (√0.1), beside the estimated ETA_V1. An effect that only
// the given parameters read is now not estimated (as an effect of variance 0: η 0, not among the
// posterior's effects, no SE), and W_ETA_NOT_ESTIMATED names it and the parameter; shrinkage gives
// it none ('.'). The other effects' prior is their marginal (Ω's sub-block): the estimate of ETA_V1
// is the one of the same model without ETA_CL at all (a Gaussian prior's marginal: closed form), and
// it was so before (the joint mode, ETA_CL at its prior mode given ETA_V1).

import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';
import { defineModel } from '../../../src/model/model.js';
import { byId, readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { readFileSync } from 'node:fs';
import { wMapModel } from './wmap.js';

const { write } = tempFiles('dosewise-overridden-effects-');
const base = wMapModel;
// a full block: ETA_V1's marginal variance is 0.1 whatever the correlation
const block = { ...base, name: 'W-map-block', omega: { etas: ['ETA_CL', 'ETA_V1'], matrix: [[0.1, 0.06], [0.06, 0.1]] } };
// the reference: CL given, ETA_V1 alone with its marginal variance
const alone = { ...base, name: 'W-map-V', parameters: { CL: 5, V: '30*exp(ETA_V1)', Q: 6, V2: 50 }, omega: { etas: ['ETA_V1'], diagonal: [0.1] } };
// ETA_CL shared with Q: giving CL leaves it read by Q, so it is still estimated
const shared = { ...base, name: 'W-map-shared', parameters: { CL: '4*exp(ETA_CL)', V: '30*exp(ETA_V1)', Q: '6*exp(ETA_CL)', V2: 50 } };

const data = 'examples/map-patient.csv';
const records = byId(readNmtran(readFileSync(data, 'utf8')).records).get(1)!;

describe('a given parameter whose random effect nothing else reads', () => {
  it('estimate(): the effect is not estimated and is named; the others as in the model without it', () => {
    const ref = estimate(defineModel(alone), records);
    for (const m of [base, block]) {
      const fit = estimate(defineModel(m), records, { overrides: { CL: 5 } });
      expect(fit.labels).toEqual(['ETA_V1']);
      expect(fit.eta[0]).toBe(0);
      expect(fit.eta[1]).toBeCloseTo(ref.eta[0] as number, 6);
      expect(Math.sqrt(fit.covarianceAll![0]![0]!)).toBeCloseTo(Math.sqrt(ref.covarianceAll![0]![0]!), 6);
      expect(fit.ofv).toBeCloseTo(ref.ofv, 8);
      const w = fit.warnings.filter((x) => x.code === 'W_ETA_NOT_ESTIMATED');
      expect(w.map((x) => x.message)).toEqual([
        'ETA_CL is not estimated: CL (overrides.CL = 5) is given and nothing else reads ETA_CL; it stays 0 and has no posterior (its prior SD, 0.316228, is no SE); to estimate ETA_CL, do not give CL',
      ]);
    }
    expect(ref.eta[0]).toBeCloseTo(-0.233307, 5);
  });

  it('an effect another parameter reads is still estimated, without the warning', () => {
    const fit = estimate(defineModel(shared), records, { overrides: { CL: 5 } });
    expect(fit.labels).toEqual(['ETA_CL', 'ETA_V1']);
    expect(fit.warnings.some((x) => x.code === 'W_ETA_NOT_ESTIMATED')).toBe(false);
    expect(estimate(defineModel(base), records, { overrides: { V2: 40 } }).labels).toEqual(['ETA_CL', 'ETA_V1']);
  });

  it('forecast(): runs on that fit and says it', () => {
    const m = defineModel(base);
    const fit = estimate(m, records, { overrides: { CL: 5 } });
    const rec = { ID: 1, ADDL: 0, II: 0, SS: 0, CMT: 1, DV: NaN, items: {} };
    const future = [{ ...rec, row: 1, TIME: 48, EVID: 1, AMT: 1000, RATE: 1000, MDV: 1 }, { ...rec, row: 2, TIME: 60, EVID: 0, AMT: 0, RATE: 0, MDV: 0 }];
    const f = forecast(m, records, fit, future, { overrides: { CL: 5 }, draws: 200, metrics: ['trough'] });
    expect(f.warnings.filter((w) => w.startsWith('W_ETA_NOT_ESTIMATED: '))).toHaveLength(1);
  });

  it('the command line: stderr names --param, no ETA_CL in the posterior se line or the JSON effects', async () => {
    const model = write('base.json', JSON.stringify(base));
    const r = await cli(['estimate', '--model', model, '--data', data, '--param', 'CL=5']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`dosewise: warning: ${data}, ID 1, W_ETA_NOT_ESTIMATED: ETA_CL is not estimated: CL (--param CL=5) is given and nothing else reads ETA_CL;`);
    expect(r.out).toMatch(/ {2}posterior se \(Laplace\): ETA_V1 0\.1027\d+\n/);
    const j = await cli(['estimate', '--model', model, '--data', data, '--param', 'CL=5', '--json']);
    const [e] = JSON.parse(j.out) as { posteriorCovariance: { effects: string[] }; warnings: { code: string }[] }[];
    expect(e!.posteriorCovariance.effects).toEqual(['ETA_V1']);
    expect(e!.warnings.map((w) => w.code)).toContain('W_ETA_NOT_ESTIMATED');
    const fc = await cli(['forecast', '--model', model, '--data', data, '--regimen', 'examples/map-future.json', '--param', 'CL=5', '--metric', 'trough']);
    expect(fc.code, fc.err).toBe(0);
    expect(fc.err).toContain('W_ETA_NOT_ESTIMATED: ETA_CL is not estimated: CL (--param CL=5) is given');
  });

  it('shrinkage: none for the effect (it was 100 %), said once', async () => {
    const ids = ['--id', '1', '--id', '2', '--id', '3'];
    const r = await cli(['shrinkage', '--model', 'examples/vpc/model.json', '--data', 'examples/vpc/data.csv', ...ids, '--param', 'KA=1', '--json']);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out) as { names: string[]; sd: (number | null)[]; variance: (number | null)[]; warnings: { code: string; message: string }[] };
    expect(s.names).toEqual(['ETA_CL', 'ETA_V', 'ETA_KA']);
    expect(s.sd[2]).toBeNull();
    expect(s.variance[2]).toBeNull();
    expect(typeof s.sd[0]).toBe('number');
    expect(s.warnings.filter((w) => w.code === 'W_ETA_NOT_ESTIMATED').map((w) => w.message)).toEqual([
      'all 3 IDs: ETA_KA is not estimated: KA (--param KA=1) is given and nothing else reads ETA_KA; it stays 0 and has no posterior (its prior SD, 0.5, is no SE); to estimate ETA_KA, do not give KA',
    ]);
  });
});
