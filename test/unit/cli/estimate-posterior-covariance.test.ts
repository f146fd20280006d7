// `estimate --covariance hessian|expected` ("posterior covariance") changed only the parameters'
// SEs: neither the text nor --json gave the covariance of η and κ or their SEs, which the API had
// (covariance, covarianceAll). --json now carries per ID `posteriorCovariance` {method, effects,
// matrix, se} over the estimated effects in covarianceAll's order; the text a `posterior se` line,
// and with --covariance given the effects' correlations.
//
// Reference: the model and data (one-compartment oral, full 3×3 Ω, IOV on CL over two
// occasions, combined error, one BLQ level): scipy BFGS MAP and 2·H⁻¹ of the OFV's central-difference
// Hessian (test/oracle/estimate_posterior_covariance.py → estimate-posterior-covariance.json).
// Measured: largest |ΔC| 2.2e-9, largest relative SE difference 1.4e-8 (same for --workers 1).

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';
import { defineModel } from '../../../src/model/model.js';
import { byId, readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';

const ref = JSON.parse(readFileSync(new URL('../../oracle/estimate-posterior-covariance.json', import.meta.url), 'utf8')) as { labels: string[]; x: number[]; covariance: number[][]; se: number[] };

const { write } = tempFiles('dosewise-estimate-postcov-');
const modelJson = {
  dosewise: 2,
  name: 't7-A',
  structure: { kind: 'linear', compartments: 1, depot: true },
  parameters: { CL: '5*exp(ETA_CL + KAPPA_CL)', V: '40*exp(ETA_V)', KA: '1.2*exp(ETA_KA)' },
  omega: { etas: ['ETA_CL', 'ETA_V', 'ETA_KA'], matrix: [[0.09, 0.03, 0.01], [0.03, 0.04, -0.02], [0.01, -0.02, 0.36]] },
  iov: { etas: ['KAPPA_CL'], diagonal: [0.04], occasion: 'OCC' },
  residual: { model: 'combined', additive: 0.2, proportional: 0.15 },
  observe: { compartment: 2, scale: 'V' },
};
const csv = `ID,TIME,EVID,AMT,CMT,DV,MDV,OCC,BLQ,LLOQ
1,0,0,.,2,0.05,0,1,0,0.1
1,0,1,500,1,.,1,1,0,.
1,1,0,.,2,7.8,0,1,0,0.1
1,4,0,.,2,8.9,0,1,0,0.1
1,12,1,500,1,.,1,1,0,.
1,20,0,.,2,6.1,0,1,0,0.1
1,48,1,500,1,.,1,2,0,.
1,50,0,.,2,11.5,0,2,0,0.1
1,60,0,.,2,4.2,0,2,0,0.1
1,90,0,.,2,0.1,0,2,1,0.1
`;
const model = write('mA.json', modelJson);
const data = write('pA.csv', csv);

interface PosteriorJson { method: string; effects: string[]; matrix: number[][]; se: Record<string, number> }

const apiFit = (covarianceMethod?: 'hessian' | 'expected') => estimate(defineModel(modelJson), [...byId(readNmtran(csv).records)][0]![1], { covarianceMethod });

describe('estimate prints the posterior covariance of the random effects', () => {
  it('--json: posteriorCovariance as the API\'s covarianceAll, and as scipy\'s Laplace covariance', async () => {
    const r = await cli(['estimate', '--model', model, '--data', data, '--covariance', 'hessian', '--json']);
    expect(r.code, r.err).toBe(0);
    const p = (JSON.parse(r.out) as { posteriorCovariance: PosteriorJson }[])[0]!.posteriorCovariance;
    const fit = apiFit('hessian');
    expect(p.method).toBe('hessian');
    expect(p.effects).toEqual(fit.labels);
    expect(p.effects).toEqual(ref.labels);
    expect(p.matrix).toEqual(fit.covarianceAll);
    ref.covariance.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(p.matrix[i]![j]! - v)).toBeLessThan(1e-8)));
    ref.labels.forEach((n, i) => {
      expect(p.se[n]).toBe(Math.sqrt(fit.covarianceAll![i]![i]!));
      expect(Math.abs(p.se[n]! / ref.se[i]! - 1)).toBeLessThan(1e-7);
    });
  });

  it('--covariance expected: the expected-information matrix, as the API gives it', async () => {
    const r = await cli(['estimate', '--model', model, '--data', data, '--covariance', 'expected', '--json']);
    expect(r.code, r.err).toBe(0);
    const p = (JSON.parse(r.out) as { posteriorCovariance: PosteriorJson }[])[0]!.posteriorCovariance;
    expect(p.method).toBe('expected');
    expect(p.matrix).toEqual(apiFit('expected').covarianceAll);
  });

  it('text: a posterior se line by default, the correlations only with --covariance', async () => {
    const se = ref.labels.map((n, i) => `${n} ${ref.se[i]!.toPrecision(6)}`).join(', ');
    const plain = await cli(['estimate', '--model', model, '--data', data]);
    expect(plain.code, plain.err).toBe(0);
    expect(plain.out).toContain(`  posterior se (Laplace): ${se}\n`);
    expect(plain.out).not.toMatch(/correlation/);
    const asked = await cli(['estimate', '--model', model, '--data', data, '--covariance', 'hessian']);
    expect(asked.out).toContain(`  posterior se (Laplace): ${se}\n`);
    const lines = asked.out.split('\n');
    const at = lines.findIndex((l) => l.trim().startsWith('correlation'));
    expect(at).toBeGreaterThan(0);
    const c = ref.covariance;
    const rho = (i: number, j: number) => c[i]![j]! / Math.sqrt(c[i]![i]! * c[j]![j]!);
    // ETA_V–ETA_KA: 0.01871 / sqrt(0.012526 · 0.07818) ≈ 0.5996
    expect(lines[at + 2]!.trim().split(/\s+/)).toEqual(['ETA_V', rho(1, 0).toPrecision(6), '1.00000']);
    expect(lines[at + 3]!.trim().split(/\s+/)).toEqual(['ETA_KA', rho(2, 0).toPrecision(6), rho(2, 1).toPrecision(6), '1.00000']);
  });
});
