// A sampled covariate that no model input reads, directly or through a derived covariate the model
// reads, was accepted without a word: DIALYSIS sampled 50/50 beside vancomycin_goti_2018, which
// reads DIAL (default 0), gave every subject DIAL = 0 while `pta --strata DIALYSIS:1` reported
// "DIALYSIS ≥ 1" as its own stratum (36.5 % against 19.6 % with DIAL sampled). A stratum or band on
// a covariate the model ignores is legitimate (an age group), so each such covariate is warned of,
// once, naming the model inputs taken at their defaults.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { unreadCovariateWarnings } from '../../../src/population/chunk.js';
import { readRegimen } from '../../../src/regimen/file.js';
import { bandPopulation } from '../../../src/design/banding/banding-population.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-unread-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const vancoCov = JSON.parse(readFileSync('examples/design-vancomycin-covariates.json', 'utf8')) as { covariates: Record<string, unknown> };
const goti = JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')) as unknown;
const regimen = 'examples/design-vancomycin-q12h-1000.json';
const records = readRegimen(readFileSync(regimen, 'utf8'), regimen);
const withDialysis = { ...vancoCov, covariates: { ...vancoCov.covariates, DIALYSIS: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5] } } };
const dialysisFile = join(tmp, 'dialysis.json');
writeFileSync(dialysisFile, JSON.stringify(withDialysis));
const warning = 'covariate DIALYSIS is sampled but the model does not read it; the model reads DIAL, taken at its default 0 for every subject';
const plan = (covariates: unknown) => ({ model: goti, covariates, regimen: records.map((r) => r.items), key: [1, 2] as const, metrics: [], table: false, profiles: false });

describe('a sampled covariate the model does not read', () => {
  it('pta --strata on it runs, with one warning on stderr and in the JSON, however many regimens', async () => {
    const r = await cli(['pta', '--model', 'vancomycin_goti_2018', '--covariates', dialysisFile, '--regimens', `${regimen},examples/design-vancomycin-q12h-1500.json`, '--target', 'auc24:400:600', '--strata', 'DIALYSIS:1', '--n', '200', '--workers', '0', '--no-progress', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.err.split('\n').filter((l) => l.includes('DIALYSIS'))).toEqual([`dosewise: warning: ${warning}`]);
    expect((JSON.parse(r.out) as { warnings: string[] }).warnings.filter((w) => w.includes('DIALYSIS'))).toEqual([warning]);
  });

  it('population warns on stderr; band by it returns the warning in its result', async () => {
    const p = await cli(['population', '--model', 'vancomycin_goti_2018', '--covariates', dialysisFile, '--regimen', regimen, '--n', '50', '--metric', 'auc24', '--workers', '0', '--no-progress']);
    expect(p.code, p.err).toBe(0);
    expect(p.err).toContain(`dosewise: warning: ${warning}\n`);
    const b = await bandPopulation({ model: goti, regimen: records, covariates: withDialysis, target: 'auc24:400:600', by: 'DIALYSIS', bands: 2, doses: [500, 1000, 1500], n: 200, seed: 1, workers: 0 });
    expect(b.warnings).toContain(warning);
  });

  it('the same population with DIAL sampled, or without the extra covariate, warns of nothing', () => {
    expect(unreadCovariateWarnings(plan(vancoCov))).toEqual([]);
    const dial = { ...vancoCov, covariates: { ...vancoCov.covariates, DIAL: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5] } } };
    expect(unreadCovariateWarnings(plan(dial))).toEqual([]);
  });

  it('a covariate only an unread derived covariate reads is unread too, and says through which', () => {
    const spec = { covariates: { ...vancoCov.covariates, HT: { dist: 'normal', mean: 170, sd: 10, lower: 140, upper: 210 }, BSA: { derived: 'bsa_mosteller(HT, WT)' } } };
    expect(unreadCovariateWarnings(plan(spec))).toEqual([
      'covariate HT is sampled but the model does not read it (only BSA derives from it, which the model does not read); the model reads DIAL, taken at its default 0 for every subject',
      'covariate BSA is sampled but the model does not read it; the model reads DIAL, taken at its default 0 for every subject',
    ]);
  });

  it('an input the regimen gives is not said to be at its default', () => {
    const dialRecords = records.map((r) => ({ ...r.items, DIAL: 1 }));
    expect(unreadCovariateWarnings({ ...plan(withDialysis), regimen: dialRecords })).toEqual(['covariate DIALYSIS is sampled but the model does not read it']);
  });
});
