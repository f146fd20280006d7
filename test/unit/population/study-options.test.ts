// runStudy's options are checked before any work: a window of a metric the plan does not have (a
// misspelt name, AUC24 for auc24) ran with every fraction null and no word, and a callback that is
// not a function failed as a bare TypeError after the first chunk had run.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRegimen } from '../../../src/regimen/file.js';
import { parseMetric } from '../../../src/population/metrics.js';
import { runStudy, seedKey } from '../../../src/population/study.js';
import type { PopulationPlan } from '../../../src/population/plan.js';

const model = JSON.parse(readFileSync('examples/wb-population.model.json', 'utf8'));
const records = readRegimen(readFileSync('examples/wb-regimen.json', 'utf8'), 'wb-regimen.json');
const times = { end: 336, tau: 12, lastDose: 324 };
const plan: PopulationPlan = { model, regimen: records.map((r) => r.items), key: seedKey('options'), metrics: ['auc24', 'trough'].map((m) => parseMetric(m, times)), table: false, profiles: false };

describe('runStudy options', () => {
  it('refuses a window of a metric the plan lacks, naming it and the metrics there are', async () => {
    await expect(runStudy(plan, { n: 10, workers: 0, windows: { AUC24: { lo: 150, hi: 250 } } })).rejects.toMatchObject({ code: 'E_OPTION', place: { path: 'windows.AUC24' }, message: expect.stringMatching(/no metric named AUC24.*auc24, trough/) });
  });

  it('refuses callbacks that are not functions and a signal that is not an AbortSignal (E_OPTION naming it, not a TypeError)', async () => {
    for (const [o, path] of [[{ onProgress: 5 }, 'onProgress'], [{ onChunk: 'x' }, 'onChunk'], [{ signal: {} }, 'signal']] as const) {
      await expect(runStudy(plan, { n: 10, workers: 0, ...(o as object) })).rejects.toMatchObject({ code: 'E_OPTION', place: { path } });
    }
  });

  it('refuses a metric given as its text (it ran as a metric named "undefined", every value 0)', async () => {
    await expect(runStudy({ ...plan, metrics: ['auc24'] as never }, { n: 10, workers: 0 })).rejects.toMatchObject({ code: 'E_OPTION', place: { path: 'metrics[0]' }, message: expect.stringMatching(/parseMetric/) });
  });

  it('runs with a window of a metric it has', async () => {
    const r = await runStudy(plan, { n: 10, workers: 0, windows: { auc24: { lo: 150, hi: 250 } } });
    expect(r.aggregates.auc24?.report().fracIn).not.toBeNull();
  });
});
