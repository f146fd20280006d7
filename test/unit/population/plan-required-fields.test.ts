// populationPlan() took a plan without `table` (required in its TypeScript type, unchecked at run
// time), and runStudy() then failed in a chunk: with workers 0 a bare "TypeError: Cannot read
// properties of undefined (reading 'includes')" without a code, on workers E_ENGINE "a worker
// failed: …". The other required fields had the same gap: without
// `records` (or with a string or null) populationPlan() threw a TypeError ("reading 'map'"), and
// without `model`, `key` or `metrics` (or with a wrong type) runStudy() refused "plan must be a
// population plan" without naming the field; `table: 'x'` ran, read as the column list ['x'].
// Now populationPlan() refuses each with E_OPTION naming the field, and runStudy() names `table`
// in a plan built by hand.

import { describe, expect, it } from 'vitest';
import { populationPlan } from '../../../src/design/pta/pta-plan.js';
import { runStudy, seedKey } from '../../../src/population/study.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';
import { regimen } from '../../../src/regimen/builder.js';
import { DosewiseError } from '../../../src/errors.js';

const records = regimen().dose({ time: 0, amt: 1000, dur: 1 }).observe({ times: [1, 12] }).records();
const model = { dosewise: 2, name: 'e', structure: '1cmt-iv', theta: {}, parameters: { CL: '5*exp(ETA_CL)', V: 50 }, omega: { etas: ['ETA_CL'], diagonal: [0.1] } };
const full = { model, records, key: seedKey('1'), metrics: [parseMetric('auc:0:12', regimenTimesOf(records))], table: false };

function refusal(f: () => unknown): DosewiseError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DosewiseError);
    return e as DosewiseError;
  }
  throw new Error('not refused');
}

describe('populationPlan() refuses a plan without a required field, naming it', () => {
  for (const field of ['model', 'records', 'key', 'metrics', 'table'] as const) {
    for (const value of [undefined, 'x', null]) {
      // a model given as a string or null is defineModel's to refuse (E_MODEL, naming what a model is)
      if (field === 'model' && value !== undefined) continue;
      it(`${field}: ${String(value)}`, () => {
        const p: Record<string, unknown> = { ...full, [field]: value };
        if (value === undefined) delete p[field];
        const e = refusal(() => populationPlan(p as never));
        expect(e.code).toBe('E_OPTION');
        expect(e.message).toMatch(new RegExp(`^${field}: `));
        expect(e.message).toMatch(/populationPlan\(\)/);
      });
    }
  }

  it('table: true, false and a list of names are taken', () => {
    for (const table of [true, false, ['CL', 'ETA_CL']]) expect(populationPlan({ ...full, table }).table).toEqual(table);
  });

  it('table: a list with a non-name is refused naming its place', () => {
    const e = refusal(() => populationPlan({ ...full, table: ['CL', 5] as never }));
    expect(e.message).toMatch(/^table: /);
    expect(e.message).toMatch(/table\[1\]|item 1/);
  });
});

describe('runStudy() of a plan built by hand without table', () => {
  it('is refused with E_OPTION naming table (it was a TypeError in a chunk)', async () => {
    const plan = { ...populationPlan(full) } as Record<string, unknown>;
    delete plan.table;
    for (const workers of [0, 1]) {
      const e = await runStudy(plan as never, { n: 10, workers }).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(DosewiseError);
      expect((e as DosewiseError).code).toBe('E_OPTION');
      expect((e as DosewiseError).message).toMatch(/table/);
    }
  });

  it('a complete plan runs', async () => {
    const r = await runStudy(populationPlan(full), { n: 10, workers: 0 });
    expect(r.count).toBe(10);
  });
});
