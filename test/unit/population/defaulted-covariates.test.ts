// A covariate the model reads that the population neither samples nor gives in its regimen took the
// model's default for every subject without a word: Goti 2018 (CL × 0.7^DIAL, V1 × 0.5^DIAL) from a
// covariates file without DIAL ran every subject off dialysis, where the data-set commands say
// W_COVARIATE_DEFAULT. Now said once per run, as they say it.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-defaulted-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cov = JSON.parse(readFileSync('examples/design-vancomycin-covariates.json', 'utf8')) as { covariates: Record<string, unknown> };
const write = (name: string, value: unknown): string => {
  const f = join(tmp, name);
  writeFileSync(f, JSON.stringify(value));
  return f;
};
const regimen = 'examples/design-vancomycin-q12h-1000.json';
const warning =
  'W_COVARIATE_DEFAULT: DIAL is neither sampled nor in the regimen: every subject takes its default 0 (model vancomycin_goti_2018 reads it); sample it in the covariates (or derive it, e.g. "DIAL": { "derived": "0" }, where every subject has that value) or give it in the regimen';
const population = (covariates: string, reg = regimen) => cli(['population', '--model', 'vancomycin_goti_2018', '--covariates', covariates, '--regimen', reg, '--n', '20', '--metric', 'auc24', '--workers', '0', '--no-progress']);

describe('a covariate neither sampled nor in the regimen', () => {
  it('population says once that every subject took DIAL 0', async () => {
    const r = await population('examples/design-vancomycin-covariates.json');
    expect(r.code, r.err).toBe(0);
    expect(r.err.split('\n').filter((l) => l.includes('W_COVARIATE_DEFAULT'))).toEqual([`dosewise: warning: ${warning}`]);
  });

  it('pta puts it in its JSON once, however many regimens', async () => {
    const r = await cli(['pta', '--model', 'vancomycin_goti_2018', '--covariates', 'examples/design-vancomycin-covariates.json', '--regimens', `${regimen},examples/design-vancomycin-q12h-1500.json`, '--target', 'auc24:400:600', '--n', '20', '--workers', '0', '--no-progress', '--json']);
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { warnings: string[] }).warnings.filter((w) => w.startsWith('W_COVARIATE_DEFAULT'))).toEqual([warning]);
  });

  it('nothing where DIAL is derived as a constant, sampled, or given in the regimen', async () => {
    const derived = write('derived.json', { ...cov, covariates: { ...cov.covariates, DIAL: { derived: '0' } } });
    const sampled = write('sampled.json', { ...cov, covariates: { ...cov.covariates, DIAL: { dist: 'categorical', values: [0, 1], p: [0.8, 0.2] } } });
    const reg = JSON.parse(readFileSync(regimen, 'utf8')) as { doses: Record<string, unknown>[] };
    const inRegimen = write('reg-dial.json', { ...reg, doses: reg.doses.map((d) => ({ ...d, items: { DIAL: 0 } })) });
    for (const r of [await population(derived), await population(sampled), await population('examples/design-vancomycin-covariates.json', inRegimen)]) {
      expect(r.code, r.err).toBe(0);
      expect(r.err).not.toContain('W_COVARIATE_DEFAULT');
    }
  });
});
