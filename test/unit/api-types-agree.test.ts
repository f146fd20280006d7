// The declarations agree with what the functions do: estimateCohort()'s options offered
// `covariance` and `covarianceMethod`, which it always refuses (E_OPTION at run time);
// `failed[].code` was a string, not an ErrorCode; and `simulate()`'s `amounts` was optional
// whatever the options, so the README's `const { ipred, amounts } = simulate(…)` did not compile
// where it was used ("'amounts' is possibly 'undefined'"), though it is there unless `amounts: false`.
// test/tsconfig.json type-checks this file: every @ts-expect-error must fire.

import { describe, expect, expectTypeOf, it } from 'vitest';
import { estimateCohort, type CohortResult, type CohortRunOptions } from '../../src/bayes/task.js';
import { simulate } from '../../src/engine/simulate.js';
import type { ErrorCode } from '../../src/errors.js';
import { builtinModel } from '../../src/model/model.js';
import { regimen } from '../../src/regimen/builder.js';

describe('the types of estimateCohort()', () => {
  it('offer no covariance option, and name failed[].code an ErrorCode', () => {
    // @ts-expect-error covariance: true is always refused (the cohort result carries none)
    const a: CohortRunOptions = { covariance: true };
    // @ts-expect-error covarianceMethod is always refused
    const b: CohortRunOptions = { covarianceMethod: 'expected' };
    const c: CohortRunOptions = { covariance: false, workers: 0 };
    expect([a, b, c]).toHaveLength(3);
    expectTypeOf<CohortResult['failed'][number]['code']>().toEqualTypeOf<ErrorCode>();
    expectTypeOf(estimateCohort).parameter(2).toEqualTypeOf<CohortRunOptions | undefined>();
  });
});

describe("the type of simulate()'s amounts", () => {
  const model = builtinModel('1cmt-iv', { CL: 5, V: 50 });
  const records = regimen().dose({ time: 0, amt: 100 }).observe({ times: [1] }).records();

  it('is there unless amounts: false is given, as at run time', () => {
    const { amounts } = simulate(model, records, { method: 'analytic' });
    expectTypeOf(amounts).toEqualTypeOf<Float64Array>();
    // one state (1-cmt IV): 100 mg at 0 h, CL 5, V 50: 100·e^(−0.1) at 1 h
    expect(amounts[1]).toBeCloseTo(100 * Math.exp(-0.1), 10);
    expect(simulate(model, records).amounts).toBeInstanceOf(Float64Array);
    const none = simulate(model, records, { amounts: false });
    expectTypeOf(none.amounts).toEqualTypeOf<Float64Array | undefined>();
    expect(none.amounts).toBeUndefined();
    const asked: boolean = Math.random() < 2;
    expectTypeOf(simulate(model, records, { amounts: asked }).amounts).toEqualTypeOf<Float64Array | undefined>();
  });
});
