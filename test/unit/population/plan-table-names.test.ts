// populationPlan()'s `table` option, a list of the columns to keep, was not checked against the
// columns a population table has (its sampled covariates, η and the model's parameters): a typo
// ('CLL' for 'CL', 'eta_cl' for 'ETA_CL') or a metric's name ('auc_0_12', which is in the result's
// metrics, not the table) ran, and the column was missing from every chunk without a word. Now an
// unknown name is refused with E_OPTION, path table[i], naming it and the known columns.

import { describe, expect, it } from 'vitest';
import { populationPlan } from '../../../src/design/pta/pta-plan.js';
import { runStudy, seedKey } from '../../../src/population/study.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';
import { regimen } from '../../../src/regimen/builder.js';
import { caught } from '../refused.js';

const records = regimen().dose({ time: 0, amt: 1000, dur: 1 }).observe({ times: [1, 12] }).records();
const model = { dosewise: 2, name: 'e', structure: '1cmt-iv', theta: {}, parameters: { CL: '5*exp(ETA_CL)', V: 50 }, omega: { etas: ['ETA_CL'], diagonal: [0.1] } };
const metric = parseMetric('auc:0:12', regimenTimesOf(records));
const full = { model, records, key: seedKey('1'), metrics: [metric], table: false };

describe("populationPlan()'s table names", () => {
  it('a typo (CLL) is refused naming it, its place and the known columns', () => {
    const e = caught(() => populationPlan({ ...full, table: ['ETA_CL', 'CLL'] }));
    expect(e.code).toBe('E_OPTION');
    expect(e.message).toMatch(/^table\[1\]: /);
    expect(e.message).toContain('"CLL"');
    expect(e.message).toContain('ETA_CL, CL, V');
    expect(e.message).toContain('did you mean CL?');
  });

  it("a metric's name is refused, saying metrics are the result's, not the table's", () => {
    const e = caught(() => populationPlan({ ...full, table: [metric.name] }));
    expect(e.code).toBe('E_OPTION');
    expect(e.message).toContain(`"${metric.name}" is a metric`);
  });

  it('known names are taken, and the table has them', async () => {
    const plan = populationPlan({ ...full, table: ['CL', 'ETA_CL'] });
    const chunks: { columns?: Record<string, Float64Array> }[] = [];
    await runStudy(plan, { n: 5, workers: 0, onChunk: (c) => void chunks.push(c) });
    expect(Object.keys(chunks[0]?.columns ?? {}).sort()).toEqual(['CL', 'ETA_CL']);
  });
});
