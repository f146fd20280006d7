// Estimation refuses an Ω that is not positive definite (it reads Ω⁻¹), as the README says, but the
// refusal named neither the pair nor the correlation: Ω [[0.09, 0.06],
// [0.06, 0.04]] (correlation 0.06 / √(0.09 · 0.04) = 1 exactly, ETA_V = ⅔ ETA_CL) gave "model omega:
// the covariance of the estimated random effects must be positive definite". Now the pair, the
// correlation and the relation are named; κ pairs name `iov`; a dependency of three effects names
// the combination with no variance. Numbers by hand: [[1, .5, .5], [.5, 1, −.5], [.5, −.5, 1]] has
// eigenvector (1, −1, −1)/√3 for its eigenvalue 0, and no pair correlated ±1.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';

const records = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV,OCC\n1,0,1,500,1,.,1,1\n1,6,0,.,1,6.2,0,1\n1,24,1,500,1,.,1,2\n1,30,0,.,1,7,0,2\n').records;
const model = (omega: object, iov?: object, cl = 'TVCL*exp(ETA_CL)', v = 'TVV*exp(ETA_V)') =>
  defineModel({
    dosewise: 2,
    name: 'est1',
    structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
    theta: { TVCL: { value: 4, unit: 'L/h' }, TVV: { value: 40, unit: 'L' } },
    parameters: { CL: { expr: cl, unit: 'L/h' }, V: { expr: v, unit: 'L' } },
    omega,
    ...(iov ? { iov } : {}),
    residual: { model: 'combined', additive: 0.2, proportional: 0.15 },
    observe: { compartment: 1, unit: 'mg/L' },
  });
const refusal = (m: ReturnType<typeof defineModel>): string => {
  try {
    estimate(m, records);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no refusal';
};

describe('estimate: an Ω that is not positive definite is refused naming the cause', () => {
  it('a pair correlated 1: the pair, the correlation and the relation', () => {
    const m = refusal(model({ etas: ['ETA_CL', 'ETA_V'], matrix: [[0.09, 0.06], [0.06, 0.04]] }));
    expect(m).toMatch(/^model omega: the covariance of the estimated random effects must be positive definite/);
    expect(m).toContain('ETA_CL and ETA_V are correlated 1 (covariance 0.06 over √(0.09 · 0.04))');
    expect(m).toContain('ETA_V = 0.6667·ETA_CL');
  });

  it('refused whichever way the rounding of the pivot falls ([[0.04, 0.02], [0.02, 0.01]] ran, "NOT converged"); a correlation of 0.99995 still estimates', () => {
    expect(refusal(model({ etas: ['ETA_CL', 'ETA_V'], matrix: [[0.04, 0.02], [0.02, 0.01]] }))).toContain('ETA_CL and ETA_V are correlated 1 (covariance 0.02 over √(0.04 · 0.01))');
    const c = 0.99995 * Math.sqrt(0.09 * 0.04);
    expect(estimate(model({ etas: ['ETA_CL', 'ETA_V'], matrix: [[0.09, c], [c, 0.04]] }), records).x).toHaveLength(2);
  });

  it('a pair correlated −1 among three', () => {
    const m = refusal(model({ etas: ['ETA_CL', 'ETA_V', 'ETA_X'], matrix: [[0.09, 0, 0], [0, 0.04, -0.06], [0, -0.06, 0.09]] }, undefined, 'TVCL*exp(ETA_CL+ETA_X)'));
    expect(m).toContain('ETA_V and ETA_X are correlated -1');
  });

  it('κ of one occasion correlated 1: named as iov', () => {
    const m = refusal(model({ etas: ['ETA_CL'], diagonal: [0.09] }, { etas: ['KAPPA_CL', 'KAPPA_V'], matrix: [[0.04, 0.02], [0.02, 0.01]], occasion: 'OCC' }, 'TVCL*exp(ETA_CL+KAPPA_CL)', 'TVV*exp(KAPPA_V)'));
    expect(m).toMatch(/^model iov: the covariance/);
    expect(m).toContain('KAPPA_CL@1 and KAPPA_V@1 are correlated 1');
  });

  it('three effects dependent with no pair at ±1: the combination without variance', () => {
    const m = refusal(model({ etas: ['ETA_CL', 'ETA_V', 'ETA_X'], matrix: [[1, 0.5, 0.5], [0.5, 1, -0.5], [0.5, -0.5, 1]] }, undefined, 'TVCL*exp(ETA_CL+ETA_X)'));
    expect(m).toContain('no pair is correlated ±1');
    // (1, −1, −1)/√3 up to sign
    expect(m).toMatch(/the combination (0\.5774·ETA_CL \+ -0\.5774·ETA_V \+ -0\.5774·ETA_X|-0\.5774·ETA_CL \+ 0\.5774·ETA_V \+ 0\.5774·ETA_X) has variance/);
  });
});
